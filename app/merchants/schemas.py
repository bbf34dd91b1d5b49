"""Shop, staff and merchant-console product schemas."""

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from app.catalog import binding, eligibility
from app.catalog.models import PRODUCT_STATUS_LABELS, PRODUCT_STATUSES
from app.core.crypto import mask_phone
from app.core.schemas import PageArgs, PageSchema, StrictSchema
from app.core.validators import PHONE_RE
from app.merchants.models import SHOP_STATUS_LABELS, SHOP_STATUSES

USERNAME_RE = r"^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$"  # stored lower-case
# a mobile number, or a landline with its area code (0371-12345678)
CONTACT_PHONE_RE = r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$"
MAX_PRICE_FEN = 1_000_000_000  # ¥10,000,000: more than any farmhouse package


class ShopSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    region_code = fields.String()
    status = fields.String(metadata={"enum": list(SHOP_STATUSES)})
    status_label = fields.Function(lambda shop: SHOP_STATUS_LABELS[shop.status])
    created_at = fields.DateTime()


# ---- sign-up, shop application --------------------------------------------------------

def _username() -> fields.String:
    return fields.String(required=True, validate=validate.Regexp(
        USERNAME_RE, error="用户名为 3 到 32 位字母、数字或 _ . -"))


def _password() -> fields.String:
    return fields.String(required=True, load_only=True, validate=validate.Length(
        min=8, max=128, error="密码长度应为 8 到 128 位"))


class MerchantSignupArgs(StrictSchema):
    username = _username()
    password = _password()
    nickname = fields.String(validate=validate.Length(min=1, max=32))
    phone = fields.String(required=True, validate=validate.Regexp(
        PHONE_RE.pattern, error="请填写 11 位手机号码"))


_SHOP_NAME = validate.Length(min=2, max=120)
_REGION_CODE = validate.Regexp(r"^(\d{6}|\d{9}|\d{12})$", error="应为 6、9 或 12 位行政区划代码")
_ADDRESS = validate.Length(min=2, max=255)
_CONTACT_PHONE = validate.Regexp(CONTACT_PHONE_RE, error="请填写手机号或带区号的固定电话")
_SHOP_DESCRIPTION = validate.Length(max=2000)


class ShopApplicationArgs(StrictSchema):
    name = fields.String(required=True, validate=_SHOP_NAME)
    region_code = fields.String(required=True, validate=_REGION_CODE)
    address = fields.String(required=True, validate=_ADDRESS)
    contact_phone = fields.String(required=True, validate=_CONTACT_PHONE)
    description = fields.String(load_default="", validate=_SHOP_DESCRIPTION)


class ShopEditArgs(StrictSchema):
    """Only the fields given change."""

    name = fields.String(validate=_SHOP_NAME)
    region_code = fields.String(validate=_REGION_CODE)
    address = fields.String(validate=_ADDRESS)
    contact_phone = fields.String(validate=_CONTACT_PHONE)
    description = fields.String(validate=_SHOP_DESCRIPTION)


class MerchantShopSchema(ShopSchema):
    """The caller's own shop, with what the admin decided."""

    address = fields.String()
    contact_phone = fields.String(allow_none=True)
    description = fields.String()
    decision_note = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    updated_at = fields.DateTime()


# ---- staff ------------------------------------------------------------------------------

class StaffCreateArgs(StrictSchema):
    username = _username()
    password = _password()
    nickname = fields.String(validate=validate.Length(min=1, max=32))


class StaffSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    nickname = fields.String()
    role = fields.String()
    phone = fields.Function(lambda u: mask_phone(u.phone))
    created_at = fields.DateTime()
    last_login_at = fields.DateTime(allow_none=True)


class StaffPage(PageSchema):
    items = fields.List(fields.Nested(StaffSchema))


# ---- products ---------------------------------------------------------------------------

_CATEGORY = validate.Length(min=1, max=40)
_PRODUCT_NAME = validate.Length(min=2, max=120)
_BRAND = validate.Length(max=60)
_MODEL_SPEC = validate.Length(max=120)
_UNIT = validate.Length(min=1, max=16)
_PRICE = validate.Range(min=1, max=MAX_PRICE_FEN, error="价格应大于 0（单位：分）")
_PRODUCT_DESCRIPTION = validate.Length(max=5000)
_CERTIFICATE_NUMBER = validate.Length(min=1, max=64)


