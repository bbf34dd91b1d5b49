"""The officers' console, operations half, in a real browser: an officer's day — sign in, approve
subsidy claims in bulk and download the payment batch, carry a complaint through to resolved,
download the summary Excel, watch the dashboard's charts — and the axe check on every page."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import UTC, date, datetime

import sqlalchemy as sa
from openpyxl import load_workbook
from PIL import Image

from tests.browser.conftest import axe_violations as _axe
from tests.browser.conftest import console_api as _api
from tests.browser.conftest import console_token, signed_in
from tests.browser.conftest import shot as _shot
from tests.browser.conftest import villager_token as _villager

CONSOLE = "/console/admin"
TOKEN_KEY = "lvjian.admin.token"
_serial = itertools.count(1)


# ---- helpers ------------------------------------------------------------------------------


def _console_token(app, username: str = "demo-admin") -> str:
    return console_token(app, username)


def _signed_in(page, base: str, app, path: str, username: str = "demo-admin") -> None:
    signed_in(page, base, app, CONSOLE, TOKEN_KEY, path, username)


def _demo_programme(app) -> dict:
    """The demo programme of 金水区, its shop and an eligible product of each category."""
    from app.catalog import eligibility
    from app.extensions import db
    from app.merchants.models import Shop
    from app.subsidies.demo import SHOP, TITLE, _product
    from app.subsidies.models import SubsidyProgram

    with app.app_context():
        program = db.session.scalar(sa.select(SubsidyProgram).where(SubsidyProgram.title == TITLE))
        shop = db.session.scalar(sa.select(Shop).where(Shop.name == SHOP))
        today = eligibility.today()
        product = _product(shop, program, "coatings", today)
        found = {
            "program_id": program.id,
            "merchant_id": shop.id,
            "product_id": product.id,
            "price_fen": product.price_fen,
            "today": today.isoformat(),
        }
        db.session.remove()
    return found


def _new_claim(app, programme: dict, *, photo: bool = False) -> dict:
    """A new resident of 金水区 (name, ID number, bank account) claims for one purchase."""
    from app.subsidies.demo import demo_card_number, demo_id_number

    n = 100 + next(_serial)  # a new resident each time (the database lives for the module)
    name = f"ops-claimer-{n}"
    token = _villager(app, name)
    _api(
        app,
        "PATCH",
        "/api/mp/v1/me",
        token,
        {
            "real_name": f"测试村民{n}",
            "id_card_no": demo_id_number(date(1960 + n % 30, 3, 9), n),
            "region_code": "410105001",
            "bank_account": demo_card_number(500 + n),
            "bank_name": "测试农商银行",
        },
    )
    extra = {}
    if photo:  # an invoice photo, uploaded first and attached by id
        buffer = io.BytesIO()
        Image.new("RGB", (320, 200), (240, 240, 230)).save(buffer, "JPEG")
        sent = app.test_client().post(
            "/api/mp/v1/uploads",
            data={"file": (io.BytesIO(buffer.getvalue()), "invoice.jpg"), "purpose": "invoice"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert sent.status_code == 201, sent.get_json()
        extra["invoice_upload_id"] = sent.get_json()["upload"]["id"]
    answer = _api(
        app,
        "POST",
        "/api/mp/v1/subsidy-claims",
        token,
        {
            "program_id": programme["program_id"],
            "merchant_id": programme["merchant_id"],
            "product_id": programme["product_id"],
            "price_paid_fen": programme["price_fen"],
            "invoice_no": f"OPS{n:012d}",
            "purchase_date": programme["today"],
            **extra,
        },
    )
    return {**answer["claim"], "real_name": f"测试村民{n}"}


def _complaint(app, name: str, description: str) -> dict:
    token = _villager(app, name)
    return _api(
        app,
        "POST",
        "/api/mp/v1/complaints",
        token,
        {
            "category": "quality",
            "merchant_id": _demo_programme(app)["merchant_id"],
            "description": description,
            "phone": "13912345678",
        },
    )["complaint"]


def _saved(download) -> bytes:
    with open(download.path(), "rb") as file:
        return file.read()


def _summary_title(download) -> str:
    """The 汇总 sheet's title and subtitle rows of a downloaded summary workbook."""
    book = load_workbook(io.BytesIO(_saved(download)))
    assert book.sheetnames[0] == "汇总", book.sheetnames
    sheet = book["汇总"]
    return f"{sheet.cell(1, 1).value} {sheet.cell(2, 1).value}"


