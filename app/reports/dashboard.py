"""The officers' dashboard: day-by-day series for a region and period, from the database.

Each series is a few aggregate queries grouped by China-time day; the charts' per-county
comparison is the summary report's rows (app.reports.services), and an expo's arrivals per
15 minutes are its live attendance (app.expos.attendance).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from app.complaints.models import STATUS_LABELS, Complaint
from app.core.regions import scope_prefix
from app.extensions import db
from app.merchants.models import Shop
from app.promotions.models import Coupon, Redemption
from app.reports.figures import china_date, during, overdue
from app.reports.period import Period, resolve
from app.reports.services import governed_region
from app.subsidies.models import BudgetMovement, SubsidyProgram


def dashboard(user, *, region: str | None = None, first: date | None = None,
              last: date | None = None) -> dict[str, Any]:
    place = governed_region(user, region)
    period = resolve(first, last)
    prefix = scope_prefix(place.code)
    return {"region": {"code": place.code, "name": place.name, "level": place.level},
            "from": period.first, "to": period.last,
            "coupons": coupons(prefix, period), "programmes": programmes(prefix, period),
            "complaints": complaints(prefix, period)}


def _days(period: Period) -> list[date]:
    return [period.first + timedelta(days=n) for n in range((period.last - period.first).days + 1)]


def _per_day(column, *where) -> dict[date, int]:
    day = china_date(column)
    return {_as_date(d): n for d, n in db.session.execute(
        sa.select(day, sa.func.count()).where(*where).group_by(day)).all()}


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)  # SQLite: text


def coupons(prefix: str, period: Period) -> list[dict]:
    """Coupons claimed and redeemed (not reversed) per day, at shops in the region."""
    shops = sa.select(Shop.id).where(Shop.region_code.startswith(prefix))
    claimed = _per_day(Coupon.claimed_at, Coupon.shop_id.in_(shops),
                       during(Coupon.claimed_at, period))
    redeemed = _per_day(Redemption.created_at, Redemption.shop_id.in_(shops),
                        during(Redemption.created_at, period), Redemption.reversed_at.is_(None))
    return [{"day": d, "claimed": claimed.get(d, 0), "redeemed": redeemed.get(d, 0)}
            for d in _days(period)]


# The ledger's kinds and what they do to what is left: a reservation takes money, a release
# gives it back, a top-up adds budget; approval and disbursement move committed money on.
_REMAINING = {"top_up": 1, "reserved": -1, "released": 1}


def programmes(prefix: str, period: Period) -> list[dict]:
    """Per programme running in the period: claims made and amounts approved per day, and the
    budget left at the end of each day (the burn-down), from the ledger."""
    found = db.session.scalars(
        sa.select(SubsidyProgram).where(SubsidyProgram.region_code.startswith(prefix),
                                        SubsidyProgram.starts_on <= period.last,
                                        SubsidyProgram.ends_on >= period.first)
        .order_by(SubsidyProgram.id)).all()
    if not found:
        return []
    ids = [p.id for p in found]
    moved = BudgetMovement
    left_before = dict(db.session.execute(
        sa.select(moved.program_id, sa.func.sum(sa.case(
            *((moved.kind == kind, moved.amount_fen * sign) for kind, sign in _REMAINING.items()),
            else_=0)))
        .where(moved.program_id.in_(ids), moved.at < period.start)
        .group_by(moved.program_id)).all())
    day = china_date(moved.at)
    daily: dict[int, dict[date, dict[str, int]]] = defaultdict(lambda: defaultdict(
        lambda: defaultdict(int)))
    for program_id, on, kind, count, amount in db.session.execute(
            sa.select(moved.program_id, day, moved.kind, sa.func.count(),
                      sa.func.sum(moved.amount_fen))
            .where(moved.program_id.in_(ids), during(moved.at, period))
            .group_by(moved.program_id, day, moved.kind)):
        daily[program_id][_as_date(on)][kind] += int(amount or 0)
        daily[program_id][_as_date(on)][f"{kind}_count"] += count
    answer = []
    for program in found:
        left = int(left_before.get(program.id) or 0)
        series = []
        for d in _days(period):
            moves = daily[program.id].get(d, {})
            left += sum(moves.get(kind, 0) * sign for kind, sign in _REMAINING.items())
            series.append({"day": d, "claims": moves.get("reserved_count", 0),
                           "approved": moves.get("approved", 0), "remaining": left})
        answer.append({"id": program.id, "name": program.title, "budget": program.budget_fen,
                       "series": series})
    return answer


def complaints(prefix: str, period: Period) -> dict:
    """Complaints received in the period by their status now, and how many are overdue."""
    rows = dict(db.session.execute(
        sa.select(Complaint.status, sa.func.count())
        .where(Complaint.region_code.startswith(prefix), Complaint.submitted_on >= period.first,
               Complaint.submitted_on <= period.last).group_by(Complaint.status)).all())
    late = db.session.scalar(
        sa.select(sa.func.count()).select_from(Complaint)
        .where(Complaint.region_code.startswith(prefix), Complaint.submitted_on >= period.first,
               Complaint.submitted_on <= period.last, overdue()))
    return {"by_status": [{"status": status, "label": label, "count": rows.get(status, 0)}
                          for status, label in STATUS_LABELS.items()],
            "overdue": late or 0}
