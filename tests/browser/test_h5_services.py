"""The storefront's coupon, subsidy and complaint pages in a real browser (issue 13)."""

from __future__ import annotations

from datetime import date

import PIL.Image
import pytest
import sqlalchemy as sa
import zxingcpp

from app.catalog.eligibility import today
from app.extensions import db
from app.integrations import storage
from app.promotions.models import CouponTemplate
from app.subsidies.demo import SHOP, TITLE, demo_id_number
from app.uploads.models import Upload
from tests.browser.conftest import api_get as _api
from tests.browser.conftest import axe_violations as _axe
from tests.browser.conftest import dev_login as _login
from tests.browser.conftest import shot as _shot


def _send(app, method, path, body=None, token=None):
    """A write through the app's own API (/api/... path), answering (status, JSON)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = app.test_client().open(path, method=method, json=body, headers=headers)
    return response.status_code, response.get_json()


def _villager(app, name, *, profile=None):
    """Dev villager `name`'s token, with a profile (real name, ID, residence) when given."""
    _, answer = _send(app, "POST", "/api/mp/v1/auth/wechat-login", {"code": f"dev-{name}"})
    if profile:
        status, body = _send(app, "PATCH", "/api/mp/v1/me", profile, answer["token"])
        assert status == 200, body
    return answer["token"]


def _resident(seq: int) -> dict:
    """A fictional resident of 金水区, where the demo subsidy programme is open."""
    return {"real_name": "赵春梅", "id_card_no": demo_id_number(date(1966, 5, 20), seq),
            "region_code": "410105"}


def _officer(app):
    _, answer = _send(app, "POST", "/api/v1/auth/login",
                      {"username": "demo-admin", "password": "lvjian-demo"})
    return answer["token"]


def _jpeg(path, size, quality=95) -> int:
    """A noisy photo (noise defeats JPEG, like a real camera's detail); returns its bytes."""
    bands = [PIL.Image.effect_noise(size, 60 + 10 * i) for i in range(3)]
    PIL.Image.merge("RGB", bands).save(path, "JPEG", quality=quality)
    return path.stat().st_size


def _template(app, shop_name, title):
    return next(t for t in _api(app, "/coupons?limit=100")["items"]
                if t["merchant"]["name"] == shop_name and t["title"] == title)


def _demo_product(app, query, shop=SHOP):
    return next(p for p in _api(app, f"/products?q={query}&limit=50")["items"]
                if p["merchant"]["name"] == shop and query in p["name"])


def _record_uploads(app) -> list[int]:
    """The body size of every POST /api/mp/v1/uploads the server receives from now on (the
    browser does not report multipart bodies). Stays for the module's app: harmless."""
    sizes: list[int] = []
    inner = app.wsgi_app

    def recording(environ, start_response):
        if environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"] == "/api/mp/v1/uploads":
            sizes.append(int(environ.get("CONTENT_LENGTH") or 0))
        return inner(environ, start_response)

    app.wsgi_app = recording
    return sizes


def _console(phone):
    """Print the page's console errors and crashes (a blank page says nothing otherwise)."""
    phone.on("console", lambda m: m.type == "error" and print("console:", m.text))
    phone.on("pageerror", lambda e: print("page error:", e))


# --- coupons -------------------------------------------------------------------------------

