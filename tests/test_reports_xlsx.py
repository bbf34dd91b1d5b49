"""The summary as Excel: opened with openpyxl and read cell by cell for one county."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from app.audit.models import AuditEntry
from app.extensions import db
from app.regions.models import Region
from app.reports.sections import SECTIONS
from tests.test_reports import PERIOD, URL, campaign  # noqa: F401 - the fixture

SHEETS = ["汇总", "展销会", "商家与商品", "促销与优惠券", "财政补贴", "投诉处理", "消息通知"]
OVERVIEW_HEADINGS = [
    "地区", "行政区划代码", "举办展销会（场）", "报名人数", "入场人数", "参与商家（家）",
    "上架商品（件）", "符合活动条件", "促销活动（个）", "优惠券领取（张）", "优惠券核销（张）",
    "让利金额（元）", "补贴申请（件）", "补贴批准金额（元）", "补贴已发放（元）",
    "补贴剩余预算（元）", "收到投诉（件）", "投诉办结（件）", "投诉逾期未办结",
    "平均办结用时（工作日）", "平均满意度（1-5）"]


def _download(client, world, query: str = PERIOD):
    response = client.get(f"{URL}.xlsx?{query}", headers=world["headers"]["county_here"])
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="summary-410105-20261201-20261210.xlsx"'
    return load_workbook(io.BytesIO(response.data))


def _values(sheet, row: int) -> list:
    return [cell.value for cell in sheet[row]]


def test_county_workbook_cell_by_cell(client, world, campaign):  # noqa: F811
    book = _download(client, world)
    report = client.get(f"{URL}?{PERIOD}", headers=world["headers"]["county_here"]).get_json()
    assert book.sheetnames == SHEETS
    sheet = book["汇总"]
    assert sheet["A1"].value == "金水区绿色建材下乡活动总结 · 汇总（2026-12-01 至 2026-12-10）"
    assert sheet["A2"].value.startswith(
        "行政区划代码：410105\u3000统计期间：2026-12-01 至 2026-12-10（北京时间，含首尾两日）"
        "\u3000金额单位：元")
    assert _values(sheet, 3) == OVERVIEW_HEADINGS
    # the two townships, the county's own records, the total; nothing below
    assert _values(sheet, 4) == ["经八路街道", "410105001", 1, 3, 2, 1, 1, 1, *[0] * 11,
                                 None, None]
    assert _values(sheet, 5) == ["花园路街道", "410105002", *[0] * 17, None, None]
    # 本级: 2 shops, 5 listed products (2 eligible), 1 promotion, 3 coupons claimed and 2
    # redeemed for 13.00 yuan off, 4 claims (200.00 + 50.00 approved, 50.00 paid out) of a
    # programme with 9,700.00 yuan left, 4 complaints received, 2 resolved, 1 overdue,
    # (3 + 6) / 2 = 4.5 working days, rated 4
    assert _values(sheet, 6) == ["金水区（本级）", "410105", 0, 0, 0, 2, 5, 2, 1, 3, 2, 13, 4, 250,
                                 50, 9700, 4, 2, 1, 4.5, 4]
    assert _values(sheet, 7) == ["合计", None, 1, 3, 2, 3, 6, 3, 1, 3, 2, 13, 4, 250, 50, 9700, 4,
                                 2, 1, 4.5, 4]
    assert sheet.max_row == 7
    assert sheet["L6"].number_format == "#,##0.00" and sheet["C4"].number_format == "#,##0"
    # every domain sheet: the JSON's figures, amounts in yuan, the total last
    lines = [*report["rows"], {"region": {"name": "合计", "code": None}, **report["total"]}]
    for section in SECTIONS:
        sheet = book[section.title]
        assert sheet["A1"].value.startswith(f"金水区绿色建材下乡活动总结 · {section.title}")
        assert _values(sheet, 3) == ["地区", "行政区划代码", *(f.heading for f in section.figures)]
        for offset, line in enumerate(lines, start=4):
            want = [line["region"]["name"], line["region"]["code"]]
            for figure in section.figures:
                value = line[section.name][figure.name]
                want.append(value / 100 if figure.kind == "fen" else value)
            assert _values(sheet, offset) == want, (section.title, offset)
        assert sheet.max_row == 3 + len(lines)
    subsidies = book["财政补贴"]
    assert [c.value for c in subsidies[7]][2:8] == [4, 1, 100, 250, 50, 1]  # 合计, in yuan


def test_totals_are_the_sum_of_the_lines(client, world, campaign):  # noqa: F811
    book = _download(client, world)
    for sheet in book.worksheets:
        for column in range(3, sheet.max_column + 1):
            values = [sheet.cell(row=r, column=column).value for r in range(4, sheet.max_row)]
            heading = sheet.cell(row=3, column=column).value
            if heading.startswith("平均"):
                continue
            total = sheet.cell(row=sheet.max_row, column=column).value
            assert round(sum(values), 2) == total, (sheet.title, heading)


def test_region_names_stay_text(client, world, campaign):  # noqa: F811
    db.session.add(Region(code="410105003", name="=HYPERLINK(\"http://x\")", level="township",
                          parent_code="410105"))
    db.session.commit()
    book = _download(client, world)
    cell = book["汇总"]["A6"]
    assert cell.value == "=HYPERLINK(\"http://x\")" and cell.data_type == "s"


def test_download_is_in_the_audit_log(client, world, campaign):  # noqa: F811

    _download(client, world)
    entry = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "report.exported"
    assert entry.summary == "导出活动总结：活动总结"
    assert entry.subject_region_code == "410105"  # the officer's own region, asked for none
    assert entry.detail["path"] == f"{URL}.xlsx"


def test_download_of_a_sub_region_is_logged_under_it(client, world, campaign):  # noqa: F811
    response = client.get(f"{URL}.xlsx?region=410105&{PERIOD}",
                          headers=world["headers"]["province"])
    assert response.status_code == 200
    entry = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.subject_region_code) == ("report.exported", "410105")
    assert entry.detail["query"]["region"] == "410105"
