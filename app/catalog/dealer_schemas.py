"""Schemas of dealer authorisations (经销授权), for the merchant and the admin console."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.catalog.dealers import ACTIONS, STATUS_LABELS
from app.catalog.models import AUTHORISATION_STATUSES
from app.core.schemas import PageArgs, StrictSchema, page_of

REGION_CODE = validate.Regexp(r"^(\d{6}|\d{9}|\d{12})$", error="行政区划代码格式有误")


class DealerAuthorisationArgs(StrictSchema):
    """The enterprise by its credit code, or by the number of one of its certificates."""

    credit_code = fields.String(validate=validate.Length(equal=18),
                                metadata={"description": "统一社会信用代码"})
    certificate_number = fields.String(validate=validate.Length(min=1, max=64),
                                       metadata={"description": "该企业的任一证书编号"})
    document_no = fields.String(load_default=None, allow_none=True,
                                validate=validate.Length(max=64),
                                metadata={"description": "授权书编号"})
    note = fields.String(load_default="", validate=validate.Length(max=255),
                         metadata={"description": "授权范围、期限等说明"})

    @validates_schema
    def _one_enterprise(self, data, **kwargs):
        if ("credit_code" in data) == ("certificate_number" in data):
            raise ValidationError("请填写企业统一社会信用代码或证书编号之一", "credit_code")


class DealerAuthorisationListArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(AUTHORISATION_STATUSES))


class AdminDealerAuthorisationListArgs(DealerAuthorisationListArgs):
    region_code = fields.String(validate=REGION_CODE,
                                metadata={"description": "a sub-region of the admin's region"})
    shop_id = fields.Integer()


class DealerAuthorisationDecisionArgs(StrictSchema):
    action = fields.String(required=True, validate=validate.OneOf(ACTIONS))
    note = fields.String(load_default=None, validate=validate.Length(max=255),
                         metadata={"description": "required for reject and revoke"})


class _Shop(Schema):
    id = fields.Integer()
    name = fields.String()
    region_code = fields.String()


class _Enterprise(Schema):
    id = fields.Integer()
    name = fields.String()
    credit_code = fields.String()


class DealerAuthorisationSchema(Schema):
    id = fields.Integer()
    shop = fields.Nested(_Shop)
    enterprise = fields.Nested(_Enterprise)
    document_no = fields.String(allow_none=True)
    note = fields.String()
    status = fields.String(metadata={"enum": list(AUTHORISATION_STATUSES)})
    status_label = fields.Function(lambda a: STATUS_LABELS[a.status],
                                   metadata={"example": "已核准"})
    applied_at = fields.DateTime(attribute="created_at")
    decided_by = fields.Integer(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    decision_note = fields.String(allow_none=True)


DealerAuthorisationPage = page_of(DealerAuthorisationSchema)