def test_claim_a_coupon_then_show_its_qr_at_the_till(phone, h5, h5_app, tmp_path):
    _console(phone)
    template = _template(h5_app, SHOP, "满1000减100")
    token = _login(phone, h5, "svc-coupon")
    phone.goto(f"{h5}/h5/coupons?merchant={template['shop_id']}")
    card = phone.locator(".coupon", has_text=template["title"])
    card.wait_for()
    assert phone.locator(".van-nav-bar__title").inner_text() == "本店优惠券"
    assert all(SHOP in text for text in phone.locator(".coupon").all_inner_texts())
    assert f"还剩 {template['remaining']} 张" in card.inner_text()
    assert "满¥1000减¥100 · 全店通用" in card.inner_text()
    card.get_by_role("button", name=f"立即领取 {SHOP} {template['title']}").click()
    card.locator(".coupon-note", has_text="领取成功").wait_for()
    assert f"还剩 {template['remaining'] - 1} 张" in card.inner_text()
    # one per person: a second tap is refused in words
    card.get_by_role("button", name=f"立即领取 {SHOP} {template['title']}").click()
    card.locator(".coupon-note", has_text="您已领过这张券，不能再领了").wait_for()
    _shot(phone, "coupons")

    mine = _api(h5_app, "/me/coupons?status=unused", token)["items"]
    assert [c["template_id"] for c in mine] == [template["id"]]
    code = mine[0]["code"]

    phone.goto(f"{h5}/h5/me/coupons")
    coupon = phone.locator(".my-coupon", has_text=template["title"])
    coupon.wait_for()
    assert phone.get_by_role("tab", name="未使用").get_attribute("aria-selected") == "true"
    assert "未使用" in coupon.inner_text() and SHOP in coupon.inner_text()
    assert coupon.locator(".coupon-code").inner_text() == code
    qr = coupon.locator(".coupon-qr img")
    qr.wait_for()
    phone.wait_for_function("document.querySelector('.coupon-qr img').naturalWidth > 0")
    assert qr.get_attribute("src").startswith("blob:")
    box = qr.bounding_box()
    assert box["width"] >= 250, "the QR code should be large enough for a till scanner"
    qr.screenshot(path=str(tmp_path / "qr.png"))
    decoded = [r.text for r in zxingcpp.read_barcodes(PIL.Image.open(tmp_path / "qr.png"))]
    assert decoded == [code]
    _shot(phone, "my-coupons")

    phone.get_by_role("tab", name="已使用").click()
    phone.locator(".van-empty", has_text="还没有用过优惠券").wait_for()


def test_a_sold_out_coupon_says_so_after_logging_in(phone, h5, h5_app):
    _console(phone)
    template = _template(h5_app, "新郑市龙湖建材家居馆", "满1000减100")
    phone.goto(f"{h5}/h5/coupons")
    card = phone.locator(".coupon", has_text=template["merchant"]["name"]).filter(
        has_text=template["title"])
    card.wait_for()
    assert "立即领取" in card.inner_text()
    # Others claim the last one while the villager reads the page.
    with h5_app.app_context():
        row = db.session.get(CouponTemplate, template["id"])
        row.claimed_count = row.total_quantity
        db.session.commit()
    shop = template["merchant"]["name"]
    card.get_by_role("button", name=f"立即领取 {shop} {template['title']}").click()
    login = phone.locator(".login-box")
    login.wait_for()
    login.locator("summary").click()  # the dev-mode login (SMS login is the real one)
    phone.get_by_label("测试用户名").fill("svc-soldout")
    phone.get_by_role("button", name="测试用户名登录").click()
    card.locator(".coupon-note", has_text="优惠券已领完").wait_for()  # the claim was retried
    assert "已领完" in card.get_by_role("button").inner_text()
    assert card.get_by_role("button").is_disabled()
    token = phone.evaluate("localStorage.getItem('lvjian.token')")
    assert _api(h5_app, "/me/coupons", token)["items"] == []
    phone.reload()
    card.wait_for()
    assert "已领完" in card.locator(".coupon-left").inner_text()
    assert card.get_by_role("button").is_disabled()


# --- subsidies -----------------------------------------------------------------------------

