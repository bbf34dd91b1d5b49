"""The gate: every scan answer, forged codes, nonces, offline bundles and offline uploads."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import datetime, timedelta
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from app.core.db import utcnow
from app.expos import codes
from app.expos.models import Expo, ExpoScan, ExpoTicket
from app.extensions import db
from tests.test_expos import (
    assert_error,
    count,
    new_expo,
    open_expo,
    staff_user,
    ticket_of,
)

INVALID = {"result": "invalid", "result_label": "无效二维码"}


def nonce() -> str:
    return uuid.uuid4().hex


class Gate:
    """An open expo, two staff at its gate, and villagers holding tickets."""

    def __init__(self, client, make) -> None:
        self.client, self.make = client, make
        self.admin = make.admin("410105")
        self.staff = [staff_user(make, "gate-li"), staff_user(make, "gate-zhao")]
        self.expo = open_expo(self.admin, staff=self.staff, capacity=3)
        self.headers = [make.headers(user) for user in self.staff]
        self.villagers = []
        for i in range(4):
            user = make.villager(f"gate-villager-{i}")
            user.phone = f"1381234567{i}"
            db.session.commit()
            self.villagers.append((user, make.headers(user)))
        # three seats: the fourth villager waits
        self.tickets = [ticket_of(client, h, self.expo.id) for _, h in self.villagers]

    def scan(self, code: str, *, staff: int = 0, expo_id: int | None = None, **extra):
        response = self.client.post(f"/api/v1/expos/{expo_id or self.expo.id}/checkins",
                                    json={"code": code, **extra}, headers=self.headers[staff])
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def batch(self, scans: list[dict], *, staff: int = 0):
        response = self.client.post(f"/api/v1/expos/{self.expo.id}/checkins/batch",
                                    json={"scans": scans}, headers=self.headers[staff])
        assert response.status_code == 200, response.get_json()
        return response.get_json()["results"]

    def bundle(self, since: int | None = None, *, staff: int = 0,
               admitted_after: str | None = None):
        query = "" if since is None else f"?since={since}"
        if admitted_after:
            query += f"&admitted_after={quote(admitted_after)}"
        response = self.client.get(f"/api/v1/expos/{self.expo.id}/offline-bundle{query}",
                                   headers=self.headers[staff])
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def attendance(self):
        return self.client.get(f"/api/v1/expos/{self.expo.id}/attendance",
                               headers=self.headers[0]).get_json()

    def ticket_row(self, n: int) -> ExpoTicket:
        db.session.expire_all()
        return db.session.get(ExpoTicket, self.tickets[n]["id"])

    def scans(self) -> list[ExpoScan]:
        db.session.expire_all()
        return list(db.session.scalars(sa.select(ExpoScan).where(
            ExpoScan.expo_id == self.expo.id).order_by(ExpoScan.id)))


@pytest.fixture
def gate(client, make) -> Gate:
    return Gate(client, make)


def offline(code: str, at: datetime, *, device: str = "pad-1") -> dict:
    return {"code": code, "nonce": nonce(), "scanned_at": at.isoformat(), "device_id": device}


def parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment)


# ---- online answers --------------------------------------------------------------------

def test_admitted_then_already_admitted_with_when_and_by_whom(gate):
    first = gate.scan(gate.tickets[0]["code"], staff=0)
    assert first["result"] == "admitted"
    assert first["result_label"] == "准予入场"
    assert first["ticket"] == {"id": gate.tickets[0]["id"], "status": "registered",
                               "status_label": "已报名",
                               "holder": {"nickname": "gate-villager-0",
                                          "phone": "138****5670"}}
    second = gate.scan(gate.tickets[0]["code"], staff=1)
    assert second["result"] == "already_admitted"
    assert second["first_admitted_by"] == "gate-li"
    row = gate.ticket_row(0)
    assert parse(second["first_admitted_at"]) == row.admitted_at
    assert row.admitted_by == gate.staff[0].id
    assert [s.result for s in gate.scans()] == ["admitted", "already_admitted"]
    assert {s.staff_id for s in gate.scans()} == {u.id for u in gate.staff}


def test_a_waiting_ticket_is_not_admitted(gate):
    answer = gate.scan(gate.tickets[3]["code"])
    assert answer["result"] == "waitlisted" and answer["ticket"]["status"] == "waitlisted"
    assert gate.ticket_row(3).admitted_at is None


def test_a_cancelled_ticket_is_refused(gate):
    gate.client.delete(f"/api/mp/v1/tickets/{gate.tickets[0]['id']}",
                       headers=gate.villagers[0][1])
    answer = gate.scan(gate.tickets[0]["code"])
    assert answer["result"] == "cancelled" and answer["ticket"]["status"] == "cancelled"
    assert gate.ticket_row(0).admitted_at is None
    # the seat went to the villager who waited, whose code now opens the gate
    assert gate.scan(gate.tickets[3]["code"])["result"] == "admitted"


def test_a_ticket_of_another_expo_is_wrong_expo(gate, make):
    other = open_expo(gate.admin, title="花园路展销会")
    foreign = ticket_of(gate.client, gate.villagers[0][1], other.id)
    answer = gate.scan(foreign["code"])
    # nothing about the other expo's villager
    assert answer == {"result": "wrong_expo", "result_label": "非本场门票"}
    assert db.session.get(ExpoTicket, foreign["id"]).admitted_at is None
    assert gate.scans()[-1].ticket_id is None


def test_staff_of_another_expo_are_refused(gate, make):
    stranger = staff_user(make, "gate-other")
    open_expo(gate.admin, staff=[stranger], title="别的展会")
    headers = make.headers(stranger)
    code = gate.tickets[0]["code"]
    base = f"/api/v1/expos/{gate.expo.id}"
    for method, path, body in [
        ("POST", "/checkins", {"code": code}),
        ("POST", "/checkins/batch", {"scans": [offline(code, utcnow())]}),
        ("GET", "/offline-bundle", None),
        ("GET", "/attendance", None),
    ]:
        response = gate.client.open(base + path, method=method, json=body, headers=headers)
        assert_error(response, 403, "not_expo_staff")
    assert gate.scans() == [] and gate.ticket_row(0).admitted_at is None


@pytest.mark.parametrize("start", [
    pytest.param(timedelta(hours=3), id="before-the-gate-opens"),
    pytest.param(timedelta(hours=-10), id="after-the-expo-ended"),
])
def test_outside_the_window_is_not_open(gate, start):
    expo = db.session.get(Expo, gate.expo.id)
    expo.starts_at = utcnow() + start
    expo.ends_at = expo.starts_at + timedelta(hours=8)
    db.session.commit()
    answer = gate.scan(gate.tickets[0]["code"])
    assert answer["result"] == "not_open" and answer["ticket"]["id"] == gate.tickets[0]["id"]
    assert gate.ticket_row(0).admitted_at is None


def test_the_gate_opens_an_hour_before_the_start(gate):
    expo = db.session.get(Expo, gate.expo.id)
    expo.starts_at, expo.ends_at = utcnow() + timedelta(minutes=50), utcnow() + timedelta(hours=9)
    db.session.commit()
    assert gate.scan(gate.tickets[0]["code"])["result"] == "admitted"


def _tamper(code: str, position: int) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
    swapped = alphabet[(alphabet.index(code[position]) + 1) % 45]
    return code[:position] + swapped + code[position + 1:]


def _forged(gate) -> str:
    """A well-formed code for a real ticket, signed with a key that is not the expo's."""
    claim = codes.parse(gate.tickets[0]["code"])
    other_key, _ = codes.new_keypair()
    return codes.sign(other_key, expo_id=claim.expo_id, ticket_id=claim.ticket_id,
                      secret=claim.secret)


