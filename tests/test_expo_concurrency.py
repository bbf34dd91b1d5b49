"""Races on PostgreSQL: seats, the waiting list and the gate under simultaneous requests."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.accounts.services import create_console_user, issue_token
from app.core import auth
from app.core.db import china_time, utcnow
from app.expos import codes, registration
from app.expos.models import Expo, ExpoScan, ExpoTicket
from app.extensions import db
from app.notifications.models import Notification
from tests.conftest import fire
from tests.test_expos import new_expo

pytestmark = pytest.mark.postgres

# Threads released together per wave; each holds a connection. Below fire()'s default of 50
# so that this file can run beside other PostgreSQL test runs on one server.
WORKERS = 25


class Scene:
    """Committed data for one race: an expo, its gate staff, villagers and their tokens."""

    def __init__(self, app, *, capacity: int, villagers: int, staff: int = 0,
                 start: timedelta = timedelta(days=2)) -> None:
        self.app = app
        with app.app_context():
            admin = create_console_user(username="race-admin", password="secret-pass-1",
                                        role=auth.ADMIN, region_code="410105")
            gate = [create_console_user(username=f"race-gate-{i}", password="secret-pass-1",
                                        role=auth.EXPO_STAFF) for i in range(staff)]
            expo = new_expo(admin, staff=gate, capacity=capacity, start=start)
            people = [User(role=auth.VILLAGER, nickname=f"race{i}",
                           wechat_openid=f"race-openid-{i}", is_active=True)
                      for i in range(villagers)]
            db.session.add_all(people)
            db.session.flush()
            self.headers = [_bearer(user) for user in people]
            self.staff_headers = [_bearer(user) for user in gate]
            self.expo_id = expo.id
            self.user_ids = [user.id for user in people]
            self.staff_ids = [user.id for user in gate]
            db.session.commit()

    def fill(self, seated: range, waiting: range = range(0)) -> list[int]:
        """Tickets written straight to the database before the race (the service would take
        a hundred round trips): seats for `seated`, then the waiting list in order.
        Returns the seated tickets' ids."""
        with self.app.app_context():
            expo = self.expo()
            seats = [ExpoTicket(expo_id=self.expo_id, user_id=self.user_ids[i],
                                status="registered", secret=codes.new_secret())
                     for i in seated]
            queue = [ExpoTicket(expo_id=self.expo_id, user_id=self.user_ids[i],
                                status="waitlisted", waiting_position=n,
                                secret=codes.new_secret())
                     for n, i in enumerate(waiting, start=1)]
            db.session.add_all(seats + queue)
            expo.registered_count, expo.waitlist_seq = len(seats), len(queue)
            db.session.commit()
            return [ticket.id for ticket in seats]

    def registration(self, i: int) -> tuple:
        return ("POST", f"/api/mp/v1/expos/{self.expo_id}/registrations", None, self.headers[i])

    def expo(self) -> Expo:
        return db.session.get(Expo, self.expo_id)

    def tickets(self, status: str | None = None) -> list[ExpoTicket]:
        stmt = sa.select(ExpoTicket).where(ExpoTicket.expo_id == self.expo_id)
        if status:
            stmt = stmt.where(ExpoTicket.status == status)
        return list(db.session.scalars(stmt.order_by(ExpoTicket.id)))


def race(app, calls: list) -> list:
    # fire() releases its threads in waves of `workers`: a last, partial wave would wait out
    # the barrier's timeout (10 s), so every race is a whole number of waves.
    assert len(calls) <= WORKERS or len(calls) % WORKERS == 0, len(calls)
    return fire(app, calls, workers=WORKERS)


def _bearer(user: User) -> dict:
    return {"Authorization": f"Bearer {issue_token(user)}"}


def _statuses(responses) -> Counter:
    return Counter(r.status_code for r in responses)


def test_300_registrations_for_100_seats(committed):
    scene = Scene(committed, capacity=100, villagers=300)
    responses = race(committed, [scene.registration(i) for i in range(300)])
    assert _statuses(responses) == {201: 300}
    answered = Counter(r.get_json()["ticket"]["status"] for r in responses)
    assert answered == {"registered": 100, "waitlisted": 200}
    with committed.app_context():
        expo = scene.expo()
        assert (expo.registered_count, expo.capacity, expo.waitlist_seq) == (100, 100, 200)
        by_status = Counter(t.status for t in scene.tickets())
        assert by_status == {"registered": 100, "waitlisted": 200}
        positions = sorted(t.waiting_position for t in scene.tickets("waitlisted"))
        assert positions == list(range(1, 201))
        assert {t.user_id for t in scene.tickets()} == set(scene.user_ids)


