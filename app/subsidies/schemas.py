"""Subsidy inputs and outputs."""

from __future__ import annotations

import sqlalchemy as sa
from marshmallow import Schema, fields, validate

from app.accounts import display
from app.accounts.models import User
from app.catalog.models import Category
from app.catalog.schemas import CategoryRef
from app.core.crypto import mask_phone
from app.core.schemas import PageArgs, PageSchema, StrictSchema, label
from app.extensions import db
from app.subsidies.models import (
    CLAIM_STATUS_LABELS,
    CLAIM_STATUSES,
    PROGRAM_STATUS_LABELS,
    PROGRAM_STATUSES,
)
from app.subsidies.programs import MAX_FEN
from app.uploads.schemas import SignedUrl

FEN = validate.Range(min=1, max=MAX_FEN)


class ProgramCreateArgs(StrictSchema):
    region_code = fields.String(required=True, validate=validate.Regexp(r"^\d{6}$"))
    title = fields.String(required=True, validate=validate.Length(min=2, max=120))
    # Officers need no hidden integer ids: slugs as GET /api/mp/v1/categories lists them.
    category_ids = fields.List(CategoryRef(), required=True,
                               validate=validate.Length(min=1, max=50), metadata={
                                   "description": "补贴类别：id 或 slug（见 GET /api/mp/v1/"
                                                  "categories），可混用；含其下级类别",
                                   "example": ["decoration", "doors-windows"]})
    rate_bp = fields.Integer(required=True, validate=validate.Range(min=1, max=10_000))
    cap_per_item_fen = fields.Integer(required=True, validate=FEN)
    cap_per_person_fen = fields.Integer(required=True, validate=FEN)
    budget_fen = fields.Integer(required=True, validate=FEN)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)


class TopUpArgs(StrictSchema):
    amount_fen = fields.Integer(required=True, validate=FEN)
    note = fields.String(validate=validate.Length(max=255), load_default=None)


class CategoryBriefSchema(Schema):
    id = fields.Integer()
    slug = fields.String()
    name = fields.String()


class ProgramSchema(Schema):
    id = fields.Integer()
    region_code = fields.String()
    title = fields.String()
    category_ids = fields.List(fields.Integer())
    categories = fields.Method("_categories", metadata={
        "type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "integer"}, "slug": {"type": "string"}, "name": {"type": "string"}}},
        "description": "补贴类别（含其下级类别）"})
    rate_bp = fields.Integer()
    cap_per_item_fen = fields.Integer()
    cap_per_person_fen = fields.Integer()
    budget_fen = fields.Integer()
    committed_fen = fields.Integer()
    remaining_fen = fields.Function(lambda p: p.budget_fen - p.committed_fen)
    starts_on = fields.Date()
    ends_on = fields.Date()
    status = fields.String(metadata={"enum": list(PROGRAM_STATUSES)})
    status_label = label(PROGRAM_STATUS_LABELS)

    def _categories(self, program) -> list[dict]:
        rows = db.session.scalars(sa.select(Category).where(
            Category.id.in_(program.category_ids)).order_by(Category.id))
        return CategoryBriefSchema(many=True).dump(rows)


class ClaimArgs(StrictSchema):
    program_id = fields.Integer(required=True)
    merchant_id = fields.Integer(required=True)
    product_id = fields.Integer(required=True)
    price_paid_fen = fields.Integer(required=True, validate=FEN)
    invoice_no = fields.String(required=True, validate=validate.Length(min=4, max=64))
    purchase_date = fields.Date(required=True)
    invoice_upload_id = fields.Integer(load_default=None, metadata={
        "description": "POST /uploads 得到的发票照片 id（代替 invoice_photo 文件）"})


def _event_fields(*, own_view: bool) -> dict[str, fields.Field]:
    return {
        "status": fields.String(metadata={"enum": list(CLAIM_STATUSES)}),
        "status_label": label(CLAIM_STATUS_LABELS),
        **display.actor_fields(lambda event: display.role_of(event.by_user),
                               own_view=own_view),
        "at": fields.DateTime(),
        "note": fields.String(allow_none=True),
    }