# ---- journeys ------------------------------------------------------------------------------


def test_sign_in_through_the_form_and_find_the_operations_menu(desk, h5):
    desk.goto(f"{h5}{CONSOLE}/subsidy-claims")
    desk.wait_for_url(f"**{CONSOLE}/login?next=*")
    desk.get_by_label("用户名", exact=True).fill("demo-admin")
    desk.get_by_label("密码", exact=True).fill("not-the-password")
    desk.locator("form").get_by_role("button", name="登录").click()
    desk.get_by_role("alert").filter(has_text="用户名或密码不正确").wait_for()
    desk.get_by_label("密码", exact=True).fill("lvjian-demo")
    desk.locator("form").get_by_role("button", name="登录").click()
    desk.wait_for_url(f"**{CONSOLE}/subsidy-claims")
    desk.get_by_role("heading", name="补贴审核").wait_for()
    assert "河南省" in desk.locator(".topbar").inner_text()
    menu = desk.get_by_role("navigation", name="主菜单")
    for item in ("数据看板", "活动总结", "补贴项目", "补贴审核", "投诉处理", "节假日", "操作日志"):
        assert menu.get_by_role("link", name=item, exact=True).is_visible()
    menu.get_by_role("link", name="数据看板").click()
    desk.get_by_role("heading", name="数据看板").wait_for()


def test_bulk_approve_claims_then_download_and_pay_the_batch(desk, h5, h5_app):
    programme = _demo_programme(h5_app)
    mine = [_new_claim(h5_app, programme) for _ in range(3)]
    admin = _console_token(h5_app)
    _signed_in(desk, h5, h5_app, "/subsidy-claims")
    desk.get_by_role("heading", name="补贴审核").wait_for()
    desk.get_by_label("补贴项目").select_option(str(programme["program_id"]))
    desk.get_by_role("button", name="查询").click()
    for claim in mine:
        desk.get_by_role("checkbox", name=f"选择申请 {claim['id']}").check()
    desk.get_by_role("button", name="批量通过（3）").click()
    dialog = desk.get_by_role("dialog", name="批量通过")
    dialog.get_by_label("审核意见（选填）").fill("发票与购买记录一致")
    dialog.get_by_role("button", name="确认通过").click()
    desk.get_by_text("已通过 3 件").wait_for()
    for claim in mine:
        seen = _api(h5_app, "GET", f"/api/v1/admin/subsidy-claims/{claim['id']}", admin)
        assert seen["status"] == "approved" and seen["decision_note"] == "发票与购买记录一致"
        desk.locator(f"tr[data-claim='{claim['id']}']").wait_for(state="detached")  # left it

    # the programme: its figures, the batch for the finance bureau, then the payment recorded
    desk.get_by_role("navigation", name="主菜单").get_by_role("link", name="补贴项目").click()
    desk.locator(f"tr[data-program='{programme['program_id']}']").get_by_role("link").click()
    desk.get_by_text("剩余预算").first.wait_for()
    assert "账目核对一致" in desk.locator("main").inner_text()
    with desk.expect_download() as caught:
        desk.get_by_role("button", name="生成发放批次并下载").click()
    download = caught.value
    batch_no = download.suggested_filename.removesuffix(".xlsx")
    assert batch_no.startswith("PAY")
    sheet = load_workbook(io.BytesIO(_saved(download))).active
    rows = list(sheet.iter_rows(values_only=True))
    heading = list(rows[0])
    assert heading[:4] == ["批次号", "申请编号", "姓名", "身份证号"]
    by_claim = {row[1]: row for row in rows[1:]}
    for claim in mine:
        row = by_claim[claim["id"]]
        assert row[0] == batch_no and row[2] == claim["real_name"]
        assert len(row[3]) == 18 and "*" not in row[3]  # the full ID number, for payment
        assert row[heading.index("补贴金额(元)")] == claim["amount_fen"] / 100
    desk.get_by_role("status").filter(has_text=batch_no).wait_for()
    assert desk.get_by_label("发放批次号").input_value() == batch_no
    desk.get_by_role("button", name="登记已发放").click()
    desk.get_by_text(f"已登记发放 {len(by_claim)} 笔").wait_for()
    for claim in mine:
        assert (
            _api(h5_app, "GET", f"/api/v1/admin/subsidy-claims/{claim['id']}", admin)["status"]
            == "disbursed"
        )
    _shot(desk, "admin-subsidy-program")


