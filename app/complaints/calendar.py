"""The holiday calendar deadlines are counted on; officers keep it current each year."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from app.complaints.models import Holiday
from app.extensions import db


def _span(first: date, days: int) -> list[date]:
    return [first + timedelta(days=n) for n in range(days)]


# The State Council publishes next year's schedule each autumn: check and correct these.
HOLIDAYS_2026 = [
    *((d, "元旦", False) for d in _span(date(2026, 1, 1), 3)),
    (date(2026, 1, 4), "元旦调休上班", True),
    *((d, "春节", False) for d in _span(date(2026, 2, 15), 9)),
    (date(2026, 2, 14), "春节调休上班", True),
    (date(2026, 2, 28), "春节调休上班", True),
    *((d, "清明节", False) for d in _span(date(2026, 4, 4), 3)),
    *((d, "劳动节", False) for d in _span(date(2026, 5, 1), 5)),
    (date(2026, 5, 9), "劳动节调休上班", True),
    *((d, "端午节", False) for d in _span(date(2026, 6, 19), 3)),
    *((d, "中秋节", False) for d in _span(date(2026, 9, 25), 3)),
    *((d, "国庆节", False) for d in _span(date(2026, 10, 1), 7)),
    (date(2026, 9, 20), "国庆节调休上班", True),
    (date(2026, 10, 10), "国庆节调休上班", True),
]


def set_day(day: date, name: str, is_workday: bool) -> Holiday:
    holiday = db.session.get(Holiday, day)
    if holiday is None:
        holiday = Holiday(day=day, name=name, is_workday=is_workday)
        db.session.add(holiday)
    else:
        holiday.name, holiday.is_workday = name, is_workday
    db.session.flush()
    return holiday


def remove_day(day: date) -> None:
    db.session.execute(sa.delete(Holiday).where(Holiday.day == day))


def days_in(year: int) -> list[Holiday]:
    return list(db.session.scalars(sa.select(Holiday).where(
        Holiday.day >= date(year, 1, 1), Holiday.day <= date(year, 12, 31)).order_by(Holiday.day)))


def seed_calendar() -> int:
    added = 0
    for day, name, worked in HOLIDAYS_2026:
        if db.session.get(Holiday, day) is None:
            set_day(day, name, worked)
            added += 1
    return added
