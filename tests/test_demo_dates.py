"""Demo dates are relative to the day of seeding, in China time (API.md, Demo data)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import sqlalchemy as sa

from app.core.db import CHINA, china_time
from app.demo import seed_all
from app.expos import demo as expo_demo
from app.expos.models import Expo
from app.extensions import db

TODAYS = expo_demo.EXPOS[0]["title"]  # the demo expo open for admission today


def _todays_expo() -> Expo:
    db.session.expire_all()
    return db.session.scalar(sa.select(Expo).where(Expo.title == TODAYS))


def test_the_expo_open_today_admits_at_any_hour_of_the_china_day(db_session):
    seed_all()
    expo = _todays_expo()
    today = datetime.now(CHINA).date()
    assert china_time(expo.starts_at) == datetime.combine(today, time(0), tzinfo=CHINA)
    assert china_time(expo.ends_at) == datetime.combine(today, time(23, 59, 59), tzinfo=CHINA)
    assert expo.status == "published"


def test_seeding_again_the_next_day_moves_it(db_session, monkeypatch):
    seed_all()
    first = china_time(_todays_expo().starts_at)

    class Tomorrow(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz) + timedelta(days=1)

    monkeypatch.setattr(expo_demo, "datetime", Tomorrow)
    seed_all()
    moved = _todays_expo()
    assert china_time(moved.starts_at) == first + timedelta(days=1)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Expo).where(
        Expo.title == TODAYS)) == 1  # moved, not seeded twice
