"""The holiday calendar deadlines are counted on: chinese-calendar, overridden by admins."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar
import sqlalchemy as sa

from app.complaints.models import Holiday
from app.core.workdays import add_workdays
from app.extensions import db

log = logging.getLogger(__name__)

# The years the installed chinese-calendar knows (it follows each State Council notice).
PACKAGE_YEARS = range(min(chinese_calendar.holidays).year,
                      max(chinese_calendar.holidays).year + 1)
# Days off that 全国年节及纪念日放假办法 (as amended for 2025) fixes on the Gregorian calendar,
# so they are known for any year; the lunar festivals and the weekends worked in exchange
# are set by each year's notice, which is why a year without one is flagged.
STATUTORY = ((1, 1, "元旦"), (5, 1, "劳动节"), (5, 2, "劳动节"),
             (10, 1, "国庆节"), (10, 2, "国庆节"), (10, 3, "国庆节"))
OVERRIDE, PACKAGE, STATUTE = "override", "package", "statutory"


@dataclass(frozen=True)
class Day:
    """A day that is not what its weekday says (or that an admin has set either way)."""

    day: date
    name: str
    is_workday: bool
    source: str  # OVERRIDE (an admin), PACKAGE (chinese-calendar) or STATUTE (fixed days only)


@dataclass(frozen=True)
class Deadline:
    day: date
    certain: bool  # False: some day counted lies in a year no calendar covers


@lru_cache(maxsize=64)
def _package_year(year: int) -> tuple[Day, ...]:
    days = []
    current = date(year, 1, 1)
    while current.year == year:
        on_holiday, name = chinese_calendar.get_holiday_detail(current)
        if name is not None:  # a holiday (weekends inside it too) or a weekend worked
            chinese = chinese_calendar.Holiday(name).chinese
            days.append(Day(current, chinese if on_holiday else f"{chinese}调休上班",
                            not on_holiday, PACKAGE))
        current += timedelta(days=1)
    return tuple(days)


@lru_cache(maxsize=64)
def _statutory_year(year: int) -> tuple[Day, ...]:
    days = [Day(date(year, month, day), name, False, STATUTE) for month, day, name in STATUTORY]
    days += [Day(day, name, False, STATUTE) for day, name in
             chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 30))
             if name == "清明"]
    return tuple(sorted(days, key=lambda d: d.day))


def _overrides(first_year: int, last_year: int) -> list[Holiday]:
    return list(db.session.scalars(sa.select(Holiday).where(
        Holiday.day >= date(first_year, 1, 1), Holiday.day <= date(last_year, 12, 31))))


def _merged(first_year: int, last_year: int) -> tuple[dict[date, Day], set[int]]:
    """Every special day of these years, and the years that no calendar covers.

    A year is covered by chinese-calendar, or by the admins once they have entered any day
    of it (the State Council's notice for a year the package does not know yet)."""
    overrides = _overrides(first_year, last_year)
    kept = {row.day.year for row in overrides}
    days: dict[date, Day] = {}
    unknown = set()
    for year in range(first_year, last_year + 1):
        if year in PACKAGE_YEARS:
            days.update((d.day, d) for d in _package_year(year))
        elif year not in kept:
            unknown.add(year)
            days.update((d.day, d) for d in _statutory_year(year))
    days.update((row.day, Day(row.day, row.name, row.is_workday, OVERRIDE)) for row in overrides)
    return days, unknown


def deadline(start: date, days: int) -> Deadline:
    """`days` working days after `start`, and whether every day counted had a calendar."""
    span = days * 2 + 30
    while True:
        end = start + timedelta(days=span)
        special, unknown = _merged(start.year, end.year)
        due = add_workdays(start, days, {d: s.is_workday for d, s in special.items()})
        if due <= end:
            break
        span *= 2  # a calendar with more days off than we guessed: look further
    missing = sorted(year for year in unknown if start.year <= year <= due.year
                     and date(year, 12, 31) > start)
    if missing:
        log.warning("deadline %s (%d working days from %s) counted without a holiday calendar "
                    "for %s: enter the State Council's notice at /api/v1/admin/holidays",
                    due, days, start, ", ".join(map(str, missing)))
    return Deadline(due, not missing)


def is_workday(day: date) -> bool:
    special, _ = _merged(day.year, day.year)
    return special[day].is_workday if day in special else day.weekday() < 5


def is_known(year: int) -> bool:
    return not _merged(year, year)[1]


def days_in(year: int) -> list[Day]:
    """The year's special days as deadlines see them, each with where it comes from."""
    special, _ = _merged(year, year)
    return sorted(special.values(), key=lambda d: d.day)


def set_day(day: date, name: str, is_workday: bool) -> Day:
    holiday = db.session.get(Holiday, day)
    if holiday is None:
        holiday = Holiday(day=day, name=name, is_workday=is_workday)
        db.session.add(holiday)
    else:
        holiday.name, holiday.is_workday = name, is_workday
    db.session.flush()
    return Day(day, name, is_workday, OVERRIDE)


def remove_day(day: date) -> None:
    """Drop an admin's entry: the package (or the statutory days) decide that day again."""
    db.session.execute(sa.delete(Holiday).where(Holiday.day == day))
