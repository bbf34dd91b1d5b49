"""What organisers need at the gate: revoking one ticket, a called-off expo, the queue's places."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.db import utcnow
from app.expos import organiser
from app.expos.models import Expo, ExpoTicket
from app.extensions import db
from tests.test_expo_gate import Gate, offline
from tests.test_expos import (
    assert_error,
    fresh,
    new_expo,
    notifications,
    register,
    ticket_of,
)

REASON = "实名信息与持票人不符"


@pytest.fixture
def gate(client, make) -> Gate:
    """An open expo with three seats, all taken, and one villager waiting."""
    return Gate(client, make)


def revoke(gate: Gate, n: int, *, reason: str = REASON, expo_id: int | None = None):
    return gate.client.post(
        f"/api/v1/admin/expos/{expo_id or gate.expo.id}/tickets/{gate.tickets[n]['id']}/revoke",
        json={"reason": reason}, headers=gate.make.headers(gate.admin))


def my_ticket(gate: Gate, n: int) -> dict:
    response = gate.client.get(f"/api/mp/v1/tickets/{gate.tickets[n]['id']}",
                               headers=gate.villagers[n][1])
    assert response.status_code == 200, response.get_json()
    return response.get_json()


# ---- revoking one ticket ---------------------------------------------------------------

def test_revoking_a_seated_ticket_hands_its_seat_on_and_tells_the_holder(gate):
    before = gate.bundle()
    response = revoke(gate, 0)
    assert response.status_code == 200, response.get_json()
    ticket = response.get_json()["ticket"]
    assert (ticket["id"], ticket["status"], ticket["status_label"]) == (
        gate.tickets[0]["id"], "revoked", "已作废")
    assert ticket["code"] is None and ticket["waiting_position"] is None

    holder, waiting = gate.villagers[0][0], gate.villagers[3][0]
    [told] = notifications("ticket_revoked")
    assert told.user_id == holder.id
    assert told.data == {"expo_id": gate.expo.id, "ticket_id": gate.tickets[0]["id"],
                         "title": gate.expo.title, "reason": REASON}
    assert [n.user_id for n in notifications("waitlist_promoted")] == [waiting.id]
    assert (my_ticket(gate, 3)["status"], my_ticket(gate, 3)["waiting_position"]) == (
        "registered", None)
    assert my_ticket(gate, 0)["status"] == "revoked"
    assert fresh(gate.expo).registered_count == 3

    # the gate refuses the code, online and offline; the promoted one gets in
    answer = gate.scan(gate.tickets[0]["code"])
    assert (answer["result"], answer["result_label"]) == ("revoked", "门票已被主办方作废")
    assert answer["ticket"]["status_label"] == "已作废"
    [uploaded] = gate.batch([offline(gate.tickets[0]["code"], utcnow() - timedelta(minutes=1))],
                            staff=1)
    assert uploaded["result"] == "revoked"
    assert gate.ticket_row(0).admitted_at is None
    assert gate.scan(gate.tickets[3]["code"])["result"] == "admitted"

    # offline devices learn it with their next delta, and with what answer
    delta = gate.bundle(since=before["version"])
    assert delta["revoked"] == [gate.tickets[0]["id"]]
    assert delta["refused"] == [{"id": gate.tickets[0]["id"], "result": "revoked"}]
    assert [(t["id"], t["status"]) for t in delta["tickets"]] == [
        (gate.tickets[3]["id"], "registered")]
    assert delta["labels"]["results"]["revoked"] == "门票已被主办方作废"
    full = gate.bundle()
    assert gate.tickets[0]["id"] not in {t["id"] for t in full["tickets"]}
    assert {"id": gate.tickets[0]["id"], "result": "revoked"} in full["refused"]


def test_revoking_again_changes_nothing(gate):
    first = revoke(gate, 0).get_json()
    version = fresh(gate.expo).bundle_version
    again = revoke(gate, 0, reason="再次作废")
    assert again.status_code == 200 and again.get_json() == first
    assert len(notifications("ticket_revoked")) == 1
    assert len(notifications("waitlist_promoted")) == 1
    assert fresh(gate.expo).bundle_version == version


def test_a_villagers_cancel_and_an_organisers_revoke_answer_differently(gate):
    gate.client.delete(f"/api/mp/v1/tickets/{gate.tickets[1]['id']}",
                       headers=gate.villagers[1][1])
    revoke(gate, 0)
    assert [gate.scan(gate.tickets[n]["code"])["result"] for n in (0, 1)] == [
        "revoked", "cancelled"]
    refused = {r["id"]: r["result"] for r in gate.bundle()["refused"]}
    assert refused == {gate.tickets[0]["id"]: "revoked", gate.tickets[1]["id"]: "cancelled"}


def test_revoking_a_waiting_ticket_moves_the_queue_up_and_keeps_the_seats(gate, make):
    late = make.villager("late-comer")
    late_headers = make.headers(late)
    late_ticket = ticket_of(gate.client, late_headers, gate.expo.id)
    assert late_ticket["waiting_position"] == 2
    assert revoke(gate, 3).get_json()["ticket"]["status"] == "revoked"
    assert fresh(gate.expo).registered_count == 3
    assert notifications("waitlist_promoted") == []
    again = gate.client.get(f"/api/mp/v1/tickets/{late_ticket['id']}", headers=late_headers)
    assert again.get_json()["waiting_position"] == 1
    assert gate.scan(gate.tickets[3]["code"])["result"] == "revoked"


def test_a_revoked_villager_cannot_register_again(gate):
    revoke(gate, 0)
    body = assert_error(register(gate.client, gate.villagers[0][1], gate.expo.id), 403,
                        "ticket_revoked")
    assert "作废" in body["message"]
    assert my_ticket(gate, 0)["status"] == "revoked"
    # nor does cancelling it bring it back
    cancelled = gate.client.delete(f"/api/mp/v1/tickets/{gate.tickets[0]['id']}",
                                   headers=gate.villagers[0][1])
    assert cancelled.get_json()["ticket"]["status"] == "revoked"


def test_a_cancelled_ticket_can_be_revoked_to_bar_the_holder(gate):
    gate.client.delete(f"/api/mp/v1/tickets/{gate.tickets[0]['id']}",
                       headers=gate.villagers[0][1])
    count_before = fresh(gate.expo).registered_count
    assert revoke(gate, 0).get_json()["ticket"]["status"] == "revoked"
    assert fresh(gate.expo).registered_count == count_before
    assert_error(register(gate.client, gate.villagers[0][1], gate.expo.id), 403,
                 "ticket_revoked")


def test_an_admitted_ticket_cannot_be_revoked(gate):
    gate.scan(gate.tickets[0]["code"])
    assert_error(revoke(gate, 0), 409, "already_admitted")
    assert gate.ticket_row(0).status == "registered"
    assert notifications("ticket_revoked") == []


def test_revoke_finds_only_tickets_of_that_expo(gate, make):
    other = new_expo(gate.admin, title="花园路展销会")
    assert_error(revoke(gate, 0, expo_id=other.id), 404, "ticket_not_found")
    response = gate.client.post(f"/api/v1/admin/expos/{gate.expo.id}/tickets/999999/revoke",
                                json={"reason": REASON}, headers=make.headers(gate.admin))
    assert_error(response, 404, "ticket_not_found")
    assert gate.ticket_row(0).status == "registered"


@pytest.mark.parametrize("body", [
    pytest.param({}, id="no-reason"),
    pytest.param({"reason": "无"}, id="too-short"),
    pytest.param({"reason": "x" * 256}, id="too-long"),
    pytest.param({"reason": REASON, "notify": False}, id="unknown-field"),
])
def test_revoke_needs_a_reason(gate, body):
    response = gate.client.post(
        f"/api/v1/admin/expos/{gate.expo.id}/tickets/{gate.tickets[0]['id']}/revoke",
        json=body, headers=gate.make.headers(gate.admin))
    assert_error(response, 422, "validation_error")
    assert gate.ticket_row(0).status == "registered"


# ---- a called-off expo at the gate -----------------------------------------------------

def cancel_expo(gate: Gate) -> None:
    response = gate.client.post(f"/api/v1/admin/expos/{gate.expo.id}/cancel",
                                json={"reason": "暴雨红色预警"},
                                headers=gate.make.headers(gate.admin))
    assert response.status_code == 200, response.get_json()


@pytest.mark.parametrize("n", [0, 3], ids=["seated", "waiting"])
def test_every_ticket_of_a_cancelled_expo_scans_as_expo_cancelled(gate, n):
    cancel_expo(gate)
    answer = gate.scan(gate.tickets[n]["code"])
    assert (answer["result"], answer["result_label"]) == ("expo_cancelled", "展会已取消")
    assert answer["ticket"]["id"] == gate.tickets[n]["id"]
    [uploaded] = gate.batch([offline(gate.tickets[n]["code"], utcnow())])
    assert uploaded["result"] == "expo_cancelled"
    assert gate.ticket_row(n).admitted_at is None
    assert [s.result for s in gate.scans()] == ["expo_cancelled", "expo_cancelled"]


def test_forged_and_foreign_codes_stay_what_they_are_when_the_expo_is_cancelled(gate):
    other = new_expo(gate.admin, start=timedelta(minutes=-30), title="花园路展销会")
    foreign = ticket_of(gate.client, gate.villagers[0][1], other.id)
    cancel_expo(gate)
    assert gate.scan("garbage")["result"] == "invalid"
    assert gate.scan(foreign["code"])["result"] == "wrong_expo"


def test_an_offline_scan_made_before_the_expo_was_called_off_stands(gate):
    """An expo stopped halfway: who came in before the call was really admitted."""
    earlier = utcnow() - timedelta(minutes=10)
    cancel_expo(gate)
    [before, after] = gate.batch([offline(gate.tickets[0]["code"], earlier),
                                  offline(gate.tickets[1]["code"], utcnow())])
    assert (before["result"], after["result"]) == ("admitted", "expo_cancelled")
    assert gate.ticket_row(0).admitted_at == earlier and gate.ticket_row(1).admitted_at is None


def test_a_finished_expo_is_still_not_open(gate):
    expo = db.session.get(Expo, gate.expo.id)
    expo.status = "finished"
    db.session.commit()
    assert gate.scan(gate.tickets[0]["code"])["result"] == "not_open"


# ---- the real place in the queue -------------------------------------------------------

def test_waiting_places_follow_the_queue(client, make):
    admin = make.admin("410105")
    expo = new_expo(admin, capacity=1)
    people = [make.villager(f"排队{i}") for i in range(5)]
    headers = [make.headers(p) for p in people]
    tickets = [ticket_of(client, h, expo.id) for h in headers]
    assert [t["waiting_position"] for t in tickets] == [None, 1, 2, 3, 4]

    def places() -> list:
        return [client.get(f"/api/mp/v1/tickets/{t['id']}", headers=h).get_json()
                ["waiting_position"] for t, h in zip(tickets, headers, strict=True)]

    client.delete(f"/api/mp/v1/tickets/{tickets[2]['id']}", headers=headers[2])  # leaves
    assert places() == [None, 1, None, 2, 3]
    client.delete(f"/api/mp/v1/tickets/{tickets[0]['id']}", headers=headers[0])  # seat freed
    assert places() == [None, None, None, 1, 2]
    client.post(f"/api/v1/admin/expos/{expo.id}/tickets/{tickets[3]['id']}/revoke",
                json={"reason": REASON}, headers=make.headers(admin))
    assert places() == [None, None, None, None, 1]
    # re-registering joins the end of the queue
    back = ticket_of(client, headers[2], expo.id)
    assert (back["status"], back["waiting_position"]) == ("waitlisted", 2)
    # the lists and the expo page say the same
    listed = client.get("/api/mp/v1/me/tickets", headers=headers[4]).get_json()["items"]
    assert [t["waiting_position"] for t in listed] == [1]
    page = client.get(f"/api/mp/v1/expos/{expo.id}", headers=headers[2]).get_json()
    assert page["my_ticket"]["waiting_position"] == 2
    # the stored number is only the order: it never moves
    db.session.expire_all()
    assert db.session.get(ExpoTicket, tickets[4]["id"]).waiting_position == 4


def test_places_are_counted_per_expo(client, make):
    admin = make.admin("410105")
    first, second = new_expo(admin, capacity=1), new_expo(admin, capacity=1, title="第二场")
    people = [make.villager(f"两场{i}") for i in range(4)]
    headers = [make.headers(p) for p in people]
    for h in headers[:3]:
        ticket_of(client, h, first.id)
    ticket_of(client, headers[3], second.id)
    assert ticket_of(client, headers[0], second.id)["waiting_position"] == 1
    organiser.cancel(first, reason="场地变更")
    db.session.commit()
    assert ticket_of(client, headers[2], first.id)["waiting_position"] == 2
