"""Console endpoints for the audit log: read and export it (province admins)."""

from __future__ import annotations

import app.audit.listeners  # noqa: F401  (its session events are the capture itself)
from app.audit import services
from app.audit.models import AuditEntry
from app.audit.schemas import AuditEntryPage, AuditFilterArgs, AuditLogArgs
from app.core import auth
from app.core.openapi import Blueprint
from app.core.pagination import paginate
from app.core.sheets import XLSX, download

blp = Blueprint("audit", __name__, url_prefix="/api/v1/admin",
                description="审计日志：官员的每项操作与每次查看完整个人信息（省级管理员）")
blp.after_app_request(services.record_download)

@blp.route("/audit-log")
@auth.auth_required(auth.ADMIN)
@blp.arguments(AuditLogArgs, location="query")
@blp.response(200, AuditEntryPage)
def audit_log(args):
    """Officer actions and personal-data access in the province, newest first; filter by
    officer (`actor`), subject, action and time."""
    stmt = services.entries(auth.current_user(), **args)
    return paginate(stmt, AuditEntry.id, limit=args["limit"], cursor=args["cursor"])


@blp.route("/audit-log.csv")
@auth.auth_required(auth.ADMIN)
@blp.arguments(AuditFilterArgs, location="query")
@blp.response(200, content_type="text/csv",
              description="the same entries as CSV (UTF-8 with BOM, Chinese headings); "
                          "the export is itself logged")
def audit_log_csv(args):
    body, count = services.export_csv(services.entries(auth.current_user(), **args))
    return download(body, "audit-log.csv", rows=count)


@blp.route("/audit-log.xlsx")
@auth.auth_required(auth.ADMIN)
@blp.arguments(AuditFilterArgs, location="query")
@blp.response(200, content_type=XLSX,
              description="the same entries as an Excel sheet; the export is itself logged")
def audit_log_xlsx(args):
    body, count = services.export_xlsx(services.entries(auth.current_user(), **args))
    return download(body, "audit-log.xlsx", rows=count)
