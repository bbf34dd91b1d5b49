"""Certificate list import (CSV or .xlsx): good rows in, bad rows reported, none half done."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from app.catalog import binding
from app.catalog.cache import catalog_changed
from app.catalog.models import Category, Certificate, Enterprise, Product
from app.catalog.services import refresh_search_terms
from app.core.errors import conflict, unprocessable
from app.core.regions import parent_candidates
from app.core.validators import is_valid_credit_code
from app.extensions import db
from app.regions.models import Region

MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 10  # a title line or two may sit above the header

# field: (Chinese name for messages, accepted headers...)
COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("证书编号", "证书号", "number", "certificate_number", "certificate_no", "cert_no"),
    "issuer": ("认证机构", "发证机构", "issuer", "certification_body", "certifier"),
    "enterprise_name": ("企业名称", "获证企业", "生产企业", "enterprise", "enterprise_name",
                        "company"),
    "credit_code": ("统一社会信用代码", "信用代码", "credit_code", "uscc"),
    "product_name": ("产品名称", "product", "product_name"),
    "star": ("星级", "认证星级", "star", "star_level"),
    "issued_on": ("发证日期", "颁证日期", "issued_on", "issue_date", "issued"),
    "expires_on": ("有效期至", "有效期截止日期", "到期日期", "expires_on", "expiry_date",
                   "valid_until"),
    "status": ("状态", "证书状态", "status"),
    "category": ("产品类别", "认证产品类别", "类别", "产品分类", "category", "product_category"),
}
# absent or blank: new certificates are valid and without a category, others keep theirs
OPTIONAL = frozenset({"status", "category"})
MAX_LENGTHS = {"number": 64, "issuer": 120, "enterprise_name": 120, "product_name": 200}
STARS = {"一星级": 1, "二星级": 2, "三星级": 3, "一星": 1, "二星": 2, "三星": 3,
         "★": 1, "★★": 2, "★★★": 3}
STATUSES = {"有效": "valid", "正常": "valid", "valid": "valid", "暂停": "suspended",
            "已暂停": "suspended", "suspended": "suspended", "撤销": "revoked",
            "已撤销": "revoked", "revoked": "revoked"}
_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TIME_SUFFIX_RE = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def normalise_code(value: str) -> str:
    """Certificate numbers and credit codes: half-width, no spaces, upper case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value)).upper()


def _header_key(value: Any) -> str:
    return re.sub(r"[\s_\-*]", "", unicodedata.normalize("NFKC", str(value or "")).lower())


_ALIASES = {_header_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases}


@dataclass
class ImportReport:
    total: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[dict] = field(default_factory=list)


@dataclass
class _Row:
    line: int
    values: dict[str, Any]
    errors: list[str] = field(default_factory=list)

    @property
    def number(self) -> str | None:
        return self.values.get("number") or None


# ---- reading the file -------------------------------------------------------------------

def _unreadable(message: str) -> Exception:
    return unprocessable("unreadable_file", message, {"file": [message]})


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows saves CSV as GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _unreadable("无法识别文件编码，请保存为 UTF-8 编码的 CSV")
    if "\x00" in text:
        raise _unreadable("文件内容无法识别，请上传 CSV（UTF-8）或 .xlsx 文件")
    try:
        yield from enumerate(csv.reader(io.StringIO(text, newline="")), start=1)
    except csv.Error as exc:
        raise _unreadable(f"CSV 格式有误：{exc}") from None


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a damaged file
        raise _unreadable("Excel 文件已损坏或无法读取，请另存为 .xlsx 后重试") from None
    try:
        for number, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True), 1):
            yield number, list(row)
    finally:
        workbook.close()


