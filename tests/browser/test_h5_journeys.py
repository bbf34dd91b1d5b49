"""The issue's two end-to-end journeys, as a villager does them and as the gate then sees it."""

from __future__ import annotations

import uuid
from datetime import timedelta

import PIL.Image
import zxingcpp

from app.core.db import utcnow
from app.expos.models import Expo
from app.extensions import db
from tests.browser.conftest import (
    PHONE,
    api_get,
    camera_browser,
    dev_login,
    fake_camera_video,
    shot,
)


def _decoded(page, locator, tmp_path) -> str:
    """The text of the QR code the page shows (as a screenshot of it, decoded by zxing-cpp)."""
    page.wait_for_function("el => el.complete && el.naturalWidth > 0", arg=locator.element_handle())
    path = tmp_path / f"qr-{uuid.uuid4().hex}.png"
    locator.screenshot(path=str(path))
    found = [r.text for r in zxingcpp.read_barcodes(PIL.Image.open(path))]
    assert len(found) == 1, found
    return found[0]


def _claimable_product(h5_app) -> tuple[dict, dict]:
    """A product the initials `cz` (瓷砖) find whose detail offers a coupon anyone may claim."""
    for item in api_get(h5_app, "/products?q=cz&limit=20")["items"]:
        detail = api_get(h5_app, f"/products/{item['id']}")
        for coupon in detail.get("coupons", []):
            if not coupon.get("expo_only") and coupon["remaining"] > 0:
                return item, coupon
    raise AssertionError("the demo data has no tile with a claimable coupon")


def test_sms_login_search_cz_claim_a_coupon_and_show_its_qr(phone, h5, h5_app, tmp_path):
    product, coupon = _claimable_product(h5_app)
    phone.goto(f"{h5}/h5/login?next=/h5/")
    phone.get_by_label("手机号", exact=True).fill("13600136000")
    phone.get_by_role("button", name="获取验证码").click()
    code = phone.locator(".dev-code").inner_text()
    assert phone.get_by_label("验证码", exact=True).input_value() == code
    phone.get_by_role("button", name="登录", exact=True).click()
    phone.wait_for_url(f"{h5}/h5/")

    phone.get_by_role("searchbox").fill("cz")
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/h5/products?q=cz*")
    phone.locator(".product-card", has_text=product["name"]).first.click()
    phone.locator(".product-title", has_text=product["name"]).wait_for()
    phone.get_by_role("button", name=f"领取 {coupon['title']}").click()
    phone.get_by_text("领取成功").wait_for()
    shot(phone, "journey-claimed")

    phone.get_by_text("查看我的优惠券").click()
    phone.wait_for_url("**/h5/me/coupons")
    qr = phone.locator(".coupon-qr img").first
    qr.wait_for()
    token = phone.evaluate("localStorage.getItem('lvjian.token')")
    mine = api_get(h5_app, "/me/coupons", token)["items"]
    assert [c["template_id"] for c in mine] == [coupon["id"]], mine
    assert _decoded(phone, qr, tmp_path) == mine[0]["code"]
    shot(phone, "journey-coupon-qr")


def test_a_ticket_qr_from_the_page_is_admitted_at_the_gate(phone, h5, h5_app, tmp_path):
    client = h5_app.test_client()
    staff = client.post("/api/v1/auth/login",
                        json={"username": "demo-staff", "password": "lvjian-demo"}).get_json()
    headers = {"Authorization": f"Bearer {staff['token']}"}
    expo_id = client.get("/api/v1/staff/expos", headers=headers).get_json()["items"][0]["id"]
    with h5_app.app_context():  # under way now, whatever the hour the suite runs at
        expo = db.session.get(Expo, expo_id)
        now = utcnow()
        expo.starts_at, expo.ends_at = now - timedelta(hours=1), now + timedelta(hours=6)
        expo.registration_opens_at = now - timedelta(days=1)
        expo.registration_closes_at = now + timedelta(hours=4)
        db.session.commit()
    expo = api_get(h5_app, f"/expos/{expo_id}")
    assert expo["registration_open"], expo

    dev_login(phone, h5, "journey-gate")
    phone.goto(f"{h5}/h5/expos/{expo['id']}")
    phone.get_by_role("button", name="我要报名").click()
    phone.wait_for_url("**/h5/tickets/*")
    code = _decoded(phone, phone.locator(".ticket-qr img").first, tmp_path)

    answer = client.post(f"/api/v1/expos/{expo['id']}/checkins", headers=headers,
                         json={"code": code, "nonce": uuid.uuid4().hex}).get_json()
    assert answer["result"] == "admitted", answer
    again = client.post(f"/api/v1/expos/{expo['id']}/checkins", headers=headers,
                        json={"code": code, "nonce": uuid.uuid4().hex}).get_json()
    assert again["result"] == "already_admitted", again


def test_a_certificate_qr_scanned_with_the_phone_camera_is_checked(browser, h5, h5_app, tmp_path):
    from app.integrations import qr

    number = next(p["certificate"]["number"] for p in api_get(h5_app, "/products?q=cz")["items"]
                  if p["certificate"] and p["certificate"]["status"] == "valid")
    video = tmp_path / "certificate.y4m"
    # what an issuer's QR may hold: a link to its own page about the certificate
    fake_camera_video(qr.png(f"https://cert.example.cn/verify?number={number.lower()}"), video)
    with camera_browser(browser, video) as camera:
        context = camera.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True,
                                     has_touch=True, permissions=["camera"])
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(f"{h5}/h5/certificates")
        page.get_by_role("button", name="扫证书上的二维码").click()
        page.wait_for_url(f"**/h5/certificates/{number}")
        verdict = page.locator(".verdict.ok")
        verdict.wait_for()
        assert "真实有效" in verdict.inner_text() and number in verdict.inner_text()
        context.close()
