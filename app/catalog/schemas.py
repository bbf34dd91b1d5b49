"""Storefront (villager) catalog schemas: query arguments and documented answers."""

from __future__ import annotations

from marshmallow import Schema, fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

from app.catalog.binding import BLOCK_STATUSES
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


class CategoryRef(fields.Field):
    """A category by id (7) or by slug ("coatings"): officers and merchants need no hidden
    ids. Only the shape is checked here; `services.resolve_category_refs` finds them and
    names the unknown ones (422 unknown_category)."""

    def __init__(self, **kwargs) -> None:
        metadata = {"oneOf": [{"type": "integer", "minimum": 1},
                              {"type": "string", "minLength": 1, "maxLength": 40}],
                    "description": "分类 id 或 slug（见 GET /api/mp/v1/categories）",
                    **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> int | str:
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value < 2**31:
            return value
        if isinstance(value, str) and 0 < len(value) <= 40 and value.isprintable():
            return value
        raise ValidationError("应为分类的 id 或 slug（如 coatings）")


class CategorySchema(Schema):
    id = fields.Integer()
    slug = fields.String()
    name = fields.String()
    children = fields.List(fields.Nested(lambda: CategorySchema()))


class CertificateBrief(Schema):
    """A product's certificate: `not_applicable` when the product may not carry it (another
    enterprise's certificate without an approved dealer authorisation, or another category),
    `misused` when it is also on the negative list; else the certificate's own status."""

    number = fields.String()
    star = fields.Integer()
    status = fields.String(metadata={"enum": list(BLOCK_STATUSES)})
    status_label = fields.String(metadata={"example": "有效"})


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
    thumbnail_url = fields.String(allow_none=True, metadata={
        "description": "the picture at list size (320 px), for lists on slow networks"})
    merchant = fields.Nested(Ref)
    certificate = fields.Nested(CertificateBrief, allow_none=True)
    eligible = fields.Boolean()


class ProductPage(PageSchema):
    items = fields.List(fields.Nested(ProductSummary))


class EligibilitySchema(Schema):
    eligible = fields.Boolean()
    reason = fields.String(metadata={"example": "certified"})
    message = fields.String(metadata={"example": "持有效绿色建材认证"})


class CertificateWarning(Schema):
    kind = fields.String(metadata={
        "enum": ["misused", "negative_listed", "unverified"],
        "description": "misused: names the certificate without the right to and is on the "
                       "negative list; negative_listed: on the negative list; unverified: "
                       "names it without the right to (waiting for review)"})
    message = fields.String(metadata={"example": "「页岩烧结实心砖」（中牟县官渡绿色建材城）"
                                                 "冒用本证书，已列入负面清单：……"})
    product = fields.Dict()


class CertificateView(Schema):
    number = fields.String()
    status = fields.String(metadata={"enum": ["valid", "suspended", "revoked", "expired"]})
    status_label = fields.String(metadata={"example": "有效"})
    star = fields.Integer()
    issuer = fields.String()
    issued_on = fields.Date()
    valid_until = fields.Date()
    product = fields.String()
    category = fields.Dict(allow_none=True, metadata={"description": "the certified category"})
    enterprise = fields.Dict()
    listed_products = fields.List(fields.Dict(), metadata={
        "description": "storefront products that may carry the certificate"})
    warnings = fields.List(fields.Nested(CertificateWarning))


class ProductCertificate(CertificateView):
    """On a product: `status` as in CertificateBrief; `certificate_status` the certificate's."""

    status = fields.String(metadata={"enum": list(BLOCK_STATUSES)})
    certificate_status = fields.String(
        metadata={"enum": ["valid", "suspended", "revoked", "expired"]})


class ProductDetail(ProductSummary):
    model_spec = fields.String()
    description = fields.String()
    images = fields.List(fields.String())
    eligibility = fields.Nested(EligibilitySchema)
    enterprise = fields.Nested(Ref, allow_none=True)
    certificate = fields.Nested(ProductCertificate, allow_none=True)
    merchant = fields.Dict()
    promotions = fields.List(fields.Dict())
    coupons = fields.List(fields.Dict())