def test_the_same_villager_taps_register_20_times(committed):
    scene = Scene(committed, capacity=10, villagers=1)
    responses = race(committed, [scene.registration(0)] * 20)
    assert _statuses(responses) == {201: 1, 200: 19}
    assert len({r.get_json()["ticket"]["id"] for r in responses}) == 1
    assert len({r.get_json()["ticket"]["code"] for r in responses}) == 1
    with committed.app_context():
        assert len(scene.tickets()) == 1
        assert scene.expo().registered_count == 1

    # cancelled, then back with 20 more taps: one seat, one new code
    ticket_id = responses[0].get_json()["ticket"]["id"]
    race(committed, [("DELETE", f"/api/mp/v1/tickets/{ticket_id}", None, scene.headers[0])])
    again = race(committed, [scene.registration(0)] * 20)
    assert _statuses(again) == {201: 1, 200: 19}
    assert len({r.get_json()["ticket"]["code"] for r in again}) == 1
    with committed.app_context():
        [ticket] = scene.tickets()
        assert ticket.status == "registered"
        assert scene.expo().registered_count == 1


def test_50_cancels_and_100_registrations_at_once(committed):
    """Capacity 50, full, 50 waiting: every freed seat goes to the waiting list, in order."""
    scene = Scene(committed, capacity=50, villagers=200)
    holders = scene.fill(range(50), waiting=range(50, 100))  # waiting: positions 1..50
    calls = [("DELETE", f"/api/mp/v1/tickets/{ticket_id}", None, scene.headers[i])
             for i, ticket_id in enumerate(holders)]
    calls += [scene.registration(i) for i in range(100, 200)]
    random.Random(7).shuffle(calls)
    responses = race(committed, calls)
    assert _statuses(responses) == {200: 50, 201: 100}
    with committed.app_context():
        expo = scene.expo()
        registered = scene.tickets("registered")
        assert expo.registered_count == len(registered) == 50
        # the fifty who waited hold the seats; every newcomer waits behind them
        assert {t.user_id for t in registered} == set(scene.user_ids[50:100])
        newcomers = scene.tickets("waitlisted")
        assert {t.user_id for t in newcomers} == set(scene.user_ids[100:])
        assert sorted(t.waiting_position for t in newcomers) == list(range(51, 151))
        told = db.session.scalars(sa.select(Notification.user_id).where(
            Notification.kind == "waitlist_promoted")).all()
        assert sorted(told) == sorted(scene.user_ids[50:100])


def test_cancels_free_more_seats_than_are_waited_for(committed):
    """Capacity 20, full, 5 waiting; 20 cancels and 30 newcomers at once. No seat may stay
    empty while someone waits, and the five who waited are seated before any newcomer."""
    scene = Scene(committed, capacity=20, villagers=55)
    holders = scene.fill(range(20), waiting=range(20, 25))
    calls = [("DELETE", f"/api/mp/v1/tickets/{ticket_id}", None, scene.headers[i])
             for i, ticket_id in enumerate(holders)]
    calls += [scene.registration(i) for i in range(25, 55)]
    random.Random(11).shuffle(calls)
    responses = race(committed, calls)
    assert _statuses(responses) == {200: 20, 201: 30}
    with committed.app_context():
        expo = scene.expo()
        registered = scene.tickets("registered")
        waiting = scene.tickets("waitlisted")
        assert expo.registered_count == len(registered) == 20
        assert len(waiting) == 15
        assert set(scene.user_ids[20:25]) <= {t.user_id for t in registered}
        positions = [t.waiting_position for t in waiting]
        assert len(set(positions)) == 15 and min(positions) > 5


def test_50_scans_of_one_ticket_admit_once(committed):
    scene = Scene(committed, capacity=10, villagers=1, staff=5, start=timedelta(minutes=-30))
    [ticket_id] = scene.fill(range(1))
    with committed.app_context():
        code = registration.ticket_code(db.session.get(ExpoTicket, ticket_id))
    url = f"/api/v1/expos/{scene.expo_id}/checkins"
    calls = [("POST", url, {"code": code, "nonce": uuid.uuid4().hex}, scene.staff_headers[i % 5])
             for i in range(50)]
    responses = race(committed, calls)
    assert _statuses(responses) == {200: 50}
    answers = [r.get_json() for r in responses]
    assert Counter(a["result"] for a in answers) == {"admitted": 1, "already_admitted": 49}
    with committed.app_context():
        ticket = db.session.get(ExpoTicket, ticket_id)
        admitter = db.session.get(User, ticket.admitted_by)
        later = [a for a in answers if a["result"] == "already_admitted"]
        assert {a["first_admitted_by"] for a in later} == {admitter.nickname}
        first = china_time(ticket.admitted_at).isoformat()  # answers are in China time
        assert {a["first_admitted_at"] for a in later} == {first}
        scans = Counter(db.session.scalars(sa.select(ExpoScan.result)).all())
        assert scans == {"admitted": 1, "already_admitted": 49}