@pytest.mark.parametrize("make_code", [
    pytest.param(lambda g: "hello", id="garbage"),
    pytest.param(lambda g: "中文二维码", id="not-base45"),
    pytest.param(lambda g: g.tickets[0]["code"][:-3], id="truncated"),
    pytest.param(lambda g: g.tickets[0]["code"] + "000", id="too-long"),
    pytest.param(_forged, id="forged-with-another-key"),
    pytest.param(lambda g: _tamper(g.tickets[0]["code"], 100), id="tampered-signature"),
    pytest.param(lambda g: _tamper(g.tickets[0]["code"], 12), id="tampered-ticket-id"),
    pytest.param(lambda g: _tamper(g.tickets[0]["code"], 20), id="tampered-secret"),
])
def test_invalid_codes(gate, make_code):
    code = make_code(gate)
    assert code != gate.tickets[0]["code"]
    assert gate.scan(code) == INVALID
    assert gate.ticket_row(0).admitted_at is None
    scans = gate.scans()
    assert [(s.result, s.ticket_id) for s in scans] == [("invalid", None)]
    assert scans[0].raw_code == code  # every scan is logged, bad ones too


def test_every_tampered_character_is_caught(gate):
    code = gate.tickets[0]["code"]
    expo = db.session.get(Expo, gate.expo.id)
    assert codes.verify(code, expo.public_key) is not None
    for position in range(len(code)):
        assert codes.verify(_tamper(code, position), expo.public_key) is None, position


