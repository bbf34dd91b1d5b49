"""Coupon and promotion inputs and outputs."""

from __future__ import annotations

from marshmallow import Schema, fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

from app.catalog.schemas import CategoryRef
from app.core.schemas import PageArgs, StrictSchema, label
from app.promotions.coupons import coupon_code, display_status, redemption_status
from app.promotions.models import (
    COUPON_STATUS_LABELS,
    PROMOTION_STATUS_LABELS,
    REDEMPTION_STATUS_LABELS,
    TEMPLATE_STATUS_LABELS,
)
from app.promotions.pricing import STACKING_RULES

FEN = validate.Range(min=1, max=100_000_000)
BP = validate.Range(min=1, max=9_900)  # at most 99 % off
ID = validate.Range(min=1, max=2**31 - 1)  # what an integer key column holds


def _template_fields(required: bool) -> dict:
    return {
        "title": fields.String(required=required, validate=validate.Length(min=2, max=120)),
        "kind": fields.String(required=required, validate=validate.OneOf(["fixed", "percent"])),
        "amount_fen": fields.Integer(validate=FEN, allow_none=True),
        "percent_off_bp": fields.Integer(validate=BP, allow_none=True),
        "cap_fen": fields.Integer(validate=FEN, allow_none=True),
        "min_spend_fen": fields.Integer(validate=validate.Range(min=0, max=100_000_000)),
        "total_quantity": fields.Integer(required=required,
                                         validate=validate.Range(min=1, max=1_000_000)),
        "per_person_limit": fields.Integer(validate=validate.Range(min=1, max=100)),
        "validity_kind": fields.String(required=required,
                                       validate=validate.OneOf(["fixed", "relative"])),
        "valid_from": fields.AwareDateTime(allow_none=True),
        "valid_until": fields.AwareDateTime(allow_none=True),
        "valid_days": fields.Integer(validate=validate.Range(min=1, max=366), allow_none=True),
        "claim_starts_at": fields.AwareDateTime(required=required),
        "claim_ends_at": fields.AwareDateTime(required=required),
        "scope": fields.String(validate=validate.OneOf(["shop", "category", "products"])),
        "category_id": CategoryRef(allow_none=True),
        "product_ids": fields.List(fields.Integer(validate=ID), validate=validate.Length(max=200)),
        "expo_id": fields.Integer(validate=ID, allow_none=True),
    }


TemplateCreateArgs = StrictSchema.from_dict(_template_fields(True), name="CouponTemplateCreate")
_patch = _template_fields(False)
_patch["status"] = fields.String(validate=validate.OneOf(["active", "paused"]))
TemplatePatchArgs = StrictSchema.from_dict(_patch, name="CouponTemplatePatch")


class TemplateSchema(Schema):
    id = fields.Integer()
    shop_id = fields.Integer()
    merchant = fields.Function(lambda t: {"id": t.shop.id, "name": t.shop.name})
    title = fields.String()
    kind = fields.String()
    amount_fen = fields.Integer(allow_none=True)
    percent_off_bp = fields.Integer(allow_none=True)
    cap_fen = fields.Integer(allow_none=True)
    min_spend_fen = fields.Integer()
    total_quantity = fields.Integer()
    claimed_count = fields.Integer()
    remaining = fields.Function(lambda t: t.total_quantity - t.claimed_count)
    per_person_limit = fields.Integer()
    validity_kind = fields.String()
    valid_from = fields.DateTime(allow_none=True)
    valid_until = fields.DateTime(allow_none=True)
    valid_days = fields.Integer(allow_none=True)
    claim_starts_at = fields.DateTime()
    claim_ends_at = fields.DateTime()
    scope = fields.String()
    category_id = fields.Integer(allow_none=True)
    product_ids = fields.List(fields.Integer())
    expo_id = fields.Integer(allow_none=True)
    expo_only = fields.Function(lambda t: t.expo_id is not None)
    status = fields.String(metadata={"enum": list(TEMPLATE_STATUS_LABELS)})
    status_label = label(TEMPLATE_STATUS_LABELS)


class ShopTemplateSchema(TemplateSchema):
    """The merchant's view adds the template's figures from the till."""

    redeemed_count = fields.Integer(metadata={"description": "coupons used at the till"})


