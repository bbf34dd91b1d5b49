"""Reading the audit log (province admins), its exports, and recording downloads."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Response, request

from app.audit.capture import EXPORTS, OTHER_EXPORT, SUBJECT_LABELS, action_label
from app.audit.listeners import Actor, current_officer, follow, new_entry
from app.audit.models import AuditEntry
from app.core import auth, sheets
from app.core.db import CHINA, china_time
from app.core.errors import forbidden, unprocessable
from app.core.regions import level_of, scope_prefix
from app.extensions import db

EXPORT_MAX = 50_000
EXPORT_COLUMNS = ("编号", "时间", "操作人编号", "操作人", "角色", "操作人地区", "操作", "操作代码",
                  "对象类型", "对象编号", "对象地区", "摘要", "详情", "请求编号")
# A spreadsheet runs a cell that starts with one of these as a formula (CWE-1236).


def record(action: str, *, actor: Actor, subject_type: str, subject_id: Any = None,
           subject_region_code: str | None = None, summary: str,
           detail: dict | None = None) -> AuditEntry:
    """Add one entry in the current transaction (for what no table change shows)."""
    entry = AuditEntry(**new_entry(action, actor=actor, subject_type=subject_type,
                                   subject_id=subject_id,
                                   subject_region_code=subject_region_code, summary=summary,
                                   detail=detail or {}))
    db.session.add(entry)
    db.session.flush()
    return entry


def record_download(response: Response) -> Response:
    """After each request: an officer's download (an attachment) is an export, logged in the
    request's transaction. If the entry can't be written the download fails with it."""
    disposition = response.headers.get("Content-Disposition", "")
    if response.status_code >= 400 or not disposition.startswith("attachment"):
        return response
    officer = current_officer()
    if officer is None:
        return response
    export = EXPORTS.get(request.url_rule.rule if request.url_rule else "", OTHER_EXPORT)
    subject_id = (request.view_args or {}).get(export.subject_arg) if export.subject_arg else None
    region = None
    if export.region and subject_id is not None:
        region = follow(db.session.connection(), subject_id, [export.region])
    if export.region_arg:
        region = request.args.get(export.region_arg) or officer.region_code
    query = {key: _china_text(value) for key, value in request.args.items()}
    detail = {"path": request.path, "query": query,
              "file": disposition.partition("filename=")[2].strip('"') or None}
    detail.update({key: response.headers.get(header) for key, header in export.headers.items()})
    summary = f"{action_label(export.action)}：{SUBJECT_LABELS.get(export.subject, '')}"
    if subject_id is not None:
        summary += f" #{subject_id}"
    if detail.get("batch_no"):
        summary += f"，批次 {detail['batch_no']}"
    if detail.get("count") is not None:
        summary += f"，共 {detail['count']} 条"
    record(export.action, actor=officer, subject_type=export.subject, subject_id=subject_id,
           subject_region_code=region, summary=summary, detail=detail)
    return response


def _china_text(value: str) -> str:
    """A time among the query's values is kept as China time, like every time we show."""
    if "T" not in value[:20]:
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return china_time(moment if moment.tzinfo else moment.replace(tzinfo=CHINA)).isoformat()


# ---- reading ------------------------------------------------------------------------------

def require_province_admin(user: Any) -> None:
    if user.role != auth.ADMIN or not user.region_code or level_of(user.region_code) != "province":
        raise forbidden("province_admin_only", "审计日志仅限省级管理员查看")


def _start(moment: date | datetime) -> datetime:
    if isinstance(moment, datetime):
        return moment
    return datetime.combine(moment, time(), tzinfo=CHINA)


def entries(user: Any, *, actor: int | None = None, subject_type: str | None = None,
            subject_id: str | None = None, action: str | None = None,
            from_: date | datetime | None = None, to: date | datetime | None = None,
            **_page: Any) -> sa.Select:
    """What a province admin may read: entries whose subject, or whose actor, lies in the
    province; filtered by officer, subject, action (`product.*`: a family) and time."""
    require_province_admin(user)
    prefix = scope_prefix(user.region_code)
    stmt = sa.select(AuditEntry).where(sa.or_(AuditEntry.subject_region_code.startswith(prefix),
                                              AuditEntry.actor_region_code.startswith(prefix)))
    if actor is not None:
        stmt = stmt.where(AuditEntry.actor_id == actor)
    if subject_type:
        stmt = stmt.where(AuditEntry.subject_type == subject_type)
    if subject_id:
        stmt = stmt.where(AuditEntry.subject_id == subject_id)
    if action and action.endswith(".*"):
        stmt = stmt.where(AuditEntry.action.startswith(action[:-1], autoescape=True))
    elif action:
        stmt = stmt.where(AuditEntry.action == action)
    since = _start(from_) if from_ is not None else None
    if since is not None:
        stmt = stmt.where(AuditEntry.at >= since)
    if to is not None:
        # A day counts whole (until the next China midnight); a moment counts itself.
        day = not isinstance(to, datetime)
        until = _start(to + timedelta(days=1)) if day else to
        if since is not None and (until <= since if day else until < since):
            raise unprocessable("invalid_range", "结束不能早于开始", {"to": ["结束不能早于开始"]})
        stmt = stmt.where(AuditEntry.at < until if day else AuditEntry.at <= until)
    return stmt


def _for_export(stmt: sa.Select) -> list[AuditEntry]:
    count = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    if count > EXPORT_MAX:
        raise unprocessable("too_many_rows", f"符合条件的记录有 {count} 条，超过 {EXPORT_MAX} 条，"
                                             "请缩小时间范围或加筛选条件后再导出")
    return list(db.session.scalars(stmt.order_by(AuditEntry.id.desc())))


def _cells(entry: AuditEntry) -> list[Any]:
    return [entry.id, china_time(entry.at).isoformat(timespec="seconds"), entry.actor_id,
            entry.actor_name, entry.actor_role, entry.actor_region_code,
            action_label(entry.action), entry.action,
            SUBJECT_LABELS.get(entry.subject_type, entry.subject_type), entry.subject_id,
            entry.subject_region_code, entry.summary,
            json.dumps(entry.detail, ensure_ascii=False, sort_keys=True), entry.request_id]


def export_csv(stmt: sa.Select) -> tuple[bytes, int]:
    rows = _for_export(stmt)
    return sheets.csv_bytes(EXPORT_COLUMNS, map(_cells, rows)), len(rows)


def export_xlsx(stmt: sa.Select) -> tuple[bytes, int]:
    rows = _for_export(stmt)
    return sheets.xlsx_bytes("审计日志", EXPORT_COLUMNS, map(_cells, rows)), len(rows)
