"""Subsidies for villagers: open programmes, claims with an invoice photo, my claims."""

from __future__ import annotations

from flask import request

from app.catalog import eligibility
from app.catalog.eligibility import today
from app.catalog.schemas import RegionArgs
from app.core import auth
from app.core.idempotency import idempotent
from app.core.images import clean_image
from app.core.openapi import Blueprint
from app.core.pagination import paginate
from app.core.schemas import PageArgs, json_or_form_doc, load_json_or_form, page_of
from app.subsidies import claims, programs
from app.subsidies.models import SubsidyClaim, SubsidyProgram
from app.subsidies.schemas import (
    ClaimArgs,
    ClaimEnvelope,
    ClaimSchema,
    EstimateAnswer,
    ProgramSchema,
)

blp = Blueprint("mp-subsidies", __name__, url_prefix="/api/mp/v1", description="财政补贴申请")

MAX_PHOTO_BYTES = 5 * 1024 * 1024


@blp.route("/subsidy-programs")
@auth.auth_required(auth.VILLAGER)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(ProgramSchema))
def open_programs(args):
    """Programmes open to the caller's region, with `remaining_fen`."""
    return paginate(programs.programs_for_resident(auth.current_user().region_code, today()),
                    SubsidyProgram.id, limit=args["limit"], cursor=args["cursor"])


@blp.route("/subsidy-claims", methods=["POST"])
@auth.auth_required(auth.VILLAGER)
@idempotent
@blp.doc(**json_or_form_doc(ClaimArgs, files=("invoice_photo",)))
@blp.response(201, ClaimEnvelope)
def submit():
    """JSON (the invoice photo by `invoice_upload_id`, from POST /uploads), or multipart with
    an `invoice_photo`; the amount is reserved at once."""
    args = load_json_or_form(ClaimArgs())
    photo = None
    if (upload := request.files.get("invoice_photo")) is not None:
        photo = clean_image(upload.read(MAX_PHOTO_BYTES + 1), field="invoice_photo")
    claim = claims.submit_claim(auth.current_user(), invoice_photo=photo, **args)
    return {"claim": claim}


@blp.route("/me/subsidy-claims")
@auth.auth_required(auth.VILLAGER)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(ClaimSchema))
def my_claims(args):
    """The caller's claims, each with its history."""
    return paginate(claims.my_claims(auth.current_user()), SubsidyClaim.id,
                    limit=args["limit"], cursor=args["cursor"])


@blp.route("/subsidy-claims/<int:claim_id>")
@auth.auth_required(auth.VILLAGER)
@blp.response(200, ClaimSchema)
def get_claim(claim_id):
    return claims.get_my_claim(claim_id, auth.current_user())


@blp.route("/products/<int:product_id>/subsidy-estimate")
@blp.arguments(RegionArgs, location="query")
@blp.response(200, EstimateAnswer)
def subsidy_estimate(args, product_id):
    """About how much subsidy buying this product now may get in `region` (by default the
    signed-in villager's): the best open programme covering it, within its budget and the
    villager's personal cap; `estimate` is null when none applies."""
    user = auth.current_user() if auth.bearer_token() else None
    return claims.estimate_answer(product_id, eligibility.judged_in(args.get("region"), user),
                                  user)