class ProductCreateArgs(StrictSchema):
    category = fields.String(required=True, validate=_CATEGORY,
                             metadata={"description": "分类 slug，须为末级分类"})
    name = fields.String(required=True, validate=_PRODUCT_NAME)
    brand = fields.String(load_default="", validate=_BRAND)
    model_spec = fields.String(load_default="", validate=_MODEL_SPEC)
    unit = fields.String(load_default="件", validate=_UNIT)
    price_fen = fields.Integer(required=True, strict=True, validate=_PRICE)
    description = fields.String(load_default="", validate=_PRODUCT_DESCRIPTION)
    certificate_number = fields.String(load_default=None, allow_none=True,
                                       validate=_CERTIFICATE_NUMBER)


class ProductEditArgs(StrictSchema):
    """Only the fields given change; certificate_number null unlinks the certificate."""

    category = fields.String(validate=_CATEGORY)
    name = fields.String(validate=_PRODUCT_NAME)
    brand = fields.String(validate=_BRAND)
    model_spec = fields.String(validate=_MODEL_SPEC)
    unit = fields.String(validate=_UNIT)
    price_fen = fields.Integer(strict=True, validate=_PRICE)
    description = fields.String(validate=_PRODUCT_DESCRIPTION)
    certificate_number = fields.String(allow_none=True, validate=_CERTIFICATE_NUMBER)


class ProductListArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(PRODUCT_STATUSES))


class ImageUploadArgs(StrictSchema):
    image = Upload(required=True, metadata={"description": "JPEG、PNG 或 WebP，不超过 5 MB"})


def _certificate(product) -> dict | None:
    """The certificate as the storefront shows it on this product: `not_applicable` or
    `misused` (negative-listed too) when the product may not carry it, with the reason."""
    cert = product.certificate
    if cert is None:
        return None
    day = eligibility.today()
    negative = bool(product.certificate_flag
                    and eligibility.negative_listed_products([product.id], day))
    status = binding.block_status(product, day, negative_listed=negative)
    return {"number": cert.number, "star": cert.star, "issuer": cert.issuer,
            "status": status, "status_label": binding.STATUS_LABELS[status],
            "certificate_status": cert.status_on(day),
            "enterprise": {"id": cert.enterprise.id, "name": cert.enterprise.name},
            "category": ({"slug": cert.category.slug, "name": cert.category.name}
                         if cert.category else None),
            "flag": product.certificate_flag,
            "flag_label": binding.FLAG_LABELS.get(product.certificate_flag),
            "valid_until": cert.expires_on.isoformat()}


class MerchantProductSchema(Schema):
    id = fields.Integer()
    shop_id = fields.Integer()
    status = fields.String(metadata={"description": "draft|pending|listed|rejected|delisted"})
    status_label = fields.Function(lambda p: PRODUCT_STATUS_LABELS[p.status])
    name = fields.String()
    brand = fields.String()
    model_spec = fields.String()
    unit = fields.String()
    price_fen = fields.Integer()
    description = fields.String()
    images = fields.List(fields.String())
    category = fields.Function(lambda p: {"slug": p.category.slug, "name": p.category.name})
    certificate = fields.Function(_certificate, metadata={
        "description": "number, star, issuer, status (valid|suspended|revoked|expired|"
                       "not_applicable|misused), status_label, certificate_status (the "
                       "certificate's own), enterprise (the holder), category, flag, "
                       "flag_label, valid_until"})
    enterprise = fields.Function(
        lambda p: {"id": p.enterprise.id, "name": p.enterprise.name} if p.enterprise else None)
    review_note = fields.String(allow_none=True)
    reviewed_at = fields.DateTime(allow_none=True)
    listed_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class MerchantProductDetailSchema(MerchantProductSchema):
    eligibility = fields.Method("get_eligibility")

    def get_eligibility(self, product) -> dict:
        verdict = eligibility.check(product)
        return {"eligible": verdict.eligible, "reason": verdict.reason,
                "message": verdict.message}


class MerchantProductPage(PageSchema):
    items = fields.List(fields.Nested(MerchantProductSchema))
