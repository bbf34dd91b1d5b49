"""Case schemas: admin input, storefront answers."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from app.core.schemas import PageArgs, StrictSchema, label, page_of
from app.integrations.storage import thumbnail_url
from app.showcase.models import (
    BUILDING_TYPE_LABELS,
    BUILDING_TYPES,
    CASE_KIND_LABELS,
    CASE_KINDS,
    CASE_STATUS_LABELS,
    CASE_STATUSES,
)

REGION_CODE = validate.Regexp(r"^(\d{6}|\d{9}|\d{12})$", error="行政区划代码格式有误")
MAX_FEN = 2**31 - 1


def _ids() -> fields.List:
    return fields.List(fields.Integer(), validate=validate.Length(max=20))


def _case_fields(required: bool) -> dict:
    need = {"required": True} if required else {}
    return {
        "kind": fields.String(validate=validate.OneOf(CASE_KINDS), **need),
        "title": fields.String(validate=validate.Length(min=2, max=120), **need),
        "region_code": fields.String(validate=REGION_CODE, **need,
                                     metadata={"description": "所在村（或更大范围）的区划代码"}),
        "place": fields.String(validate=validate.Length(min=2, max=120), **need,
                               metadata={"example": "中牟县官渡镇官渡村"}),
        "building_type": fields.String(validate=validate.OneOf(BUILDING_TYPES), **need),
        "summary": fields.String(validate=validate.Length(max=5000)),
        "product_ids": _ids(),
        "package_ids": _ids(),
        "enterprise_ids": _ids(),
        "shop_ids": _ids(),
        "energy_saving_rate_bp": fields.Integer(allow_none=True,
                                                validate=validate.Range(min=0, max=10_000),
                                                metadata={"description": "节能率（万分之一）"}),
        "energy_saved_kwh_per_year": fields.Integer(allow_none=True,
                                                    validate=validate.Range(min=0)),
        "cost_fen": fields.Integer(allow_none=True, validate=validate.Range(min=0, max=MAX_FEN)),
        "construction_days": fields.Integer(allow_none=True,
                                            validate=validate.Range(min=0, max=3650)),
        "completed_on": fields.Date(allow_none=True),
        "enterprise_consent": fields.Boolean(
            metadata={"description": "相关企业已同意公开（发布前必须）"}),
        "consent_note": fields.String(validate=validate.Length(max=255)),
    }


CaseCreateArgs = StrictSchema.from_dict(_case_fields(True), name="CaseCreateArgs")
CaseEditArgs = StrictSchema.from_dict(_case_fields(False), name="CaseEditArgs")


class CasePhotoArgs(StrictSchema):
    image = Upload(required=True, metadata={"description": "JPEG、PNG 或 WebP，不超过 5 MB"})


class AdminCaseListArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(CASE_STATUSES))
    region_code = fields.String(validate=REGION_CODE)


class StorefrontCaseArgs(PageArgs):
    region = fields.String(validate=REGION_CODE)
    building_type = fields.String(validate=validate.OneOf(BUILDING_TYPES))
    kind = fields.String(validate=validate.OneOf(CASE_KINDS))


class RegionArgs(StrictSchema):
    region = fields.String(validate=REGION_CODE)


class CaseSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    kind_label = label(CASE_KIND_LABELS, lambda c: c.kind)
    title = fields.String()
    region_code = fields.String()
    place = fields.String()
    building_type = fields.String()
    building_type_label = label(BUILDING_TYPE_LABELS, lambda c: c.building_type)
    summary = fields.String()
    photos = fields.List(fields.String())
    thumbnails = fields.Function(lambda c: [thumbnail_url(u) or u for u in c.photos],
                                 metadata={"type": "array", "items": {"type": "string"}})
    product_ids = fields.List(fields.Integer())
    package_ids = fields.List(fields.Integer())
    enterprise_ids = fields.List(fields.Integer())
    shop_ids = fields.List(fields.Integer())
    energy_saving_rate_bp = fields.Integer(allow_none=True)
    energy_saved_kwh_per_year = fields.Integer(allow_none=True)
    cost_fen = fields.Integer(allow_none=True)
    construction_days = fields.Integer(allow_none=True)
    completed_on = fields.Date(allow_none=True)
    status = fields.String()
    status_label = label(CASE_STATUS_LABELS)
    published_at = fields.DateTime(allow_none=True)
    nearness = fields.Integer(metadata={
        "description": "与所在地的远近：0 本村，1 本乡镇，2 本县，3 本市，4 本省，5 更远"})


class AdminCaseSchema(CaseSchema):
    enterprise_consent = fields.Boolean()
    consent_note = fields.String()
    created_at = fields.DateTime()


CasePage = page_of(CaseSchema)
AdminCasePage = page_of(AdminCaseSchema)


class _Linked(Schema):
    id = fields.Integer()
    name = fields.String()


class _LinkedProduct(_Linked):
    brand = fields.String()
    price_fen = fields.Integer()
    unit = fields.String()
    on_sale = fields.Boolean()
    eligible = fields.Boolean()


class _LinkedPackage(_Linked):
    scenario = fields.String()
    price_fen = fields.Integer()
    on_sale = fields.Boolean()


class CaseDetailSchema(Schema):
    case = fields.Nested(CaseSchema)
    products = fields.List(fields.Nested(_LinkedProduct))
    packages = fields.List(fields.Nested(_LinkedPackage))
    enterprises = fields.List(fields.Nested(_Linked))
    shops = fields.List(fields.Nested(_Linked))