def test_a_retried_scan_sent_20_times_at_once_is_one_scan(committed):
    scene = Scene(committed, capacity=10, villagers=1, staff=1, start=timedelta(minutes=-30))
    [ticket_id] = scene.fill(range(1))
    with committed.app_context():
        code = registration.ticket_code(db.session.get(ExpoTicket, ticket_id))
    body = {"code": code, "nonce": uuid.uuid4().hex}
    calls = [("POST", f"/api/v1/expos/{scene.expo_id}/checkins", body, scene.staff_headers[0])]
    responses = race(committed, calls * 20)
    assert _statuses(responses) == {200: 20}
    assert {r.get_json()["result"] for r in responses} == {"admitted"}
    with committed.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ExpoScan)) == 1


def _race_scans_against(committed, scene, stop, stopped: str) -> None:
    """Each of 25 tickets is scanned while `stop(i, ticket_id)` (a request) ends it: either
    admitted (and the stop refused, 409) or `stopped` (and refused at the gate as that),
    never both."""
    tickets = scene.fill(range(25))
    with committed.app_context():
        ticket_codes = [registration.ticket_code(db.session.get(ExpoTicket, t)) for t in tickets]
    calls = []
    for i, ticket_id in enumerate(tickets):
        calls.append(stop(i, ticket_id))
        calls.append(("POST", f"/api/v1/expos/{scene.expo_id}/checkins",
                      {"code": ticket_codes[i], "nonce": uuid.uuid4().hex},
                      scene.staff_headers[i % 4]))
    responses = race(committed, calls)
    with committed.app_context():
        for i, ticket_id in enumerate(tickets):
            ended, scan = responses[2 * i], responses[2 * i + 1]
            ticket = db.session.get(ExpoTicket, ticket_id)
            if ticket.status == stopped:
                assert ticket.admitted_at is None
                assert ended.status_code == 200 and scan.get_json()["result"] == stopped
            else:
                assert ticket.admitted_at is not None and ticket.status == "registered"
                assert ended.status_code == 409 and scan.get_json()["result"] == "admitted"


def test_scanning_while_the_holder_cancels(committed):
    """A ticket is either admitted (and its cancel refused) or cancelled (and refused at the
    gate), never both."""
    scene = Scene(committed, capacity=25, villagers=25, staff=4, start=timedelta(minutes=-30))
    _race_scans_against(committed, scene, lambda i, ticket_id: (
        "DELETE", f"/api/mp/v1/tickets/{ticket_id}", None, scene.headers[i]), "cancelled")


def test_offline_devices_uploading_overlapping_batches_at_once(committed):
    """Eight devices scanned the same 20 people in different orders and upload together:
    no deadlock, each person admitted once, at the earliest scan."""
    scene = Scene(committed, capacity=20, villagers=20, staff=8, start=timedelta(hours=-1))
    tickets = scene.fill(range(20))
    with committed.app_context():
        ticket_codes = [registration.ticket_code(db.session.get(ExpoTicket, t)) for t in tickets]
    now = utcnow()
    rng = random.Random(3)
    batches = []
    for device in range(8):
        minutes = rng.sample(range(1, 50), 20)  # each device saw them in its own order
        batches.append([{"code": ticket_codes[i], "nonce": uuid.uuid4().hex,
                         "scanned_at": (now - timedelta(minutes=m)).isoformat(),
                         "device_id": f"pad-{device}"} for i, m in enumerate(minutes)])
    earliest = [min(b[i]["scanned_at"] for b in batches) for i in range(20)]
    url = f"/api/v1/expos/{scene.expo_id}/checkins/batch"
    responses = race(committed, [("POST", url, {"scans": b}, scene.staff_headers[d])
                                 for d, b in enumerate(batches)])
    assert _statuses(responses) == {200: 8}
    with committed.app_context():
        for i, ticket_id in enumerate(tickets):
            ticket = db.session.get(ExpoTicket, ticket_id)
            assert ticket.admitted_at.isoformat() == earliest[i]
        scans = db.session.execute(sa.select(ExpoScan.ticket_id, ExpoScan.result,
                                             ExpoScan.duplicate)).all()
        assert len(scans) == 160
        standing = Counter(t for t, result, duplicate in scans
                           if result == "admitted" and not duplicate)
        assert standing == dict.fromkeys(tickets, 1)