def test_a_claim_rejected_with_a_reason_and_its_id_number_revealed_for_a_purpose(desk, h5, h5_app):
    claim = _new_claim(h5_app, _demo_programme(h5_app), photo=True)
    _signed_in(desk, h5, h5_app, f"/subsidy-claims/{claim['id']}")
    desk.get_by_role("heading", name=f"补贴申请 {claim['id']}").wait_for()
    invoice = desk.get_by_role("img", name="发票照片（点击查看大图）")
    invoice.wait_for()
    invoice.evaluate("img => img.decode()")
    assert invoice.evaluate("img => img.naturalWidth") == 320
    desk.get_by_role("button", name="驳回").click()
    desk.get_by_role("alert").filter(has_text="驳回时请填写原因").wait_for()
    desk.get_by_role("button", name="查看完整号码").click()
    desk.get_by_role("alert").filter(has_text="请写明查看用途").wait_for()
    desk.get_by_label("查看用途（必填）").fill("核对发票抬头与申请人身份")
    desk.get_by_role("button", name="查看完整号码").click()
    number = desk.get_by_label("完整身份证号")
    number.wait_for()
    assert len(number.inner_text().strip()) == 18 and "*" not in number.inner_text()
    desk.get_by_label("审核意见（驳回时必填，村民可见）").fill("发票日期早于项目开始日期")
    desk.get_by_role("button", name="驳回").click()
    desk.locator(".el-tag").filter(has_text="已驳回").first.wait_for()
    admin = _console_token(h5_app)
    assert (
        _api(h5_app, "GET", f"/api/v1/admin/subsidy-claims/{claim['id']}", admin)["status"]
        == "rejected"
    )
    # the reveal is in the audit log, with its purpose
    desk.get_by_role("navigation", name="主菜单").get_by_role("link", name="操作日志").click()
    desk.get_by_label("操作代码").fill("personal_data.*")
    desk.get_by_role("button", name="查询").click()
    desk.locator("tr[data-entry]").filter(has_text="核对发票抬头与申请人身份").first.wait_for()
    # exported as CSV with the same filter: every line a personal-data access
    with desk.expect_download() as caught:
        desk.get_by_role("button", name="导出 CSV").click()
    assert caught.value.suggested_filename.endswith(".csv")
    lines = list(csv.reader(io.StringIO(_saved(caught.value).decode("utf-8-sig"))))
    code = lines[0].index("操作代码")
    assert lines[1:] and all(line[code].startswith("personal_data.") for line in lines[1:])
    assert any("核对发票抬头与申请人身份" in ",".join(line) for line in lines[1:])