def _table(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    if not data:
        raise _unreadable("文件为空")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _unreadable("不支持旧版 .xls 文件，请另存为 .xlsx 或 CSV（UTF-8）")
    return _xlsx_rows(data) if data.startswith(b"PK\x03\x04") else _csv_rows(data)


def _header(cells: list[Any]) -> dict[str, int] | None:
    """Column index per field when `cells` is a header row with every required column."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = _ALIASES.get(_header_key(cell))
        if name is None:
            continue
        if name in found:
            message = f"列「{COLUMNS[name][0]}」出现了两次"
            raise unprocessable("duplicate_column", message, {"file": [message]})
        found[name] = index
    return found if set(COLUMNS) - OPTIONAL <= set(found) else None


def read_rows(data: bytes) -> list[_Row]:
    """The data rows of the file, keyed by field; 422 when the file can't be used at all."""
    rows = _table(data)
    columns, first = None, None
    for line, cells in rows:
        if not any(_text(c) for c in cells):
            continue
        first = first or cells
        columns = _header(cells)
        if columns is not None or line >= HEADER_SEARCH_ROWS:
            break
    if columns is None:
        present = {_ALIASES.get(_header_key(c)) for c in first or []}
        missing = [COLUMNS[n][0] for n in COLUMNS if n not in OPTIONAL and n not in present]
        message = "缺少必需的列：" + "、".join(missing)
        raise unprocessable("missing_columns", message, {"file": [message]})
    out: list[_Row] = []
    for line, cells in rows:
        if not any(_text(c) for c in cells):
            continue
        if len(out) >= MAX_ROWS:
            message = f"一次最多导入 {MAX_ROWS} 行，请拆分文件"
            raise unprocessable("too_many_rows", message, {"file": [message]})
        out.append(_Row(line, {name: cells[i] if i < len(cells) else None
                               for name, i in columns.items()}))
    if not out:
        raise _unreadable("文件中没有证书数据")
    return out


# ---- checking a row ---------------------------------------------------------------------

def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _TIME_SUFFIX_RE.sub("", unicodedata.normalize("NFKC", _text(value)))
    match = _DATE_RE.match(text) or _COMPACT_DATE_RE.match(text)
    if match is None:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _star(value: Any) -> int | None:
    text = normalise_code(_text(value))
    if re.fullmatch(r"[123](\.0+)?", text):
        return int(text[0])
    return STARS.get(text)


def _category_key(value: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value)).lower()


def category_names() -> dict[str, int]:
    """Category id by what a list may write: the slug, the Chinese name, the name without its
    bracketed part (陶瓷砖), either half of a paired name (整体厨房)."""
    names: dict[str, int] = {}
    for category in db.session.scalars(sa.select(Category)):
        name = unicodedata.normalize("NFKC", category.name)
        short = re.sub(r"\(.*?\)", "", name)
        for alias in (category.slug, name, short, *short.split("/")):
            names.setdefault(_category_key(alias), category.id)
    return names


def _check(row: _Row, categories: dict[str, int]) -> None:
    """Normalise row.values in place; what is wrong goes to row.errors in plain Chinese."""
    raw, values = row.values, {}
    for name in ("number", "issuer", "enterprise_name", "credit_code", "product_name"):
        text = _text(raw[name])
        if name in ("number", "credit_code"):
            text = normalise_code(text)
        if not text:
            row.errors.append(f"缺少{COLUMNS[name][0]}")
        elif name in MAX_LENGTHS and len(text) > MAX_LENGTHS[name]:
            row.errors.append(f"{COLUMNS[name][0]}过长（最多 {MAX_LENGTHS[name]} 个字）")
        values[name] = text
    code = values["credit_code"]
    if code and not is_valid_credit_code(code):
        row.errors.append(f"统一社会信用代码「{code}」无效：应为 18 位且校验位正确")
    values["star"] = _star(raw["star"])
    if values["star"] is None:
        row.errors.append(f"星级「{_text(raw['star'])}」无效："
                          "应为 1、2、3 或 一星级、二星级、三星级")
    for name in ("issued_on", "expires_on"):
        values[name] = _date(raw[name])
        if values[name] is None:
            shown = _text(raw[name])
            row.errors.append(f"{COLUMNS[name][0]}「{shown}」无法识别，请写成 2024-01-31 的格式"
                              if shown else f"缺少{COLUMNS[name][0]}")
    if values["issued_on"] and values["expires_on"] and values["expires_on"] < values["issued_on"]:
        row.errors.append("有效期至早于发证日期")
    status = _text(raw.get("status")).lower()
    values["status"] = STATUSES.get(status) if status else None
    if status and values["status"] is None:
        row.errors.append(f"状态「{_text(raw['status'])}」无效：应为 有效、暂停 或 撤销")
    category = _text(raw.get("category"))
    values["category_id"] = categories.get(_category_key(category)) if category else None
    if category and values["category_id"] is None:
        row.errors.append(f"产品类别「{category}」无法识别：请填写分类代码（如 insulation）"
                          "或中文名称（如 保温材料）")
    row.values = values