def test_a_forged_code_naming_another_expo_is_invalid_not_wrong_expo(gate):
    other = new_expo(gate.admin, start=timedelta(minutes=-30))
    key, _ = codes.new_keypair()
    forged = codes.sign(key, expo_id=other.id, ticket_id=1, secret="00" * 6)
    assert gate.scan(forged) == INVALID


def test_lowercase_codes_are_the_same_code(gate):
    assert gate.scan(gate.tickets[0]["code"].lower())["result"] == "admitted"


# ---- nonces ----------------------------------------------------------------------------

def test_a_replayed_nonce_gets_the_same_answer_and_changes_nothing(gate):
    n = nonce()
    first = gate.scan(gate.tickets[0]["code"], nonce=n)
    admitted_at = gate.ticket_row(0).admitted_at
    again = gate.scan(gate.tickets[0]["code"], nonce=n, staff=1)
    assert first == again and first["result"] == "admitted"
    assert len(gate.scans()) == 1
    assert gate.ticket_row(0).admitted_at == admitted_at

    # a second person's scan, retried: already_admitted both times, one row
    n2 = nonce()
    second = gate.scan(gate.tickets[0]["code"], nonce=n2, staff=1)
    assert gate.scan(gate.tickets[0]["code"], nonce=n2, staff=1) == second
    assert second["result"] == "already_admitted" and second["first_admitted_by"] == "gate-li"
    assert len(gate.scans()) == 2


def test_a_replayed_nonce_of_a_refused_scan(gate):
    n = nonce()
    assert gate.scan("garbage-code", nonce=n) == INVALID
    # even if the retry carries a good code, the nonce names the first scan
    assert gate.scan(gate.tickets[0]["code"], nonce=n) == INVALID
    assert len(gate.scans()) == 1 and gate.ticket_row(0).admitted_at is None


@pytest.mark.parametrize("body", [
    pytest.param({}, id="no-code"),
    pytest.param({"code": ""}, id="empty-code"),
    pytest.param({"code": "X", "nonce": "short"}, id="short-nonce"),
    pytest.param({"code": "X", "scanned_at": "yesterday"}, id="bad-time"),
    pytest.param({"code": "X", "scanned_at": "2026-11-20T09:30:00"}, id="naive-time"),
    pytest.param({"code": "X", "ticket_id": 1}, id="unknown-field"),
])
def test_bad_checkin_bodies(gate, body):
    response = gate.client.post(f"/api/v1/expos/{gate.expo.id}/checkins", json=body,
                                headers=gate.headers[0])
    assert_error(response, 422, "validation_error")
    assert gate.scans() == []


def test_the_device_time_is_recorded_not_trusted(gate):
    claimed = utcnow() - timedelta(days=30)
    answer = gate.scan(gate.tickets[0]["code"], scanned_at=claimed.isoformat(),
                       device_id="pad-7")
    assert answer["result"] == "admitted"  # the window is judged on the server's clock
    scan = gate.scans()[0]
    assert (scan.scanned_at, scan.device_id, scan.offline) == (claimed, "pad-7", False)


