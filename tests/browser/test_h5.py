"""The H5 storefront in a real browser, against its own live server seeded with the demo data."""

from __future__ import annotations

from urllib.parse import quote, urlparse

from tests.browser.conftest import api_get as _api
from tests.browser.conftest import axe_violations as _axe
from tests.browser.conftest import shot as _shot


def test_home_renders_theme_and_categories_from_this_server_only(phone, h5):
    hosts, sizes = set(), []
    phone.on("request", lambda request: hosts.add(urlparse(request.url).hostname))
    phone.on("requestfinished", lambda request: sizes.append(request.sizes()))
    phone.goto(f"{h5}/", wait_until="networkidle")
    assert phone.url == f"{h5}/h5/"
    hero = phone.locator(".hero-title")
    assert "绿色建材进万家" in hero.inner_text() and "美好生活共创建" in hero.inner_text()
    phone.locator(".category-grid .van-grid-item").first.wait_for()
    assert "陶瓷砖（板）" in phone.locator(".category-grid").inner_text()
    phone.locator("text=查认证证书真伪").wait_for()
    assert hosts == {"127.0.0.1"}, f"the page reached beyond this server: {hosts}"
    transferred = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes)
    print(f"\nhome page: {len(sizes)} requests, {transferred} bytes transferred")
    assert transferred < 300_000  # the first-visit budget (gzip), libraries included
    _shot(phone, "home")


def test_search_lists_products_and_scrolling_loads_the_next_page(phone, h5):
    pages = []
    phone.on("request", lambda r: "/api/mp/v1/products" in r.url and pages.append(r.url))
    phone.goto(f"{h5}/h5/")
    phone.get_by_role("searchbox").fill("瓷砖")
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/h5/products?q=*")
    cards = phone.locator(".product-card")
    cards.first.wait_for()
    # van-list asks for the next page whenever the list's end comes within reach of the screen
    for _ in range(5):
        phone.mouse.wheel(0, 2000)
        if phone.locator(".van-list__finished-text", has_text="没有更多了").is_visible():
            break
        phone.wait_for_timeout(300)
    phone.locator(".van-list__finished-text", has_text="没有更多了").wait_for()
    assert any("cursor=" in url for url in pages), pages
    assert cards.count() > 6, "the second page did not arrive"
    assert any("瓷砖" in name for name in cards.locator(".product-name").all_inner_texts())
    phone.mouse.wheel(0, -20000)
    _shot(phone, "products")


def test_product_detail_deep_link(phone, h5, h5_app):
    product = _api(h5_app, "/products?q=瓷砖&limit=1")["items"][0]
    phone.goto(f"{h5}/h5/products/{product['id']}")
    phone.locator(".product-title", has_text=product["name"]).wait_for()
    badge = phone.locator(".cert-badge").inner_text()
    assert "绿色建材认证：有效" in badge and product["certificate"]["number"] in badge
    assert product["merchant"]["name"] in phone.locator(".product-detail").inner_text()
    assert "¥" in phone.locator(".price.big").inner_text()
    _shot(phone, "product")


def test_certificate_check_valid_and_unknown(phone, h5, h5_app):
    number = _api(h5_app, "/products?q=瓷砖&limit=1")["items"][0]["certificate"]["number"]
    phone.goto(f"{h5}/h5/certificates")
    phone.get_by_label("证书编号").fill(number.lower())
    phone.get_by_role("button", name="查验").click()
    verdict = phone.locator(".verdict.ok")
    verdict.wait_for()
    assert "真实有效" in verdict.inner_text() and number in verdict.inner_text()
    phone.goto(f"{h5}/h5/certificates/{quote('LB0000XX0000')}")
    bad = phone.locator(".verdict.bad")
    bad.wait_for()
    assert "查无此证书" in bad.inner_text() and "12315" in bad.inner_text()
    _shot(phone, "certificate-unknown")


def test_expo_poster_link_then_dev_login_register_and_ticket_qr(phone, h5, h5_app):
    expo = _api(h5_app, "/expos?when=upcoming")["items"][0]
    phone.goto(f"{h5}/h5/expos/{expo['id']}")
    phone.locator(".product-title", has_text=expo["title"]).wait_for()
    assert "展位" in phone.locator("text=参展商家").locator("..").inner_text()
    phone.get_by_role("button", name="我要报名").click()
    assert "开发模式" in phone.locator(".login-box").inner_text()
    phone.get_by_label("测试用户名").fill("h5-browser")
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url("**/h5/tickets/*")
    qr = phone.locator(".ticket-qr img")
    qr.wait_for()
    phone.wait_for_function("document.querySelector('.ticket-qr img').naturalWidth > 0")
    assert qr.get_attribute("src").startswith("blob:")
    assert expo["title"] in phone.locator(".ticket").inner_text()
    _shot(phone, "ticket")


def test_pages_pass_axe(phone, h5, h5_app):
    product = _api(h5_app, "/products?q=瓷砖&limit=1")["items"][0]
    expo = _api(h5_app, "/expos")["items"][0]
    pages = {"home": ("/h5/", ".category-grid .van-grid-item"),
             "products": ("/h5/products?q=瓷砖", ".product-card"),
             "product": (f"/h5/products/{product['id']}", ".product-title"),
             "certificate": (f"/h5/certificates/{product['certificate']['number']}",
                             "text=真实有效"),
             "expo": (f"/h5/expos/{expo['id']}", "text=报名")}
    found = {}
    for name, (path, ready) in pages.items():
        phone.goto(f"{h5}{path}")
        phone.locator(ready).first.wait_for()
        found[name] = _axe(phone)
    print("\naxe (WCAG 2.1 A/AA):", found)
    assert found == {name: [] for name in pages}, found


def test_a_repeat_visit_loads_little(phone, h5):
    def visit() -> tuple[int, int]:
        sizes = []
        listener = lambda request: sizes.append(request.sizes())  # noqa: E731
        phone.on("requestfinished", listener)
        phone.goto(f"{h5}/h5/", wait_until="networkidle")
        phone.locator(".category-grid .van-grid-item").first.wait_for()
        phone.remove_listener("requestfinished", listener)
        return len(sizes), sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes)

    first, repeat = visit(), visit()
    print(f"\nhome page: first visit {first[1]} bytes in {first[0]} requests, "
          f"repeat visit {repeat[1]} bytes in {repeat[0]} requests")
    assert repeat[1] < first[1] / 5  # versioned assets come from the cache
