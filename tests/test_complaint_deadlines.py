"""Deadlines in working days on chinese-calendar with admin overrides, flags, overdue."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.complaints import calendar, deadlines, services
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
def test_accept_due_on_counts_working_days(monkeypatch, world, filed, due):
    complaint = _filed_on(monkeypatch, world, filed)
    assert complaint.submitted_on == filed
    assert complaint.accept_due_on == due
    assert complaint.tracking_no.startswith(f"TS{filed:%Y%m%d}")


def test_finish_due_on_is_45_working_days_from_acceptance(world):
    complaint = complaint_in(world)
    # Accepted Monday 2 March 2026: Qingming (6 Apr) and Labour Day (1, 4, 5 May) are off,
    # Saturday 9 May is worked.
    accepted_at = datetime(2026, 3, 2, 9, 30, tzinfo=services.CHINA)
    services.act(complaint, "accept", world["users"]["county_here"], now=accepted_at)
    assert complaint.accepted_on == date(2026, 3, 2)
    assert complaint.finish_due_on == date(2026, 5, 8)


def test_acceptance_day_is_the_day_in_china(world):
    """23:30 UTC on Sunday 1 March is 07:30 on Monday 2 March in Beijing."""
    complaint = complaint_in(world)
    at = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    services.act(complaint, "accept", world["users"]["county_here"], now=at)
    assert complaint.accepted_on == date(2026, 3, 2)


def test_a_holiday_added_by_the_province_moves_new_deadlines(client, world, monkeypatch):
    h = world["headers"]["province"]
    # A made-up extra day off on Monday 16 March 2026.
    response = client.put(HOLIDAYS, headers=h, json={"day": "2026-03-16", "name": "测试假日"})
    assert response.status_code == 200, response.json
    assert response.json == {"day": "2026-03-16", "name": "测试假日", "is_workday": False,
                             "source": "override"}
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
    assert deadlines.flag_overdue(on=due) == 0  # the last day is still in time
    assert complaint.overdue is False

    assert deadlines.flag_overdue(on=due + timedelta(days=1)) == 1
    db.session.refresh(complaint)
    assert complaint.overdue is True and complaint.overdue_notified_at is not None
    for who, expected in (("county_here", 1), ("province", 1), ("county_elsewhere", 0)):
        assert notifications("complaint_overdue", users[who]) == expected, who
    assert notifications("complaint_overdue", catalog_only) == 0

    # The next runs do not flag or notify it again.
    assert deadlines.flag_overdue(on=due + timedelta(days=2)) == 0
    assert deadlines.flag_overdue(on=due + timedelta(days=30)) == 0
    assert notifications("complaint_overdue", users["county_here"]) == 1
    assert notifications("complaint_overdue", users["province"]) == 1


def test_the_finish_deadline_counts_once_accepted(world):
    complaint = complaint_in(world, "awaiting_merchant")
    assert deadlines.flag_overdue(on=complaint.accept_due_on + timedelta(days=5)) == 0
    assert deadlines.flag_overdue(on=complaint.finish_due_on + timedelta(days=1)) == 1
    assert db.session.get(Complaint, complaint.id).overdue is True


@pytest.mark.parametrize("state", ["declined", "resolved", "closed"])
def test_finished_complaints_are_never_overdue(world, state):
    complaint = complaint_in(world, state)
    assert deadlines.flag_overdue(on=date.today() + timedelta(days=400)) == 0
    assert snapshot(complaint.id)[2] is False


def test_acting_clears_the_flag(client, world):
    complaint = complaint_in(world)
    deadlines.flag_overdue(on=complaint.accept_due_on + timedelta(days=1))
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
    assert deadlines.flag_overdue() == 2
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


# ---- the holiday calendar ----------------------------------------------------------------

def test_the_calendar_is_listed_by_year(client, world):
    response = client.get(f"{HOLIDAYS}?year=2026&limit=100",
                          headers=world["headers"]["county_here"])
    assert response.status_code == 200, response.json
    assert response.json["next_cursor"] is None
    days = {d["day"]: d for d in response.json["items"]}
    assert len(days) == 33 + 6  # from chinese-calendar: days off and weekends worked
    assert {d["source"] for d in days.values()} == {"package"}
    assert days["2026-01-04"] == {"day": "2026-01-04", "name": "元旦调休上班",
                                  "is_workday": True, "source": "package"}
    assert days["2026-02-14"]["is_workday"] is True
    assert days["2026-10-01"] == {"day": "2026-10-01", "name": "国庆节", "is_workday": False,
                                  "source": "package"}
    assert list(days) == sorted(days)


def test_the_calendar_pages_in_date_order(client, world):
    headers = world["headers"]["county_here"]
    seen, cursor = [], None
    while True:
        query = f"{HOLIDAYS}?year=2026&limit=7" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(query, headers=headers).json
        assert len(page["items"]) <= 7
        seen += [d["day"] for d in page["items"]]
        if (cursor := page["next_cursor"]) is None:
            break
    assert len(seen) == 39 and seen == sorted(set(seen))
    assert client.get(f"{HOLIDAYS}?year=2026&cursor=%%%", headers=headers).status_code == 422


def test_a_year_the_package_does_not_know_lists_the_statutory_days(client, world):
    year = calendar.PACKAGE_YEARS.stop
    response = client.get(f"{HOLIDAYS}?year={year}&limit=100",
                          headers=world["headers"]["province"])
    days = {d["day"]: (d["name"], d["is_workday"], d["source"])
            for d in response.json["items"]}
    fixed = {f"{year}-01-01": "元旦", f"{year}-05-01": "劳动节", f"{year}-05-02": "劳动节",
             f"{year}-10-01": "国庆节", f"{year}-10-02": "国庆节", f"{year}-10-03": "国庆节"}
    assert {day: name for day, (name, *_) in days.items() if name != "清明"} == fixed
    assert {(worked, source) for _, worked, source in days.values()} == {(False, "statutory")}
    [qingming] = [day for day, (name, *_) in days.items() if name == "清明"]
    assert qingming[5:] in ("04-04", "04-05", "04-06")


def test_the_2026_calendar_matches_the_state_council_notice(db_session):
    """国办发明电〔2025〕7号: 33 days off, 6 weekend days worked."""
    days = calendar.days_in(2026)
    off = {d.day for d in days if not d.is_workday}
    worked = {d.day for d in days if d.is_workday}
    assert len(off) == 33
    assert worked == {date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9),
                      date(2026, 9, 20), date(2026, 10, 10)}
    assert all(d.weekday() >= 5 for d in worked)


def test_new_years_day_2027_is_not_a_working_day(monkeypatch, world):
    """Known for any year (a fixed statutory day), with or without the year's notice."""
    assert not calendar.is_workday(date(2027, 1, 1))
    complaint = _filed_on(monkeypatch, world, date(2026, 12, 31))  # a Thursday
    assert complaint.accept_due_on == date(2027, 1, 12)  # Friday 1 January skipped