# ---- the offline bundle ----------------------------------------------------------------

def test_the_offline_bundle_and_its_deltas(gate):
    full = gate.bundle()
    assert full["full"] is True and full["algorithm"] == "Ed25519"
    assert {t["id"]: t["status"] for t in full["tickets"]} == {
        gate.tickets[0]["id"]: "registered", gate.tickets[1]["id"]: "registered",
        gate.tickets[2]["id"]: "registered", gate.tickets[3]["id"]: "waitlisted"}
    assert full["revoked"] == []
    # the device verifies a code with the bundle alone
    claim = codes.verify(gate.tickets[0]["code"], full["public_key"])
    entry = next(t for t in full["tickets"] if t["id"] == claim.ticket_id)
    assert entry["secret"] == claim.secret and entry["admitted"] is False

    assert gate.bundle(since=full["version"])["tickets"] == []
    gate.client.delete(f"/api/mp/v1/tickets/{gate.tickets[1]['id']}",
                       headers=gate.villagers[1][1])
    delta = gate.bundle(since=full["version"])
    assert delta["full"] is False and delta["version"] > full["version"]
    assert delta["revoked"] == [gate.tickets[1]["id"]]
    # the promoted villager's ticket is in the delta, now with a seat
    assert [(t["id"], t["status"]) for t in delta["tickets"]] == [
        (gate.tickets[3]["id"], "registered")]
    assert gate.bundle(since=delta["version"])["revoked"] == []

    # re-registering brings the ticket back with a new secret: the old code is dead
    ticket_of(gate.client, gate.villagers[1][1], gate.expo.id)
    again = gate.bundle(since=delta["version"])
    assert again["revoked"] == []
    [back] = again["tickets"]
    assert back["id"] == gate.tickets[1]["id"] and back["status"] == "waitlisted"
    assert back["secret"] != codes.parse(gate.tickets[1]["code"]).secret


def test_the_bundle_shows_admissions_and_expo_cancellation(gate):
    first = gate.bundle()
    version = first["version"]
    gate.scan(gate.tickets[0]["code"])
    [online] = gate.bundle(since=version, admitted_after=first["admissions_until"])["tickets"]
    assert (online["id"], online["admitted"]) == (gate.tickets[0]["id"], True)
    assert gate.bundle(since=version)["tickets"] == []  # without the admissions cursor
    after_online = gate.bundle()
    gate.batch([offline(gate.tickets[1]["code"], utcnow() - timedelta(minutes=1))])
    uploaded = gate.bundle(since=after_online["version"],
                           admitted_after=after_online["admissions_until"])["tickets"]
    assert (gate.tickets[1]["id"], True) in {(t["id"], t["admitted"]) for t in uploaded}
    gate.client.post(f"/api/v1/admin/expos/{gate.expo.id}/cancel", json={"reason": "临时取消"},
                     headers=gate.make.headers(gate.admin))
    delta = gate.bundle(since=version)
    assert delta["expo"]["status"] == "cancelled" and delta["version"] > version


def test_bad_bundle_queries(gate):
    for query in ("?since=-1", "?since=abc"):
        response = gate.client.get(f"/api/v1/expos/{gate.expo.id}/offline-bundle{query}",
                                   headers=gate.headers[0])
        assert_error(response, 422)


# ---- offline uploads -------------------------------------------------------------------