def test_apply_for_a_subsidy_with_a_compressed_invoice_photo(phone, h5, h5_app, tmp_path):
    _console(phone)
    token = _villager(h5_app, "svc-subsidy", profile=_resident(71))
    door = _demo_product(h5_app, "入户门")
    original = tmp_path / "invoice.jpg"
    original_bytes = _jpeg(original, (3000, 2000))
    uploads = _record_uploads(h5_app)
    _login(phone, h5, "svc-subsidy")

    phone.goto(f"{h5}/h5/subsidies")
    programme = phone.locator(".program", has_text=TITLE)
    programme.wait_for()
    assert "剩余额度" in programme.inner_text() and "按实付金额的 15%" in programme.inner_text()
    programme.get_by_role("link", name="申请这项补贴").click()
    phone.wait_for_url("**/h5/subsidies/apply?program=*")
    assert phone.get_by_label("补贴项目").locator("option:checked").inner_text() == TITLE

    phone.get_by_label("搜索商品名称").fill("入户门")
    phone.get_by_role("button", name="搜索").click()
    phone.locator(".pick-item", has_text=door["name"]).filter(has_text=SHOP).first.click()
    assert f"商家：{SHOP}" in phone.locator(".chosen-product").inner_text()
    phone.get_by_label("实付金额（元）").fill("2680")
    phone.get_by_label("发票号码").fill("2641 0000 9876")
    assert phone.get_by_label("购买日期").input_value()  # today, China time
    phone.locator("input[type=file]").set_input_files(str(original))
    phone.locator(".photo-state", has_text="已上传").wait_for(timeout=20000)
    assert "预计可补贴约 ¥402.00" in phone.locator(".services-form").inner_text()
    _shot(phone, "subsidy-apply")
    phone.get_by_role("button", name="提交申请").click()

    phone.wait_for_url("**/h5/me/subsidies")
    claim = phone.locator(".claim", has_text="2641 0000 9876")
    claim.wait_for()
    text = claim.inner_text()
    assert "已预留" in text and "¥402.00" in text and "提交申请，预留补贴资金" in text
    assert "本人" in claim.locator(".timeline").inner_text()
    claim.locator(".facts", has_text=f"{door['name']}（{SHOP}）").wait_for()
    _shot(phone, "my-subsidies")

    [mine] = _api(h5_app, "/me/subsidy-claims", token)["items"]
    assert (mine["status"], mine["amount_fen"]) == ("reserved", 40200)
    assert mine["product_id"] == door["id"]
    assert [h["status"] for h in mine["history"]] == ["reserved"]
    assert mine["invoice_photo_url"]
    # Compressed in the browser: fewer bytes sent, and no more than 1600 px on its longest side
    # (the server alone would keep 2560).
    print(f"\ninvoice photo: {original_bytes} bytes picked, {uploads} bytes sent")
    assert len(uploads) == 1 and 0 < uploads[0] < original_bytes / 3, (uploads, original_bytes)
    with h5_app.app_context():
        upload = db.session.scalar(sa.select(Upload).where(Upload.subsidy_claim_id == mine["id"]))
        stored = PIL.Image.open(storage.path_for(upload.url))
        assert max(stored.size) == 1600 and stored.size[1] in (1066, 1067)

    # The same invoice again, from the product page's link with everything preset: refused.
    small = tmp_path / "small.jpg"
    _jpeg(small, (800, 600))
    phone.goto(f"{h5}/h5/subsidies/apply?program={mine['program_id']}&product={door['id']}"
               f"&merchant={door['merchant']['id']}")
    phone.locator(".chosen-product", has_text=door["name"]).wait_for()
    phone.get_by_label("实付金额（元）").fill("2680")
    phone.get_by_label("发票号码").fill("26410000-9876")
    phone.locator("input[type=file]").set_input_files(str(small))
    phone.locator(".photo-state", has_text="已上传").wait_for()
    phone.get_by_role("button", name="提交申请").click()
    refusal = phone.locator(".refusal")
    refusal.wait_for()
    assert "这张发票已经申请过补贴" in refusal.inner_text()
    assert len(_api(h5_app, "/me/subsidy-claims", token)["items"]) == 1


def test_a_subsidy_refusal_is_explained(phone, h5, h5_app, tmp_path):
    """No real name yet: not_eligible, with the reason and the way to fix it."""
    _console(phone)
    door = _demo_product(h5_app, "入户门")
    token = _villager(h5_app, "svc-noprofile", profile={"region_code": "410105"})
    program = _api(h5_app, "/subsidy-programs", token)["items"][0]
    photo = tmp_path / "p.jpg"
    _jpeg(photo, (600, 400))
    _login(phone, h5, "svc-noprofile")
    phone.goto(f"{h5}/h5/subsidies/apply?program={program['id']}&product={door['id']}")
    phone.locator(".chosen-product", has_text=door["name"]).wait_for()
    phone.get_by_role("button", name="提交申请").click()
    assert "请填写实付金额" in phone.locator(".services-form").inner_text()
    assert "请拍摄或选择发票照片" in phone.locator(".services-form").inner_text()
    phone.get_by_label("实付金额（元）").fill("１２００")  # full-width digits, as Chinese IMEs type
    phone.get_by_label("发票号码").fill("NO-12345678")
    phone.locator("input[type=file]").set_input_files(str(photo))
    phone.locator(".photo-state", has_text="已上传").wait_for()
    phone.get_by_role("button", name="提交申请").click()
    refusal = phone.locator(".refusal")
    refusal.wait_for()
    assert "不符合补贴条件：请先完善实名信息" in refusal.inner_text()
    assert refusal.get_by_role("link", name="去完善实名信息 ›").is_visible()
    assert _api(h5_app, "/me/subsidy-claims", token)["items"] == []


