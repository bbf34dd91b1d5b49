"""The summary as the Excel workbook the province asks for: a 汇总 sheet and one per domain.

Each sheet: the region and period in a title row, Chinese headings, one line per row of the
report (the region itself when it has no sub-regions) and a 合计 line equal to their sum;
amounts in yuan with two decimals, written as numbers.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.core.db import china_time
from app.reports.sections import AVERAGE, FEN, SECTIONS, Figure

SUMMARY_SHEET = "汇总"
TOTAL_LABEL = "合计"
HEAD = ("地区", "行政区划代码")
HEADING_ROW = 3  # title, subtitle, headings, then the lines
YUAN_FORMAT, COUNT_FORMAT, AVERAGE_FORMAT = "#,##0.00", "#,##0", "0.00"

# The figures of the 汇总 sheet: (section, figure) in this order.
OVERVIEW = (("expos", "held"), ("expos", "registrations"), ("expos", "admissions"),
            ("merchants", "shops_approved"), ("merchants", "products_listed"),
            ("merchants", "products_eligible"), ("promotions", "promotions"),
            ("promotions", "coupons_claimed"), ("promotions", "coupons_redeemed"),
            ("promotions", "discount_fen"), ("subsidies", "claims"),
            ("subsidies", "approved_fen"), ("subsidies", "disbursed_fen"),
            ("subsidies", "remaining_fen"), ("complaints", "received"),
            ("complaints", "resolved"), ("complaints", "overdue"),
            ("complaints", "avg_handling_workdays"), ("complaints", "avg_satisfaction"))
_FIGURES = {(s.name, f.name): f for s in SECTIONS for f in s.figures}
# Headings that need their domain named on the 汇总 sheet.
_OVERVIEW_HEADINGS = {("promotions", "coupons_claimed"): "优惠券领取（张）",
                      ("promotions", "coupons_redeemed"): "优惠券核销（张）",
                      ("subsidies", "approved_fen"): "补贴批准金额（元）",
                      ("subsidies", "disbursed_fen"): "补贴已发放（元）",
                      ("subsidies", "remaining_fen"): "补贴剩余预算（元）",
                      ("complaints", "resolved"): "投诉办结（件）",
                      ("complaints", "overdue"): "投诉逾期未办结"}
Column = tuple[str, str, str, Figure]  # section, figure, heading, the figure


def _safe(value: Any) -> Any:
    """Text as text: no characters an XLSX can't hold; see app.core.sheets."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _put(sheet: Worksheet, row: int, column: int, value: Any, number_format: str | None = None):
    cell = sheet.cell(row=row, column=column, value=_safe(value))
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"  # openpyxl would write it as a formula (CWE-1236)
    if number_format and value is not None:
        cell.number_format = number_format
    return cell


def _value(figure: Figure, value: Any) -> tuple[Any, str]:
    if figure.kind == FEN:
        return round(value / 100, 2), YUAN_FORMAT
    if figure.kind == AVERAGE:
        return value, AVERAGE_FORMAT
    return value, COUNT_FORMAT


def _lines(report: dict) -> list[tuple[str, str, dict]]:
    """(name, code, sections) per line, the 合计 line last."""
    rows = report["rows"] or [{"region": report["region"], **report["total"]}]
    lines = [(row["region"]["name"], row["region"]["code"], row) for row in rows]
    return [*lines, (TOTAL_LABEL, "", report["total"])]


def _sheet(sheet: Worksheet, report: dict, title: str,
           columns: list[Column]) -> None:
    region = report["region"]
    generated = china_time(report["generated_at"]).strftime("%Y-%m-%d %H:%M")
    width = len(HEAD) + len(columns)
    _put(sheet, 1, 1, f"{region['name']}绿色建材下乡活动总结 · {title}"
                      f"（{report['from']:%Y-%m-%d} 至 {report['to']:%Y-%m-%d}）").font = \
        Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    _put(sheet, 2, 1, f"行政区划代码：{region['code']}　统计期间：{report['from']:%Y-%m-%d} 至 "
                      f"{report['to']:%Y-%m-%d}（北京时间，含首尾两日）　金额单位：元　"
                      f"生成时间：{generated}")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    headings = [*HEAD, *(heading for _, _, heading, _ in columns)]
    for column, heading in enumerate(headings, start=1):
        cell = _put(sheet, HEADING_ROW, column, heading)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for offset, (name, code, sections) in enumerate(_lines(report), start=HEADING_ROW + 1):
        _put(sheet, offset, 1, name).font = Font(bold=name == TOTAL_LABEL and not code)
        _put(sheet, offset, 2, code)
        for column, (section, figure_name, _, figure) in enumerate(columns,
                                                                   start=len(HEAD) + 1):
            _put(sheet, offset, column, *_value(figure, sections[section][figure_name]))
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 14
    for column in range(len(HEAD) + 1, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    sheet.row_dimensions[HEADING_ROW].height = 36
    sheet.freeze_panes = sheet.cell(row=HEADING_ROW + 1, column=len(HEAD) + 1)


def workbook_bytes(report: dict) -> bytes:
    book = Workbook()
    overview = book.active
    overview.title = SUMMARY_SHEET
    _sheet(overview, report, "汇总",
           [(section, name, _OVERVIEW_HEADINGS.get((section, name),
                                                   _FIGURES[section, name].heading),
             _FIGURES[section, name]) for section, name in OVERVIEW])
    for section in SECTIONS:
        _sheet(book.create_sheet(section.title), report, section.title,
               [(section.name, f.name, f.heading, f) for f in section.figures])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def filename(report: dict) -> str:
    return (f"summary-{report['region']['code']}-{report['from']:%Y%m%d}-"
            f"{report['to']:%Y%m%d}.xlsx")
