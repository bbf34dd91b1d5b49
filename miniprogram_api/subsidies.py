"""Subsidies for villagers: open programmes, claims with an invoice photo, my claims."""

from __future__ import annotations

from flask import request
from flask_smorest import Blueprint

from app.catalog.eligibility import today
from app.core import auth
from app.core.idempotency import idempotent
from app.core.images import clean_image
from app.core.schemas import json_or_form_doc, load_json_or_form
from app.subsidies import claims, programs
from app.subsidies.schemas import ClaimArgs, ClaimEnvelope, ClaimSchema, ProgramSchema

blp = Blueprint("mp-subsidies", __name__, url_prefix="/api/mp/v1", description="财政补贴申请")

MAX_PHOTO_BYTES = 5 * 1024 * 1024


@blp.route("/subsidy-programs")
@auth.auth_required(auth.VILLAGER)
@blp.response(200, ProgramSchema(many=True))
def open_programs():
    """Programmes open to the caller's region, with `remaining_fen`."""
    return programs.programs_for_resident(auth.current_user().region_code, today())


@blp.route("/subsidy-claims", methods=["POST"])
@auth.auth_required(auth.VILLAGER)
@idempotent
@blp.doc(**json_or_form_doc(ClaimArgs, files=("invoice_photo",)))
@blp.response(201, ClaimEnvelope)
def submit():
    """JSON, or multipart with an `invoice_photo`; the amount is reserved at once."""
    args = load_json_or_form(ClaimArgs())
    photo = None
    if (upload := request.files.get("invoice_photo")) is not None:
        photo = clean_image(upload.read(MAX_PHOTO_BYTES + 1), field="invoice_photo")
    claim = claims.submit_claim(auth.current_user(), invoice_photo=photo, **args)
    return {"claim": claim}


@blp.route("/me/subsidy-claims")
@auth.auth_required(auth.VILLAGER)
@blp.response(200, ClaimSchema(many=True))
def my_claims():
    """The caller's claims, each with its history."""
    return claims.my_claims(auth.current_user())


@blp.route("/subsidy-claims/<int:claim_id>")
@auth.auth_required(auth.VILLAGER)
@blp.response(200, ClaimSchema)
def get_claim(claim_id):
    return claims.get_my_claim(claim_id, auth.current_user())
