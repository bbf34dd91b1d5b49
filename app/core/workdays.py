"""Working days: Monday to Friday, minus public holidays, plus the weekends worked instead."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta


def is_workday(day: date, calendar: Mapping[date, bool]) -> bool:
    """`calendar` maps special days to whether they are worked (False = a holiday)."""
    if day in calendar:
        return calendar[day]
    return day.weekday() < 5


def add_workdays(start: date, days: int, calendar: Mapping[date, bool]) -> date:
    """The date `days` working days after `start` (the day itself does not count)."""
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if is_workday(current, calendar):
            left -= 1
    return current
