"""The officers' console, catalog and expo half, in a real browser: an officer's day. Sign in,
approve a pending shop and product, put a product on the negative list (and see it leave the
storefront's campaign listings) then lift it, the local list, a certificate import with its
per-row report, an expo created, published and staffed with live attendance, region scope for a
county officer, and the axe check on every page, against a live server with the demo campaign."""

from __future__ import annotations

import csv
import re

from tests.browser.conftest import axe_violations as _axe
from tests.browser.conftest import console_api as _api
from tests.browser.conftest import console_token, signed_in
from tests.browser.conftest import shot as _shot

CONSOLE = "/console/admin"
TOKEN_KEY = "lvjian.admin.token"


# ---- helpers ------------------------------------------------------------------------------

def _token(app, username: str = "demo-admin") -> str:
    return console_token(app, username)


def _signed_in(page, base: str, app, path: str, username: str = "demo-admin") -> None:
    signed_in(page, base, app, CONSOLE, TOKEN_KEY, path, username)


def _storefront(app, **params) -> dict:
    """Every product of the storefront's list (with `params`), by id."""
    found, cursor = {}, None
    while True:
        query = {"limit": 100, **params, **({"cursor": cursor} if cursor else {})}
        page = app.test_client().get("/api/mp/v1/products", query_string=query).get_json()
        found.update({p["id"]: p for p in page["items"]})
        cursor = page["next_cursor"]
        if not cursor:
            return found


def _serious(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in ("serious", "critical")]


# ---- journeys ------------------------------------------------------------------------------

def test_sign_in_then_approve_a_pending_shop_and_a_pending_product(desk, h5, h5_app):
    admin = _token(h5_app)
    shop = _api(h5_app, "GET", "/api/v1/admin/shops?status=pending", admin)["items"][0]
    product = next(p for p in _api(h5_app, "GET", "/api/v1/admin/products?status=pending",
                                   admin)["items"])

    desk.goto(f"{h5}{CONSOLE}/shops")
    desk.wait_for_url(f"**{CONSOLE}/login?next=*")
    desk.get_by_label("用户名", exact=True).fill("demo-admin")
    desk.get_by_label("密码", exact=True).fill("wrong-password")
    desk.locator("form").get_by_role("button", name="登录").click()
    desk.get_by_role("alert").filter(has_text="用户名或密码不正确").wait_for()
    desk.get_by_label("密码", exact=True).fill("lvjian-demo")
    desk.locator("form").get_by_role("button", name="登录").click()
    desk.wait_for_url(f"**{CONSOLE}/shops")
    desk.get_by_role("heading", name="店铺审核").wait_for()

    # the pending queue by default; the drawer; approving needs no reason
    row = desk.locator(f"tr[data-shop='{shop['id']}']")
    row.wait_for()
    assert shop["name"] in row.inner_text() and "待审核" in row.inner_text()
    row.get_by_role("button", name="查看").click()
    drawer = desk.get_by_role("dialog", name=f"店铺：{shop['name']}")
    drawer.get_by_text(shop["address"]).wait_for()
    _shot(desk, "admin-shop-drawer")
    drawer.get_by_role("button", name="审核通过").click()
    drawer.locator(".el-tag", has_text="已通过").wait_for()
    desk.keyboard.press("Escape")
    drawer.wait_for(state="hidden")
    row.get_by_text("已通过").wait_for()
    approved = _api(h5_app, "GET", "/api/v1/admin/shops?status=approved&limit=100", admin)["items"]
    assert shop["id"] in [s["id"] for s in approved]

    # the product queue → the product page; rejecting without a reason is refused in place
    menu = desk.get_by_role("navigation", name="主菜单")
    menu.get_by_role("link", name="商品审核").click()
    desk.get_by_role("heading", name="商品审核").wait_for()
    desk.locator(f"tr[data-product='{product['id']}']").get_by_role(
        "link", name=product["name"]).click()
    desk.wait_for_url(f"**{CONSOLE}/products/{product['id']}")
    desk.get_by_role("heading", name=f"商品：{product['name']}").wait_for()
    if product["certificate"]:
        assert product["certificate"]["number"] in desk.locator("main").inner_text()
    desk.get_by_role("button", name="驳回").click()
    desk.get_by_role("alert").filter(has_text="请填写原因").wait_for()
    desk.get_by_role("button", name="审核通过并上架").click()
    desk.locator(".el-tag", has_text="已上架").first.wait_for()
    _shot(desk, "admin-product")
    saved = _api(h5_app, "GET", f"/api/v1/admin/products/{product['id']}", admin)
    assert saved["status"] == "listed" and saved["reviewed_at"]