# --- complaints ----------------------------------------------------------------------------

def test_file_a_complaint_with_photos_then_rate_and_reopen(phone, h5, h5_app, tmp_path):
    _console(phone)
    product = _demo_product(h5_app, "乳胶漆")
    photos = [tmp_path / "a.jpg", tmp_path / "b.jpg"]
    for path in photos:
        _jpeg(path, (2400, 1800))
    token = _login(phone, h5, "svc-complaint")
    phone.goto(f"{h5}/h5/complaints/new?product={product['id']}")
    phone.locator(".notice", has_text=product["name"]).wait_for()
    assert phone.get_by_label("产品质量").is_checked()  # preset from the product link
    phone.get_by_label("问题经过").fill("刷墙三天后漆面大面积起皮脱落，商家不给退换。")
    phone.get_by_label("联系电话（选填）").fill("138 0013 8000")
    phone.locator("input[type=file]").set_input_files([str(p) for p in photos])
    phone.locator(".photo-state", has_text="已上传").nth(1).wait_for(timeout=20000)
    assert phone.locator(".photo-item").count() == 2
    _shot(phone, "complaint-new")
    phone.get_by_role("button", name="提交投诉").click()

    phone.wait_for_url("**/h5/complaints/*?new=1")
    banner = phone.locator(".notice.ok")
    banner.wait_for()
    [filed] = _api(h5_app, "/me/complaints", token)["items"]
    assert filed["tracking_no"] in banner.inner_text()
    assert len(filed["photos"]) == 2 and filed["status"] == "submitted"
    assert filed["merchant_id"] == product["merchant"]["id"] and filed["phone"].startswith("138")
    assert phone.locator(".complaint-detail .photo-item img").count() == 2
    timeline = phone.locator(".timeline")
    assert "提交投诉 → 已提交" in timeline.inner_text() and "本人" in timeline.inner_text()
    assert "已提交" in phone.locator(".complaint-detail .van-tag").inner_text()
    _shot(phone, "complaint-filed")

    # The officer accepts and resolves it.
    officer = _officer(h5_app)
    for action, note in (("accept", None), ("resolve", "经调解，商家同意免费重新施工。")):
        status, body = _send(h5_app, "POST", f"/api/v1/admin/complaints/{filed['id']}/transitions",
                             {"action": action, "note": note}, officer)
        assert status == 200, body
    phone.goto(f"{h5}/h5/complaints/{filed['id']}")
    phone.locator(".rate-box").wait_for()
    assert "已办结" in phone.locator(".complaint-detail .van-tag").inner_text()
    assert "经调解，商家同意免费重新施工。" in timeline.inner_text()
    phone.get_by_role("button", name="提交评价").click()
    phone.locator(".rate-box .field-error", has_text="请先选择满意程度").wait_for()
    phone.get_by_label("4 星 · 满意").check()
    _shot(phone, "complaint-rate")
    phone.get_by_role("button", name="提交评价").click()
    phone.locator(".complaint-detail .van-tag", has_text="已关闭").wait_for()
    assert "4 星（满意）" in phone.locator(".facts").inner_text()
    assert phone.locator(".rate-box").count() == 0
    after = _api(h5_app, f"/complaints/{filed['id']}", token)
    assert (after["status"], after["satisfaction"]) == ("closed", 4)

    # Not satisfied after all: reopened within 15 days.
    phone.get_by_role("button", name="重新打开投诉").click()
    phone.get_by_label("不满意的原因").fill("重新施工后又起皮了")
    phone.get_by_role("button", name="确认重新打开").click()
    phone.locator(".complaint-detail .van-tag", has_text="已受理").wait_for()
    assert "重新打开 → 已受理" in timeline.inner_text()
    assert _api(h5_app, f"/complaints/{filed['id']}", token)["status"] == "accepted"

    phone.goto(f"{h5}/h5/me/complaints")
    item = phone.locator(".complaint-item", has_text=filed["tracking_no"])
    item.wait_for()
    assert "产品质量" in item.inner_text() and "已受理" in item.inner_text()
    item.click()
    phone.wait_for_url(f"**/h5/complaints/{filed['id']}")


