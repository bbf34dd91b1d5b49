"""Complaint deadlines on schedule: overdue flags and recounts once a year's calendar exists."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.catalog.eligibility import today
from app.complaints import calendar
from app.complaints.models import OPEN, Complaint
from app.complaints.services import ACCEPT_WITHIN, FINISH_WITHIN, officers_of
from app.core.db import utcnow
from app.extensions import db
from app.notifications.services import notify


def flag_overdue(on: date | None = None) -> int:
    """Flag complaints past a deadline and tell their officers (once per complaint)."""
    day = on or today()
    settle_deadlines()
    late = db.session.scalars(sa.select(Complaint).where(
        Complaint.status.in_(OPEN), Complaint.overdue.is_(False),
        sa.or_(sa.and_(Complaint.status == "submitted", Complaint.accept_due_on < day),
               sa.and_(Complaint.status != "submitted", Complaint.finish_due_on < day)))).all()
    for complaint in late:
        complaint.overdue = True
        if complaint.overdue_notified_at is None:
            complaint.overdue_notified_at = utcnow()
            for officer in officers_of(complaint.region_code):
                notify(officer, "complaint_overdue", {"complaint_id": complaint.id,
                                                      "tracking_no": complaint.tracking_no})
    db.session.flush()
    return len(late)


def settle_deadlines() -> int:
    """Recount the deadlines that ran into a year without a calendar, once that year has
    one (admins entered its notice, or a newer chinese-calendar knows it)."""
    settled = 0
    for complaint in db.session.scalars(sa.select(Complaint).where(
            Complaint.status.in_(OPEN), Complaint.deadline_uncertain.is_(True))):
        submitted = complaint.status == "submitted"
        start = complaint.submitted_on if submitted else complaint.accepted_on
        due = complaint.accept_due_on if submitted else complaint.finish_due_on
        years = range(start.year, due.year + 1) if start and due else range(0)
        if not years or not all(calendar.is_known(year) for year in years):
            continue
        fresh = calendar.deadline(start, ACCEPT_WITHIN if submitted else FINISH_WITHIN)
        if submitted:
            complaint.accept_due_on = fresh.day
        else:
            complaint.finish_due_on = fresh.day
        complaint.deadline_uncertain = not fresh.certain
        settled += 1
    db.session.flush()
    return settled