def test_negative_list_a_product_it_leaves_the_campaign_then_lift_it(desk, h5, h5_app):
    """The county officer of 金水区 lists one of its shop's products, then lifts it."""
    county = _token(h5_app, "demo-county")
    eligible = _storefront(h5_app, eligible="true")
    product = next(p for p in _api(h5_app, "GET", "/api/v1/admin/products?status=listed&limit=100",
                                   county)["items"] if p["id"] in eligible)
    assert eligible[product["id"]]["eligible"] is True

    # from the product page's link, the product comes chosen
    _signed_in(desk, h5, h5_app, f"/products/{product['id']}", "demo-county")
    desk.get_by_role("link", name="将该商品列入负面清单…").click()
    desk.wait_for_url(f"**{CONSOLE}/negative-list?product={product['id']}")
    picker = desk.locator("#negative-product")
    desk.wait_for_function("() => document.querySelectorAll('#negative-product option').length > 1")
    assert picker.input_value() == str(product["id"])
    desk.get_by_role("button", name="列入负面清单").click()  # no reason yet
    desk.get_by_role("alert").filter(has_text="请填写列入原因").wait_for()
    desk.get_by_label("列入原因（商家会看到）").fill("抽检发现保温性能不达标，证书与实物不符")
    desk.get_by_role("button", name="列入负面清单").click()
    row = desk.locator("tr[data-entry]", has_text=product["name"]).filter(has_text="生效中")
    row.wait_for()
    assert "抽检发现保温性能不达标" in row.inner_text()
    _shot(desk, "admin-negative-list")

    # the storefront: out of the campaign listing, marked ineligible, at once
    assert product["id"] not in _storefront(h5_app, eligible="true")
    detail = _api(h5_app, "GET", f"/api/mp/v1/products/{product['id']}")
    assert detail["eligible"] is False and detail["eligibility"]["eligible"] is False

    # listing it twice is refused with a Chinese message
    desk.get_by_label("列入原因（商家会看到）").fill("重复列入")
    desk.get_by_role("button", name="列入负面清单").click()
    desk.get_by_role("alert").filter(has_text="已在负面清单中").wait_for()

    row.get_by_role("button", name="解除").click()
    dialog = desk.get_by_role("dialog", name="解除负面清单")
    dialog.get_by_label("解除原因").fill("复检合格，恢复参加活动")
    dialog.get_by_role("button", name="确认解除").click()
    lifted = desk.locator("tr[data-entry]", has_text=product["name"]).filter(has_text="已解除")
    lifted.wait_for()
    assert "复检合格" in lifted.first.inner_text()  # the history stays, with the reason
    assert _storefront(h5_app, eligible="true")[product["id"]]["eligible"] is True
    desk.locator("#negative-active").select_option("false")
    desk.locator("tr[data-entry]", has_text=product["name"]).first.wait_for()
    assert "生效中" not in desk.locator("table.grid tbody").inner_text()


def test_local_list_add_and_remove(desk, h5, h5_app):
    county = _token(h5_app, "demo-county")
    product = _api(h5_app, "GET", "/api/v1/admin/products?status=listed&limit=1",
                   county)["items"][0]
    _signed_in(desk, h5, h5_app, f"/local-list?product={product['id']}", "demo-county")
    desk.get_by_role("heading", name="地方目录", exact=True).wait_for()
    desk.wait_for_function("() => document.querySelectorAll('#local-product option').length > 1")
    assert desk.locator("#local-product").input_value() == str(product["id"])
    assert desk.get_by_label("区县", exact=True).input_value() == "410105"  # the officer's county
    desk.get_by_label("入选要求（例如：符合本县农房改造节能要求）").fill("符合本区农房改造节能要求")
    desk.get_by_role("button", name="列入目录").click()
    row = desk.locator("tr[data-entry]", has_text="符合本区农房改造节能要求")
    row.wait_for()
    assert product["name"] in row.inner_text() and "有效" in row.inner_text()
    row.get_by_role("button", name="移除").click()
    desk.get_by_role("dialog", name="移出地方目录").get_by_role("button", name="确认移除").click()
    row.get_by_text("已移除", exact=True).wait_for()
    entries = _api(h5_app, "GET", f"/api/v1/admin/local-list?product_id={product['id']}",
                   county)["items"]
    assert entries[0]["removed_at"] and not entries[0]["active"]


