"""The H5 storefront in a real browser, against its own live server seeded with the demo data."""

from __future__ import annotations

from urllib.parse import quote, urlparse

from tests.browser.conftest import api_get as _api
from tests.browser.conftest import axe_violations as _axe
from tests.browser.conftest import dev_login
from tests.browser.conftest import shot as _shot


def test_home_renders_theme_and_categories_from_this_server_only(phone, h5):
    hosts, sizes, paths = set(), [], []
    phone.on("request", lambda request: hosts.add(urlparse(request.url).hostname))
    phone.on("request", lambda request: paths.append(urlparse(request.url).path))
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
    print(f"\nhome page: {len(sizes)} requests, {transferred} bytes transferred: {paths}")
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


def test_expo_poster_link_then_sms_login_register_and_ticket_qr(phone, h5, h5_app):
    expo = _api(h5_app, "/expos?when=upcoming")["items"][0]
    phone.goto(f"{h5}/h5/expos/{expo['id']}")
    phone.locator(".product-title", has_text=expo["title"]).wait_for()
    assert "展位" in phone.locator("text=参展商家").locator("..").inner_text()
    phone.get_by_role("button", name="我要报名").click()
    box = phone.locator(".login-box")
    box.get_by_role("textbox", name="手机号").fill("13700137000")
    box.get_by_role("button", name="获取验证码").click()
    box.locator(".dev-code").wait_for()  # dev mode: shown and filled in
    box.get_by_role("button", name="登录", exact=True).click()
    phone.wait_for_url("**/h5/tickets/*")
    qr = phone.locator(".ticket-qr img")
    qr.wait_for()
    phone.wait_for_function("document.querySelector('.ticket-qr img').naturalWidth > 0")
    assert qr.get_attribute("src").startswith("blob:")
    assert expo["title"] in phone.locator(".ticket").inner_text()
    _shot(phone, "ticket")


def test_dev_username_login_stays_as_a_secondary_option(phone, h5):
    phone.goto(f"{h5}/h5/me")
    phone.locator("summary", has_text="开发模式").click()
    phone.get_by_label("测试用户名").fill("h5-browser")
    phone.get_by_role("button", name="测试用户名登录").click()
    phone.locator(".me-name", has_text="h5-browser").wait_for()


def _axe_pages(h5, h5_app, token) -> dict[str, tuple[str, str]]:
    """Every storefront page with something on it: name → (path, a selector it shows when ready)."""
    product = _api(h5_app, "/products?q=瓷砖&limit=1")["items"][0]
    expo = _api(h5_app, "/expos")["items"][0]
    tickets = _api(h5_app, "/me/tickets", token)["items"]
    complaints = _api(h5_app, "/me/complaints", token)["items"]
    program = (_api(h5_app, "/subsidy-programs", token).get("items") or [{}])[0].get("id", "")
    merchant, item = product["merchant"]["id"], product["id"]
    return {
        "home": ("/h5/", ".category-grid .van-grid-item"),
        "products": ("/h5/products?q=瓷砖&sort=price_asc", ".product-card"),
        "product": (f"/h5/products/{item}", ".product-title"),
        "certificates": ("/h5/certificates", "text=查验"),
        "certificate": (f"/h5/certificates/{product['certificate']['number']}", "text=真实有效"),
        "expos": ("/h5/expos", ".van-cell"),
        "expo": (f"/h5/expos/{expo['id']}", "text=报名"),
        "tickets": ("/h5/tickets", ".ticket-qr img"),
        "ticket": (f"/h5/tickets/{tickets[0]['id']}", ".ticket"),
        "me": ("/h5/me", ".me-name"),
        "notifications": ("/h5/me/notifications", "main .van-nav-bar"),
        "coupons": ("/h5/coupons", "main .van-nav-bar"),
        "my-coupons": ("/h5/me/coupons", "main .van-nav-bar"),
        "subsidies": ("/h5/subsidies", "main .van-nav-bar"),
        "subsidy-apply": (f"/h5/subsidies/apply?program={program}&product={item}"
                          f"&merchant={merchant}", "main .van-nav-bar"),
        "my-subsidies": ("/h5/me/subsidies", "main .van-nav-bar"),
        "complaint-new": (f"/h5/complaints/new?merchant={merchant}&product={item}",
                          "main .van-nav-bar"),
        "complaints": ("/h5/me/complaints", "main .van-nav-bar"),
        "complaint": (f"/h5/complaints/{complaints[0]['id']}" if complaints
                      else "/h5/complaints/1", "main .van-nav-bar"),
        "not-found": ("/h5/no-such-page", "text=页面不存在"),
    }


def _axe_page(page, base, path, ready) -> list[dict]:
    page.goto(f"{base}{path}")
    page.locator(ready).first.wait_for()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(200)  # the last answer's rendering
    return _axe(page)


def test_pages_pass_axe(phone, h5, h5_app):
    """Every page, logged out and logged in, in the normal and the care mode (关怀模式)."""
    found = {}
    for mode in ("normal", "care"):
        phone.goto(f"{h5}/h5/")
        phone.evaluate("m => { localStorage.clear(); if (m === 'care') "
                       "localStorage.setItem('lvjian.care', '1'); }", mode)
        for name, path, ready in (("login", "/h5/login?next=/h5/me", ".login-box"),
                                  ("me-logged-out", "/h5/me", ".login-box")):
            found[f"{mode}:{name}"] = _axe_page(phone, h5, path, ready)
        token = dev_login(phone, h5, "h5-axe")
        if mode == "normal":  # a ticket and a complaint to show
            auth = {"Authorization": f"Bearer {token}"}
            expo = _api(h5_app, "/expos?when=upcoming")["items"][0]
            merchant = _api(h5_app, "/products?limit=1")["items"][0]["merchant"]["id"]
            assert phone.request.post(f"{h5}/api/mp/v1/expos/{expo['id']}/registrations",
                                      headers=auth).ok
            assert phone.request.post(f"{h5}/api/mp/v1/complaints", headers=auth, data={
                "category": "quality", "description": "瓷砖有裂纹，商家不给换",
                "merchant_id": merchant}).ok
        for name, (path, ready) in _axe_pages(h5, h5_app, token).items():
            found[f"{mode}:{name}"] = _axe_page(phone, h5, path, ready)
        care = phone.evaluate("document.documentElement.classList.contains('care')")
        assert care == (mode == "care")
    print("\naxe (WCAG 2.1 A/AA):", {k: v for k, v in found.items() if v} or "no violations")
    assert found == {name: [] for name in found}, {k: v for k, v in found.items() if v}


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