def test_an_offline_batch_earliest_scan_wins_and_duplicates_are_flagged(gate):
    now = utcnow()
    t0, t1, t3 = (gate.tickets[i]["code"] for i in (0, 1, 3))
    scans = [
        offline(t0, now - timedelta(minutes=5), device="pad-2"),   # same person, later
        offline(t0, now - timedelta(minutes=20), device="pad-1"),  # the real entry
        offline(t1, now - timedelta(minutes=10)),
        offline(t0, now - timedelta(minutes=1), device="pad-3"),   # and again
        offline(t3, now - timedelta(minutes=2)),                   # waiting list
        offline("not-a-code", now - timedelta(minutes=3)),
    ]
    results = gate.batch(scans)
    assert [r["nonce"] for r in results] == [s["nonce"] for s in scans]
    assert [r["result"] for r in results] == [
        "already_admitted", "admitted", "admitted", "already_admitted", "waitlisted", "invalid"]
    assert [r.get("duplicate", False) for r in results] == [True, False, False, True, False,
                                                            False]
    row = gate.ticket_row(0)
    assert row.admitted_at == parse(scans[1]["scanned_at"])
    assert parse(results[0]["first_admitted_at"]) == row.admitted_at

    rows = gate.scans()
    assert len(rows) == 6 and all(r.offline for r in rows)
    assert Counter(r.device_id for r in rows if r.duplicate) == {"pad-2": 1, "pad-3": 1}
    attendance = gate.attendance()
    assert (attendance["admitted"], attendance["duplicates"]) == (2, 2)
    assert attendance["scans"] == {"admitted": 2, "already_admitted": 2, "waitlisted": 1,
                                   "invalid": 1}


def test_the_same_batch_uploaded_twice(gate):
    now = utcnow()
    scans = [offline(gate.tickets[0]["code"], now - timedelta(minutes=m)) for m in (3, 9)]
    scans.append(offline(gate.tickets[2]["code"], now - timedelta(minutes=4)))
    first = gate.batch(scans)
    rows = [(r.id, r.result, r.duplicate) for r in gate.scans()]
    admitted = gate.ticket_row(0).admitted_at
    again = gate.batch(scans, staff=1)
    assert again == first
    assert [(r.id, r.result, r.duplicate) for r in gate.scans()] == rows
    assert gate.ticket_row(0).admitted_at == admitted


def test_an_online_scan_then_an_earlier_offline_scan(gate):
    online = gate.scan(gate.tickets[0]["code"], staff=0)
    assert online["result"] == "admitted"
    earlier = utcnow() - timedelta(minutes=15)
    [result] = gate.batch([offline(gate.tickets[0]["code"], earlier)], staff=1)
    assert result["result"] == "admitted" and "duplicate" not in result
    row = gate.ticket_row(0)
    assert (row.admitted_at, row.admitted_by) == (earlier, gate.staff[1].id)
    online_row, offline_row = gate.scans()
    assert (online_row.result, online_row.duplicate) == ("admitted", True)
    assert (offline_row.result, offline_row.duplicate, offline_row.offline) == (
        "admitted", False, True)
    assert gate.attendance()["duplicates"] == 1 and gate.attendance()["admitted"] == 1
    # the gate now names the earlier admission
    later = gate.scan(gate.tickets[0]["code"])
    assert later["first_admitted_by"] == "gate-zhao"
    assert parse(later["first_admitted_at"]) == earlier


def test_an_offline_scan_after_an_online_one_is_a_duplicate(gate):
    gate.scan(gate.tickets[0]["code"])
    [result] = gate.batch([offline(gate.tickets[0]["code"], utcnow())])
    assert result["result"] == "already_admitted" and result["duplicate"] is True
    assert gate.ticket_row(0).admitted_by == gate.staff[0].id


def test_an_offline_scan_from_the_future_is_clamped(gate):
    future = utcnow() + timedelta(days=2)
    [result] = gate.batch([offline(gate.tickets[0]["code"], future)])
    assert result["result"] == "admitted"
    row = gate.ticket_row(0)
    assert row.admitted_at <= utcnow() and gate.scans()[0].scanned_at == row.admitted_at


def test_an_offline_scan_outside_the_window_is_not_open(gate):
    [result] = gate.batch([offline(gate.tickets[0]["code"], utcnow() - timedelta(hours=3))])
    assert result["result"] == "not_open"
    assert gate.ticket_row(0).admitted_at is None


