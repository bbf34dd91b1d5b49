"""The storefront's campaign pages in a real browser (issue 17): solution packages, cases,
home-visit bookings, zones and live sessions."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.zones.models import LiveReminder
from tests.browser.conftest import api_get as _api
from tests.browser.conftest import axe_violations as _axe
from tests.browser.conftest import dev_login as _login

ENERGY_PACKAGE = "农房节能改造套餐（约100㎡外墙）"


def _user_id(app, token) -> int:
    return _api(app, "/me", token)["id"]


def test_home_to_a_package_to_one_of_its_products(phone, h5, h5_app):
    phone.goto(f"{h5}/h5/")
    phone.locator(".campaign-links a", has_text="改造套餐").click()
    phone.wait_for_url("**/h5/packages")
    items = phone.locator(".package-item")
    items.first.wait_for()
    assert items.count() == len(_api(h5_app, "/packages")["items"]) == 2
    phone.locator(".package-item", has_text=ENERGY_PACKAGE).click()
    phone.locator(".product-title", has_text=ENERGY_PACKAGE).wait_for()
    assert "¥13800.00" in phone.locator(".package-head .price").inner_text()
    lines = phone.locator(".package-lines li")
    assert lines.count() == 3
    assert "数量：100㎡" in lines.filter(has_text="石墨聚苯板").inner_text()
    services = phone.locator(".package-services").inner_text()
    assert "免费上门测量" in services and "门窗安装与保温施工" in services
    assert "金水绿色建材店" in phone.locator("section", has_text="提供店铺").inner_text()
    assert phone.locator(".package-subsidy").inner_text().startswith("补贴估算")
    link = phone.locator(".package-lines a", has_text="断桥铝合金推拉窗")
    assert link.get_attribute("href").startswith("/h5/products/")
    link.click()
    phone.locator(".product-title", has_text="断桥铝合金推拉窗").wait_for()


def test_cases_nearest_first_then_a_case_and_its_product(phone, h5, h5_app):
    token = _login(phone, h5, "campaign-cases")
    response = h5_app.test_client().patch("/api/mp/v1/me", json={"region_code": "410122101202"},
                                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.get_json()
    phone.goto(f"{h5}/h5/")
    phone.locator(".campaign-links a", has_text="示范案例").click()
    items = phone.locator(".case-item")
    items.first.wait_for()
    assert items.count() == 3
    first = items.first.inner_text()
    assert "西街村" in first and "本村" in first  # the villager's own village first
    assert "官渡村" in items.nth(1).inner_text()  # then the same township
    items.nth(1).click()
    phone.locator(".product-title", has_text="官渡村农房节能改造示范工程").wait_for()
    facts = phone.locator(".case-facts").inner_text()
    assert "中牟县官渡镇官渡村" in facts and "农房" in facts
    assert phone.locator(".case-photo").count() >= 1
    assert phone.locator(".case-photo").first.evaluate("img => img.naturalWidth") > 0
    package = phone.locator(".case-packages a").first
    assert package.get_attribute("href").startswith("/h5/packages/")
    product = phone.locator(".case-products a").first
    name = product.inner_text().strip()
    product.click()
    phone.locator(".product-title", has_text=name).wait_for()


def test_book_a_home_visit_then_cancel_it(phone, h5, h5_app):
    phone.goto(f"{h5}/h5/services")
    offer = phone.locator(".offer[data-offer-id=\"1\"]")
    offer.locator(".offer-book").click()
    phone.locator(".booking-form .login-box").wait_for()  # logged out: log in first
    token = _login(phone, h5, "campaign-booker")
    phone.goto(f"{h5}/h5/")
    phone.locator(".campaign-links a", has_text="预约上门").click()
    phone.locator(".offer[data-offer-id=\"1\"]").locator(".offer-book").click()
    form = phone.locator(".booking-form")
    form.get_by_role("button", name="提交预约").click()
    assert "请填写详细地址" in form.inner_text()  # nothing sent yet
    assert _api(h5_app, "/me/bookings", token)["items"] == []
    form.get_by_label("上门地址").fill("中牟县官渡镇官渡村三组 12 号")
    form.get_by_label("联系电话").fill("13812345678")
    form.get_by_label("希望时间").fill("15:30")
    form.get_by_role("button", name="提交预约").click()
    phone.wait_for_url("**/h5/me/bookings")
    card = phone.locator(".booking").first
    card.wait_for()
    assert "待商家确认" in card.locator(".booking-status").inner_text()
    assert "15:30" in card.inner_text() and "中牟县官渡镇官渡村三组 12 号" in card.inner_text()
    [booking] = _api(h5_app, "/me/bookings", token)["items"]
    assert booking["offer_name"] == "免费上门测量" and booking["status"] == "requested"
    assert booking["preferred_at"].endswith("15:30:00+08:00")
    card.get_by_role("button", name="取消预约").click()
    phone.get_by_role("button", name="确定取消").click()
    card.locator(".booking-status", has_text="已取消").wait_for()
    assert card.get_by_role("button", name="取消预约").count() == 0
    assert _api(h5_app, f"/me/bookings/{booking['id']}", token)["status"] == "cancelled"
    phone.goto(f"{h5}/h5/me")
    phone.locator(".me-link", has_text="我的预约").click()
    phone.locator(".booking .booking-status", has_text="已取消").wait_for()


def test_a_live_session_now_and_a_reminder(phone, h5, h5_app):
    phone.goto(f"{h5}/h5/")
    phone.locator(".campaign-links a", has_text="专区直播").click()
    live = phone.locator(".live-item[data-state=live]")
    live.first.wait_for()
    assert "直播中" in live.first.inner_text()
    upcoming = phone.locator(".live-item[data-state=upcoming]")
    assert "即将开播" in upcoming.first.inner_text()
    assert phone.locator(".zone-item").count() == 1
    live.first.click()
    phone.locator(".live-state", has_text="直播中").wait_for()
    assert "正在直播" in phone.locator(".live-now").inner_text()
    assert phone.get_by_role("button", name="提醒我").count() == 0  # on now: nothing to remind
    phone.go_back()
    upcoming.first.click()
    phone.locator(".live-state", has_text="即将开播").wait_for()
    assert "19:30" in phone.locator(".live-head .facts").inner_text()  # China time, not UTC
    phone.get_by_role("button", name="提醒我").click()
    phone.locator(".login-box").wait_for()  # logged out: log in first
    token = _login(phone, h5, "campaign-reminder")
    session = next(s for s in _api(h5_app, "/live-sessions")["items"] if s["state"] == "upcoming")
    phone.goto(f"{h5}/h5/live/{session['id']}")
    phone.get_by_role("button", name="提醒我").click()
    phone.locator(".reminder-done", has_text="已设置提醒").wait_for()
    user = _user_id(h5_app, token)
    with h5_app.app_context():
        count = db.session.scalar(sa.select(sa.func.count()).select_from(LiveReminder).where(
            LiveReminder.session_id == session["id"], LiveReminder.user_id == user))
    assert count == 1


def test_zone_detail_links(phone, h5, h5_app):
    zone = _api(h5_app, "/zones")["items"][0]
    phone.goto(f"{h5}/h5/zones/{zone['id']}")
    phone.locator(".product-title", has_text=zone["title"]).wait_for()
    phone.locator("section", has_text="套餐").locator("a", has_text=ENERGY_PACKAGE).click()
    phone.locator(".product-title", has_text=ENERGY_PACKAGE).wait_for()


def test_campaign_pages_pass_axe(phone, h5, h5_app):
    """Each new page, logged in, in the normal and the care mode (关怀模式)."""
    package = _api(h5_app, "/packages")["items"][0]["id"]
    case = _api(h5_app, "/cases")["items"][0]["id"]
    zone = _api(h5_app, "/zones")["items"][0]["id"]
    live = next(s["id"] for s in _api(h5_app, "/live-sessions")["items"]
                if s["state"] == "upcoming")
    live_now = next(s["id"] for s in _api(h5_app, "/live-sessions")["items"]
                    if s["state"] == "live")
    pages = {
        "packages": ("/h5/packages", ".package-item"),
        "package": (f"/h5/packages/{package}", ".package-lines"),
        "cases": ("/h5/cases", ".case-item"),
        "case": (f"/h5/cases/{case}", ".case-facts"),
        "services": ("/h5/services", ".offer"),
        "my-bookings": ("/h5/me/bookings", ".booking"),
        "zones": ("/h5/zones", ".zone-item"),
        "zone": (f"/h5/zones/{zone}", ".product-title"),
        "live": (f"/h5/live/{live}", ".remind-button"),
        "live-now": (f"/h5/live/{live_now}", ".live-now"),
    }
    found = {}
    for mode in ("normal", "care"):
        phone.goto(f"{h5}/h5/")
        phone.evaluate("m => { localStorage.clear(); if (m === 'care') "
                       "localStorage.setItem('lvjian.care', '1'); }", mode)
        token = _login(phone, h5, f"campaign-axe-{mode}")
        response = h5_app.test_client().post(
            "/api/mp/v1/me/bookings", headers={"Authorization": f"Bearer {token}"},
            json={"offer_id": 1, "address": "中牟县官渡镇官渡村三组 12 号", "phone": "13812345678",
                  "preferred_at": "2099-01-01T09:00:00+08:00"})
        assert response.status_code == 201, response.get_json()
        for name, (path, ready) in pages.items():
            phone.goto(f"{h5}{path}")
            phone.locator(ready).first.wait_for()
            phone.wait_for_load_state("networkidle")
            found[f"{mode}:{name}"] = _axe(phone)
        # the booking form, open
        phone.goto(f"{h5}/h5/services")
        phone.locator(".offer-book").first.click()
        phone.locator(".booking-form form").wait_for()
        found[f"{mode}:booking-form"] = _axe(phone)
        assert phone.evaluate("document.documentElement.classList.contains('care')") == (
            mode == "care")
    print("\naxe (WCAG 2.1 A/AA):", found)
    assert found == {name: [] for name in found}, found
