"""/api/docs renders in a real browser from local assets only."""

from __future__ import annotations

from urllib.parse import urlparse


def test_docs_page_renders_from_local_assets(page, live_server):
    hosts = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).hostname))
    page.goto(f"{live_server}/api/docs", wait_until="networkidle")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15000)
    assert "Lüjian" in page.inner_text(".swagger-ui .info .title")
    # the operations of the document are listed
    page.wait_for_selector(".opblock-summary-path", timeout=15000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/mp/v1/products" in p for p in paths)
    assert hosts == {"127.0.0.1"}, f"the page reached beyond this server: {hosts}"
