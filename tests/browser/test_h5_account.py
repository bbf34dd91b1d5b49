"""The storefront's account side in a real browser: SMS login, the me page (masked ID, region),
care mode, filters, coupons, the waiting list, cancelling and the offline ticket."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import sqlalchemy as sa

from app.expos.models import Expo
from app.extensions import db
from tests.browser.conftest import PHONE
from tests.browser.conftest import api_get as _api
from tests.browser.conftest import dev_login as _dev_login
from tests.browser.conftest import shot as _shot

MP = "/api/mp/v1"


def _id_card(first17: str) -> str:
    """A valid 18-digit ID number (GB 11643 check digit) from its first 17 digits."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


def _register(page, base, token, expo_id) -> dict:
    answer = page.request.post(f"{base}{MP}/expos/{expo_id}/registrations",
                               headers={"Authorization": f"Bearer {token}"})
    assert answer.status in (200, 201), answer.text()
    return answer.json()["ticket"]


def _open_expo(h5_app) -> dict:
    """An upcoming expo whose registration window is open."""
    return next(e for e in _api(h5_app, "/expos?when=upcoming")["items"] if e["registration_open"])


def test_sms_login_lands_on_the_next_page(phone, h5):
    phone.goto(f"{h5}/h5/login?next=/h5/me/notifications")
    phone.get_by_label("手机号", exact=True).fill("1390013")
    phone.get_by_role("button", name="获取验证码").click()
    assert "11 位手机号" in phone.locator(".login-box").inner_text()
    phone.get_by_label("手机号", exact=True).fill("13900139001")
    phone.get_by_role("button", name="获取验证码").click()
    code = phone.locator(".dev-code")
    code.wait_for()
    dev_code = code.inner_text().strip()
    assert len(dev_code) == 6 and dev_code.isdigit()
    assert "139****9001" in phone.locator(".sent-note").inner_text()
    # the 60 s countdown keeps the button from sending again
    resend = phone.locator(".code-button")
    assert resend.is_disabled() and "秒后可重新获取" in resend.inner_text()
    # dev mode fills the code in; a wrong one first
    assert phone.get_by_label("验证码", exact=True).input_value() == dev_code
    phone.get_by_label("验证码", exact=True).fill("000000" if dev_code != "000000" else "111111")
    phone.get_by_role("button", name="登录", exact=True).click()
    phone.locator(".van-field__error-message", has_text="验证码不正确").wait_for()
    phone.get_by_label("验证码", exact=True).fill(dev_code)
    _shot(phone, "sms-login")
    phone.get_by_role("button", name="登录", exact=True).click()
    phone.wait_for_url("**/h5/me/notifications")
    phone.locator("text=暂时没有消息").wait_for()
    assert phone.evaluate("localStorage.getItem('lvjian.token')")


def test_login_page_refuses_to_send_elsewhere(phone, h5):
    phone.goto(f"{h5}/h5/login?next=//evil.example/h5/")
    phone.get_by_label("手机号", exact=True).fill("13900139002")
    phone.get_by_role("button", name="获取验证码").click()
    phone.locator(".dev-code").wait_for()
    phone.get_by_role("button", name="登录", exact=True).click()
    phone.wait_for_url(f"{h5}/h5/me")


def test_me_page_profile_with_masked_id_and_region_picker(phone, h5, h5_app):
    token = _dev_login(phone, h5, "acct-me")
    phone.goto(f"{h5}/h5/me")
    phone.locator(".me-name", has_text="acct-me").wait_for()
    for title in ("我的入场票", "我的优惠券", "我的补贴", "我的投诉", "消息通知"):
        assert phone.get_by_role("link", name=title).is_visible()
    id_no = _id_card("41010519800101123")
    phone.get_by_label("真实姓名", exact=True).fill("张秀英")
    phone.get_by_label("身份证号", exact=True).fill(id_no)
    phone.get_by_role("button", name="保存资料").click()
    phone.locator(".ok-text", has_text="已保存").wait_for()
    masked = phone.locator(".id-masked").inner_text()
    assert id_no[-4:] in masked and "*" in masked and id_no not in masked
    assert phone.get_by_label("身份证号", exact=True).input_value() == ""
    assert _api(h5_app, "/me", token)["id_card_no"] == masked.split("：")[1].strip()

    phone.get_by_role("button", name="选择所在地区").click()
    for name in ("河南省", "郑州市", "金水区", "经八路街道"):
        phone.locator(".van-cascader__option", has_text=name).first.click()
    phone.locator(".region-button", has_text="河南省 / 郑州市 / 金水区 / 经八路街道").wait_for()
    assert _api(h5_app, "/me", token)["region_code"] == "410105001"
    phone.reload()
    phone.locator(".region-button", has_text="河南省 / 郑州市 / 金水区 / 经八路街道").wait_for()
    _shot(phone, "me")


