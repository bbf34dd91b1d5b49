"""Programmes and their ledger: budgets, top-ups, and the reconciliation of every fen."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.catalog.services import resolve_category_refs
from app.core import auth
from app.core.errors import not_found, unprocessable
from app.core.regions import parent_candidates, scope_prefix
from app.extensions import db
from app.regions.models import Region
from app.subsidies.models import BudgetMovement, SubsidyClaim, SubsidyProgram

# Money columns are INTEGER (32-bit on PostgreSQL): no amount may go beyond this, or the
# database would refuse the row with a 500 instead of the 422 the client can act on.
MAX_FEN = 2**31 - 1


def record(program_id: int, kind: str, amount_fen: int, *, claim_id: int | None = None,
           by=None, note: str | None = None) -> None:
    db.session.add(BudgetMovement(program_id=program_id, claim_id=claim_id, kind=kind,
                                  amount_fen=amount_fen, by_user_id=by.id if by else None,
                                  note=note))


def create_program(user, *, region_code: str, budget_fen: int, starts_on: date, ends_on: date,
                   category_ids: list[int | str], **values) -> SubsidyProgram:
    """`category_ids`: ids or slugs, mixed; each covers its sub-categories."""
    if db.session.get(Region, region_code) is None:
        raise unprocessable("unknown_region", "未知的行政区划", {"region_code": ["未知"]})
    auth.require_region(region_code, user)
    if not starts_on <= ends_on:
        raise unprocessable("invalid_dates", "结束日期须不早于开始日期", {"ends_on": ["日期有误"]})
    categories = resolve_category_refs(category_ids, field="category_ids")
    program = SubsidyProgram(region_code=region_code, starts_on=starts_on, ends_on=ends_on,
                             category_ids=sorted(categories),
                             budget_fen=budget_fen, created_by=user.id, **values)
    db.session.add(program)
    db.session.flush()
    record(program.id, "top_up", budget_fen, by=user, note="初始预算")
    db.session.flush()
    return program


def top_up(program: SubsidyProgram, amount_fen: int, *, by, note: str | None) -> SubsidyProgram:
    raised = db.session.execute(
        sa.update(SubsidyProgram)
        .where(SubsidyProgram.id == program.id,
               SubsidyProgram.budget_fen <= MAX_FEN - amount_fen)
        .values(budget_fen=SubsidyProgram.budget_fen + amount_fen)
        .execution_options(synchronize_session=False)).rowcount
    if raised != 1:
        raise unprocessable("budget_too_large", "预算总额超出上限",
                            {"amount_fen": [f"预算总额不能超过 {MAX_FEN} 分"]})
    record(program.id, "top_up", amount_fen, by=by, note=note)
    db.session.flush()
    db.session.refresh(program)
    return program


def get_program(program_id: int) -> SubsidyProgram:
    program = db.session.get(SubsidyProgram, program_id)
    if program is None:
        raise not_found("program_not_found", "未找到该补贴项目")
    return program


def get_governed_program(program_id: int, user) -> SubsidyProgram:
    program = get_program(program_id)
    auth.require_region(program.region_code, user)
    return program


def programs_for_resident(region_code: str | None, today: date) -> sa.Select:
    """Open programmes whose region contains the villager's (its own or an ancestor's)."""
    regions = [region_code, *parent_candidates(region_code)] if region_code else []
    return sa.select(SubsidyProgram).where(
        SubsidyProgram.status == "open", SubsidyProgram.ends_on >= today,
        SubsidyProgram.region_code.in_(regions))


def governed_programs(user) -> sa.Select:
    return sa.select(SubsidyProgram).where(
        SubsidyProgram.region_code.startswith(scope_prefix(user.region_code)))


def ledger(program: SubsidyProgram) -> dict:
    """The ledger's sums, and whether they agree with the programme and its claims."""
    sums = dict(db.session.execute(
        sa.select(BudgetMovement.kind, sa.func.coalesce(sa.func.sum(BudgetMovement.amount_fen), 0))
        .where(BudgetMovement.program_id == program.id).group_by(BudgetMovement.kind)).all())
    by_status = dict(db.session.execute(
        sa.select(SubsidyClaim.status, sa.func.coalesce(sa.func.sum(SubsidyClaim.amount_fen), 0))
        .where(SubsidyClaim.program_id == program.id).group_by(SubsidyClaim.status)).all())
    get = lambda d, k: int(d.get(k, 0))  # noqa: E731
    committed_by_ledger = get(sums, "reserved") - get(sums, "released")
    committed_by_claims = get(by_status, "reserved") + get(by_status, "approved") + get(
        by_status, "disbursed")
    reconciles = (get(sums, "top_up") == program.budget_fen
                  and committed_by_ledger == program.committed_fen == committed_by_claims
                  and get(sums, "approved") == get(by_status, "approved") + get(
                      by_status, "disbursed")
                  and get(sums, "disbursed") == get(by_status, "disbursed"))
    return {"budget_fen": program.budget_fen, "committed_fen": program.committed_fen,
            "remaining_fen": program.budget_fen - program.committed_fen,
            "movements": {k: get(sums, k) for k in ("top_up", "reserved", "released",
                                                    "approved", "disbursed")},
            "claims": {k: get(by_status, k) for k in ("reserved", "approved", "rejected",
                                                       "disbursed")},
            "reconciles": reconciles}
