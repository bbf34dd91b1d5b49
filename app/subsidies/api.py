"""Console endpoints for subsidy programmes, the review queue and payment batches."""

from __future__ import annotations

from app.accounts.schemas import RevealArgs
from app.core import auth
from app.core.openapi import Blueprint
from app.core.pagination import paginate
from app.core.schemas import PageArgs, page_of
from app.core.sheets import XLSX, download
from app.subsidies import programs, review
from app.subsidies.models import SubsidyClaim, SubsidyProgram
from app.subsidies.schemas import (
    AdminClaimPage,
    AdminClaimSchema,
    BulkApproveArgs,
    DecisionArgs,
    DisburseArgs,
    IdRevealSchema,
    LedgerSchema,
    ProgramCreateArgs,
    ProgramSchema,
    ReviewArgs,
    TopUpArgs,
)

blp = Blueprint("subsidies-admin", __name__, url_prefix="/api/v1/admin",
                description="财政补贴：项目、审核、发放")


@blp.route("/subsidy-programs")
@auth.auth_required(auth.ADMIN)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(ProgramSchema))
def list_programs(args):
    return paginate(programs.governed_programs(auth.current_user()), SubsidyProgram.id,
                    limit=args["limit"], cursor=args["cursor"])


@blp.route("/subsidy-programs", methods=["POST"])
@auth.auth_required(auth.ADMIN)
@blp.arguments(ProgramCreateArgs)
@blp.response(201, ProgramSchema)
def create_program(args):
    """A programme for the admin's region (or a region inside it), with its budget."""
    return programs.create_program(auth.current_user(), **args)


@blp.route("/subsidy-programs/<int:program_id>")
@auth.auth_required(auth.ADMIN)
@blp.response(200, ProgramSchema)
def get_program(program_id):
    """One programme of the admin's region (or a region inside it)."""
    return programs.get_governed_program(program_id, auth.current_user())


@blp.route("/subsidy-programs/<int:program_id>/top-ups", methods=["POST"])
@auth.auth_required(auth.ADMIN)
@blp.arguments(TopUpArgs)
@blp.response(200, ProgramSchema)
def top_up(args, program_id):
    user = auth.current_user()
    program = programs.get_governed_program(program_id, user)
    return programs.top_up(program, args["amount_fen"], by=user, note=args["note"])


@blp.route("/subsidy-programs/<int:program_id>/ledger")
@auth.auth_required(auth.ADMIN)
@blp.response(200, LedgerSchema)
def ledger(program_id):
    """Sums of every movement and whether they reconcile with the claims."""
    return programs.ledger(programs.get_governed_program(program_id, auth.current_user()))


@blp.route("/subsidy-claims")
@auth.auth_required(auth.ADMIN)
@blp.arguments(ReviewArgs, location="query")
@blp.response(200, AdminClaimPage)
def queue(args):
    stmt = review.review_queue(auth.current_user(), status=args.get("status"),
                               program_id=args.get("program_id"), flagged=args.get("flagged"))
    return paginate(stmt, SubsidyClaim.id, limit=args["limit"], cursor=args["cursor"])


@blp.route("/subsidy-claims/<int:claim_id>")
@auth.auth_required(auth.ADMIN)
@blp.response(200, AdminClaimSchema)
def get_claim(claim_id):
    return review.get_governed_claim(claim_id, auth.current_user())


@blp.route("/subsidy-claims/<int:claim_id>/decision", methods=["POST"])
@auth.auth_required(auth.ADMIN)
@blp.arguments(DecisionArgs)
@blp.response(200, AdminClaimSchema)
def decide(args, claim_id):
    """Approve, or reject with a note (which releases the reserved money)."""
    user = auth.current_user()
    return review.decide(review.get_governed_claim(claim_id, user), by=user, **args)


@blp.route("/subsidy-claims/<int:claim_id>/reveal-id", methods=["POST"])
@auth.auth_required(auth.ADMIN)
@blp.arguments(RevealArgs)
@blp.response(200, IdRevealSchema, headers={"Cache-Control": {
    "description": "no-store", "schema": {"type": "string"}}})
def reveal_id(args, claim_id):
    """The claimant's full ID number, for an officer of the programme's region: the purpose
    stated is logged with who, whose and when (个人信息访问记录). Elsewhere it stays masked."""
    user = auth.current_user()
    claim = review.get_governed_claim(claim_id, user)
    return review.reveal_id_card(claim, by=user, **args), {"Cache-Control": "no-store"}


@blp.route("/subsidy-claims/bulk-approve", methods=["POST"])
@auth.auth_required(auth.ADMIN)
@blp.arguments(BulkApproveArgs)
@blp.response(200)
def bulk_approve(args):
    """Approve many at once; flagged or out-of-region claims are skipped and listed."""
    return review.bulk_approve(args["claim_ids"], by=auth.current_user(), note=args["note"])


@blp.route("/subsidy-programs/<int:program_id>/payment-batches", methods=["POST"])
@auth.auth_required(auth.ADMIN)
@blp.response(200, content_type=XLSX,
              description="approved claims for the finance bureau (full ID numbers; logged)")
def export_batch(program_id):
    user = auth.current_user()
    program = programs.get_governed_program(program_id, user)
    batch_no, body, count = review.export_batch(program, by=user)
    response = download(body, f"{batch_no}.xlsx")
    response.headers["X-Batch-No"], response.headers["X-Claim-Count"] = batch_no, str(count)
    return response


@blp.route("/subsidy-programs/<int:program_id>/disbursements", methods=["POST"])
@auth.auth_required(auth.ADMIN)
@blp.arguments(DisburseArgs)
@blp.response(200)
def disburse(args, program_id):
    """Mark a payment batch as paid out."""
    user = auth.current_user()
    program = programs.get_governed_program(program_id, user)
    return {"disbursed": review.mark_disbursed(program, args["batch_no"], by=user)}
