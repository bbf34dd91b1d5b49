"""Subsidy inputs and outputs."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.accounts.models import User
from app.core.crypto import mask_phone
from app.core.schemas import PageArgs, PageSchema, StrictSchema
from app.extensions import db
from app.subsidies.programs import MAX_FEN

FEN = validate.Range(min=1, max=MAX_FEN)


class ProgramCreateArgs(StrictSchema):
    region_code = fields.String(required=True, validate=validate.Regexp(r"^\d{6}$"))
    title = fields.String(required=True, validate=validate.Length(min=2, max=120))
    category_ids = fields.List(fields.Integer(), required=True,
                               validate=validate.Length(min=1, max=50))
    rate_bp = fields.Integer(required=True, validate=validate.Range(min=1, max=10_000))
    cap_per_item_fen = fields.Integer(required=True, validate=FEN)
    cap_per_person_fen = fields.Integer(required=True, validate=FEN)
    budget_fen = fields.Integer(required=True, validate=FEN)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)


class TopUpArgs(StrictSchema):
    amount_fen = fields.Integer(required=True, validate=FEN)
    note = fields.String(validate=validate.Length(max=255), load_default=None)


class ProgramSchema(Schema):
    id = fields.Integer()
    region_code = fields.String()
    title = fields.String()
    category_ids = fields.List(fields.Integer())
    rate_bp = fields.Integer()
    cap_per_item_fen = fields.Integer()
    cap_per_person_fen = fields.Integer()
    budget_fen = fields.Integer()
    committed_fen = fields.Integer()
    remaining_fen = fields.Function(lambda p: p.budget_fen - p.committed_fen)
    starts_on = fields.Date()
    ends_on = fields.Date()
    status = fields.String()


class ClaimArgs(StrictSchema):
    program_id = fields.Integer(required=True)
    merchant_id = fields.Integer(required=True)
    product_id = fields.Integer(required=True)
    price_paid_fen = fields.Integer(required=True, validate=FEN)
    invoice_no = fields.String(required=True, validate=validate.Length(min=4, max=64))
    purchase_date = fields.Date(required=True)


class EventSchema(Schema):
    status = fields.String()
    at = fields.DateTime()
    note = fields.String(allow_none=True)


class ClaimSchema(Schema):
    id = fields.Integer()
    program_id = fields.Integer()
    program_title = fields.Function(lambda c: c.program.title)
    merchant_id = fields.Integer(attribute="shop_id")
    product_id = fields.Integer()
    price_paid_fen = fields.Integer()
    invoice_no = fields.String()
    purchase_date = fields.Date()
    invoice_photo_url = fields.String(allow_none=True)
    amount_fen = fields.Integer()
    status = fields.String(metadata={"enum": ["reserved", "approved", "rejected", "disbursed"]})
    flagged = fields.Boolean()
    flag_reason = fields.String(allow_none=True)
    decision_note = fields.String(allow_none=True)
    created_at = fields.DateTime()
    history = fields.List(fields.Nested(EventSchema), attribute="events")


class ClaimEnvelope(Schema):
    claim = fields.Nested(ClaimSchema)


class ReviewArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(["reserved", "approved", "rejected",
                                                    "disbursed"]))
    program_id = fields.Integer()
    flagged = fields.Boolean()


class AdminClaimSchema(ClaimSchema):
    applicant = fields.Method("_applicant")

    def _applicant(self, claim) -> dict:
        user = db.session.get(User, claim.user_id)
        return {"id": user.id, "real_name": user.real_name, "phone": mask_phone(user.phone)}


class ClaimPage(PageSchema):
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
