"""/api/docs renders in a real browser from local assets only."""

from __future__ import annotations

from urllib.parse import urlparse


def test_docs_page_renders_from_local_assets(page, live_server):
    hosts = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).hostname))
    page.goto(f"{live_server}/api/docs", wait_until="networkidle")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15000)
    assert "Lüjian" in page.inner_text(".swagger-ui .info .title")
    # every family of operations is listed, folded (docExpansion none: ~150 operations)
    page.wait_for_selector(".opblock-tag", timeout=15000)
    tags = page.locator(".opblock-tag").all_inner_texts()
    assert any(t.startswith("mp-catalog") for t in tags) and len(tags) >= 20, tags
    page.locator(".opblock-tag", has_text="mp-catalog").first.click()
    products = page.locator(".opblock-summary-path", has_text="/api/mp/v1/products").first
    products.wait_for(timeout=15000)
    assert hosts == {"127.0.0.1"}, f"the page reached beyond this server: {hosts}"
