"""Input and output schemas of the catalog admin console."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.catalog import binding
from app.catalog.admin_services import PRODUCT_ACTIONS, SHOP_ACTIONS, STATUS_LABELS
from app.catalog.eligibility import today
from app.catalog.models import CERTIFICATE_FLAGS, CERTIFICATE_STATUSES, PRODUCT_STATUSES
from app.core.crypto import mask_phone
from app.core.schemas import PageArgs, PageSchema, StrictSchema
from app.merchants.models import SHOP_STATUSES

REGION_CODE = validate.Regexp(r"^(\d{6}|\d{9}|\d{12})$", error="行政区划代码格式有误")
NOTE = validate.Length(max=255, error="不超过 255 个字")


# ---- shops ------------------------------------------------------------------------------

class AdminShopListArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(SHOP_STATUSES))
    region_code = fields.String(validate=REGION_CODE,
                                metadata={"description": "a sub-region of the admin's region"})


class AdminShopDecisionArgs(StrictSchema):
    action = fields.String(required=True, validate=validate.OneOf(SHOP_ACTIONS))
    note = fields.String(load_default=None, validate=NOTE,
                         metadata={"description": "required for reject and suspend"})


class AdminShopSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    region_code = fields.String()
    status = fields.String()
    status_label = fields.Function(lambda row: STATUS_LABELS[row.status])
    address = fields.String()
    contact_phone = fields.Function(lambda shop: mask_phone(shop.contact_phone))
    description = fields.String()
    enterprise_id = fields.Integer(allow_none=True)
    decision_note = fields.String(allow_none=True)
    decided_by = fields.Integer(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class AdminShopPage(PageSchema):
    items = fields.List(fields.Nested(AdminShopSchema))


# ---- products ---------------------------------------------------------------------------

class AdminProductListArgs(PageArgs):
    status = fields.String(load_default="review",
                           validate=validate.OneOf((*PRODUCT_STATUSES, "all", "review")),
                           metadata={"description": "review (default): pending products, and "
                                     "listed ones flagged for their certificate; all: every "
                                     "status"})
    region_code = fields.String(validate=REGION_CODE)
    shop_id = fields.Integer()


class AdminProductDecisionArgs(StrictSchema):
    action = fields.String(required=True, validate=validate.OneOf(PRODUCT_ACTIONS))
    note = fields.String(load_default=None, validate=NOTE,
                         metadata={"description": "required for reject and delist"})


class AdminEnterpriseSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    credit_code = fields.String()
    region_code = fields.String(allow_none=True)


class AdminCertificateBriefSchema(Schema):
    id = fields.Integer()
    number = fields.String()
    star = fields.Integer()
    issuer = fields.String()
    status = fields.Function(lambda cert: cert.status_on(today()),
                             metadata={"description": "valid | suspended | revoked | expired"})
    status_label = fields.Function(lambda cert: binding.STATUS_LABELS[cert.status_on(today())])
    expires_on = fields.Date()
    category = fields.Function(
        lambda cert: {"slug": cert.category.slug, "name": cert.category.name}
        if cert.category else None,
        metadata={"description": "the certified product category; null: not yet imported"})


class AdminShopBriefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    region_code = fields.String()
    status = fields.String()
    status_label = fields.Function(lambda row: STATUS_LABELS[row.status])


class AdminProductSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    brand = fields.String()
    model_spec = fields.String()
    unit = fields.String()
    price_fen = fields.Integer()
    category = fields.Function(lambda p: {"slug": p.category.slug, "name": p.category.name})
    images = fields.List(fields.String())
    description = fields.String()
    status = fields.String()
    status_label = fields.Function(lambda row: STATUS_LABELS[row.status])
    shop = fields.Nested(AdminShopBriefSchema)
    enterprise = fields.Nested(AdminEnterpriseSchema, allow_none=True)
    certificate = fields.Nested(AdminCertificateBriefSchema, allow_none=True)
    certificate_flag = fields.String(
        allow_none=True, metadata={"enum": list(CERTIFICATE_FLAGS),
                                   "description": "why the product may not carry its "
                                                  "certificate; null: it may"})
    certificate_flag_label = fields.Function(
        lambda p: binding.FLAG_LABELS.get(p.certificate_flag))
    certificate_review = fields.Function(
        binding.review, metadata={"description": "certificate holder vs. merchant: holder, "
                                  "merchant, holder_is_merchant, authorisation, "
                                  "approved_authorisation, certificate_category, "
                                  "category_matches, may_carry, message"})
    review_note = fields.String(allow_none=True)
    reviewed_by = fields.Integer(allow_none=True)
    reviewed_at = fields.DateTime(allow_none=True)
    listed_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class AdminProductPage(PageSchema):
    items = fields.List(fields.Nested(AdminProductSchema))


class AdminProductBriefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    brand = fields.String()
    status = fields.String()
    status_label = fields.Function(lambda row: STATUS_LABELS[row.status])
    shop = fields.Nested(AdminShopBriefSchema)


# ---- certificates and enterprises --------------------------------------------------------

class AdminCertificateListArgs(PageArgs):
    number = fields.String(validate=validate.Length(min=1, max=64),
                           metadata={"description": "part of the certificate number"})
    credit_code = fields.String(validate=validate.Length(equal=18))
    status = fields.String(validate=validate.OneOf((*CERTIFICATE_STATUSES, "expired")))


class AdminCertificateSchema(AdminCertificateBriefSchema):
    product_name = fields.String()
    issued_on = fields.Date()
    recorded_status = fields.String(attribute="status",
                                    metadata={"description": "as recorded; expiry not applied"})
    enterprise = fields.Nested(AdminEnterpriseSchema)
    updated_at = fields.DateTime()


class AdminCertificatePage(PageSchema):
    items = fields.List(fields.Nested(AdminCertificateSchema))


class CertificateImportArgs(StrictSchema):
    file = Upload(required=True, metadata={"description": "CSV (UTF-8) or .xlsx"})


class CertificateImportRejectedRowSchema(Schema):
    row = fields.Integer(metadata={"description": "the row number as shown in Excel"})
    number = fields.String(allow_none=True)
    errors = fields.List(fields.String())


class CertificateImportReportSchema(Schema):
    total = fields.Integer()
    added = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    rejected = fields.List(fields.Nested(CertificateImportRejectedRowSchema))


class AdminEnterpriseListArgs(PageArgs):
    q = fields.String(validate=validate.Length(min=1, max=60),
                      metadata={"description": "part of the enterprise name"})
    credit_code = fields.String(validate=validate.Length(equal=18))


class AdminEnterprisePage(PageSchema):
    items = fields.List(fields.Nested(AdminEnterpriseSchema))


# ---- local list -------------------------------------------------------------------------

class LocalListArgs(StrictSchema):
    region_code = fields.String(required=True, validate=REGION_CODE)
    product_id = fields.Integer(required=True)
    requirement = fields.String(required=True, validate=validate.Length(min=2, max=255))
    valid_from = fields.Date(required=True)
    valid_until = fields.Date(required=True)

    @validates_schema
    def _period(self, data, **kwargs):
        if data["valid_until"] < data["valid_from"]:
            raise ValidationError("截止日期不能早于起始日期", "valid_until")


class LocalListQuery(PageArgs):
    region_code = fields.String(validate=REGION_CODE)
    product_id = fields.Integer()
    active = fields.Boolean(metadata={"description": "true: in force today; false: removed "
                                                     "or expired; absent: all"})


class LocalListEntrySchema(Schema):
    id = fields.Integer()
    region_code = fields.String()
    product = fields.Nested(AdminProductBriefSchema)
    requirement = fields.String()
    valid_from = fields.Date()
    valid_until = fields.Date()
    created_by = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    removed_at = fields.DateTime(allow_none=True)
    active = fields.Boolean()


class LocalListPage(PageSchema):
    items = fields.List(fields.Nested(LocalListEntrySchema))


# ---- negative list ----------------------------------------------------------------------

class NegativeListArgs(StrictSchema):
    product_id = fields.Integer()
    enterprise_id = fields.Integer()
    reason = fields.String(required=True, validate=validate.Length(min=2, max=255))
    source_complaint_id = fields.Integer(load_default=None,
                                         validate=validate.Range(min=1))

    @validates_schema
    def _one_target(self, data, **kwargs):
        if ("product_id" in data) == ("enterprise_id" in data):
            raise ValidationError("请指定产品或企业之一（且只能指定一个）", "product_id")


class NegativeListQuery(PageArgs):
    active = fields.Boolean(metadata={"description": "true: in force; false: lifted; "
                                                     "absent: all"})


class NegativeListLiftArgs(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=2, max=255))


class NegativeListEntrySchema(Schema):
    id = fields.Integer()
    target = fields.String(metadata={"description": "product | enterprise"})
    product = fields.Nested(AdminProductBriefSchema, allow_none=True)
    enterprise = fields.Nested(AdminEnterpriseSchema, allow_none=True)
    reason = fields.String()
    source_complaint_id = fields.Integer(allow_none=True)
    listed_by = fields.Integer(allow_none=True)
    listed_at = fields.DateTime()
    lifted_by = fields.Integer(allow_none=True)
    lifted_at = fields.DateTime(allow_none=True)
    lift_reason = fields.String(allow_none=True)
    active = fields.Boolean()


class NegativeListPage(PageSchema):
    items = fields.List(fields.Nested(NegativeListEntrySchema))



class SynonymArgs(StrictSchema):
    term = fields.String(required=True, validate=validate.Length(min=1, max=20),
                         metadata={"example": "马桶"})
    canonical = fields.String(required=True, validate=validate.Length(min=1, max=20),
                              metadata={"example": "坐便器"})


class SynonymSchema(Schema):
    id = fields.Integer()
    term = fields.String()
    canonical = fields.String()
    created_at = fields.DateTime()
