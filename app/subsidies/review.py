"""Officers' side: the review queue, decisions, flags, and payment batches for finance."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa

from app.accounts import personal_data
from app.accounts.models import User
from app.catalog.admin_services import on_negative_listed
from app.catalog.models import NegativeListEntry, Product
from app.core import auth, crypto, sheets
from app.core.db import utcnow
from app.core.errors import ApiError, conflict, not_found, unprocessable
from app.core.regions import scope_prefix
from app.extensions import db
from app.notifications.services import notify
from app.subsidies.claims import WITH_NAMES
from app.subsidies.models import ClaimEvent, PersonTotal, SubsidyClaim, SubsidyProgram
from app.subsidies.programs import record


def review_queue(user, *, status: str | None = None, program_id: int | None = None,
                 flagged: bool | None = None) -> sa.Select:
    stmt = (sa.select(SubsidyClaim).join(SubsidyProgram)
            .where(SubsidyProgram.region_code.startswith(scope_prefix(user.region_code)))
            .options(*WITH_NAMES))
    if status:
        stmt = stmt.where(SubsidyClaim.status == status)
    if program_id:
        stmt = stmt.where(SubsidyClaim.program_id == program_id)
    if flagged is not None:
        stmt = stmt.where(SubsidyClaim.flagged.is_(flagged))
    return stmt


def get_governed_claim(claim_id: int, user) -> SubsidyClaim:
    claim = db.session.get(SubsidyClaim, claim_id)
    if claim is None:
        raise not_found("claim_not_found", "未找到该申请")
    auth.require_region(claim.program.region_code, user)
    return claim


def _event(claim: SubsidyClaim, status: str, by, note: str | None) -> None:
    db.session.add(ClaimEvent(claim_id=claim.id, status=status, by_user_id=by.id, note=note))


def decide(claim: SubsidyClaim, *, approve: bool, note: str | None, by) -> SubsidyClaim:
    note = (note or "").strip() or None
    if claim.status != "reserved":
        raise conflict("invalid_transition", "只能审核待审核（已预留）的申请")
    if not approve and not note:
        raise unprocessable("note_required", "驳回时请填写原因", {"note": ["必填"]})
    # Lock the claim row: two officers deciding at once → one decision.
    locked = db.session.execute(
        sa.update(SubsidyClaim).where(SubsidyClaim.id == claim.id,
                                      SubsidyClaim.status == "reserved")
        .values(status="approved" if approve else "rejected", decided_by=by.id,
                decided_at=utcnow(), decision_note=note)
        .execution_options(synchronize_session=False)).rowcount
    if locked != 1:
        raise conflict("invalid_transition", "该申请已被处理")
    if approve:
        record(claim.program_id, "approved", claim.amount_fen, claim_id=claim.id, by=by, note=note)
    else:
        _release(claim, by=by, note=note)
    _event(claim, "approved" if approve else "rejected", by, note)
    db.session.flush()
    db.session.refresh(claim)
    notify(claim.user_id, "subsidy_decided", {"claim_id": claim.id, "approved": approve,
                                              "amount_fen": claim.amount_fen, "note": note})
    return claim


def _release(claim: SubsidyClaim, *, by, note: str | None) -> None:
    """Rejection gives the reserved money back to the person's cap and to the budget.

    In that order: a claim locks the person's row, then the programme's (submit_claim), and
    a rejection racing the same person's new claim must take them in the same order, or the
    two deadlock.
    """
    db.session.execute(sa.update(PersonTotal).where(
        PersonTotal.program_id == claim.program_id, PersonTotal.person_hash == claim.person_hash)
        .values(committed_fen=PersonTotal.committed_fen - claim.amount_fen)
        .execution_options(synchronize_session=False))
    db.session.execute(sa.update(SubsidyProgram).where(SubsidyProgram.id == claim.program_id)
                       .values(committed_fen=SubsidyProgram.committed_fen - claim.amount_fen)
                       .execution_options(synchronize_session=False))
    record(claim.program_id, "released", claim.amount_fen, claim_id=claim.id, by=by, note=note)


def bulk_approve(claim_ids: list[int], *, by, note: str | None) -> dict:
    """Approve many; flagged claims, those outside the officer's region and those already
    decided (by another officer a moment ago, too) are skipped.

    Claims are taken in id order, so two officers approving overlapping lists lock the rows
    in the same order and never deadlock.
    """
    approved, skipped = [], []
    for claim_id in sorted(set(claim_ids)):
        claim = db.session.get(SubsidyClaim, claim_id)
        if (claim is None or claim.status != "reserved" or claim.flagged
                or not auth.in_region(claim.program.region_code, by)):
            skipped.append(claim_id)
            continue
        try:
            decide(claim, approve=True, note=note, by=by)
        except ApiError as exc:  # decided meanwhile: decide() raised before writing anything
            if exc.status != 409:
                raise
            skipped.append(claim_id)
            continue
        approved.append(claim_id)
    return {"approved": approved, "skipped": skipped}


@on_negative_listed
def flag_for_negative_list(entry: NegativeListEntry, product_ids: list[int]) -> int:
    """Pending claims for products put on the negative list are flagged for review (new
    claims are refused by eligibility itself)."""
    if not product_ids:
        return 0
    return db.session.execute(
        sa.update(SubsidyClaim).where(SubsidyClaim.product_id.in_(product_ids),
                                      SubsidyClaim.status == "reserved")
        .values(flagged=True, flag_reason=f"负面清单：{entry.reason}"[:255])
        .execution_options(synchronize_session=False)).rowcount


# ---- payment --------------------------------------------------------------------------

PAYMENT_COLUMNS = ("批次号", "申请编号", "姓名", "身份证号", "手机号", "开户银行", "银行账号",
                   "商家", "商品", "实付金额(元)", "补贴金额(元)", "发票号", "购买日期")
EXPORT_PURPOSE = "subsidy_payment_export"


def export_batch(program: SubsidyProgram, *, by) -> tuple[str, bytes, int]:
    """Approved claims as an Excel sheet for the finance bureau, marked into a batch.

    The only place ID numbers and bank accounts appear in full (besides an officer's
    logged reveal of one ID); every one shown is logged.
    """
    claims = db.session.scalars(sa.select(SubsidyClaim).where(
        SubsidyClaim.program_id == program.id, SubsidyClaim.status == "approved",
        SubsidyClaim.batch_no.is_(None)).order_by(SubsidyClaim.id)
        # OF the claims: PostgreSQL refuses to lock the outer-joined programme (eager load).
        .with_for_update(of=SubsidyClaim)).all()
    batch_no = f"PAY{utcnow():%Y%m%d}{secrets.token_hex(3).upper()}"
    rows = []
    for claim in claims:
        villager = db.session.get(User, claim.user_id)
        product = db.session.get(Product, claim.product_id)
        id_card, account = (personal_data.full_id_card(villager),
                            personal_data.full_bank_account(villager))
        rows.append((batch_no, claim.id, villager.real_name, id_card or "",
                     crypto.mask_phone(villager.phone) or "", villager.bank_name or "",
                     account or "", product.shop.name, product.name,
                     claim.price_paid_fen / 100, claim.amount_fen / 100, claim.invoice_no,
                     claim.purchase_date.isoformat()))
        claim.batch_no = batch_no
        # One row per datum shown in full (a blank cell shows nothing).
        for field, shown in (("id_card_no", id_card), ("bank_account", account)):
            if shown:
                personal_data.log_access(by, villager.id, field=field, purpose=EXPORT_PURPOSE,
                                         detail=f"{batch_no} claim {claim.id}")
    db.session.flush()
    return batch_no, sheets.xlsx_bytes("补贴发放", PAYMENT_COLUMNS, rows), len(claims)


def reveal_id_card(claim: SubsidyClaim, *, purpose: str, by) -> dict:
    """The claimant's full ID number for an officer of the claim's programme (`claim` from
    get_governed_claim), for a stated purpose, logged."""
    purpose = personal_data.stated_purpose(purpose)
    villager = db.session.get(User, claim.user_id)
    number = personal_data.full_id_card(villager)
    if number is None:
        raise conflict("no_id_card", "申请人未登记身份证号")
    access = personal_data.log_access(by, villager.id, field="id_card_no", purpose=purpose,
                                      detail=f"subsidy_claim {claim.id}")
    db.session.flush()
    return {"claim_id": claim.id, "id_card_no": number, "access_id": access.id,
            "revealed_at": access.at}


def mark_disbursed(program: SubsidyProgram, batch_no: str, *, by,
                   at: datetime | None = None) -> int:
    claims = db.session.scalars(sa.select(SubsidyClaim).where(
        SubsidyClaim.program_id == program.id, SubsidyClaim.batch_no == batch_no,
        SubsidyClaim.status == "approved").order_by(SubsidyClaim.id)
        .with_for_update(of=SubsidyClaim)).all()
    if not claims:
        raise not_found("batch_not_found", "未找到该批次或已全部发放")
    for claim in claims:
        claim.status, claim.disbursed_at = "disbursed", at or utcnow()
        record(program.id, "disbursed", claim.amount_fen, claim_id=claim.id, by=by,
               note=batch_no)
        _event(claim, "disbursed", by, f"批次 {batch_no}")
        notify(claim.user_id, "subsidy_disbursed", {"claim_id": claim.id,
                                                    "amount_fen": claim.amount_fen})
    db.session.flush()
    return len(claims)