def test_move_a_complaint_through_to_resolved(desk, h5, h5_app):
    complaint = _complaint(
        h5_app, "ops-complainer", "买的保温板厚度不够，和宣传的不一样，要求退换。"
    )
    _signed_in(desk, h5, h5_app, "/complaints")
    row = desk.locator(f"tr[data-complaint='{complaint['id']}']")
    row.wait_for()
    # the queue is in deadline order: an overdue complaint (demo) comes first
    first = desk.locator("tr[data-complaint]").first
    assert "overdue" in (first.get_attribute("class") or "") and "已超期" in first.inner_text()
    row.get_by_role("link", name=complaint["tracking_no"]).click()
    desk.get_by_role("heading", name=f"投诉 {complaint['tracking_no']}").wait_for()
    actions = desk.locator("section").filter(has=desk.get_by_role("heading", name="处理"))
    assert (
        actions.get_by_role("button", name="办结", exact=True).count() == 0
    )  # not before it is accepted

    actions.get_by_role("button", name="受理", exact=True).click()
    actions.get_by_role("button", name="确认受理").click()
    desk.locator(".el-tag").filter(has_text="已受理").first.wait_for()

    # the complainant's phone, for a call back: the purpose is required
    desk.get_by_label("查看用途（必填）").fill("电话回访投诉人，核实诉求")
    desk.get_by_role("button", name="查看完整号码").click()
    assert desk.get_by_label("完整电话号码").inner_text().strip() == "13912345678"

    actions.get_by_role("button", name="办结", exact=True).click()
    actions.get_by_role("button", name="确认办结").click()
    desk.get_by_role("alert").filter(has_text="请填写说明").wait_for()
    desk.get_by_label("办结意见（必填，村民可见）").fill("商家已为顾客更换合格保温板，顾客认可。")
    actions.get_by_role("button", name="确认办结").click()
    desk.locator(".el-tag").filter(has_text="已办结").first.wait_for()
    assert "商家已为顾客更换合格保温板" in desk.locator(".timeline").inner_text()
    assert actions.get_by_role("button", name="结案").is_visible()
    villager = _api(
        h5_app,
        "GET",
        f"/api/mp/v1/complaints/{complaint['id']}",
        _villager(h5_app, "ops-complainer"),
    )
    assert villager["status"] == "resolved"
    assert [e["action"] for e in villager["timeline"]] == ["submit", "accept", "resolve"]
    _shot(desk, "admin-complaint-resolved")


def test_transfer_a_complaint_to_another_county(desk, h5, h5_app):
    complaint = _complaint(h5_app, "ops-transfer", "商家在别的县的门店卖的门窗有质量问题。")
    _signed_in(desk, h5, h5_app, f"/complaints/{complaint['id']}")
    desk.get_by_role("heading", name=f"投诉 {complaint['tracking_no']}").wait_for()
    desk.get_by_role("button", name="转交其他县（区）").click()
    desk.locator("#transfer-region-province").select_option("410000")
    desk.locator("#transfer-region-city").select_option("410100")
    desk.locator("#transfer-region-county").select_option("410122")
    desk.get_by_label("转交原因（必填）").fill("门店位于中牟县，转当地处理")
    desk.get_by_role("button", name="确认转交其他县（区）").click()
    desk.get_by_text("410122").first.wait_for()
    seen = _api(
        h5_app, "GET", f"/api/v1/admin/complaints/{complaint['id']}", _console_token(h5_app)
    )
    assert seen["region_code"] == "410122" and seen["timeline"][-1]["action"] == "transfer"


