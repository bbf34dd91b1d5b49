"""The merchant console in a real browser: log in, the till on a phone, coupons, products with
photos, complaints, exports, and the axe check, against a live server with the demo campaign."""

from __future__ import annotations

import csv
import io
import re

from PIL import Image

from tests.browser.conftest import (
    PHONE,
    camera_browser,
    console_token,
    fake_camera_video,
    signed_in,
)
from tests.browser.conftest import axe_violations as _axe
from tests.browser.conftest import console_api as _api
from tests.browser.conftest import shot as _shot
from tests.browser.conftest import villager_token as _villager

CONSOLE = "/console/merchant"
TOKEN_KEY = "lvjian.console.token"


# ---- helpers ------------------------------------------------------------------------------

def _console_token(app, username: str = "demo-merchant") -> str:
    return console_token(app, username)


def _claim(app, villager: str, title: str) -> str:
    """A villager claims the demo shop's coupon `title`; its code, as the QR carries it."""
    return _claimed(app, villager, title)["code"]


def _claimed(app, villager: str, title: str) -> dict:
    merchant = _api(app, "GET", "/api/v1/merchant/shop", _console_token(app))
    templates = _api(app, "GET", f"/api/mp/v1/coupons?merchant={merchant['id']}&limit=100",
                     _villager(app, villager))["items"]
    template = next(t for t in templates if t["title"] == title)
    claimed = _api(app, "POST", f"/api/mp/v1/coupons/{template['id']}/claim",
                   _villager(app, villager))
    return claimed["coupon"]


def _signed_in(page, base: str, app, path: str) -> None:
    signed_in(page, base, app, CONSOLE, TOKEN_KEY, path, "demo-merchant")


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (31, 122, 77)).save(buffer, "JPEG")
    return buffer.getvalue()


# ---- journeys ------------------------------------------------------------------------------

def test_log_in_lands_on_the_till_with_the_shop_and_menu(desk, h5):
    desk.goto(f"{h5}{CONSOLE}/coupons")
    desk.wait_for_url(f"**{CONSOLE}/login?next=*")
    desk.get_by_label("用户名", exact=True).fill("demo-merchant")
    desk.get_by_label("密码", exact=True).fill("wrong-password")
    desk.locator("form").get_by_role("button", name="登录").click()
    desk.get_by_role("alert").filter(has_text="用户名或密码不正确").wait_for()
    desk.get_by_label("密码", exact=True).fill("lvjian-demo")
    desk.locator("form").get_by_role("button", name="登录").click()
    desk.wait_for_url(f"**{CONSOLE}/coupons")  # back where the link pointed
    desk.get_by_role("heading", name="优惠券").wait_for()
    assert "金水绿色建材店" in desk.locator(".topbar").inner_text()
    menu = desk.get_by_role("navigation", name="主菜单")
    for item in ("收银核销", "核销记录", "商品", "促销活动", "优惠券", "投诉处理", "展会展位",
                 "员工"):
        assert menu.get_by_role("link", name=item, exact=True).is_visible()
    menu.get_by_role("link", name="收银核销").click()
    desk.wait_for_url(f"**{CONSOLE}/till")
    desk.get_by_role("heading", name="收银核销").wait_for()
    _shot(desk, "merchant-till-desktop")
    desk.get_by_role("button", name="退出登录").click()
    desk.wait_for_url(f"**{CONSOLE}/login")
    assert desk.evaluate(f"localStorage.getItem('{TOKEN_KEY}')") is None


