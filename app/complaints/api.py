"""Console endpoints for complaints: officers handle them, merchants answer theirs."""

from __future__ import annotations

from datetime import date

from app.accounts.schemas import RevealArgs
from app.catalog.admin_schemas import NegativeListEntrySchema
from app.complaints import calendar, reveals, services
from app.complaints.models import Complaint
from app.complaints.schemas import (
    ComplaintNegativeListArgs,
    ComplaintPage,
    ComplaintSchema,
    HolidayArgs,
    HolidaySchema,
    OfficerComplaintPage,
    OfficerComplaintSchema,
    PhoneRevealSchema,
    QueueArgs,
    ResponseArgs,
    TransitionArgs,
    YearArgs,
)
from app.core import auth
from app.core.errors import forbidden, unprocessable
from app.core.openapi import Blueprint
from app.core.pagination import paginate, paginate_ascending, paginate_ordered
from app.core.schemas import PageArgs, page_of

blp = Blueprint("complaints-console", __name__, url_prefix="/api/v1",
                description="投诉处理：主管部门、商家回复")


@blp.route("/admin/complaints")
@auth.auth_required(auth.ADMIN)
@blp.arguments(QueueArgs, location="query")
@blp.response(200, OfficerComplaintPage)
def queue(args):
    """Complaints routed to the officer's region; `overdue=true` lists the late ones;
    `sort=deadline` the open ones, the earliest deadline first (the officer's work queue)."""
    by_deadline = args["sort"] == "deadline"
    stmt = services.officer_queue(auth.current_user(), status=args.get("status"),
                                  overdue=args.get("overdue"), open_only=by_deadline)
    if by_deadline:
        return paginate_ascending(stmt, services.DUE_ON, Complaint.id, limit=args["limit"],
                                  cursor=args["cursor"], parse=date.fromisoformat)
    return paginate(stmt, Complaint.id, limit=args["limit"], cursor=args["cursor"])


@blp.route("/admin/complaints/<int:complaint_id>")
@auth.auth_required(auth.ADMIN)
@blp.response(200, OfficerComplaintSchema)
def get_complaint(complaint_id):
    return services.get_for_officer(complaint_id, auth.current_user())


@blp.route("/admin/complaints/<int:complaint_id>/transitions", methods=["POST"])
@auth.auth_required(auth.ADMIN)
@blp.arguments(TransitionArgs)
@blp.response(200, OfficerComplaintSchema)
def transition(args, complaint_id):
    """accept | decline | ask_merchant | mediate | resolve | close | transfer."""
    user = auth.current_user()
    complaint = services.get_for_officer(complaint_id, user)
    return services.act(complaint, args["action"], user, note=args["note"],
                        region_code=args["region_code"])


@blp.route("/admin/complaints/<int:complaint_id>/negative-list", methods=["POST"])
@auth.auth_required(auth.ADMIN)
@blp.arguments(ComplaintNegativeListArgs)
@blp.response(201, NegativeListEntrySchema)
def to_negative_list(args, complaint_id):
    """Put the product (or its enterprise) on the negative list, linked to this complaint."""
    user = auth.current_user()
    complaint = services.get_for_officer(complaint_id, user)
    return services.send_to_negative_list(complaint, by=user, **args)


@blp.route("/admin/complaints/<int:complaint_id>/reveal-phone", methods=["POST"])
@auth.auth_required(auth.ADMIN)
@blp.arguments(RevealArgs)
@blp.response(200, PhoneRevealSchema, headers={"Cache-Control": {
    "description": "no-store", "schema": {"type": "string"}}})
def reveal_phone(args, complaint_id):
    """The complainant's full phone, to call back: the purpose stated is logged with who,
    whose and when (个人信息访问记录). Everywhere else the phone stays masked."""
    user = auth.current_user()
    complaint = services.get_for_officer(complaint_id, user)
    return reveals.reveal_phone(complaint, by=user, **args), {"Cache-Control": "no-store"}


@blp.route("/merchant/complaints")
@auth.auth_required(*auth.MERCHANT_ROLES)
@blp.arguments(PageArgs, location="query")
@blp.response(200, ComplaintPage)
def merchant_queue(args):
    """Complaints about the caller's shop that officers forwarded to it."""
    return paginate(services.merchant_queue(auth.current_user()), Complaint.id,
                    limit=args["limit"], cursor=args["cursor"])


@blp.route("/merchant/complaints/<int:complaint_id>")
@auth.auth_required(*auth.MERCHANT_ROLES)
@blp.response(200, ComplaintSchema)
def merchant_get(complaint_id):
    return services.get_for_merchant(complaint_id, auth.current_user())


@blp.route("/merchant/complaints/<int:complaint_id>/responses", methods=["POST"])
@auth.auth_required(*auth.MERCHANT_ROLES)
@blp.arguments(ResponseArgs)
@blp.response(200, ComplaintSchema)
def merchant_respond(args, complaint_id):
    user = auth.current_user()
    complaint = services.get_for_merchant(complaint_id, user)
    return services.act(complaint, "respond", user, note=args["message"])


@blp.route("/admin/holidays")
@auth.auth_required(auth.ADMIN)
@blp.arguments(YearArgs, location="query")
@blp.response(200, page_of(HolidaySchema))
def holidays(args):
    """The calendar complaint deadlines are counted on (days off and weekends worked)."""
    return paginate_ordered(calendar.days_in(args["year"]), lambda day: day.day.isoformat(),
                            limit=args["limit"], cursor=args["cursor"])


@blp.route("/admin/holidays", methods=["PUT"])
@auth.auth_required(auth.ADMIN)
@blp.arguments(HolidayArgs)
@blp.response(200, HolidaySchema)
def set_holiday(args):
    """Province-level admins keep the calendar."""
    _province_level()
    return calendar.set_day(args["day"], args["name"], args["is_workday"])


@blp.route("/admin/holidays/<day>", methods=["DELETE"])
@auth.auth_required(auth.ADMIN)
@blp.response(204)
def delete_holiday(day):
    _province_level()
    try:
        calendar.remove_day(date.fromisoformat(day))
    except ValueError:
        raise unprocessable("invalid_date", "日期格式有误", {"day": ["YYYY-MM-DD"]}) from None


def _province_level() -> None:
    code = auth.current_user().region_code or ""
    if not code.endswith("0000") or len(code) != 6:
        raise forbidden("province_only", "节假日安排由省级主管部门维护")