def test_a_complaint_without_merchant_asks_for_the_county(phone, h5, h5_app):
    _console(phone)
    token = _login(phone, h5, "svc-region")
    phone.goto(f"{h5}/h5/complaints/new")
    phone.get_by_label("展会组织").check()
    phone.get_by_label("问题经过").fill("展会现场没有指示牌，老人找不到入口。")
    phone.get_by_role("button", name="提交投诉").click()
    phone.locator(".field-error", has_text="请选择您所在的县（区）").wait_for()
    phone.locator("#region-0 option").nth(1).wait_for(state="attached")
    assert _axe(phone) == []
    phone.get_by_label("省份").select_option(label="河南省")
    phone.get_by_label("城市").select_option(label="郑州市")
    phone.get_by_label("县（区）").select_option(label="金水区")
    phone.get_by_role("button", name="提交投诉").click()
    phone.wait_for_url("**/h5/complaints/*?new=1")
    [filed] = _api(h5_app, "/me/complaints", token)["items"]
    assert (filed["region_code"], filed["category"]) == ("410105", "expo_organisation")


# --- accessibility -------------------------------------------------------------------------

@pytest.fixture
def busy_villager(h5_app):
    """A villager with a coupon, a subsidy claim and a resolved complaint (seen through the API)."""
    token = _villager(h5_app, "svc-axe", profile=_resident(72))
    template = _template(h5_app, SHOP, "满1000减100")
    assert _send(h5_app, "POST", f"/api/mp/v1/coupons/{template['id']}/claim", {}, token)[0] == 201
    door = _demo_product(h5_app, "入户门")
    program = _api(h5_app, "/subsidy-programs", token)["items"][0]
    status, body = _send(h5_app, "POST", "/api/mp/v1/subsidy-claims", {
        "program_id": program["id"], "merchant_id": door["merchant"]["id"],
        "product_id": door["id"], "price_paid_fen": 100_000, "invoice_no": "AXE-0001-2026",
        "purchase_date": today().isoformat()}, token)
    assert status == 201, body
    status, body = _send(h5_app, "POST", "/api/mp/v1/complaints", {
        "category": "price", "description": "标价和结账价格不一致。",
        "merchant_id": door["merchant"]["id"]}, token)
    assert status == 201, body
    complaint = body["complaint"]["id"]
    officer = _officer(h5_app)
    for action, note in (("accept", None), ("resolve", "已退还差价")):
        _send(h5_app, "POST", f"/api/v1/admin/complaints/{complaint}/transitions",
              {"action": action, "note": note}, officer)
    return {"complaint": complaint, "program": program["id"], "product": door["id"]}


def test_services_pages_pass_axe(phone, h5, h5_app, busy_villager):
    _console(phone)
    _login(phone, h5, "svc-axe")
    program = busy_villager["program"]
    pages = {
        "coupons": ("/h5/coupons", ".coupon"),
        "my-coupons": ("/h5/me/coupons", ".coupon-qr img"),
        "subsidies": ("/h5/subsidies", ".program"),
        "subsidy-apply": (f"/h5/subsidies/apply?program={program}", "#apply-search"),
        "subsidy-apply-preset": (f"/h5/subsidies/apply?program={program}"
                                 f"&product={busy_villager['product']}", ".chosen-product"),
        "my-subsidies": ("/h5/me/subsidies", ".claim .timeline"),
        "complaint-new": ("/h5/complaints/new", ".choice-group"),
        "complaints": ("/h5/me/complaints", ".complaint-item"),
        "complaint": (f"/h5/complaints/{busy_villager['complaint']}", ".rate-box"),
    }
    found = {}
    for name, (path, ready) in pages.items():
        phone.goto(f"{h5}{path}")
        phone.locator(ready).first.wait_for(state="attached")
        found[name] = _axe(phone)
    print("\naxe (WCAG 2.1 A/AA):", found)
    assert found == {name: [] for name in pages}, found