def test_the_till_on_a_phone_redeems_refuses_a_second_time_and_history_reverses(
        phone, desk, h5, h5_app):
    code = _claim(h5_app, "till-villager", "满1000减100")
    _signed_in(phone, h5, h5_app, "/till")
    till = phone.get_by_label("顾客的优惠券码")
    till.wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing off-screen
    # a keyboard-wedge scanner types the code and Enter into the focused field
    till.press_sequentially(code, delay=5)
    till.press("Enter")
    amount = phone.get_by_label("订单金额（元，促销价计）")
    assert amount.evaluate("el => el === document.activeElement")
    amount.fill("1280")
    shown = phone.locator(".till-preview")  # before redeeming: the discount and what to pay
    shown.wait_for()
    assert "优惠 ¥100.00" in shown.inner_text() and "¥1180.00" in shown.inner_text()
    phone.get_by_role("button", name="核销", exact=True).click()
    receipt = phone.locator(".receipt.ok")
    receipt.wait_for()
    text = receipt.inner_text()
    assert "核销成功" in text and "¥1280.00" in text and "¥100.00" in text
    assert receipt.locator(".pay").inner_text() == "¥1180.00"
    _shot(phone, "merchant-till-redeemed")

    phone.get_by_role("button", name="下一位顾客").click()
    till.fill(code)
    amount.fill("1280")
    phone.get_by_role("button", name="核销", exact=True).click()
    refused = phone.locator(".receipt.refused")
    refused.wait_for()
    assert "该优惠券已使用" in refused.inner_text()
    _shot(phone, "merchant-till-refused")

    # the history, on the phone too: the redemption, reversed by the owner within 30 minutes
    phone.goto(f"{h5}{CONSOLE}/redemptions")
    row = phone.locator("tr[data-redemption]").first
    row.wait_for()
    assert "¥1180.00" in row.inner_text() and "已核销" in row.inner_text()
    row.get_by_role("button", name="撤销").click()
    phone.get_by_label("撤销原因").fill("顾客改买其他商品")
    phone.get_by_role("button", name="确认撤销").click()
    phone.locator("tr[data-redemption]").first.filter(has_text="已撤销").wait_for()
    redemption_id = row.get_attribute("data-redemption")

    # the export, on a desktop: downloaded with the bearer token, the redemption in it
    _signed_in(desk, h5, h5_app, "/redemptions")
    desk.locator(f"tr[data-redemption='{redemption_id}']").wait_for()
    with desk.expect_download() as caught:
        desk.get_by_role("button", name="导出 CSV").click()
    download = caught.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig") as file:
        rows = list(csv.reader(file))
    assert rows[0][:4] == ["核销编号", "核销时间", "优惠券编号", "优惠券"]
    mine = next(r for r in rows[1:] if r[0] == redemption_id)
    assert mine[3] == "满1000减100" and mine[6:10] == ["1280.00", "100.00", "1180.00", "已撤销"]
    assert mine[12] == "顾客改买其他商品"
    with desk.expect_download() as caught:
        desk.get_by_role("button", name="导出 Excel").click()
    assert caught.value.suggested_filename.endswith(".xlsx")


def test_the_till_asks_for_the_product_when_the_coupon_is_limited_to_some(phone, h5, h5_app):
    code = _claim(h5_app, "till-product", "指定商品95折（最高减200）")
    token = _console_token(h5_app)
    coupon = next(t for t in _api(h5_app, "GET", "/api/v1/merchant/coupons", token)["items"]
                  if t["title"].startswith("指定商品"))
    product = _api(h5_app, "GET", f"/api/v1/merchant/products/{coupon['product_ids'][0]}", token)
    _signed_in(phone, h5, h5_app, "/till")
    phone.get_by_label("顾客的优惠券码").fill(code)
    phone.get_by_label("订单金额（元，促销价计）").fill("600")
    phone.get_by_role("button", name="核销", exact=True).click()
    refused = phone.locator(".receipt.refused")
    refused.wait_for()
    assert "请选择购买的商品" in refused.inner_text()
    select = phone.locator("#till-product")
    assert select.evaluate("el => el === document.activeElement")
    select.select_option(str(product["id"]))
    phone.get_by_role("button", name="核销", exact=True).click()
    receipt = phone.locator(".receipt.ok")
    receipt.wait_for()
    assert receipt.locator(".discount").inner_text() == "−¥30.00"  # 5 % of ¥600
    assert receipt.locator(".pay").inner_text() == "¥570.00"
    phone.get_by_role("button", name="撤销这笔核销").click()
    phone.get_by_role("button", name="确认撤销").click()
    phone.locator(".receipt.reversed").wait_for()


