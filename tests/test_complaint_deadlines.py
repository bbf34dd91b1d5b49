"""Deadlines in working days (weekends, holidays, weekends worked), overdue flags, the calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.complaints import calendar, services
from app.complaints.models import Complaint, Holiday
from app.core.workdays import add_workdays, is_workday
from app.extensions import db
from tests.test_complaints import ADMIN, assert_error, complaint_in, notifications, snapshot

HOLIDAYS = "/api/v1/admin/holidays"
# A made-up calendar for the unit tests: a Thursday-Friday holiday and a Sunday worked.
CAL = {date(2030, 5, 2): False, date(2030, 5, 3): False, date(2030, 5, 5): True}


# ---- add_workdays -------------------------------------------------------------------------

@pytest.mark.parametrize(("start", "days", "calendar_", "expected"), [
    (date(2030, 4, 22), 0, {}, date(2030, 4, 22)),  # no days: the day itself
    (date(2030, 4, 22), 1, {}, date(2030, 4, 23)),  # Monday → Tuesday
    (date(2030, 4, 22), 4, {}, date(2030, 4, 26)),  # Monday + 4 → Friday
    (date(2030, 4, 22), 5, {}, date(2030, 4, 29)),  # over the weekend
    (date(2030, 4, 26), 1, {}, date(2030, 4, 29)),  # Friday → Monday
    (date(2030, 4, 27), 1, {}, date(2030, 4, 29)),  # from a Saturday
    (date(2030, 4, 26), 10, {}, date(2030, 5, 10)),
    (date(2030, 4, 30), 1, CAL, date(2030, 5, 1)),
    (date(2030, 5, 1), 1, CAL, date(2030, 5, 5)),  # holiday Thu-Fri, Sunday worked
    (date(2030, 5, 1), 2, CAL, date(2030, 5, 6)),
    (date(2030, 5, 2), 1, CAL, date(2030, 5, 5)),  # starting on a holiday
])
def test_add_workdays(start, days, calendar_, expected):
    assert add_workdays(start, days, calendar_) == expected


def test_is_workday():
    assert is_workday(date(2030, 5, 1), CAL)  # an ordinary Wednesday
    assert not is_workday(date(2030, 5, 2), CAL)  # a holiday
    assert not is_workday(date(2030, 5, 4), CAL)  # Saturday
    assert is_workday(date(2030, 5, 5), CAL)  # a Sunday worked in exchange


# ---- deadlines of a complaint -------------------------------------------------------------

@pytest.fixture
def seeded(db_session):
    calendar.seed_calendar()
    db.session.commit()


def _filed_on(monkeypatch, world, day: date, state: str = "submitted") -> Complaint:
    monkeypatch.setattr(services, "today", lambda: day)
    return complaint_in(world, state)


@pytest.mark.parametrize(("filed", "due"), [
    # Friday before the Spring Festival: Sat 14 Feb is worked, 15-23 Feb off, Sat 28 worked.
    (date(2026, 2, 13), date(2026, 3, 2)),
    # Friday before the Mid-Autumn and National Day weeks: Sun 20 Sep worked, 25-27 Sep off.
    (date(2026, 9, 18), date(2026, 9, 29)),
    # Friday 25 Sep is itself a holiday; 1-7 Oct off, Sat 10 Oct worked.
    (date(2026, 9, 25), date(2026, 10, 12)),
    # New Year's Eve: 1-3 Jan off, Sunday 4 Jan 2026 is worked.
    (date(2025, 12, 31), date(2026, 1, 12)),
    # An ordinary Friday: a week and two days later.
    (date(2026, 3, 13), date(2026, 3, 24)),
])
def test_accept_due_on_counts_working_days(monkeypatch, world, seeded, filed, due):
    complaint = _filed_on(monkeypatch, world, filed)
    assert complaint.submitted_on == filed
    assert complaint.accept_due_on == due
    assert complaint.tracking_no.startswith(f"TS{filed:%Y%m%d}")


def test_finish_due_on_is_45_working_days_from_acceptance(world, seeded):
    complaint = complaint_in(world)
    # Accepted Monday 2 March 2026: Qingming (6 Apr) and Labour Day (1, 4, 5 May) are off,
    # Saturday 9 May is worked.
    accepted_at = datetime(2026, 3, 2, 9, 30, tzinfo=services.CHINA)
    services.act(complaint, "accept", world["users"]["county_here"], now=accepted_at)
    assert complaint.accepted_on == date(2026, 3, 2)
    assert complaint.finish_due_on == date(2026, 5, 8)


def test_acceptance_day_is_the_day_in_china(world, seeded):
    """23:30 UTC on Sunday 1 March is 07:30 on Monday 2 March in Beijing."""
    complaint = complaint_in(world)
    at = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    services.act(complaint, "accept", world["users"]["county_here"], now=at)
    assert complaint.accepted_on == date(2026, 3, 2)


def test_a_holiday_added_by_the_province_moves_new_deadlines(client, world, seeded,
                                                            monkeypatch):
    h = world["headers"]["province"]
    # A made-up extra day off on Monday 16 March 2026.
    response = client.put(HOLIDAYS, headers=h, json={"day": "2026-03-16", "name": "测试假日"})
    assert response.status_code == 200, response.json
    assert response.json == {"day": "2026-03-16", "name": "测试假日", "is_workday": False}
    complaint = _filed_on(monkeypatch, world, date(2026, 3, 13))
    assert complaint.accept_due_on == date(2026, 3, 25)


# ---- overdue ------------------------------------------------------------------------------

def test_flag_overdue_once_with_one_notification_per_officer(world, make):
    users = world["users"]
    catalog_only = make.admin("410105")
    catalog_only.admin_duties = ["catalog"]
    db.session.commit()
    complaint = complaint_in(world)
    due = complaint.accept_due_on
    assert services.flag_overdue(on=due) == 0  # the last day is still in time
    assert complaint.overdue is False

    assert services.flag_overdue(on=due + timedelta(days=1)) == 1
    db.session.refresh(complaint)
    assert complaint.overdue is True and complaint.overdue_notified_at is not None
    for who, expected in (("county_here", 1), ("province", 1), ("county_elsewhere", 0)):
        assert notifications("complaint_overdue", users[who]) == expected, who
    assert notifications("complaint_overdue", catalog_only) == 0

    # The next runs do not flag or notify it again.
    assert services.flag_overdue(on=due + timedelta(days=2)) == 0
    assert services.flag_overdue(on=due + timedelta(days=30)) == 0
    assert notifications("complaint_overdue", users["county_here"]) == 1
    assert notifications("complaint_overdue", users["province"]) == 1


def test_the_finish_deadline_counts_once_accepted(world):
    complaint = complaint_in(world, "awaiting_merchant")
    assert services.flag_overdue(on=complaint.accept_due_on + timedelta(days=5)) == 0
    assert services.flag_overdue(on=complaint.finish_due_on + timedelta(days=1)) == 1
    assert db.session.get(Complaint, complaint.id).overdue is True


@pytest.mark.parametrize("state", ["declined", "resolved", "closed"])
def test_finished_complaints_are_never_overdue(world, state):
    complaint = complaint_in(world, state)
    assert services.flag_overdue(on=date.today() + timedelta(days=400)) == 0
    assert snapshot(complaint.id)[2] is False


def test_acting_clears_the_flag(client, world):
    complaint = complaint_in(world)
    services.flag_overdue(on=complaint.accept_due_on + timedelta(days=1))
    db.session.commit()
    response = client.post(f"{ADMIN}/{complaint.id}/transitions",
                           headers=world["headers"]["county_here"], json={"action": "accept"})
    assert response.status_code == 200 and response.json["overdue"] is False


def test_the_overdue_list_for_the_regions_officers(client, world, make):
    late = complaint_in(world)
    on_time = complaint_in(world)
    other_shop = complaint_in(world, shop="shop_b")  # routed to 410122
    for c in (late, other_shop):
        c.accept_due_on -= timedelta(days=30)
    db.session.commit()
    assert services.flag_overdue() == 2
    db.session.commit()
    h = world["headers"]

    def ids(who: str, query: str) -> set[int]:
        response = client.get(f"{ADMIN}?{query}", headers=h[who])
        assert response.status_code == 200, response.json
        return {c["id"] for c in response.json["items"]}

    assert ids("county_here", "overdue=true") == {late.id}
    assert ids("county_here", "overdue=false") == {on_time.id}
    assert ids("county_elsewhere", "overdue=true") == {other_shop.id}
    assert ids("province", "overdue=true") == {late.id, other_shop.id}
    assert ids("county_here", "overdue=true&status=submitted") == {late.id}
    assert_error(client.get(f"{ADMIN}?overdue=maybe", headers=h["county_here"]), 422)


# ---- the holiday calendar -----------------------------------------------------------------

def test_the_calendar_is_listed_by_year(client, world, seeded):
    response = client.get(f"{HOLIDAYS}?year=2026", headers=world["headers"]["county_here"])
    assert response.status_code == 200, response.json
    days = {d["day"]: d for d in response.json}
    assert len(days) == len(calendar.HOLIDAYS_2026)
    assert days["2026-01-04"]["is_workday"] is True  # the Sunday worked after New Year
    assert days["2026-02-14"]["is_workday"] is True
    assert days["2026-10-01"] == {"day": "2026-10-01", "name": "国庆节", "is_workday": False}
    assert list(days) == sorted(days)
    assert client.get(f"{HOLIDAYS}?year=2027", headers=world["headers"]["province"]).json == []


def test_the_2026_calendar_matches_the_state_council_notice():
    """国办发明电〔2025〕7号: 33 days off, 6 weekend days worked."""
    off = {d for d, _, worked in calendar.HOLIDAYS_2026 if not worked}
    worked = {d for d, _, w in calendar.HOLIDAYS_2026 if w}
    assert len(off) == 33
    assert worked == {date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9),
                      date(2026, 9, 20), date(2026, 10, 10)}
    assert all(d.weekday() >= 5 for d in worked)


def test_province_admins_keep_the_calendar(client, world, seeded):
    h = world["headers"]
    body = {"day": "2026-12-31", "name": "跨年调休", "is_workday": False}
    for who in ("county_here", "county_elsewhere"):
        assert_error(client.put(HOLIDAYS, headers=h[who], json=body), 403, "province_only")
        assert_error(client.delete(f"{HOLIDAYS}/2026-01-01", headers=h[who]), 403)
    assert db.session.get(Holiday, date(2026, 12, 31)) is None
    assert db.session.get(Holiday, date(2026, 1, 1)) is not None

    assert client.put(HOLIDAYS, headers=h["province"], json=body).status_code == 200
    changed = client.put(HOLIDAYS, headers=h["province"],
                         json={**body, "name": "改为上班", "is_workday": True})
    assert changed.status_code == 200 and changed.json["is_workday"] is True
    db.session.expire_all()
    assert db.session.get(Holiday, date(2026, 12, 31)).name == "改为上班"

    assert client.delete(f"{HOLIDAYS}/2026-12-31", headers=h["province"]).status_code == 204
    db.session.expire_all()
    assert db.session.get(Holiday, date(2026, 12, 31)) is None


@pytest.mark.parametrize(("method", "url", "body"), [
    ("GET", HOLIDAYS, None),  # year required
    ("GET", f"{HOLIDAYS}?year=1999", None),
    ("GET", f"{HOLIDAYS}?year=next", None),
    ("PUT", HOLIDAYS, {"day": "2026-13-01", "name": "坏日期"}),
    ("PUT", HOLIDAYS, {"day": "2026-12-01"}),
    ("PUT", HOLIDAYS, {"day": "2026-12-01", "name": ""}),
    ("PUT", HOLIDAYS, {"day": "2026-12-01", "name": "x", "region_code": "410000"}),
    ("DELETE", f"{HOLIDAYS}/tomorrow", None),
])
def test_bad_calendar_requests(client, world, seeded, method, url, body):
    before = calendar.days_in(2026)
    response = client.open(url, method=method, json=body, headers=world["headers"]["province"])
    assert_error(response, 422)
    db.session.expire_all()
    assert [(d.day, d.name, d.is_workday) for d in calendar.days_in(2026)] == [
        (d.day, d.name, d.is_workday) for d in before]