def test_download_the_summary_excel_for_the_province_and_a_city(desk, h5, h5_app):
    _signed_in(desk, h5, h5_app, "/reports")
    desk.get_by_role("heading", name="活动总结").wait_for()
    heading = desk.locator(".report-heading")
    heading.filter(has_text="河南省").wait_for()
    subsidies = desk.locator("table[data-section='subsidies']")
    assert "郑州市" in subsidies.inner_text() and "合计" in subsidies.inner_text()
    assert "500,000.00" in subsidies.locator("tr.total").inner_text()  # the demo budget, in yuan
    with desk.expect_download() as caught:
        desk.get_by_role("button", name="下载 Excel").click()
    province = _summary_title(caught.value)
    assert (
        province.startswith("河南省绿色建材下乡活动总结 · 汇总")
        and "行政区划代码：410000" in province
    )

    # a city below the province, and a period
    desk.get_by_label("河南省的下级地区").select_option("410100")
    desk.get_by_label("开始日期").fill("2026-07-01")
    desk.get_by_role("button", name="查询").click()
    heading.filter(has_text="郑州市").wait_for()
    assert "2026-07-01" in heading.inner_text()
    assert "金水区" in desk.locator("table[data-section='complaints']").inner_text()
    with desk.expect_download() as caught:
        desk.get_by_role("button", name="下载 Excel").click()
    assert caught.value.suggested_filename.startswith("活动总结-郑州市-2026-07-01至")
    city = _summary_title(caught.value)
    assert (
        city.startswith("郑州市绿色建材下乡活动总结 · 汇总（2026-07-01 至 ")
        and "行政区划代码：410100" in city
    )
    _shot(desk, "admin-reports")


def test_holidays_added_and_removed(desk, h5, h5_app):
    _signed_in(desk, h5, h5_app, "/holidays")
    desk.get_by_role("heading", name="节假日").wait_for()
    next_year = str(datetime.now(UTC).year + 1)
    desk.get_by_label("日期").fill(f"{next_year}-05-06")
    desk.get_by_label("名称").fill("劳动节调休（测试）")
    desk.get_by_role("button", name="保存").click()
    row = desk.locator(f"tr[data-day='{next_year}-05-06']")
    row.wait_for()
    assert "劳动节调休（测试）" in row.inner_text() and "本系统录入" in row.inner_text()
    row.get_by_role("button", name="删除").click()
    desk.get_by_role("dialog").get_by_role("button", name="删除").click()
    row.filter(has_text="劳动节调休（测试）").wait_for(state="detached")


def _admit_someone(app, name: str) -> int:
    """A villager registers for the expo open today and is admitted at the gate."""
    staff = _console_token(app, "demo-staff")
    expos = _api(app, "GET", "/api/v1/staff/expos?limit=100", staff)["items"]
    now = datetime.now(UTC)
    live = next(
        e
        for e in expos
        if datetime.fromisoformat(e["starts_at"]) <= now <= datetime.fromisoformat(e["ends_at"])
    )
    token = _villager(app, name)
    ticket = _api(app, "POST", f"/api/mp/v1/expos/{live['id']}/registrations", token)["ticket"]
    result = _api(
        app, "POST", f"/api/v1/expos/{live['id']}/checkins", staff, {"code": ticket["code"]}
    )
    assert result["result"] in ("admitted", "already_admitted"), result
    return live["id"]


def _claim_a_coupon(app) -> None:
    token = _villager(app, "ops-couponer")
    merchant = _demo_programme(app)["merchant_id"]
    templates = _api(app, "GET", f"/api/mp/v1/coupons?merchant={merchant}&limit=100", token)[
        "items"
    ]
    template = next(t for t in templates if t["title"] == "满1000减100")
    _api(app, "POST", f"/api/mp/v1/coupons/{template['id']}/claim", token)