class ClaimableArgs(PageArgs):
    merchant = fields.Integer()
    expo = fields.Integer()


class CouponSchema(Schema):
    id = fields.Integer()
    template_id = fields.Integer()
    code = fields.Method("_code")
    status = fields.Method("_status", metadata={"enum": list(COUPON_STATUS_LABELS)})
    status_label = label(COUPON_STATUS_LABELS, display_status)
    title = fields.Function(lambda c: c.terms["title"])
    terms = fields.Dict()
    merchant = fields.Function(lambda c: {"id": c.template.shop.id, "name": c.template.shop.name})
    valid_from = fields.DateTime()
    valid_until = fields.DateTime()
    claimed_at = fields.DateTime()
    used_at = fields.DateTime(allow_none=True)

    def _code(self, coupon) -> str:
        return coupon_code(coupon)

    def _status(self, coupon) -> str:
        return display_status(coupon)


class CouponEnvelope(Schema):
    coupon = fields.Nested(CouponSchema)


class MyCouponArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(["unused", "used", "expired"]))


class RedeemArgs(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=100))
    order_amount_fen = fields.Integer(required=True, validate=FEN)
    product_id = fields.Integer(validate=ID, load_default=None)


class RedemptionPreview(Schema):
    coupon_id = fields.Integer()
    title = fields.String()
    scope = fields.String()
    valid_until = fields.DateTime()
    order_amount_fen = fields.Integer()
    discount_fen = fields.Integer()
    paid_fen = fields.Integer()


class ReverseArgs(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=2, max=255))


class RedemptionSchema(Schema):
    id = fields.Integer()
    coupon_id = fields.Integer()
    product_id = fields.Integer(allow_none=True)
    order_amount_fen = fields.Integer()
    discount_fen = fields.Integer()
    paid_fen = fields.Integer()
    created_at = fields.DateTime()
    status = fields.Function(redemption_status, metadata={
        "type": "string", "enum": list(REDEMPTION_STATUS_LABELS)})
    status_label = label(REDEMPTION_STATUS_LABELS, redemption_status)
    reversed_at = fields.DateTime(allow_none=True)
    reverse_reason = fields.String(allow_none=True)
    stacking_rules = fields.Function(lambda r: list(STACKING_RULES))


class PromotionItemArgs(StrictSchema):
    product_id = fields.Integer(required=True, validate=ID)
    promo_price_fen = fields.Integer(validate=FEN, load_default=None)


class PromotionCreateArgs(StrictSchema):
    title = fields.String(required=True, validate=validate.Length(min=2, max=120))
    kind = fields.String(required=True, validate=validate.OneOf(["percent", "fixed_price"]))
    percent_off_bp = fields.Integer(validate=BP, load_default=None)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    items = fields.List(fields.Nested(PromotionItemArgs), required=True,
                        validate=validate.Length(min=1, max=200))

    @validates_schema
    def _kind(self, data, **kwargs):
        if data["kind"] == "fixed_price" and any(
                i.get("promo_price_fen") is None for i in data["items"]):
            raise ValidationError("一口价促销须为每个商品填写促销价", field_name="items")


class PromotionSchema(Schema):
    id = fields.Integer()
    shop_id = fields.Integer()
    merchant = fields.Function(lambda p: {"id": p.shop.id, "name": p.shop.name,
                                          "region_code": p.shop.region_code})
    title = fields.String()
    kind = fields.String()
    percent_off_bp = fields.Integer(allow_none=True)
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    status = fields.String(metadata={"enum": list(PROMOTION_STATUS_LABELS)})
    status_label = label(PROMOTION_STATUS_LABELS)
    suspended_reason = fields.String(allow_none=True)
    items = fields.Function(lambda p: [{"product_id": i.product_id,
                                        "promo_price_fen": i.promo_price_fen} for i in p.items])


class SuspendArgs(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=2, max=255))


class RegionPromotionArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(list(PROMOTION_STATUS_LABELS)),
                           metadata={"description": "active | suspended | ended"})
    shop = fields.Integer(validate=ID, metadata={"description": "店铺 id"})
