"""Complaint inputs and outputs."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.accounts import display
from app.complaints.models import ACTION_LABELS, CATEGORIES, STATUS_LABELS, STATUSES
from app.complaints.services import TRANSITIONS, current_due_on, officer_actions
from app.core.crypto import mask_phone
from app.core.schemas import PageArgs, PageSchema, StrictSchema, label
from app.core.validators import PHONE_RE
from app.uploads.schemas import SignedUrl


class ComplaintArgs(StrictSchema):
    category = fields.String(required=True, validate=validate.OneOf(list(CATEGORIES)))
    description = fields.String(required=True, validate=validate.Length(min=5, max=2000))
    merchant_id = fields.Integer(load_default=None)
    product_id = fields.Integer(load_default=None)
    expo_id = fields.Integer(load_default=None)
    coupon_id = fields.Integer(load_default=None)
    subsidy_claim_id = fields.Integer(load_default=None)
    phone = fields.String(load_default=None, validate=validate.Regexp(PHONE_RE,
                                                                      error="手机号格式有误"))
    region_code = fields.String(load_default=None, validate=validate.Regexp(r"^\d{6,12}$"))
    photo_upload_ids = fields.List(fields.Integer(), load_default=list,
                                   validate=validate.Length(max=9, error="最多 9 张照片"),
                                   metadata={"description": "POST /uploads 得到的照片 id（JSON）"})


def _event_fields(*, own_view: bool) -> dict[str, fields.Field]:
    return {
        "action": fields.String(metadata={"enum": list(ACTION_LABELS)}),
        "action_label": label(ACTION_LABELS, lambda e: e.action),
        "from_status": fields.String(allow_none=True),
        "to_status": fields.String(),
        "to_status_label": label(STATUS_LABELS, lambda e: e.to_status),
        **display.actor_fields(lambda event: event.by_role, own_view=own_view),
        "note": fields.String(allow_none=True),
        "at": fields.DateTime(),
    }


# A timeline entry: who acted by name (officers) or shop (merchants); the villager's own
# entries read 本人 to it and 村民 to officers and merchants.
ComplaintEventSchema = Schema.from_dict(_event_fields(own_view=False),
                                        name="ComplaintEventSchema")
MyComplaintEventSchema = Schema.from_dict(_event_fields(own_view=True),
                                          name="MyComplaintEventSchema")


class ComplaintSchema(Schema):
    id = fields.Integer()
    tracking_no = fields.String()
    category = fields.String()
    category_name = fields.Function(lambda c: CATEGORIES[c.category])
    description = fields.String()
    status = fields.String(metadata={"enum": list(STATUSES)})
    status_label = label(STATUS_LABELS)
    photos = fields.List(SignedUrl(), metadata={"description": "限时签名链接，约 1 小时内有效"})
    merchant_id = fields.Integer(attribute="shop_id", allow_none=True)
    merchant_name = fields.Function(lambda c: c.shop.name if c.shop else None,
                                    allow_none=True)
    product_id = fields.Integer(allow_none=True)
    product_name = fields.Function(lambda c: c.product.name if c.product else None,
                                   allow_none=True)
    expo_id = fields.Integer(allow_none=True)
    coupon_id = fields.Integer(allow_none=True)
    subsidy_claim_id = fields.Integer(allow_none=True)
    phone = fields.Function(lambda c: mask_phone(c.contact_phone))
    region_code = fields.String()
    submitted_on = fields.Date()
    accept_due_on = fields.Date()
    finish_due_on = fields.Date(allow_none=True)
    overdue = fields.Boolean()
    deadline_uncertain = fields.Boolean(metadata={
        "description": "时限跨入尚无节假日安排的年份（仅按法定固定假日计算），"
                       "安排录入后会重新计算"})
    lat = fields.Float(attribute="latitude", allow_none=True)
    long = fields.Float(attribute="longitude", allow_none=True)
    address_string = fields.String(allow_none=True)
    satisfaction = fields.Integer(allow_none=True)
    timeline = fields.List(fields.Nested(ComplaintEventSchema), attribute="events")


class MyComplaintSchema(ComplaintSchema):
    """A complaint as the villager who filed it reads it."""

    timeline = fields.List(fields.Nested(MyComplaintEventSchema), attribute="events")


class ComplaintEnvelope(Schema):
    complaint = fields.Nested(MyComplaintSchema)


class ComplaintPage(PageSchema):
    items = fields.List(fields.Nested(ComplaintSchema))


class OfficerComplaintSchema(ComplaintSchema):
    actions = fields.Function(officer_actions, metadata={
        "type": "array", "items": {"type": "string"},
        "description": "当前状态下主管部门可执行的操作（transitions 的 action）"})
    due_on = fields.Function(lambda c: current_due_on(c).isoformat(), metadata={
        "type": "string", "format": "date",
        "description": "当前适用的期限：待受理时为受理期限，受理后为办结期限"})


class OfficerComplaintPage(PageSchema):
    items = fields.List(fields.Nested(OfficerComplaintSchema))


class MyComplaintPage(PageSchema):
    items = fields.List(fields.Nested(MyComplaintSchema))


class PhoneRevealSchema(Schema):
    complaint_id = fields.Integer()
    phone = fields.String(metadata={"example": "13712345678"})
    access_id = fields.Integer(metadata={"description": "个人信息访问记录编号"})
    revealed_at = fields.DateTime()


class QueueArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(list(STATUSES)))
    overdue = fields.Boolean()
    sort = fields.String(load_default="newest", validate=validate.OneOf(["newest", "deadline"]),
                         metadata={"description": "newest：最新在前（默认）；deadline：只列未办结"
                                                  "的投诉，期限最早的在前"})


class TransitionArgs(StrictSchema):
    action = fields.String(required=True, validate=validate.OneOf(
        [a for a, t in TRANSITIONS.items() if t.actor == "officer"]))
    note = fields.String(validate=validate.Length(max=2000), load_default=None)
    region_code = fields.String(validate=validate.Regexp(r"^\d{6}$"), load_default=None)


class ResponseArgs(StrictSchema):
    message = fields.String(required=True, validate=validate.Length(min=2, max=2000))


class RateArgs(StrictSchema):
    rating = fields.Integer(required=True, validate=validate.Range(min=1, max=5))
    note = fields.String(validate=validate.Length(max=500), load_default=None)


class ReopenArgs(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=2, max=500))


class ComplaintNegativeListArgs(StrictSchema):
    target = fields.String(required=True, validate=validate.OneOf(["product", "enterprise"]))
    reason = fields.String(required=True, validate=validate.Length(min=2, max=255))


class HolidayArgs(StrictSchema):
    day = fields.Date(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=40))
    is_workday = fields.Boolean(load_default=False)


class HolidaySchema(Schema):
    day = fields.Date()
    name = fields.String()
    is_workday = fields.Boolean()
    source = fields.String(metadata={
        "enum": ["override", "package", "statutory"],
        "description": "override：管理员录入（优先）；package：chinese-calendar 国务院安排；"
                       "statutory：尚无当年安排，仅法定固定假日"})


class YearArgs(PageArgs):
    year = fields.Integer(required=True, validate=validate.Range(min=2020, max=2100))