def _conflicts_in_file(rows: list[_Row]) -> None:
    """A number twice, or one credit code under two names: the file can't say which is right,
    so every row involved is rejected."""
    by_number: dict[str, list[_Row]] = defaultdict(list)
    names: dict[str, dict[str, list[_Row]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if row.values["number"]:
            by_number[row.values["number"]].append(row)
        if row.values["credit_code"] and row.values["enterprise_name"]:
            names[row.values["credit_code"]][row.values["enterprise_name"]].append(row)
    for same in by_number.values():
        if len(same) > 1:
            lines = "、".join(str(r.line) for r in same)
            for row in same:
                row.errors.append(f"证书编号在文件中重复出现（第 {lines} 行），请核对后只保留一行")
    for by_name in names.values():
        if len(by_name) > 1:
            involved = sorted((r for group in by_name.values() for r in group),
                              key=lambda r: r.line)
            lines = "、".join(str(r.line) for r in involved)
            for row in involved:
                row.errors.append(
                    f"同一统一社会信用代码在文件中对应不同的企业名称（第 {lines} 行）")


# ---- applying ---------------------------------------------------------------------------

def _fetch(column, keys: set[str]) -> list[Any]:
    keys_list, out = sorted(keys), []
    for start in range(0, len(keys_list), 500):
        out.extend(db.session.scalars(sa.select(column.class_).where(
            column.in_(keys_list[start:start + 500]))))
    return out


def _home_regions(codes: set[str]) -> dict[str, str | None]:
    """An enterprise's region from its credit code (characters 3-8: the registering
    authority's division code), or the nearest known region containing it."""
    candidates = {code: [code[2:8], *parent_candidates(code[2:8])] for code in codes}
    known = {region.code for region in _fetch(
        Region.code, {r for options in candidates.values() for r in options})}
    return {code: next((r for r in options if r in known), None)
            for code, options in candidates.items()}


def import_certificates(data: bytes) -> ImportReport:
    """Add or update certificates (and their enterprises) from the published list."""
    rows = read_rows(data)
    categories = category_names()
    for row in rows:
        _check(row, categories)
    _conflicts_in_file(rows)
    good = [r for r in rows if not r.errors]
    enterprises = {e.credit_code: e for e in _fetch(Enterprise.credit_code,
                                                      {r.values["credit_code"] for r in good})}
    certificates = {c.number: c for c in _fetch(Certificate.number,
                                                {r.values["number"] for r in good})}
    for row in good:
        cert = certificates.get(row.values["number"])
        if cert is not None and cert.enterprise.credit_code != row.values["credit_code"]:
            row.errors.append(f"该证书编号已登记在「{cert.enterprise.name}」"
                              f"（{cert.enterprise.credit_code}）名下，与本行统一社会信用代码不一致")
    good = [r for r in good if not r.errors]
    homes = _home_regions({r.values["credit_code"] for r in good} - set(enterprises))

    report = ImportReport(total=len(rows))
    renamed: set[Enterprise] = set()
    recategorised: list[Certificate] = []
    for row in good:
        values = row.values
        enterprise = enterprises.get(values["credit_code"])
        enterprise_changed = False
        if enterprise is None:
            enterprise = Enterprise(name=values["enterprise_name"],
                                    credit_code=values["credit_code"],
                                    region_code=homes[values["credit_code"]])
            db.session.add(enterprise)
            enterprises[enterprise.credit_code] = enterprise
        elif enterprise.name != values["enterprise_name"]:
            # The certification body's list is authoritative for the current name.
            enterprise.name = values["enterprise_name"]
            renamed.add(enterprise)
            enterprise_changed = True
        wanted = {k: values[k] for k in ("issuer", "product_name", "star", "issued_on",
                                          "expires_on", "status", "category_id")}
        cert = certificates.get(values["number"])
        if cert is None:
            wanted["status"] = wanted["status"] or "valid"
            db.session.add(Certificate(number=values["number"], enterprise=enterprise, **wanted))
            report.added += 1
            continue
        for key in ("status", "category_id"):  # blank: unchanged
            if wanted[key] is None:
                del wanted[key]
        changes = {k: v for k, v in wanted.items() if getattr(cert, k) != v}
        if "category_id" in changes:
            recategorised.append(cert)
        for key, value in changes.items():
            setattr(cert, key, value)
        if changes or enterprise_changed:
            report.updated += 1
        else:
            report.unchanged += 1
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        raise conflict("import_conflict", "导入时数据被同时修改（可能有另一导入在进行），"
                                          "本次未写入任何数据，请重新导入") from None
    for product in _products_of(renamed):
        refresh_search_terms(product)
    if recategorised:  # their products are judged on the (new) category now
        binding.recheck(binding.products_carrying(certificate_ids=[c.id for c in recategorised]))
    if report.added or report.updated:
        db.session.flush()
        catalog_changed()
    report.rejected = [{"row": r.line, "number": r.number, "errors": r.errors}
                       for r in rows if r.errors]
    return report


def _products_of(enterprises: set[Enterprise]) -> list[Product]:
    if not enterprises:
        return []
    return list(db.session.scalars(sa.select(Product).where(
        Product.enterprise_id.in_([e.id for e in enterprises]))))