def test_the_dashboard_draws_its_five_charts(desk, h5, h5_app):
    expo_id = _admit_someone(h5_app, "ops-visitor")
    _claim_a_coupon(h5_app)
    desk.clock.install()  # timers as usual, but the 30-second refresh can be fast-forwarded
    _signed_in(desk, h5, h5_app, "/")
    desk.get_by_role("heading", name="数据看板").wait_for()
    for name in ("arrivals", "programmes", "complaints", "coupons", "regions"):
        chart = desk.locator(f"[data-chart='{name}']")
        chart.locator("canvas").wait_for()
        assert chart.get_attribute("role") == "img" and len(chart.get_attribute("aria-label")) > 10
        points = chart.evaluate(
            "el => echarts.getInstanceByDom(el).getOption().series[0].data.length"
        )
        assert points > 0, name
    assert desk.get_by_label("展会", exact=True).input_value() == str(
        expo_id
    )  # the live expo is chosen
    label = desk.locator("[data-chart='arrivals']").get_attribute("aria-label")
    assert "已入场" in label and "人" in label
    # a live expo's arrivals refresh every 30 seconds
    admitted = _api(h5_app, "GET", f"/api/v1/expos/{expo_id}/attendance", _console_token(h5_app))[
        "admitted"
    ]
    assert f"已入场 {admitted} 人" in label
    _admit_someone(h5_app, "ops-visitor-2")
    desk.clock.fast_forward(31000)
    desk.locator("[data-chart='arrivals']").and_(
        desk.locator(f"[aria-label*='已入场 {admitted + 1} 人']")
    ).wait_for()
    # ECharts came with the page, once, not with the shell
    assert desk.locator("script[src*='echarts']").count() == 1
    # loaded by its versioned URL (cached for a year), which the shell names
    assert "?v=" in desk.locator("script[src*='echarts']").get_attribute("src")
    _shot(desk, "admin-dashboard")
    # leaving the page disposes of the charts
    desk.get_by_role("navigation", name="主菜单").get_by_role("link", name="活动总结").click()
    desk.get_by_role("heading", name="活动总结").wait_for()
    assert desk.evaluate("document.querySelectorAll('[_echarts_instance_]').length") == 0


SCREENS = {
    "dashboard": ("/", "[data-chart='regions'] canvas"),
    "reports": ("/reports", "table[data-section='complaints']"),
    "subsidy-programs": ("/subsidy-programs", "tr[data-program]"),
    "subsidy-program": ("/subsidy-programs/{program}", ".stats"),
    "subsidy-claims": ("/subsidy-claims?program={program}", "tr[data-claim], td.empty"),
    "subsidy-claim": ("/subsidy-claims/{claim}", ".timeline"),
    "complaints": ("/complaints", "tr[data-complaint]"),
    "complaint": ("/complaints/{complaint}", ".timeline"),
    "holidays": ("/holidays", "tr[data-day]"),
    "audit-log": ("/audit-log", "tr[data-entry]"),
}


def test_operations_pages_pass_axe(desk, h5, h5_app):
    programme = _demo_programme(h5_app)
    claim = _new_claim(h5_app, programme)
    complaint = _complaint(h5_app, "ops-axe", "瓷砖有裂纹，商家不给换。")
    found = {}
    _signed_in(desk, h5, h5_app, "/subsidy-programs")
    ids = {"program": programme["program_id"], "claim": claim["id"], "complaint": complaint["id"]}
    for name, (path, ready) in SCREENS.items():
        desk.goto(f"{h5}{CONSOLE}{path.format(**ids)}")
        desk.locator(ready).first.wait_for(state="attached")
        desk.wait_for_load_state("networkidle")
        found[name] = _axe(desk)
        _shot(desk, f"admin-{name}")
    desk.goto(f"{h5}{CONSOLE}/subsidy-programs")
    desk.get_by_role("button", name="新建补贴项目").click()
    desk.get_by_role("dialog", name="新建补贴项目").get_by_label("项目名称").wait_for()
    desk.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    found["programme-dialog"] = _axe(desk)
    print("\naxe (WCAG 2.1 A/AA):", found)
    serious = {
        name: [v for v in found[name] if v["impact"] in ("serious", "critical")] for name in found
    }
    assert serious == {name: [] for name in found}, serious