def test_an_offline_scan_of_a_code_cancelled_since(gate):
    at = utcnow() - timedelta(minutes=5)
    gate.client.delete(f"/api/mp/v1/tickets/{gate.tickets[0]['id']}",
                       headers=gate.villagers[0][1])
    [result] = gate.batch([offline(gate.tickets[0]["code"], at)])
    assert result["result"] == "cancelled"


@pytest.mark.parametrize("scans", [
    pytest.param([], id="empty"),
    pytest.param([{"code": "X", "scanned_at": "2026-11-20T09:30:00+08:00"}], id="no-nonce"),
    pytest.param([{"code": "X", "nonce": "n" * 10}], id="no-time"),
    pytest.param([{"code": "X", "nonce": "n" * 10, "scanned_at": "2026-11-20T09:30:00"}],
                 id="naive-time"),
    pytest.param([{"code": "X", "nonce": "n" * 10, "scanned_at": "2026-11-20T09:30:00+08:00",
                   "result": "admitted"}], id="unknown-field"),
    pytest.param("nope", id="not-a-list"),
])
def test_bad_batches_change_nothing(gate, scans):
    good = offline(gate.tickets[0]["code"], utcnow())
    body = {"scans": [good, *scans]} if isinstance(scans, list) and scans else {"scans": scans}
    response = gate.client.post(f"/api/v1/expos/{gate.expo.id}/checkins/batch", json=body,
                                headers=gate.headers[0])
    assert_error(response, 422, "validation_error")
    assert gate.scans() == [] and gate.ticket_row(0).admitted_at is None


def test_a_batch_over_500_scans_is_refused(gate):
    scans = [offline("X", utcnow()) for _ in range(501)]
    assert_error(gate.client.post(f"/api/v1/expos/{gate.expo.id}/checkins/batch",
                                  json={"scans": scans}, headers=gate.headers[0]), 422)
    assert count(ExpoScan) == 0


def test_the_bundle_is_gzipped_for_a_phone_that_asks_and_carries_admission_times(gate):
    import gzip
    import json

    gate.scan(gate.tickets[0]["code"])
    url = f"/api/v1/expos/{gate.expo.id}/offline-bundle"
    plain = gate.client.get(url, headers=gate.headers[0])
    packed = gate.client.get(url, headers={**gate.headers[0], "Accept-Encoding": "gzip, br"})
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.vary
    unpacked, expected = json.loads(gzip.decompress(packed.data)), plain.get_json()
    unpacked.pop("admissions_until"), expected.pop("admissions_until")  # the moment it was made
    assert unpacked == expected
    assert len(packed.data) < len(plain.data)
    tickets = {t["id"]: t for t in plain.get_json()["tickets"]}
    admitted = tickets[gate.tickets[0]["id"]]
    assert admitted["admitted"] is True and admitted["admitted_at"].endswith("+08:00")
    assert "admitted_at" not in tickets[gate.tickets[1]["id"]]


# ---- round trips ---------------------------------------------------------------------------

def _statements_of(fn) -> list[str]:
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement.split(None, 1)[0].upper())

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        fn()
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    return seen


def test_a_first_scan_is_one_update_and_one_insert(gate):
    """The common case at the gate: the admitting UPDATE ... RETURNING (with the holder) and
    the scan row's INSERT ... ON CONFLICT, nothing read before or after."""
    from app.expos import gate as service

    expo = db.session.get(Expo, gate.expo.id)
    db.session.refresh(expo)  # as the view has it: loaded by the request's access check
    staff_ids = [user.id for user in gate.staff]
    answers = []
    statements = _statements_of(lambda: answers.append(service.scan(
        expo, code=gate.tickets[1]["code"], staff_id=staff_ids[0], nonce=nonce())))
    assert statements == ["UPDATE", "INSERT"]
    assert answers[0].as_dict()["ticket"]["holder"] == {"nickname": "gate-villager-1",
                                                        "phone": "138****5671"}
    # a second look at the same ticket takes the full judgement, and says who let them in
    again = _statements_of(lambda: answers.append(service.scan(
        expo, code=gate.tickets[1]["code"], staff_id=staff_ids[1], nonce=nonce())))
    assert len(again) > 2 and answers[1].result == "already_admitted"
