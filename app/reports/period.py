"""The report's period: China-time days, inclusive, and their instants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from app.catalog.eligibility import today
from app.core.db import CHINA
from app.core.errors import unprocessable

# The campaign runs July to December (seed 000: 活动时间 7月至12月); before July a report
# of "this year" starts on 1 January.
CAMPAIGN_START = (7, 1)
MAX_DAYS = 366  # one year, leap or not


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def start(self) -> datetime:
        """The first instant counted: midnight of the first day in China."""
        return datetime.combine(self.first, time.min, tzinfo=CHINA)

    @property
    def end(self) -> datetime:
        """The first instant no longer counted: midnight after the last day in China."""
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=CHINA)


def campaign_start(day: date) -> date:
    start = date(day.year, *CAMPAIGN_START)
    return start if start <= day else date(day.year, 1, 1)


def resolve(first: date | None, last: date | None) -> Period:
    """The period asked for, defaults filled in: this year's campaign start to today."""
    last = last or today()
    first = first or campaign_start(last)
    if first > last:
        raise unprocessable("invalid_period", "开始日期不能晚于结束日期",
                            {"from": ["开始日期不能晚于结束日期"]})
    if (last - first).days + 1 > MAX_DAYS:
        raise unprocessable("period_too_long", f"统计区间最长 {MAX_DAYS} 天",
                            {"to": [f"统计区间最长 {MAX_DAYS} 天"]})
    return Period(first, last)
