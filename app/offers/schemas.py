"""Service offer and home-visit booking schemas."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.core.schemas import PageArgs, StrictSchema, label, page_of
from app.core.validators import PHONE_RE
from app.offers.models import (
    BOOKING_STATUS_LABELS,
    BOOKING_STATUSES,
    OFFER_KIND_LABELS,
    OFFER_KINDS,
    SHOP_TYPE_LABELS,
    SHOP_TYPES,
)

REGION_CODE = validate.Regexp(r"^(\d{6}|\d{9}|\d{12})$", error="行政区划代码格式有误")
MAX_FEN = 2**31 - 1


class ShopTypeArgs(StrictSchema):
    shop_type = fields.String(required=True, validate=validate.OneOf(SHOP_TYPES))


class ShopTypeSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    shop_type = fields.String(allow_none=True)
    shop_type_label = fields.Function(
        lambda shop: SHOP_TYPE_LABELS.get(shop.shop_type) if shop.shop_type else None,
        metadata={"type": "string", "nullable": True})


class OfferCreateArgs(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(OFFER_KINDS))
    name = fields.String(required=True, validate=validate.Length(min=1, max=60))
    description = fields.String(load_default="", validate=validate.Length(max=2000))
    price_fen = fields.Integer(load_default=None, allow_none=True,
                               validate=validate.Range(min=0, max=MAX_FEN),
                               metadata={"description": "价格（分）；不填为上门报价"})
    price_unit = fields.String(load_default="次", validate=validate.Length(min=1, max=16))
    active = fields.Boolean(load_default=True)


class OfferEditArgs(StrictSchema):
    name = fields.String(validate=validate.Length(min=1, max=60))
    description = fields.String(validate=validate.Length(max=2000))
    price_fen = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=MAX_FEN))
    price_unit = fields.String(validate=validate.Length(min=1, max=16))
    active = fields.Boolean()


class OfferSchema(Schema):
    id = fields.Integer()
    shop_id = fields.Integer()
    shop_name = fields.Function(lambda o: o.shop.name, metadata={"type": "string"})
    shop_type = fields.Function(lambda o: o.shop.shop_type,
                                metadata={"type": "string", "nullable": True})
    shop_type_label = fields.Function(
        lambda o: SHOP_TYPE_LABELS.get(o.shop.shop_type) if o.shop.shop_type else None,
        metadata={"type": "string", "nullable": True})
    shop_address = fields.Function(lambda o: o.shop.address, metadata={"type": "string"})
    kind = fields.String()
    kind_label = label(OFFER_KIND_LABELS, lambda o: o.kind)
    name = fields.String()
    description = fields.String()
    price_fen = fields.Integer(allow_none=True)
    price_unit = fields.String()
    price_label = fields.Function(
        lambda o: "上门报价" if o.price_fen is None else f"¥{o.price_fen / 100:.2f}/{o.price_unit}",
        metadata={"type": "string"})
    active = fields.Boolean()


OfferPage = page_of(OfferSchema)


class OfferListArgs(PageArgs):
    region = fields.String(validate=REGION_CODE)
    kind = fields.String(validate=validate.OneOf(OFFER_KINDS))
    shop_id = fields.Integer()
    shop_type = fields.String(validate=validate.OneOf(SHOP_TYPES))


class BookingArgs(StrictSchema):
    offer_id = fields.Integer(load_default=None, allow_none=True)
    shop_id = fields.Integer(load_default=None, allow_none=True)
    address = fields.String(required=True, validate=validate.Length(min=5, max=255))
    phone = fields.String(required=True, validate=validate.Regexp(PHONE_RE, error="手机号格式有误"))
    preferred_at = fields.AwareDateTime(required=True,
                                        metadata={"description": "希望上门的时间（带时区）"})
    note = fields.String(load_default="", validate=validate.Length(max=500))


class BookingListArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(BOOKING_STATUSES))


class BookingTransitionArgs(StrictSchema):
    action = fields.String(required=True,
                           validate=validate.OneOf(("accept", "schedule", "complete", "decline")))
    scheduled_at = fields.AwareDateTime(load_default=None, allow_none=True)
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=255))


class BookingSchema(Schema):
    id = fields.Integer()
    shop_id = fields.Integer(metadata={"description": "投诉时作为 merchant_id 提交"})
    shop_name = fields.Function(lambda b: b.shop.name, metadata={"type": "string"})
    offer_id = fields.Integer(allow_none=True)
    offer_name = fields.Function(lambda b: b.offer.name if b.offer else None,
                                 metadata={"type": "string", "nullable": True})
    address = fields.String()
    phone = fields.String()
    preferred_at = fields.DateTime()
    note = fields.String()
    status = fields.String()
    status_label = label(BOOKING_STATUS_LABELS)
    scheduled_at = fields.DateTime(allow_none=True)
    merchant_note = fields.String(allow_none=True)
    completed_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


BookingPage = page_of(BookingSchema)
