"""Open311 GeoReport v2, so existing civic tools can read and file complaints.

Our categories are the services, our states map to open/closed with status_notes. The
public view carries no personal data: no names, phones or accounts, and phone or ID numbers
typed into a description are masked.
"""

from __future__ import annotations

import re
from datetime import datetime

import sqlalchemy as sa
from flask_smorest import Blueprint
from marshmallow import fields, validate

from app.complaints import services
from app.complaints.models import CATEGORIES, OPEN, Complaint
from app.core import auth
from app.core.errors import not_found
from app.core.logging import mask_text
from app.core.schemas import StrictSchema
from app.extensions import db
from app.regions.models import Region

blp = Blueprint("open311", __name__, url_prefix="/open311/v2",
                description="Open311 GeoReport v2 接口")

STATUS_NOTES = {
    "submitted": "已收到，待受理", "accepted": "已受理", "awaiting_merchant": "已转商家处理",
    "merchant_responded": "商家已回复", "mediated": "调解中", "declined": "不予受理",
    "resolved": "已办结", "closed": "已关闭",
}
AGENCY = "市场监督管理部门（12315）"
# Phone numbers as villagers type them, beyond what mask_text catches: with +86 or 86 in
# front, with spaces or hyphens (138 0013 8000), and landlines with an area code.
_MOBILE = re.compile(r"(?<![\d+])(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?\d{4}[\s-]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})[\s-]?\d{3,4}(\d{4})(?!\d)")


class RequestsQuery(StrictSchema):
    service_request_id = fields.String()
    service_code = fields.String(validate=validate.OneOf(list(CATEGORIES)))
    start_date = fields.AwareDateTime()
    end_date = fields.AwareDateTime()
    status = fields.String(validate=validate.OneOf(["open", "closed"]))
    jurisdiction_id = fields.String()


class NewRequest(StrictSchema):
    """GeoReport's POST fields we use; personal fields are accepted and not stored."""

    service_code = fields.String(required=True, validate=validate.OneOf(list(CATEGORIES)))
    description = fields.String(required=True, validate=validate.Length(min=5, max=2000))
    address_string = fields.String(load_default=None)
    address_id = fields.String(load_default=None, metadata={"description": "region code"})
    lat = fields.Float(load_default=None)
    long = fields.Float(load_default=None)
    media_url = fields.Url(load_default=None)
    api_key = fields.String(load_default=None)
    jurisdiction_id = fields.String(load_default=None)
    email = fields.String(load_default=None)
    device_id = fields.String(load_default=None)
    account_id = fields.String(load_default=None)
    first_name = fields.String(load_default=None)
    last_name = fields.String(load_default=None)
    phone = fields.String(load_default=None)


def _service(code: str) -> dict:
    return {"service_code": code, "service_name": CATEGORIES[code],
            "description": f"绿色建材下乡消费投诉：{CATEGORIES[code]}", "metadata": False,
            "type": "realtime", "keywords": "绿色建材,12315,投诉", "group": "消费维权"}


def public_text(text: str) -> str:
    """A description as the public may read it: ID card and phone numbers masked."""
    text = mask_text(text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)
    return _LANDLINE.sub(lambda m: f"{m.group(1)}-****{m.group(2)}", text)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _public(complaint: Complaint, region_names: dict[str, str]) -> dict:
    updated = complaint.events[-1].at if complaint.events else complaint.created_at
    return {
        "service_request_id": complaint.tracking_no,
        "status": "open" if complaint.status in OPEN else "closed",
        "status_notes": STATUS_NOTES[complaint.status],
        "service_name": CATEGORIES[complaint.category],
        "service_code": complaint.category,
        "description": public_text(complaint.description),
        "agency_responsible": AGENCY,
        "service_notice": f"受理时限：{complaint.accept_due_on.isoformat()} 前决定是否受理",
        "requested_datetime": _iso(complaint.created_at),
        "updated_datetime": _iso(updated),
        "expected_datetime": (complaint.finish_due_on or complaint.accept_due_on).isoformat(),
        "address": region_names.get(complaint.region_code, ""),
        "address_id": complaint.region_code,
        "zipcode": None,
        "lat": None,
        "long": None,
        # Villagers photograph invoices and contracts (names, phones, addresses): their
        # photos are for the officers, not for the public feed.
        "media_url": None,
    }


def _names(complaints: list[Complaint]) -> dict[str, str]:
    codes = {c.region_code for c in complaints}
    return dict(db.session.execute(sa.select(Region.code, Region.name)
                                   .where(Region.code.in_(codes))).all()) if codes else {}


@blp.route("/services.json")
@blp.response(200)
def services_json():
    """Our complaint categories as GeoReport services."""
    return [_service(code) for code in CATEGORIES]


@blp.route("/requests.json")
@blp.arguments(RequestsQuery, location="query")
@blp.response(200)
def requests_json(args):
    stmt = sa.select(Complaint).where(Complaint.tracking_no.is_not(None))
    if args.get("service_request_id"):
        ids = [s.strip() for s in args["service_request_id"].split(",")]
        stmt = stmt.where(Complaint.tracking_no.in_(ids))
    if args.get("service_code"):
        stmt = stmt.where(Complaint.category == args["service_code"])
    if args.get("status") == "open":
        stmt = stmt.where(Complaint.status.in_(OPEN))
    elif args.get("status") == "closed":
        stmt = stmt.where(Complaint.status.not_in(OPEN))
    if args.get("start_date"):
        stmt = stmt.where(Complaint.created_at >= args["start_date"])
    if args.get("end_date"):
        stmt = stmt.where(Complaint.created_at <= args["end_date"])
    complaints = db.session.scalars(stmt.order_by(Complaint.id.desc()).limit(1000)).all()
    names = _names(complaints)
    return [_public(c, names) for c in complaints]


@blp.route("/requests/<request_id>.json")
@blp.response(200)
def request_json(request_id):
    complaint = db.session.scalar(sa.select(Complaint).where(Complaint.tracking_no == request_id))
    if complaint is None:
        raise not_found("request_not_found", "未找到该投诉编号")
    return [_public(complaint, _names([complaint]))]


@blp.route("/requests.json", methods=["POST"])
@auth.auth_required(auth.VILLAGER)
@blp.arguments(NewRequest, location="form")
@blp.response(201)
def create_request(args):
    """File a complaint the GeoReport way (form-encoded); a villager's bearer token is the
    account. `address_id` may carry the region code when no merchant is concerned."""
    user = auth.current_user()
    description = args["description"]
    if args.get("media_url"):
        description += f"\n附件：{args['media_url']}"
    complaint = services.file_complaint(user, category=args["service_code"],
                                        description=description, photos=[],
                                        region_code=args.get("address_id"))
    return [{"service_request_id": complaint.tracking_no,
             "service_notice": f"已收到，请于 {complaint.accept_due_on.isoformat()} 前查看受理结果",
             "account_id": None}]