def test_import_certificates_shows_the_per_row_report(desk, h5, h5_app, tmp_path):
    admin = _token(h5_app)
    known = _api(h5_app, "GET", "/api/v1/admin/certificates?limit=1", admin)["items"][0]
    enterprise = known["enterprise"]
    path = tmp_path / "证书名录.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as file:
        out = csv.writer(file)
        out.writerow(["证书编号", "认证机构", "企业名称", "统一社会信用代码", "产品名称", "星级",
                      "发证日期", "有效期至"])
        out.writerow(["LBUI2026TEST01", "中国建材检验认证集团股份有限公司", enterprise["name"],
                      enterprise["credit_code"], "浏览器测试保温板", "二星级", "2026-01-05",
                      "2029-01-04"])
        out.writerow(["LBUI2026TEST02", "中国建材检验认证集团股份有限公司", "某某建材有限公司",
                      "123", "浏览器测试砌块", "二星级", "2026-01-05", "2029-01-04"])
    _signed_in(desk, h5, h5_app, "/certificates")
    desk.get_by_role("heading", name="认证证书").wait_for()
    desk.get_by_label("选择文件").set_input_files(str(path))
    desk.get_by_role("button", name="开始导入").click()
    report = desk.locator(".import-report")
    report.wait_for()
    text = report.inner_text()
    assert "共 2 行" in text and "已导入 1 行" in text and "新增 1" in text
    assert "未导入 1 行" in text
    bad = report.locator("tr[data-row='3']")
    assert "LBUI2026TEST02" in bad.inner_text()
    assert "统一社会信用代码「123」无效" in bad.inner_text()
    _shot(desk, "admin-certificate-import")
    # the imported one is found by the search
    desk.get_by_label("证书编号（可填部分）").fill("LBUI2026TEST")
    desk.get_by_role("button", name="查询").click()
    desk.wait_for_function("() => document.querySelectorAll('tr[data-certificate]').length === 1")
    assert desk.locator("tr[data-certificate='LBUI2026TEST01']").is_visible()


