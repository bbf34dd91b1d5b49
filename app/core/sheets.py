"""Spreadsheets officers download (CSV and XLSX): safe to open, whatever villagers typed.

Text a spreadsheet would run as a formula stays text (CWE-1236: names, shop and product names,
invoice numbers are typed by villagers and merchants), and characters an XLSX file may not
hold (control characters a phone keyboard or a fuzzer can send) are dropped, not a 500.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from flask import Response
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: Any) -> Any:
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def csv_bytes(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a BOM (Excel then reads Chinese right); formula-like text gets a leading '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else
                         ("'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v)
                         for v in map(_text, row)])
    return ("\ufeff" + buffer.getvalue()).encode()


def xlsx_bytes(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(columns)
    for row in rows:
        sheet.append([_text(v) for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # openpyxl would write it as a formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(body: bytes, filename: str, *, rows: int | None = None) -> Response:
    """A file to save (CSV or XLSX by its name), with the row count when there is one."""
    response = Response(body, mimetype=XLSX if filename.endswith(".xlsx") else CSV)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if rows is not None:
        response.headers["X-Row-Count"] = str(rows)
    return response