def test_the_till_scans_the_coupon_qr_with_the_phone_camera(browser, h5, h5_app, tmp_path):
    coupon = _claimed(h5_app, "camera-villager", "满1000减100")
    png = h5_app.test_client().get(f"/api/mp/v1/me/coupons/{coupon['id']}/qr.png", headers={
        "Authorization": f"Bearer {_villager(h5_app, 'camera-villager')}"})
    assert png.status_code == 200, png.get_data(as_text=True)[:200]
    video = tmp_path / "coupon.y4m"
    fake_camera_video(png.data, video)
    with camera_browser(browser, video) as camera:
        context = camera.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True,
                                             has_touch=True, permissions=["camera"])
        page = context.new_page()
        page.set_default_timeout(15000)
        _signed_in(page, h5, h5_app, "/till")
        page.get_by_role("button", name="摄像头扫码").click()
        code = page.get_by_label("顾客的优惠券码")
        page.wait_for_function("document.getElementById('till-code').value.length > 20")
        assert code.input_value() == coupon["code"]
        amount = page.get_by_label("订单金额（元，促销价计）")
        assert amount.evaluate("el => el === document.activeElement")
        amount.fill("2000")
        page.get_by_role("button", name="核销", exact=True).click()
        page.locator(".receipt.ok .pay", has_text="¥1900.00").wait_for()
        _shot(page, "merchant-till-camera")
        page.get_by_role("button", name="下一位顾客").click()  # the camera sees it again
        page.wait_for_function("document.getElementById('till-code').value.length > 20")
        amount.fill("2000")
        page.get_by_role("button", name="核销", exact=True).click()
        page.locator(".receipt.refused", has_text="该优惠券已使用").wait_for()
        page.get_by_role("button", name="关闭摄像头").click()
        context.close()


def test_create_a_coupon_then_pause_and_resume_it(desk, h5, h5_app):
    _signed_in(desk, h5, h5_app, "/coupons")
    desk.get_by_role("button", name="新建优惠券").click()
    dialog = desk.get_by_role("dialog", name="新建优惠券")
    dialog.get_by_label("优惠券名称").fill("浏览器测试满500减50")
    dialog.get_by_label("减免金额（元）").fill("50")
    dialog.get_by_label("使用门槛：订单满（元，0 为无门槛）").fill("500")
    dialog.get_by_label("发放总量（张）").fill("30")
    dialog.get_by_role("button", name="创建优惠券").click()
    row = desk.locator("tr[data-coupon]", has_text="浏览器测试满500减50")
    row.wait_for()
    assert "满 ¥500.00 减 ¥50.00" in row.inner_text() and "发放中" in row.inner_text()
    assert re.search(r"\b30\b", row.inner_text())
    row.get_by_role("button", name="暂停发放").click()
    row.get_by_text("已暂停").wait_for()
    coupon_id = int(row.get_attribute("data-coupon"))
    token = _console_token(h5_app)
    assert _api(h5_app, "GET", f"/api/v1/merchant/coupons/{coupon_id}", token)["status"] == "paused"
    row.get_by_role("button", name="恢复发放").click()
    row.get_by_text("发放中").wait_for()
    _shot(desk, "merchant-coupons")