def test_a_working_saturday_is_counted(monkeypatch, world):
    assert calendar.is_workday(date(2026, 2, 28))  # Saturday, worked for the Spring Festival
    assert calendar.deadline(date(2026, 2, 27), 1) == calendar.Deadline(date(2026, 2, 28), True)
    complaint = _filed_on(monkeypatch, world, date(2026, 2, 26))  # Thursday
    # Fri 27, Sat 28 (worked), then Monday 2 to Friday 6 March.
    assert complaint.accept_due_on == date(2026, 3, 6)
    assert complaint.deadline_uncertain is False


def test_an_override_wins_over_the_package(client, world, monkeypatch):
    h = world["headers"]["province"]
    # Saturday 10 October 2026 is worked in the package; a province makes it a day off.
    response = client.put(HOLIDAYS, headers=h, json={"day": "2026-10-10",
                                                     "name": "本省调整休息"})
    assert response.status_code == 200 and response.json["source"] == "override"
    assert not calendar.is_workday(date(2026, 10, 10))
    listed = {d["day"]: d for d in
              client.get(f"{HOLIDAYS}?year=2026&limit=100", headers=h).json["items"]}
    assert listed["2026-10-10"] == {"day": "2026-10-10", "name": "本省调整休息",
                                    "is_workday": False, "source": "override"}
    assert listed["2026-10-07"]["source"] == "package"
    # Filed Wednesday 30 September: 1-7 October off, and now Saturday 10 October too.
    complaint = _filed_on(monkeypatch, world, date(2026, 9, 30))
    assert complaint.accept_due_on == date(2026, 10, 16)  # the package alone: 15 October

    # And the other way: Wednesday 7 October, a holiday in the package, worked.
    client.put(HOLIDAYS, headers=h, json={"day": "2026-10-07", "name": "本省调整上班",
                                          "is_workday": True})
    assert calendar.is_workday(date(2026, 10, 7))
    assert calendar.deadline(date(2026, 9, 30), 7).day == date(2026, 10, 15)

    assert client.delete(f"{HOLIDAYS}/2026-10-10", headers=h).status_code == 204
    assert calendar.is_workday(date(2026, 10, 10))  # the package decides again
    listed = {d["day"]: d for d in
              client.get(f"{HOLIDAYS}?year=2026&limit=100", headers=h).json["items"]}
    assert listed["2026-10-10"]["source"] == "package"


