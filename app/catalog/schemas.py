"""Storefront (villager) catalog schemas: query arguments and documented answers."""

from __future__ import annotations

from marshmallow import Schema, fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

from app.catalog.services import SORTS
from app.core.schemas import PageArgs, PageSchema, StrictSchema

REGION_CODE = validate.Regexp(r"^(\d{6}|\d{9}|\d{12})$", error="行政区划代码格式有误")


class ProductListArgs(PageArgs):
    q = fields.String(validate=validate.Length(min=1, max=50))
    category = fields.String(validate=validate.Length(max=40))
    region = fields.String(validate=REGION_CODE)
    star = fields.Integer(validate=validate.Range(min=1, max=3))
    min_price_fen = fields.Integer(validate=validate.Range(min=0))
    max_price_fen = fields.Integer(validate=validate.Range(min=0))
    eligible = fields.Boolean(load_default=False, data_key="eligible")
    sort = fields.String(load_default="relevance", validate=validate.OneOf(SORTS))

    @validates_schema
    def _price_range(self, data, **kwargs):
        low, high = data.get("min_price_fen"), data.get("max_price_fen")
        if low is not None and high is not None and low > high:
            raise ValidationError("最低价不能高于最高价", field_name="min_price_fen")


class RegionArgs(StrictSchema):
    region = fields.String(validate=REGION_CODE)


class CategorySchema(Schema):
    slug = fields.String()
    name = fields.String()
    children = fields.List(fields.Nested(lambda: CategorySchema()))


class CertificateBrief(Schema):
    number = fields.String()
    star = fields.Integer()
    status = fields.String(metadata={"enum": ["valid", "suspended", "revoked", "expired"]})


class Ref(Schema):
    id = fields.Integer()
    name = fields.String()


class ProductSummary(Schema):
    id = fields.Integer()
    name = fields.String()
    brand = fields.String()
    category = fields.Dict()
    price_fen = fields.Integer()
    promo_price_fen = fields.Integer(allow_none=True)
    unit = fields.String()
    image_url = fields.String(allow_none=True)
    merchant = fields.Nested(Ref)
    certificate = fields.Nested(CertificateBrief, allow_none=True)
    eligible = fields.Boolean()


class ProductPage(PageSchema):
    items = fields.List(fields.Nested(ProductSummary))


class EligibilitySchema(Schema):
    eligible = fields.Boolean()
    reason = fields.String(metadata={"example": "certified"})
    message = fields.String(metadata={"example": "持有效绿色建材认证"})


class CertificateView(Schema):
    number = fields.String()
    status = fields.String(metadata={"enum": ["valid", "suspended", "revoked", "expired"]})
    star = fields.Integer()
    issuer = fields.String()
    issued_on = fields.Date()
    valid_until = fields.Date()
    product = fields.String()
    enterprise = fields.Dict()
    listed_products = fields.List(fields.Dict())


class ProductDetail(ProductSummary):
    model_spec = fields.String()
    description = fields.String()
    images = fields.List(fields.String())
    eligibility = fields.Nested(EligibilitySchema)
    enterprise = fields.Nested(Ref, allow_none=True)
    certificate = fields.Nested(CertificateView, allow_none=True)
    merchant = fields.Dict()
    promotions = fields.List(fields.Dict())
    coupons = fields.List(fields.Dict())