def test_create_a_product_with_its_certificate_and_a_photo_then_submit(desk, h5, h5_app):
    token = _console_token(h5_app)
    listed = _api(h5_app, "GET", "/api/v1/merchant/products?status=listed&limit=50", token)["items"]
    model = next(p for p in listed if p["certificate"] and p["certificate"]["status"] == "valid")
    _signed_in(desk, h5, h5_app, "/products")
    desk.get_by_role("button", name="新建商品").click()
    desk.wait_for_url(f"**{CONSOLE}/products/new")
    desk.get_by_label("分类").select_option(model["category"]["slug"])
    desk.get_by_label("商品名称").fill("浏览器测试节能窗")
    desk.get_by_label("品牌").fill("测试牌")
    desk.get_by_label("价格（元）").fill("1288.5")
    desk.get_by_label("计价单位").fill("樘")
    desk.get_by_label("绿色建材认证证书编号").fill(model["certificate"]["number"])
    desk.get_by_role("button", name="创建商品").click()
    desk.wait_for_url(re.compile(rf".*{CONSOLE}/products/\d+$"))
    product_id = int(desk.url.rsplit("/", 1)[1])
    desk.get_by_text("草稿").first.wait_for()
    desk.get_by_label("上传商品照片").set_input_files(
        {"name": "window.jpg", "mimeType": "image/jpeg", "buffer": _photo()})
    desk.get_by_role("img", name="商品照片 1").wait_for()
    desk.wait_for_function("document.querySelector('.thumb img').naturalWidth > 0")
    desk.get_by_role("button", name="提交审核").click()
    desk.get_by_text("待审核").first.wait_for()
    saved = _api(h5_app, "GET", f"/api/v1/merchant/products/{product_id}", token)
    assert (saved["status"], saved["price_fen"], saved["unit"]) == ("pending", 128850, "樘")
    assert saved["certificate"]["number"] == model["certificate"]["number"]
    assert len(saved["images"]) == 1
    _shot(desk, "merchant-product")
    desk.goto(f"{h5}{CONSOLE}/products")
    desk.locator("table.grid tr", has_text="浏览器测试节能窗").get_by_text("待审核").wait_for()


def _forwarded_complaint(app) -> dict:
    """A villager complains about the demo shop; the county officer forwards it to the shop."""
    shop = _api(app, "GET", "/api/v1/merchant/shop", _console_token(app))
    complaint = _api(app, "POST", "/api/mp/v1/complaints", _villager(app, "complainer"),
                     {"category": "quality", "merchant_id": shop["id"],
                      "description": "买的瓷砖有色差，和样品不一样，希望商家给个说法。"},
                     )["complaint"]
    officer = _console_token(app, "demo-county")
    for action in ("accept", "ask_merchant"):
        _api(app, "POST", f"/api/v1/admin/complaints/{complaint['id']}/transitions", officer,
             {"action": action, "note": "请商家核实处理"})
    return complaint


def test_respond_to_a_complaint_about_my_shop(desk, h5, h5_app):
    complaint = _forwarded_complaint(h5_app)
    _signed_in(desk, h5, h5_app, "/complaints")
    desk.get_by_role("link", name=complaint["tracking_no"]).click()
    desk.get_by_role("heading", name=f"投诉 {complaint['tracking_no']}").wait_for()
    assert "有色差" in desk.locator(".complaint-text").inner_text()
    desk.get_by_label("答复内容（说明核实情况和处理办法）").fill("已联系顾客，明天上门调换同批次瓷砖。")
    desk.get_by_role("button", name="提交答复").click()
    desk.get_by_text("商家已答复").first.wait_for()
    assert "明天上门调换同批次瓷砖" in desk.locator(".timeline").inner_text()
    villager_view = _api(h5_app, "GET", f"/api/mp/v1/complaints/{complaint['id']}",
                         _villager(h5_app, "complainer"))
    assert villager_view["status"] == "merchant_responded"


def test_staff_added_and_removed_and_a_booth_applied_for(desk, h5, h5_app):
    _signed_in(desk, h5, h5_app, "/staff")
    desk.get_by_role("button", name="添加员工").click()
    dialog = desk.get_by_role("dialog", name="添加员工")
    dialog.get_by_label("用户名（3–32 位字母、数字或 _ . -）").fill("till-clerk")
    dialog.get_by_label("初始密码（至少 8 位）").fill("clerk-pass-1")
    dialog.get_by_label("称呼（选填）").fill("收银员小王")
    dialog.get_by_role("button", name="创建账号").click()
    row = desk.locator("tr", has_text="till-clerk")
    row.wait_for()
    row.get_by_role("button", name="停用").click()
    desk.get_by_role("dialog").get_by_role("button", name="停用").click()
    desk.get_by_text("还没有员工账号").wait_for()

    desk.get_by_role("navigation", name="主菜单").get_by_role("link", name="展会展位").click()
    row = desk.locator("tr", has_text="龙湖镇")
    row.get_by_role("button", name="申请展位").click()
    row.get_by_text("待审核").or_(row.get_by_text("已申请")).or_(row.get_by_text("已通过")).wait_for()