def test_a_deadline_into_a_year_beyond_the_package_is_flagged(client, world, monkeypatch,
                                                              caplog):
    year = calendar.PACKAGE_YEARS.stop  # the first year chinese-calendar does not know
    assert not calendar.is_known(year)
    filed_on = date(year - 1, 12, 28)
    with caplog.at_level("WARNING", logger="app.complaints.calendar"):
        complaint = _filed_on(monkeypatch, world, filed_on)
    assert complaint.deadline_uncertain is True
    assert any(str(year) in r.getMessage() and "holiday calendar" in r.getMessage()
               for r in caplog.records)
    h = world["headers"]
    shown = client.get(f"{ADMIN}/{complaint.id}", headers=h["county_here"]).json
    assert shown["deadline_uncertain"] is True
    public = client.get(f"/open311/v2/requests/{complaint.tracking_no}.json").json[0]
    assert "可能调整" in public["service_notice"]

    # The province enters the year's notice (here: a long New Year break); the next tick
    # recounts the deadline on it and lifts the flag.
    for n in range(1, 6):
        client.put(HOLIDAYS, headers=h["province"], json={
            "day": f"{year}-01-0{n}", "name": "元旦", "is_workday": False})
    assert calendar.is_known(year)
    deadlines.flag_overdue(on=filed_on)
    db.session.refresh(complaint)
    assert complaint.deadline_uncertain is False
    assert complaint.accept_due_on == calendar.deadline(filed_on, services.ACCEPT_WITHIN).day
    assert complaint.accept_due_on > date(year, 1, 5)
    assert client.get(f"{ADMIN}/{complaint.id}", headers=h["county_here"]).json[
        "deadline_uncertain"] is False


def test_a_deadline_inside_known_years_is_not_flagged(monkeypatch, world, caplog):
    with caplog.at_level("WARNING", logger="app.complaints.calendar"):
        complaint = _filed_on(monkeypatch, world, date(2026, 3, 13))
    assert complaint.deadline_uncertain is False and not caplog.records


def test_the_finish_deadline_is_flagged_on_acceptance(world):
    year = calendar.PACKAGE_YEARS.stop
    complaint = complaint_in(world)
    accepted_at = datetime(year - 1, 12, 1, 10, 0, tzinfo=services.CHINA)
    services.act(complaint, "accept", world["users"]["county_here"], now=accepted_at)
    assert complaint.finish_due_on.year == year and complaint.deadline_uncertain is True
    # Still without a calendar, the tick leaves it (and its flag) alone.
    due = complaint.finish_due_on
    deadlines.flag_overdue(on=date(year - 1, 12, 2))
    assert (complaint.finish_due_on, complaint.deadline_uncertain) == (due, True)
    # Once resolved no deadline runs, so none is uncertain.
    services.act(complaint, "resolve", world["users"]["county_here"], note="已调解")
    assert complaint.deadline_uncertain is False


def test_statutory_days_count_in_a_year_without_a_calendar(db_session):
    year = calendar.PACKAGE_YEARS.stop + 3
    for month, day in ((1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)):
        assert not calendar.is_workday(date(year, month, day))
    start = date(year, 9, 30)
    expected = start + timedelta(days=1)
    while expected.weekday() >= 5 or (expected.month, expected.day) in ((10, 1), (10, 2),
                                                                        (10, 3)):
        expected += timedelta(days=1)
    assert calendar.deadline(start, 1) == calendar.Deadline(expected, False)


def test_province_admins_keep_the_calendar(client, world):
    h = world["headers"]
    calendar.set_day(date(2026, 1, 1), "元旦", False)
    db.session.commit()
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
def test_bad_calendar_requests(client, world, method, url, body):
    before = calendar.days_in(2026)
    response = client.open(url, method=method, json=body, headers=world["headers"]["province"])
    assert_error(response, 422)
    db.session.expire_all()
    assert [(d.day, d.name, d.is_workday) for d in calendar.days_in(2026)] == [
        (d.day, d.name, d.is_workday) for d in before]