# A history entry names the officer who acted; the villager's own entries read 本人 to it
# and 村民 to officers.
EventSchema = Schema.from_dict(_event_fields(own_view=True), name="ClaimEventSchema")
AdminEventSchema = Schema.from_dict(_event_fields(own_view=False), name="AdminClaimEventSchema")


class ClaimSchema(Schema):
    id = fields.Integer()
    program_id = fields.Integer()
    program_title = fields.Function(lambda c: c.program.title)
    merchant_id = fields.Integer(attribute="shop_id")
    merchant_name = fields.Function(lambda c: c.shop.name)
    product_id = fields.Integer()
    product_name = fields.Function(lambda c: c.product.name)
    price_paid_fen = fields.Integer()
    invoice_no = fields.String()
    purchase_date = fields.Date()
    invoice_photo_url = SignedUrl(allow_none=True, metadata={
        "description": "限时签名链接，约 1 小时内有效"})
    amount_fen = fields.Integer()
    status = fields.String(metadata={"enum": list(CLAIM_STATUSES)})
    status_label = label(CLAIM_STATUS_LABELS)
    flagged = fields.Boolean()
    flag_reason = fields.String(allow_none=True)
    decision_note = fields.String(allow_none=True)
    created_at = fields.DateTime()
    history = fields.List(fields.Nested(EventSchema), attribute="events")


class ClaimEnvelope(Schema):
    claim = fields.Nested(ClaimSchema)


class ReviewArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(list(CLAIM_STATUSES)))
    program_id = fields.Integer()
    flagged = fields.Boolean()


class AdminClaimSchema(ClaimSchema):
    history = fields.List(fields.Nested(AdminEventSchema), attribute="events")
    batch_no = fields.String(allow_none=True, metadata={
        "description": "发放批次号（生成发放批次后才有），登记发放时用"})
    applicant = fields.Method("_applicant")

    def _applicant(self, claim) -> dict:
        user = db.session.get(User, claim.user_id)
        return {"id": user.id, "real_name": user.real_name, "phone": mask_phone(user.phone)}


class AdminClaimPage(PageSchema):
    items = fields.List(fields.Nested(AdminClaimSchema))


class DecisionArgs(StrictSchema):
    approve = fields.Boolean(required=True)
    note = fields.String(validate=validate.Length(max=255), load_default=None)


class BulkApproveArgs(StrictSchema):
    claim_ids = fields.List(fields.Integer(), required=True,
                            validate=validate.Length(min=1, max=500))
    note = fields.String(validate=validate.Length(max=255), load_default=None)


class DisburseArgs(StrictSchema):
    batch_no = fields.String(required=True, validate=validate.Length(min=4, max=32))


class LedgerSchema(Schema):
    budget_fen = fields.Integer()
    committed_fen = fields.Integer()
    remaining_fen = fields.Integer()
    movements = fields.Dict()
    claims = fields.Dict()
    reconciles = fields.Boolean()


class IdRevealSchema(Schema):
    claim_id = fields.Integer()
    id_card_no = fields.String(metadata={"example": "11010519491231002X"})
    access_id = fields.Integer(metadata={"description": "个人信息访问记录编号"})
    revealed_at = fields.DateTime()


class EstimateSchema(Schema):
    program_id = fields.Integer()
    program_title = fields.String()
    amount_fen = fields.Integer(metadata={"description": "about this much, before review"})
    price_fen = fields.Integer(metadata={"description": "the price it was computed on"})
    rate_bp = fields.Integer()
    cap_per_item_fen = fields.Integer()
    ends_on = fields.Date()


class EstimateAnswer(Schema):
    estimate = fields.Nested(EstimateSchema, allow_none=True)
    region = fields.String(allow_none=True)
    message = fields.String()