def test_create_publish_and_staff_an_expo_with_live_attendance(desk, h5, h5_app):
    admin = _token(h5_app)
    _signed_in(desk, h5, h5_app, "/expos")
    desk.get_by_role("heading", name="展会", exact=True).wait_for()
    desk.get_by_role("button", name="新建展会").click()
    desk.wait_for_url(f"**{CONSOLE}/expos/new")
    desk.get_by_label("展会名称").fill("经八路街道绿色建材惠民展")
    desk.get_by_label("省", exact=True).select_option("410000")
    desk.get_by_label("市", exact=True).select_option("410100")
    desk.get_by_label("区县", exact=True).select_option("410105")
    desk.get_by_label("乡镇（选填）", exact=True).select_option("410105001")
    desk.get_by_label("详细地点").fill("经八路街道文化广场")
    desk.get_by_label("名额（人）").fill("50")
    desk.get_by_label("展会开始（北京时间）").fill("2026-12-20T09:00")
    desk.get_by_label("展会结束（北京时间）").fill("2026-12-20T17:00")
    desk.get_by_label("报名截止（北京时间）").fill("2026-12-19T18:00")
    desk.get_by_role("button", name="创建展会").click()
    desk.wait_for_url(re.compile(rf".*{CONSOLE}/expos/\d+$"))
    expo_id = int(desk.url.rsplit("/", 1)[1])
    desk.get_by_role("heading", name="经八路街道绿色建材惠民展").wait_for()
    desk.locator(".el-tag", has_text="草稿").wait_for()
    saved = _api(h5_app, "GET", f"/api/v1/admin/expos/{expo_id}", admin)
    assert saved["starts_at"].startswith("2026-12-20T09:00:00")
    assert saved["starts_at"].endswith("+08:00")
    assert saved["township_code"] == "410105001" and saved["capacity"] == 50

    # edit (PATCH), then publish
    desk.get_by_role("button", name="编辑", exact=True).click()
    desk.get_by_label("详细地点").fill("经八路街道文化广场东侧")
    desk.get_by_role("button", name="保存修改").click()
    desk.get_by_text("经八路街道文化广场东侧", exact=True).wait_for()
    desk.get_by_role("button", name="发布展会").click()
    desk.locator(".el-tag", has_text="已发布").wait_for()

    # staff: the region's expo-staff account
    desk.get_by_label("添加工作人员").select_option(label="展会工作人员（演示）（demo-staff）")
    desk.get_by_role("button", name="添加", exact=True).click()
    desk.locator("table.expo-staff tr", has_text="demo-staff").wait_for()
    staff = _api(h5_app, "GET", f"/api/v1/admin/expos/{expo_id}/staff", admin)["items"]
    assert [s["username"] for s in staff] == ["demo-staff"]

    # live attendance: a villager registers; the panel catches up on its own within 15 s
    registered = desk.locator("[data-stat='registered']")
    registered.wait_for()
    assert registered.inner_text() == "0"
    villager = h5_app.test_client().post("/api/mp/v1/auth/wechat-login",
                                         json={"code": "dev-expo-ui"}).get_json()["token"]
    _api(h5_app, "POST", f"/api/mp/v1/expos/{expo_id}/registrations", villager)
    desk.wait_for_function(
        "() => document.querySelector(\"[data-stat='registered']\").textContent === '1'",
                           timeout=20000)
    _shot(desk, "admin-expo")

    # the attendee list, downloaded with the token; the poster code as an image
    with desk.expect_download() as caught:
        desk.get_by_role("button", name="导出报名名单 CSV").click()
    assert caught.value.suggested_filename.endswith(".csv")
    with open(caught.value.path(), encoding="utf-8-sig") as file:
        rows = list(csv.reader(file))
    assert rows[0][0] == "票号" and len(rows) == 2 and rows[1][3] == "已报名"
    with desk.expect_download() as caught:
        desk.get_by_role("button", name="导出报名名单 Excel").click()
    assert caught.value.suggested_filename.endswith(".xlsx")
    desk.get_by_role("button", name="显示海报二维码").click()
    desk.get_by_role("img", name="本展会报名页的二维码").wait_for()
    desk.wait_for_function("document.querySelector('.poster-code').naturalWidth > 0")

    # remove the staff member again
    desk.get_by_role("button", name="移除 demo-staff").click()
    desk.get_by_text("还没有工作人员").wait_for()

    # a merchant's booth application, approved with a booth number
    booth = _api(h5_app, "POST", f"/api/v1/merchant/expos/{expo_id}/booths",
                 _token(h5_app, "demo-merchant"))
    desk.reload()
    row = desk.locator("tr[data-booth]", has_text="金水绿色建材店")
    row.get_by_role("button", name="通过").click()
    dialog = desk.get_by_role("dialog", name="通过展位申请")
    dialog.get_by_label("展位号（选填，例如 A-03）").fill("A-01")
    dialog.get_by_role("button", name="确认").click()
    row.get_by_text("已通过").wait_for()
    assert "A-01" in row.inner_text()
    booths = _api(h5_app, "GET", f"/api/v1/admin/expos/{expo_id}/booths", admin)["items"]
    assert [(b["id"], b["status"], b["booth_no"]) for b in booths] == [
        (booth["id"], "approved", "A-01")]

    # cancelling needs a reason; every ticket holder is then told
    desk.get_by_role("button", name="取消展会").click()
    dialog = desk.get_by_role("dialog", name="取消展会")
    dialog.get_by_role("button", name="确认取消展会").click()
    dialog.get_by_role("alert").filter(has_text="请填写取消原因").wait_for()
    dialog.get_by_label("取消原因（会发给报名村民）").fill("因寒潮预警延期举办")
    dialog.get_by_role("button", name="确认取消展会").click()
    desk.locator(".el-tag", has_text="已取消").wait_for()
    assert desk.get_by_role("button", name="发布展会").count() == 0
    assert _api(h5_app, "GET", f"/api/v1/admin/expos/{expo_id}", admin)["status"] == "cancelled"


def _dealer_application(app) -> dict:
    """The demo shop applies to deal in an enterprise it has no authorisation of yet."""
    merchant, admin = _token(app, "demo-merchant"), _token(app)
    for cert in _api(app, "GET", "/api/v1/admin/certificates?limit=100", admin)["items"]:
        response = app.test_client().post(
            "/api/v1/merchant/dealer-authorisations",
            headers={"Authorization": f"Bearer {merchant}"},
            json={"certificate_number": cert["number"], "document_no": "SQ-2026-UI",
                  "note": "县域独家经销"})
        if response.status_code == 201:
            return response.get_json()
    raise AssertionError("no enterprise left to apply for")