def test_care_mode_enlarges_text_and_targets_and_persists(phone, h5):
    phone.goto(f"{h5}/h5/")
    phone.locator(".category-grid .van-grid-item").first.wait_for()
    size = "() => parseFloat(getComputedStyle(document.body).fontSize)"
    assert phone.evaluate(size) == 17
    toggle = phone.get_by_role("button", name="关怀模式")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert phone.evaluate("document.documentElement.classList.contains('care')")
    assert phone.evaluate(size) >= 18
    phone.reload()
    phone.locator(".category-grid .van-grid-item").first.wait_for()
    assert phone.evaluate("document.documentElement.classList.contains('care')")
    assert phone.evaluate(size) >= 18
    assert phone.get_by_role("button", name="关怀模式").get_attribute("aria-pressed") == "true"
    # the smallest text and the smallest control on the page
    smallest_text = phone.evaluate("""() => Math.min(...[...document.querySelectorAll('main *')]
        .filter(e => e.offsetParent
                     && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
        .map(e => parseFloat(getComputedStyle(e).fontSize)))""")
    assert smallest_text >= 16, smallest_text
    phone.goto(f"{h5}/h5/me")
    phone.locator(".login-box").wait_for()
    heights = phone.evaluate("""() => [...document.querySelectorAll(
        'main button, main .van-button, main input, main summary, main [role=switch]')]
        .filter(e => e.offsetParent).map(e => e.closest('.van-field') || e)
        .map(e => [e.className || e.tagName, e.getBoundingClientRect().height])""")
    assert heights and [h for h in heights if h[1] < 48] == []
    switch = phone.get_by_role("switch", name="关怀模式")
    assert switch.get_attribute("aria-checked") == "true"
    _shot(phone, "care-me")
    switch.click()
    assert not phone.evaluate("document.documentElement.classList.contains('care')")
    assert phone.evaluate(size) == 17


def test_filters_and_sort_live_in_the_url_and_change_the_list(phone, h5, h5_app):
    phone.goto(f"{h5}/h5/products")
    phone.locator(".product-card").first.wait_for()
    menu = phone.locator(".van-dropdown-menu__item")
    menu.nth(3).click()
    phone.locator(".van-dropdown-item__option", has_text="价格从低到高").click()
    phone.wait_for_url("**/h5/products?sort=price_asc")
    cheapest = _api(h5_app, "/products?sort=price_asc&limit=6")["items"]
    phone.locator(".product-name", has_text=cheapest[0]["name"]).first.wait_for()
    assert phone.locator(".product-name").all_inner_texts()[:3] == [p["name"] for p in cheapest[:3]]

    menu.nth(0).click()
    phone.locator(".van-dropdown-item__option", has_text="涂料").click()
    phone.wait_for_url("**/h5/products?*category=coatings*")
    menu.nth(1).click()
    phone.locator(".van-dropdown-item__option", has_text="二星级及以上").click()
    phone.wait_for_url("**star=2*")
    menu.nth(2).click()
    phone.locator(".van-dropdown-item__option", has_text="100–500 元").click()
    phone.wait_for_url("**price=100-500*")
    query = parse_qs(urlparse(phone.url).query)
    assert query == {"sort": ["price_asc"], "category": ["coatings"], "star": ["2"],
                     "price": ["100-500"]}
    expected = _api(h5_app, "/products?sort=price_asc&category=coatings&star=2"
                            "&min_price_fen=10000&max_price_fen=50000&limit=6")["items"]
    assert expected, "the demo data has no coatings in that range"
    phone.locator(".product-name", has_text=expected[0]["name"]).first.wait_for()
    phone.locator(".van-list__finished-text").wait_for()
    names = phone.locator(".product-name").all_inner_texts()
    assert names[:len(expected)] == [p["name"] for p in expected]
    _shot(phone, "products-filtered")
    # the URL alone gives the same list: it can be shared
    phone.goto(phone.url)
    phone.locator(".product-name", has_text=expected[0]["name"]).first.wait_for()
    assert "已按条件筛选" in phone.locator("main").inner_text()
    phone.get_by_role("button", name="清除筛选").click()
    phone.wait_for_url("**/h5/products?sort=price_asc")


