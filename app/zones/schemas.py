"""Zone and live-session schemas."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.core.schemas import PageArgs, StrictSchema, label, page_of
from app.zones import services
from app.zones.models import (
    HOST_KIND_LABELS,
    LIVE_STATE_LABELS,
    PLATFORM_LABELS,
    PLATFORMS,
    TIME_STATE_LABELS,
    ZONE_STATUS_LABELS,
    ZONE_STATUSES,
)

REGION_CODE = validate.Regexp(r"^(\d{6}|\d{9}|\d{12})$", error="行政区划代码格式有误")


def _ids() -> fields.List:
    return fields.List(fields.Integer(), validate=validate.Length(max=50))


def _zone_fields(required: bool) -> dict:
    need = {"required": True} if required else {}
    return {
        "title": fields.String(validate=validate.Length(min=2, max=120), **need),
        "description": fields.String(validate=validate.Length(max=2000)),
        "region_code": fields.String(validate=REGION_CODE, **need,
                                     metadata={"description": "面向该地区（含下级）的村民"}),
        "starts_at": fields.AwareDateTime(
            **need, metadata={"example": "2026-12-01T00:00:00+08:00"}),
        "ends_at": fields.AwareDateTime(
            **need, metadata={"example": "2026-12-31T23:59:59+08:00"}),
        "product_ids": _ids(),
        "package_ids": _ids(),
        "coupon_template_ids": _ids(),
    }


ZoneCreateArgs = StrictSchema.from_dict(_zone_fields(True), name="ZoneCreateArgs")
ZoneEditArgs = StrictSchema.from_dict(_zone_fields(False), name="ZoneEditArgs")


class AdminZoneListArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(ZONE_STATUSES))
    region_code = fields.String(validate=REGION_CODE)


class ZoneSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    description = fields.String()
    region_code = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    product_ids = fields.List(fields.Integer())
    package_ids = fields.List(fields.Integer())
    coupon_template_ids = fields.List(fields.Integer())
    status = fields.String()
    status_label = label(ZONE_STATUS_LABELS)
    time_state = fields.Function(lambda z: services.zone_state(z),
                                 metadata={"type": "string", "enum": list(TIME_STATE_LABELS)})
    time_state_label = fields.Function(lambda z: TIME_STATE_LABELS[services.zone_state(z)],
                                       metadata={"type": "string"})


ZonePage = page_of(ZoneSchema)


def _session_fields() -> dict:
    return {
        "title": fields.String(required=True, validate=validate.Length(min=2, max=120)),
        "platform": fields.String(required=True, validate=validate.OneOf(PLATFORMS)),
        "live_url": fields.Url(load_default=None, allow_none=True, schemes={"https"},
                               validate=validate.Length(max=500),
                               metadata={"description": "直播链接（https）"}),
        "room_id": fields.String(load_default=None, allow_none=True,
                                 validate=validate.Length(min=1, max=100),
                                 metadata={"description": "视频号 ID 或直播间号，小程序据此打开"}),
        "starts_at": fields.AwareDateTime(required=True),
        "ends_at": fields.AwareDateTime(required=True),
        "product_ids": _ids(),
    }


MerchantSessionArgs = StrictSchema.from_dict(_session_fields(), name="MerchantSessionArgs")
OfficerSessionArgs = StrictSchema.from_dict({
    **_session_fields(),
    "host_name": fields.String(required=True, validate=validate.Length(min=2, max=120),
                               metadata={"example": "金水区住房和城乡建设局"}),
    "region_code": fields.String(required=True, validate=REGION_CODE),
    "zone_id": fields.Integer(load_default=None, allow_none=True),
}, name="OfficerSessionArgs")


class ZoneListArgs(PageArgs):
    region = fields.String(validate=REGION_CODE)


class RegionArgs(StrictSchema):
    region = fields.String(validate=REGION_CODE)


class LiveSessionListArgs(PageArgs):
    region = fields.String(validate=REGION_CODE)
    state = fields.String(validate=validate.OneOf(("live", "upcoming")))


class LiveSessionSchema(Schema):
    id = fields.Integer()
    zone_id = fields.Integer(allow_none=True)
    host_kind = fields.String()
    host_kind_label = label(HOST_KIND_LABELS, lambda s: s.host_kind)
    shop_id = fields.Integer(allow_none=True)
    host_name = fields.String()
    region_code = fields.String()
    title = fields.String()
    platform = fields.String()
    platform_label = label(PLATFORM_LABELS, lambda s: s.platform)
    live_url = fields.String(allow_none=True)
    room_id = fields.String(allow_none=True)
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    product_ids = fields.List(fields.Integer())
    state = fields.Function(lambda s: services.live_state(s),
                            metadata={"type": "string", "enum": list(LIVE_STATE_LABELS)})
    state_label = fields.Function(lambda s: LIVE_STATE_LABELS[services.live_state(s)],
                                  metadata={"type": "string"})


LiveSessionPage = page_of(LiveSessionSchema)


class _ProductBrief(Schema):
    id = fields.Integer()
    name = fields.String()
    brand = fields.String()
    price_fen = fields.Integer()
    unit = fields.String()


class _PackageBrief(Schema):
    id = fields.Integer()
    name = fields.String()
    scenario = fields.String()
    price_fen = fields.Integer()


class _CouponBrief(Schema):
    id = fields.Integer()
    shop_id = fields.Integer()
    title = fields.String()
    claim_starts_at = fields.DateTime()
    claim_ends_at = fields.DateTime()


class ZoneDetailSchema(Schema):
    zone = fields.Nested(ZoneSchema)
    products = fields.List(fields.Nested(_ProductBrief),
                           metadata={"description": "在所选地区符合活动条件的在售商品"})
    packages = fields.List(fields.Nested(_PackageBrief))
    coupons = fields.List(fields.Nested(_CouponBrief))
    live_sessions = fields.List(fields.Nested(LiveSessionSchema))


class LiveSessionDetailSchema(Schema):
    session = fields.Nested(LiveSessionSchema)
    products = fields.List(fields.Nested(_ProductBrief))


class ReminderSchema(Schema):
    live_session_id = fields.Integer()
    remind_at = fields.DateTime(metadata={"description": "开播前 10 分钟提醒"})
    created_at = fields.DateTime()
