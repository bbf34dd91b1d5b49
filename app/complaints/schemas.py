"""Complaint inputs and outputs."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.complaints.models import CATEGORIES, STATUSES
from app.complaints.services import TRANSITIONS
from app.core.crypto import mask_phone
from app.core.schemas import PageArgs, PageSchema, StrictSchema
from app.core.validators import PHONE_RE


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


class ComplaintEventSchema(Schema):
    action = fields.String()
    from_status = fields.String(allow_none=True)
    to_status = fields.String()
    by_role = fields.String()
    note = fields.String(allow_none=True)
    at = fields.DateTime()


class ComplaintSchema(Schema):
    id = fields.Integer()
    tracking_no = fields.String()
    category = fields.String()
    category_name = fields.Function(lambda c: CATEGORIES[c.category])
    description = fields.String()
    status = fields.String(metadata={"enum": list(STATUSES)})
    photos = fields.List(fields.String())
    merchant_id = fields.Integer(attribute="shop_id", allow_none=True)
    product_id = fields.Integer(allow_none=True)
    expo_id = fields.Integer(allow_none=True)
    coupon_id = fields.Integer(allow_none=True)
    subsidy_claim_id = fields.Integer(allow_none=True)
    phone = fields.Function(lambda c: mask_phone(c.contact_phone))
    region_code = fields.String()
    submitted_on = fields.Date()
    accept_due_on = fields.Date()
    finish_due_on = fields.Date(allow_none=True)
    overdue = fields.Boolean()
    satisfaction = fields.Integer(allow_none=True)
    timeline = fields.List(fields.Nested(ComplaintEventSchema), attribute="events")


class ComplaintEnvelope(Schema):
    complaint = fields.Nested(ComplaintSchema)


class ComplaintPage(PageSchema):
    items = fields.List(fields.Nested(ComplaintSchema))


class QueueArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(list(STATUSES)))
    overdue = fields.Boolean()


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


class YearArgs(StrictSchema):
    year = fields.Integer(required=True, validate=validate.Range(min=2020, max=2100))