def test_product_detail_coupon_claim_and_links(phone, h5, h5_app):
    products = _api(h5_app, "/products?limit=100")["items"]
    detail = next(d for d in (_api(h5_app, f"/products/{p['id']}") for p in products
                              if p["promo_price_fen"] is not None)
                  if any(c["remaining"] and not c["expo_only"] for c in d["coupons"]))
    coupon = next(c for c in detail["coupons"] if not c["expo_only"])
    phone.goto(f"{h5}/h5/products/{detail['id']}")
    phone.locator(".product-title", has_text=detail["name"]).wait_for()
    text = phone.locator(".product-detail").inner_text()
    assert "促销价" in text and detail["promotions"][0]["title"] in text
    complain = phone.get_by_role("link", name="投诉此商品")
    assert complain.get_attribute("href") == (
        f"/h5/complaints/new?merchant={detail['merchant']['id']}&product={detail['id']}")
    # not logged in: log in (SMS) right there, then the coupon is claimed
    phone.get_by_role("button", name=f"领取 {coupon['title']}").click()
    box = phone.locator(".login-box")
    box.get_by_label("手机号", exact=True).fill("13900139003")
    box.get_by_role("button", name="获取验证码").click()
    phone.locator(".dev-code").wait_for()
    box.get_by_role("button", name="登录", exact=True).click()
    phone.locator(".claim-result", has_text="领取成功").wait_for()
    assert phone.get_by_role("button", name=f"领取 {coupon['title']}").is_disabled()
    _shot(phone, "product-coupon")
    # again after a reload: the per-person limit, said in Chinese
    phone.reload()
    phone.get_by_role("button", name=f"领取 {coupon['title']}").click()
    result = phone.locator(".claim-result")
    result.wait_for()
    token = phone.evaluate("localStorage.getItem('lvjian.token')")
    mine = _api(h5_app, "/me/coupons", token)["items"]
    assert len(mine) >= 1
    assert "领取成功" in result.inner_text() or "不能再领" in result.inner_text()
    phone.get_by_role("link", name="查看我的优惠券").click()
    phone.wait_for_url("**/h5/me/coupons")


def test_product_shows_the_subsidy_estimate_for_the_villagers_region(phone, h5, h5_app):
    product = next(p for p in _api(h5_app, "/products?category=coatings")["items"]
                   if p["eligible"])
    # logged out, no region: the page says what to do
    phone.goto(f"{h5}/h5/products/{product['id']}")
    phone.locator(".subsidy-hint", has_text="设置所在地区").wait_for()
    token = _dev_login(phone, h5, "acct-subsidy")
    assert phone.request.patch(f"{h5}{MP}/me", data={"region_code": "410105"},
                               headers={"Authorization": f"Bearer {token}"}).ok
    answer = _api(h5_app, f"/products/{product['id']}/subsidy-estimate", token)
    estimate = answer["estimate"]
    assert estimate, answer  # the demo's Jinshui programme covers coatings
    phone.goto(f"{h5}/h5/products/{product['id']}")
    card = phone.locator(".subsidy-card")
    card.wait_for()
    assert f"购买此商品预计可获补贴约 ¥{estimate['amount_fen'] / 100:.2f}" in card.inner_text()
    assert estimate["program_title"] in card.inner_text()
    link = card.get_by_role("link", name="购买后申请补贴")
    assert link.get_attribute("href") == (
        f"/h5/subsidies/apply?program={estimate['program_id']}&product={product['id']}"
        f"&merchant={product['merchant']['id']}")
    _shot(phone, "product-subsidy")


def test_a_full_expo_puts_the_villager_on_the_waiting_list(phone, h5, h5_app):
    expo = _open_expo(h5_app)
    _set_capacity(h5_app, expo["id"])
    try:
        _dev_login(phone, h5, "acct-waiting")
        phone.goto(f"{h5}/h5/expos/{expo['id']}")
        phone.locator(".product-title", has_text=expo["title"]).wait_for()
        assert "名额已满" in phone.locator(".register-card").inner_text()
        map_link = phone.get_by_role("link", name="在高德地图中查看位置和路线")
        href = map_link.get_attribute("href")
        assert href.startswith("https://uri.amap.com/marker?position=")
        assert f"{expo['longitude']},{expo['latitude']}" in href
        phone.get_by_role("button", name="报名候补").click()
        note = phone.locator(".waitlist-note")
        note.wait_for()
        assert "名额已满，您已进入候补，第 1 位" in note.inner_text()
        _shot(phone, "expo-waitlisted")
        phone.get_by_role("link", name="查看我的报名").click()
        phone.wait_for_url("**/h5/tickets/*")
        ticket = phone.locator(".ticket")
        ticket.wait_for()
        assert "候补中" in ticket.inner_text() and "第 1 位" in ticket.inner_text()
        assert phone.locator(".ticket-qr").count() == 0
    finally:
        _set_capacity(h5_app, expo["id"], expo["capacity"])


