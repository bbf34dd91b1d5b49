"""Console endpoints for the campaign summary report (活动总结): JSON and Excel."""

from __future__ import annotations

from app.core import auth
from app.core.openapi import Blueprint
from app.core.sheets import XLSX, download
from app.reports import dashboard, services, workbook
from app.reports.schemas import DashboardSchema, SummaryArgs, SummarySchema

blp = Blueprint("reports-admin", __name__, url_prefix="/api/v1/admin/reports",
                description="活动总结：按地区和期间汇总展销会、商家商品、促销优惠券、财政补贴、投诉处理")


@blp.route("/summary")
@auth.auth_required(auth.ADMIN)
@blp.arguments(SummaryArgs, location="query")
@blp.response(200, SummarySchema)
def summary(args):
    """The summary of the admin's region (or one inside it) for a period, with a row per
    direct sub-region and the total; amounts in fen, dates in China time."""
    return services.summary(auth.current_user(), **_query(args))


@blp.route("/summary.xlsx")
@auth.auth_required(auth.ADMIN)
@blp.arguments(SummaryArgs, location="query")
@blp.response(200, content_type=XLSX,
              description="the same summary as an Excel workbook: 汇总 and one sheet per domain, "
                          "amounts in yuan; the download is logged")
def summary_xlsx(args):
    report = services.summary(auth.current_user(), **_query(args))
    return download(workbook.workbook_bytes(report), workbook.filename(report))


@blp.route("/dashboard")
@auth.auth_required(auth.ADMIN)
@blp.arguments(SummaryArgs, location="query")
@blp.response(200, DashboardSchema)
def dashboard_series(args):
    """The dashboard's series for the admin's region (or one inside it): coupons claimed and
    redeemed per day, each subsidy programme's claims and budget burn-down, complaints by
    status and overdue. The per-county comparison is the summary's rows."""
    return dashboard.dashboard(auth.current_user(), **_query(args))


def _query(args: dict) -> dict:
    return {"region": args.get("region"), "first": args.get("first"), "last": args.get("last")}