def test_sign_up_and_apply_for_a_shop(desk, h5):
    desk.goto(f"{h5}{CONSOLE}/")
    desk.wait_for_url(f"**{CONSOLE}/login?next=*")
    desk.get_by_role("tab", name="注册商家账号").click()
    desk.get_by_label("用户名（3–32 位字母、数字或 _ . -）").fill("new-tile-shop")
    desk.get_by_label("密码（至少 8 位）").fill("tile-shop-pass")
    desk.get_by_label("手机号").fill("13800138000")
    desk.get_by_role("button", name="注册并申请开店").click()
    desk.wait_for_url(f"**{CONSOLE}/apply")
    desk.get_by_label("店铺名称").fill("新郑绿色建材体验店")
    desk.get_by_label("省", exact=True).select_option("410000")
    desk.get_by_label("市", exact=True).select_option("410100")
    desk.get_by_label("区县", exact=True).select_option("410105")
    desk.get_by_label("详细地址").fill("金水区农业路 1 号")
    desk.get_by_label("联系电话（手机或带区号的固定电话）").fill("0371-12345678")
    desk.get_by_role("button", name="提交开店申请").click()
    desk.wait_for_url(f"**{CONSOLE}/")
    desk.get_by_role("heading", name="店铺资料").wait_for()
    assert "审核中" in desk.locator("main").inner_text() or "待审核" in desk.locator(
        "main").inner_text()


SCREENS = {
    "till": ("/till", "#till-code"),
    "redemptions": ("/redemptions", "table.grid tbody tr"),
    "products": ("/products", "table.grid tbody tr td img, table.grid tbody tr td .muted"),
    "product": ("/products/{product}", ".thumbs, .muted"),
    "product-new": ("/products/new", "#product-category option >> nth=1"),
    "coupons": ("/coupons", "tr[data-coupon]"),
    "promotions": ("/promotions", "table.grid tbody tr"),
    "complaints": ("/complaints", "table.grid tbody tr"),
    "complaint": ("/complaints/{complaint}", ".timeline li"),
    "expos": ("/expos", "table.grid tbody tr"),
    "dealers": ("/dealer-authorisations", "table.grid tbody tr"),
    "shop": ("/", ".el-descriptions"),
    "staff": ("/staff", "table.grid tbody tr"),
}


def test_console_screens_pass_axe(desk, phone, h5, h5_app):
    token = _console_token(h5_app)
    product = _api(h5_app, "GET", "/api/v1/merchant/products?limit=1", token)["items"][0]
    complaint = _api(h5_app, "GET", "/api/v1/merchant/complaints?limit=1", token)["items"][0]
    found = {}
    desk.goto(f"{h5}{CONSOLE}/login")
    desk.get_by_label("用户名", exact=True).wait_for()
    found["login"] = _axe(desk)
    _signed_in(desk, h5, h5_app, "/till")
    for name, (path, ready) in SCREENS.items():
        desk.goto(f"{h5}{CONSOLE}{path.format(product=product['id'], complaint=complaint['id'])}")
        desk.locator(ready).first.wait_for(state="attached")
        desk.wait_for_load_state("networkidle")
        found[name] = _axe(desk)
    desk.get_by_role("navigation", name="主菜单").get_by_role("link", name="优惠券").click()
    desk.get_by_role("button", name="新建优惠券").click()
    desk.get_by_role("dialog", name="新建优惠券").get_by_label("优惠券名称").wait_for()
    # axe judges colours as painted: wait until the dialog's fade-in has finished
    desk.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    found["coupon-dialog"] = _axe(desk)
    _signed_in(phone, h5, h5_app, "/till")
    phone.locator("#till-code").wait_for()
    phone.wait_for_load_state("networkidle")
    found["till-phone"] = _axe(phone)
    print("\naxe (WCAG 2.1 A/AA):", found)
    assert found == {name: [] for name in found}, found
