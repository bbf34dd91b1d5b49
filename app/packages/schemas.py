"""Solution package schemas: merchant proposals, admin decisions, storefront answers."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.core.schemas import PageArgs, StrictSchema, label, page_of
from app.packages.models import (
    PACKAGE_STATUS_LABELS,
    PACKAGE_STATUSES,
    SERVICE_KIND_LABELS,
    SERVICE_KINDS,
)

REGION_CODE = validate.Regexp(r"^(\d{6}|\d{9}|\d{12})$", error="行政区划代码格式有误")
MAX_FEN = 2**31 - 1


class PackageItemArgs(StrictSchema):
    product_id = fields.Integer(required=True)
    quantity = fields.Integer(required=True, validate=validate.Range(min=1, max=100_000))


class PackageServiceArgs(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(SERVICE_KINDS))
    name = fields.String(required=True, validate=validate.Length(min=1, max=60))
    shop_id = fields.Integer(load_default=None, allow_none=True,
                             metadata={"description": "提供该服务的店铺（默认为发布店铺）"})


class PackageCreateArgs(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    scenario = fields.String(required=True, validate=validate.Length(min=1, max=60),
                             metadata={"example": "农房节能改造"})
    description = fields.String(load_default="", validate=validate.Length(max=2000))
    price_fen = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_FEN))
    region_code = fields.String(required=True, validate=REGION_CODE,
                                metadata={"description": "适用地区（含其下级地区）"})
    items = fields.List(fields.Nested(PackageItemArgs), required=True,
                        validate=validate.Length(min=1, max=30))
    services = fields.List(fields.Nested(PackageServiceArgs), load_default=list,
                           validate=validate.Length(max=10))
    partner_shop_ids = fields.List(fields.Integer(), load_default=list,
                                   validate=validate.Length(max=10),
                                   metadata={"description": "联合提供的店铺（生产、设计、施工）"})


class PackageListArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(PACKAGE_STATUSES))


class AdminPackageListArgs(PackageListArgs):
    region_code = fields.String(validate=REGION_CODE)


class PackageDecisionArgs(StrictSchema):
    action = fields.String(required=True, validate=validate.OneOf(("approve", "reject", "delist")))
    note = fields.String(load_default=None, allow_none=True,
                         validate=validate.Length(max=255))


class StorefrontPackageArgs(PageArgs):
    region = fields.String(validate=REGION_CODE)
    scenario = fields.String(validate=validate.Length(min=1, max=60))
    q = fields.String(validate=validate.Length(min=1, max=50))


class RegionArgs(StrictSchema):
    region = fields.String(validate=REGION_CODE)


class PackageItemSchema(Schema):
    product_id = fields.Integer()
    product_name = fields.Function(lambda item: item.product.name)
    unit = fields.Function(lambda item: item.product.unit)
    quantity = fields.Integer()


class PackageServiceSchema(Schema):
    kind = fields.String()
    kind_label = fields.Function(lambda s: SERVICE_KIND_LABELS.get(s["kind"], s["kind"]),
                                 metadata={"type": "string"})
    name = fields.String()
    shop_id = fields.Integer(allow_none=True)


class PackageSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    scenario = fields.String()
    description = fields.String()
    price_fen = fields.Integer()
    region_code = fields.String()
    shop_id = fields.Integer()
    shop_name = fields.Function(lambda p: p.shop.name, metadata={"type": "string"})
    partner_shop_ids = fields.List(fields.Integer())
    services = fields.List(fields.Nested(PackageServiceSchema))
    items = fields.List(fields.Nested(PackageItemSchema))
    status = fields.String()
    status_label = label(PACKAGE_STATUS_LABELS)
    review_note = fields.String(allow_none=True)
    reviewed_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


PackagePage = page_of(PackageSchema)


class PackageLineSchema(Schema):
    product_id = fields.Integer()
    name = fields.String()
    brand = fields.String()
    unit = fields.String()
    quantity = fields.Integer()
    list_price_fen = fields.Integer()
    paid_fen = fields.Integer(
        metadata={"description": "套餐价中分摊到该商品的金额（补贴按此计算）"})
    eligible = fields.Boolean()
    eligibility_message = fields.String()
    subsidy_estimate_fen = fields.Integer()


class PackageDetailSchema(Schema):
    package = fields.Nested(PackageSchema)
    items = fields.List(fields.Nested(PackageLineSchema))
    eligible = fields.Boolean()
    valid_in_region = fields.Boolean()
    subsidy_estimate_fen = fields.Integer(
        metadata={"description": "各合规商品按实付分摊额估算的补贴之和"})
    region = fields.String(allow_none=True)