def test_cancel_a_ticket_after_confirming(phone, h5, h5_app):
    expo = _open_expo(h5_app)
    token = _dev_login(phone, h5, "acct-cancel")
    ticket = _register(phone, h5, token, expo["id"])
    phone.goto(f"{h5}/h5/tickets/{ticket['id']}")
    phone.locator(".ticket-qr img").wait_for()
    phone.get_by_role("button", name="取消报名").click()
    dialog = phone.get_by_role("dialog")
    dialog.wait_for()
    assert expo["title"] in dialog.inner_text()
    dialog.get_by_role("button", name="不取消").click()
    assert _api(h5_app, f"/tickets/{ticket['id']}", token)["status"] == "registered"
    phone.get_by_role("button", name="取消报名").click()
    phone.get_by_role("dialog").get_by_role("button", name="确定取消").click()
    phone.locator(".ok-text", has_text="已取消报名").wait_for()
    phone.locator(".ticket .van-tag", has_text="已取消").wait_for()
    assert phone.locator(".ticket-qr").count() == 0
    assert _api(h5_app, f"/tickets/{ticket['id']}", token)["status"] == "cancelled"


QR_SHOWN = "() => (document.querySelector('.ticket-qr img') || {}).naturalWidth > 0"
PERSONAL_SAVED = """async () => {
    const cache = await caches.open('lvjian-h5-personal-v1');
    const urls = (await cache.keys()).map(r => new URL(r.url).pathname);
    const shell = await (await caches.open('lvjian-h5-shell-v1')).keys();
    return navigator.serviceWorker.controller !== null && shell.length > 0
        && urls.includes('/api/mp/v1/me/tickets')
        && urls.some(u => u.endsWith('/qr.svg'));
}"""


def _wait_until_saved(page, seconds=10.0):
    """The worker has taken over and kept the shell, the tickets and a QR code."""
    for _ in range(int(seconds / 0.2)):
        if page.evaluate(PERSONAL_SAVED):  # evaluate awaits the promise; wait_for_function not
            return
        page.wait_for_timeout(200)
    raise AssertionError("the service worker did not keep the tickets")


def test_tickets_show_offline_after_one_online_visit_and_logout_forgets_them(browser, h5, h5_app):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10000)
    try:
        expo = _open_expo(h5_app)
        token = _dev_login(page, h5, "acct-offline")
        ticket = _register(page, h5, token, expo["id"])
        page.goto(f"{h5}/h5/tickets")
        page.locator(".ticket-qr img").wait_for()
        _wait_until_saved(page)
        assert page.locator(".offline-note").count() == 0

        context.set_offline(True)
        for path in ("/h5/tickets", f"/h5/tickets/{ticket['id']}"):
            if path == "/h5/tickets":
                page.reload()
            else:
                page.goto(f"{h5}{path}")
            page.locator(".ticket", has_text=expo["title"]).wait_for()
            page.wait_for_function(QR_SHOWN)
            assert "离线显示" in page.locator(".offline-note").inner_text()
        _shot(page, "ticket-offline")

        context.set_offline(False)
        page.goto(f"{h5}/h5/me")
        page.get_by_role("button", name="退出登录").click()
        page.wait_for_url(f"{h5}/h5/")
        assert page.evaluate("localStorage.getItem('lvjian.token')") is None
        assert page.evaluate("""async () => (await caches.keys()).includes('lvjian-h5-personal-v1')
            ? (await (await caches.open('lvjian-h5-personal-v1')).keys()).length : 0""") == 0
        assert page.request.get(f"{h5}{MP}/me/tickets",
                                headers={"Authorization": f"Bearer {token}"}).status == 401
    finally:
        context.close()


def _set_capacity(h5_app, expo_id, capacity=None, *, spare=0):
    """Set the expo's capacity, or make it the seats taken plus `spare`."""
    with h5_app.app_context():
        value = capacity if capacity is not None else Expo.registered_count + spare
        db.session.execute(sa.update(Expo).where(Expo.id == expo_id).values(capacity=value))
        db.session.commit()


def test_notifications_list_a_waiting_list_promotion(phone, h5, h5_app):
    expo = _open_expo(h5_app)
    _set_capacity(h5_app, expo["id"], spare=1)
    try:
        holder = _dev_login(phone, h5, "acct-holder")
        seat = _register(phone, h5, holder, expo["id"])
        assert seat["status"] == "registered"
        waiting = _dev_login(phone, h5, "acct-promoted")
        queued = _register(phone, h5, waiting, expo["id"])
        assert queued["status"] == "waitlisted"
        assert phone.request.delete(f"{h5}{MP}/tickets/{seat['id']}",
                                    headers={"Authorization": f"Bearer {holder}"}).ok
    finally:
        _set_capacity(h5_app, expo["id"], expo["capacity"])
    phone.goto(f"{h5}/h5/me/notifications")
    notice = phone.locator(".notice", has_text="候补成功")
    notice.wait_for()
    assert expo["title"] in notice.inner_text()
    notice.get_by_role("link", name="查看详情").click()
    phone.wait_for_url(f"**/h5/tickets/{queued['id']}")
    phone.locator(".ticket-qr img").wait_for()
