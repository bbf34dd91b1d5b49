"""Expo inputs and outputs."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.core.db import china_time
from app.core.schemas import PageArgs, StrictSchema, label, page_of
from app.expos.models import (
    BOOTH_STATUS_LABELS,
    EXPO_STATUS_LABELS,
    SCAN_RESULT_LABELS,
    TICKET_STATUS_LABELS,
)


def _expo_fields(required: bool) -> dict:
    return {
        "title": fields.String(required=required, validate=validate.Length(min=2, max=120)),
        "description": fields.String(validate=validate.Length(max=5000)),
        "venue": fields.String(required=required, validate=validate.Length(min=2, max=200)),
        "latitude": fields.Float(validate=validate.Range(min=-90, max=90), allow_none=True),
        "longitude": fields.Float(validate=validate.Range(min=-180, max=180), allow_none=True),
        "starts_at": fields.AwareDateTime(required=required),
        "ends_at": fields.AwareDateTime(required=required),
        "registration_opens_at": fields.AwareDateTime(required=required),
        "registration_closes_at": fields.AwareDateTime(required=required),
        "capacity": fields.Integer(required=required,
                                   validate=validate.Range(min=1, max=100_000)),
    }


ExpoCreateArgs = StrictSchema.from_dict(
    {**_expo_fields(True),
     "township_code": fields.String(required=True, validate=validate.Regexp(r"^\d{9}$"))},
    name="ExpoCreateArgs")
ExpoPatchArgs = StrictSchema.from_dict(_expo_fields(False), name="ExpoPatchArgs")


class CancelArgs(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=2, max=255))


class RevokeArgs(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=2, max=255),
                           metadata={"description": "作废原因，会通知持票村民"})


class AssignStaffArgs(StrictSchema):
    user_id = fields.Integer(required=True)


class BoothDecisionArgs(StrictSchema):
    approve = fields.Boolean(required=True)
    booth_no = fields.String(validate=validate.Length(max=20), load_default=None)
    note = fields.String(validate=validate.Length(max=255), load_default=None)


class ExpoListArgs(PageArgs):
    region = fields.String(validate=validate.Regexp(r"^(\d{6}|\d{9}|\d{12})$"))
    when = fields.String(load_default="upcoming", validate=validate.OneOf(
        ["upcoming", "past", "all"]))


class ExpoSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    description = fields.String()
    township_code = fields.String()
    organiser_region_code = fields.String()
    venue = fields.String()
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    registration_opens_at = fields.DateTime()
    registration_closes_at = fields.DateTime()
    capacity = fields.Integer()
    registered = fields.Integer(attribute="registered_count")
    status = fields.String(metadata={"enum": list(EXPO_STATUS_LABELS)})
    status_label = label(EXPO_STATUS_LABELS)
    registration_open = fields.Method("_registration_open")

    def _registration_open(self, expo) -> bool:
        from app.core.db import utcnow

        return (expo.status == "published"
                and expo.registration_opens_at <= utcnow() <= expo.registration_closes_at
                and expo.registered_count < expo.capacity)


ExpoPage = page_of(ExpoSchema)


class BoothSchema(Schema):
    id = fields.Integer()
    expo_id = fields.Integer()
    status = fields.String(metadata={"enum": list(BOOTH_STATUS_LABELS)})
    status_label = label(BOOTH_STATUS_LABELS)
    booth_no = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    merchant = fields.Function(lambda b: {"id": b.shop.id, "name": b.shop.name})


class TicketSchema(Schema):
    id = fields.Integer()
    expo_id = fields.Integer()
    status = fields.String(metadata={"enum": list(TICKET_STATUS_LABELS)})
    status_label = label(TICKET_STATUS_LABELS)
    waiting_position = fields.Method("_waiting_place", allow_none=True, metadata={
        "type": "integer",
        "description": "候补位次：前面还有几人候补再加一（1 = 下一个获得名额）；非候补为 null"})
    code = fields.Method("_code", allow_none=True)
    admitted_at = fields.DateTime(allow_none=True)
    expo = fields.Function(lambda t: {"id": t.expo.id, "title": t.expo.title,
                                      "venue": t.expo.venue,
                                      "starts_at": china_time(t.expo.starts_at).isoformat()})

    def _code(self, ticket) -> str | None:
        from app.expos.registration import ticket_code

        return ticket_code(ticket) if ticket.status in ("registered", "waitlisted") else None

    def _waiting_place(self, ticket) -> int | None:
        from app.expos.registration import waiting_place

        return waiting_place(ticket)


class TicketEnvelope(Schema):
    ticket = fields.Nested(TicketSchema)


class ExpoDetailSchema(ExpoSchema):
    booths = fields.List(fields.Nested(BoothSchema))
    my_ticket = fields.Nested(TicketSchema, allow_none=True)


class CheckinArgs(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=300))
    nonce = fields.String(validate=validate.Length(min=8, max=64), load_default=None)
    scanned_at = fields.AwareDateTime(load_default=None)
    device_id = fields.String(validate=validate.Length(max=64), load_default=None)


class OfflineScanArgs(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=300))
    nonce = fields.String(required=True, validate=validate.Length(min=8, max=64))
    scanned_at = fields.AwareDateTime(required=True)
    device_id = fields.String(validate=validate.Length(max=64), load_default=None)


class BatchArgs(StrictSchema):
    scans = fields.List(fields.Nested(OfflineScanArgs), required=True,
                        validate=validate.Length(min=1, max=500))


class ScanResultSchema(Schema):
    result = fields.String(metadata={"enum": list(SCAN_RESULT_LABELS), "description": (
        "admitted 准予入场; already_admitted 已入场过; wrong_expo 非本场门票; cancelled 村民已"
        "取消; revoked 主办方已作废; waitlisted 候补中; expo_cancelled 展会已取消; not_open 未到"
        "入场时间或已结束; invalid 无效二维码")})
    result_label = fields.String(metadata={"description": "结果的中文说明"})
    ticket = fields.Dict()
    first_admitted_at = fields.DateTime()
    first_admitted_by = fields.String(allow_none=True)
    duplicate = fields.Boolean()


class BatchResultSchema(Schema):
    results = fields.List(fields.Dict())


class BundleArgs(StrictSchema):
    since = fields.Integer(load_default=None, validate=validate.Range(min=0))
    admitted_after = fields.AwareDateTime(load_default=None)


class AttendanceSchema(Schema):
    capacity = fields.Integer()
    registered = fields.Integer()
    waitlisted = fields.Integer()
    cancelled = fields.Integer()
    admitted = fields.Integer()
    duplicates = fields.Integer()
    scans = fields.Dict()
    arrivals = fields.List(fields.Dict())


class GateStaffSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    nickname = fields.String()