def test_decide_a_dealer_authorisation(desk, h5, h5_app):
    application = _dealer_application(h5_app)
    _signed_in(desk, h5, h5_app, "/dealer-authorisations", "demo-county")
    row = desk.locator(f"tr[data-authorisation='{application['id']}']")
    row.wait_for()  # the default filter: applications waiting for a decision
    assert application["enterprise"]["name"] in row.inner_text()
    assert "SQ-2026-UI" in row.inner_text()
    row.get_by_role("button", name="驳回").click()
    dialog = desk.get_by_role("dialog", name="驳回经销授权")
    dialog.get_by_role("button", name="确认驳回").click()
    dialog.get_by_role("alert").filter(has_text="请填写原因").wait_for()
    dialog.get_by_role("button", name="取消").click()
    row.get_by_role("button", name="核准").click()
    desk.get_by_role("dialog", name="核准经销授权").get_by_role("button", name="确认核准").click()
    row.get_by_text("已核准").wait_for()
    assert row.get_by_role("button", name="撤销授权").is_visible()
    saved = _api(h5_app, "GET", f"/api/v1/admin/dealer-authorisations/{application['id']}",
                 _token(h5_app, "demo-county"))
    assert saved["status"] == "approved"


def test_a_county_officer_sees_only_its_county(desk, h5, h5_app):
    admin = _token(h5_app)
    elsewhere = _api(h5_app, "GET", "/api/v1/admin/shops?region_code=410102", admin)["items"][0]
    product = _api(h5_app, "GET", f"/api/v1/admin/products?status=all&shop_id={elsewhere['id']}",
                   admin)["items"][0]
    expo = _api(h5_app, "GET", "/api/v1/admin/expos", admin)["items"][-1]
    _signed_in(desk, h5, h5_app, "/shops", "demo-county")
    desk.locator("#shop-status").select_option("")
    desk.locator("tr[data-shop]").first.wait_for()
    listed = desk.locator("table.grid tbody").inner_text()
    assert "金水绿色建材店" in listed and elsewhere["name"] not in listed
    # another county through the region filter: the API's 403, said in Chinese
    desk.get_by_label("省", exact=True).select_option("410000")
    desk.get_by_label("市", exact=True).select_option("410100")
    desk.get_by_label("区县", exact=True).select_option("410102")
    desk.get_by_role("alert").filter(has_text="不在您的管辖区域内").wait_for()
    assert desk.locator("tr[data-shop]").count() == 0
    # a deep link to another county's product or expo
    desk.goto(f"{h5}{CONSOLE}/products/{product['id']}")
    desk.get_by_role("alert").filter(has_text="它不在您的管辖区域内").wait_for()
    assert desk.get_by_role("button", name="审核通过并上架").count() == 0
    desk.goto(f"{h5}{CONSOLE}/expos/{expo['id']}")
    desk.get_by_role("alert").filter(has_text="不是本辖区主办的").wait_for()
    # and the certificate import is for the province only
    desk.goto(f"{h5}{CONSOLE}/certificates")
    desk.get_by_text("证书名录由省级主管部门统一导入").wait_for()
    assert desk.get_by_role("button", name="开始导入").count() == 0


SCREENS = {
    "shops": ("/shops", "table.grid tbody tr"),
    "products": ("/products", "table.grid tbody tr"),
    "product": ("/products/{product}", ".cert-check, .panel .muted"),
    "dealers": ("/dealer-authorisations", "table.grid tbody tr"),
    "certificates": ("/certificates", "tr[data-certificate]"),
    "local-list": ("/local-list", "#local-product option >> nth=1"),
    "negative-list": ("/negative-list", "#negative-product option >> nth=1"),
    "expos": ("/expos", "tr[data-expo]"),
    "expo-new": ("/expos/new", "#expo-region-province option >> nth=1"),
    "expo": ("/expos/{expo}", "[data-stat='admitted']"),
}


def test_catalog_and_expo_pages_pass_axe(desk, h5, h5_app):
    admin = _token(h5_app)
    product = _api(h5_app, "GET", "/api/v1/admin/products?status=all&limit=1", admin)["items"][0]
    expo = _api(h5_app, "GET", "/api/v1/admin/expos?limit=1", admin)["items"][0]
    found = {}
    _signed_in(desk, h5, h5_app, "/shops")
    for name, (path, ready) in SCREENS.items():
        desk.goto(f"{h5}{CONSOLE}{path.format(product=product['id'], expo=expo['id'])}")
        desk.locator(ready).first.wait_for(state="attached")
        desk.wait_for_load_state("networkidle")
        found[name] = _axe(desk)
    # the shop drawer, open, once its slide-in has finished
    desk.goto(f"{h5}{CONSOLE}/shops")
    desk.locator("#shop-status").select_option("")
    desk.locator("tr[data-shop]").first.get_by_role("button", name="查看").click()
    desk.get_by_role("dialog").locator(".el-descriptions").wait_for()
    desk.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    found["shop-drawer"] = _axe(desk)
    print("\naxe (WCAG 2.1 A/AA):", found)
    assert {name: _serious(v) for name, v in found.items()} == {name: [] for name in found}, found