def test_create_a_programme_and_top_it_up(desk, h5, h5_app):
    _signed_in(desk, h5, h5_app, "/subsidy-programs")
    desk.get_by_role("button", name="新建补贴项目").click()
    dialog = desk.get_by_role("dialog", name="新建补贴项目")
    dialog.get_by_label("项目名称").fill("郑州市节能门窗以旧换新补贴（测试）")
    desk.locator("#program-region-city").select_option("410100")
    dialog.locator(".el-select").click()
    desk.get_by_role("option", name="节能门窗").click()
    desk.keyboard.press("Escape")
    dialog.get_by_label("预算总额（元）").fill("200000")
    dialog.get_by_label("开始日期").fill("2026-12-01")
    dialog.get_by_label("结束日期").fill("2027-03-31")
    dialog.get_by_role("button", name="创建项目").click()
    row = desk.locator("tr[data-program]").filter(has_text="郑州市节能门窗以旧换新补贴（测试）")
    row.wait_for()
    assert (
        "410100" in row.inner_text()
        and "¥200000.00" in row.inner_text()
        and "15%" in row.inner_text()
    )
    row.get_by_role("button", name="追加预算").click()
    topup = desk.get_by_role("dialog", name="追加预算")
    topup.get_by_label("追加金额（元）").fill("50000.50")
    topup.get_by_role("button", name="确认追加").click()
    row.filter(has_text="¥250000.50").wait_for()


def test_a_county_officer_reads_the_calendar_but_not_the_audit_log(desk, h5, h5_app):
    _signed_in(desk, h5, h5_app, "/holidays", username="demo-county")
    desk.get_by_role("heading", name="节假日").wait_for()
    desk.locator("tr[data-day]").first.wait_for()
    assert desk.get_by_text("节假日安排由省级主管部门维护，本账号只能查看。").is_visible()
    assert desk.get_by_role("button", name="保存").count() == 0
    menu = desk.get_by_role("navigation", name="主菜单")
    assert menu.get_by_role("link", name="节假日").is_visible()
    assert menu.get_by_role("link", name="操作日志").count() == 0  # a province officer's page
    _signed_in(desk, h5, h5_app, "/audit-log", username="demo-county")  # typed in by hand
    desk.get_by_role("alert").filter(has_text="审计日志仅限省级管理员查看").wait_for()


def test_negative_list_the_product_of_a_fake_certification_complaint(desk, h5, h5_app):
    from app.catalog import eligibility
    from app.catalog.models import NegativeListEntry
    from app.extensions import db
    from app.merchants.models import Shop
    from app.subsidies.demo import SHOP, TITLE, _product
    from app.subsidies.models import SubsidyProgram

    with h5_app.app_context():
        program = db.session.scalar(sa.select(SubsidyProgram).where(SubsidyProgram.title == TITLE))
        shop = db.session.scalar(sa.select(Shop).where(Shop.name == SHOP))
        product_id = _product(shop, program, "furniture", eligibility.today()).id
        db.session.remove()
    token = _villager(h5_app, "ops-fake-cert")
    complaint = _api(
        h5_app,
        "POST",
        "/api/mp/v1/complaints",
        token,
        {
            "category": "fake_certification",
            "product_id": product_id,
            "description": "家具上的绿色建材认证证书编号查不到，怀疑是假的。",
        },
    )["complaint"]
    _signed_in(desk, h5, h5_app, f"/complaints/{complaint['id']}")
    desk.get_by_role("heading", name=f"投诉 {complaint['tracking_no']}").wait_for()
    assert (
        desk.get_by_role("heading", name="列入负面清单").count() == 0
    )  # not before it is accepted
    desk.get_by_role("button", name="受理", exact=True).click()
    desk.get_by_role("button", name="确认受理").click()
    desk.get_by_role("heading", name="列入负面清单").wait_for()
    desk.get_by_label("列入原因（必填）").fill("经核实证书系伪造")
    desk.get_by_role("button", name="列入负面清单").click()
    desk.get_by_role("status").filter(has_text="已列入负面清单").wait_for()
    desk.locator(".timeline li").filter(has_text="列入负面清单：经核实证书系伪造").wait_for()
    with h5_app.app_context():
        entry = db.session.scalar(
            sa.select(NegativeListEntry).where(
                NegativeListEntry.source_complaint_id == complaint["id"]
            )
        )
        assert entry is not None and entry.product_id == product_id
        db.session.remove()