def test_lowering_capacity_while_villagers_register(committed):
    """The capacity edit sees the real count: it is refused (409) or it holds, never a 500."""
    scene = Scene(committed, capacity=10, villagers=20)
    scene.fill(range(5))
    with committed.app_context():
        admin = db.session.scalar(sa.select(User).where(User.username == "race-admin"))
        admin_headers = _bearer(admin)
        db.session.commit()
    patch = ("PATCH", f"/api/v1/admin/expos/{scene.expo_id}", {"capacity": 7}, admin_headers)
    calls = [scene.registration(i) for i in range(5, 20)]
    calls.insert(3, patch)
    responses = race(committed, calls)
    assert responses[3].status_code in (200, 409), responses[3].get_json()
    assert _statuses(responses[:3] + responses[4:]) == {201: 15}
    with committed.app_context():
        expo = scene.expo()
        assert expo.registered_count == len(scene.tickets("registered")) <= expo.capacity
        assert expo.capacity == (7 if responses[3].status_code == 200 else 10)


def test_registering_while_the_expo_is_cancelled(committed):
    """Whoever holds a ticket once the expo is cancelled was told so."""
    scene = Scene(committed, capacity=5, villagers=24)
    with committed.app_context():
        admin = db.session.scalar(sa.select(User).where(User.username == "race-admin"))
        admin_headers = _bearer(admin)
        db.session.commit()
    cancel = ("POST", f"/api/v1/admin/expos/{scene.expo_id}/cancel", {"reason": "暴雨预警"},
              admin_headers)
    calls = [scene.registration(i) for i in range(24)]
    calls.insert(10, cancel)
    responses = race(committed, calls)
    assert responses[10].status_code == 200
    others = responses[:10] + responses[11:]
    assert set(_statuses(others)) <= {201, 409}
    with committed.app_context():
        holders = {t.user_id for t in scene.tickets()}
        told = set(db.session.scalars(sa.select(Notification.user_id).where(
            Notification.kind == "expo_cancelled")).all())
        assert holders == told
        assert len(holders) == sum(r.status_code == 201 for r in others)
        assert scene.expo().registered_count == len(scene.tickets("registered")) <= 5


def _admin_headers(committed) -> dict:
    with committed.app_context():
        admin = db.session.scalar(sa.select(User).where(User.username == "race-admin"))
        headers = _bearer(admin)
        db.session.commit()
    return headers


def test_revoking_while_scanning(committed):
    """A ticket is either admitted (and its revocation refused) or revoked (and refused at
    the gate as `revoked`), never both."""
    scene = Scene(committed, capacity=25, villagers=25, staff=4, start=timedelta(minutes=-30))
    admin = _admin_headers(committed)
    _race_scans_against(committed, scene, lambda i, ticket_id: (
        "POST", f"/api/v1/admin/expos/{scene.expo_id}/tickets/{ticket_id}/revoke",
        {"reason": "并发作废"}, admin), "revoked")
    with committed.app_context():
        revoked = len(scene.tickets("revoked"))
        told = db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
            Notification.kind == "ticket_revoked"))
        assert told == revoked


def test_revokes_cancels_and_registrations_at_once(committed):
    """Capacity 20, full, 20 waiting. The organiser revokes tickets 0-9 while holders 5-14
    cancel theirs (5-9 both at once) and 30 newcomers register: each freed seat is handed on
    once, to the waiting list in order, and every place in the queue is distinct."""
    scene = Scene(committed, capacity=20, villagers=70)
    holders = scene.fill(range(20), waiting=range(20, 40))
    admin = _admin_headers(committed)
    url = f"/api/v1/admin/expos/{scene.expo_id}/tickets/{{}}/revoke"
    calls = [("POST", url.format(holders[i]), {"reason": "并发作废"}, admin) for i in range(10)]
    calls += [("DELETE", f"/api/mp/v1/tickets/{holders[i]}", None, scene.headers[i])
              for i in range(5, 15)]
    calls += [scene.registration(i) for i in range(40, 70)]
    random.Random(5).shuffle(calls)
    responses = race(committed, calls)
    assert _statuses(responses) == {200: 20, 201: 30}
    with committed.app_context():
        expo = scene.expo()
        registered = scene.tickets("registered")
        assert expo.registered_count == len(registered) == 20
        seated = {t.user_id for t in registered}
        assert seated == set(scene.user_ids[15:20]) | set(scene.user_ids[20:35])
        assert {t.user_id for t in scene.tickets("revoked")} >= set(scene.user_ids[:5])
        freed = {t.user_id for t in scene.tickets() if t.status in ("revoked", "cancelled")}
        assert freed == set(scene.user_ids[:15])
        promoted = db.session.scalars(sa.select(Notification.user_id).where(
            Notification.kind == "waitlist_promoted")).all()
        assert sorted(promoted) == sorted(scene.user_ids[20:35])
        waiting = scene.tickets("waitlisted")
        places = sorted(registration.waiting_place(t) for t in waiting)
        assert places == list(range(1, 36))
        early = {t.user_id: registration.waiting_place(t) for t in waiting
                 if t.user_id in scene.user_ids[35:40]}
        assert sorted(early.values()) == [1, 2, 3, 4, 5]  # who waited before stays in front
