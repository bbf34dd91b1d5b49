"""Township expos: organising them, and villagers registering, waiting and cancelling."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import responses
import sqlalchemy as sa
from openpyxl import load_workbook

from app.accounts.models import User
from app.core import auth
from app.core.db import utcnow
from app.expos import codes, organiser
from app.expos.models import Expo, ExpoBooth, ExpoScan, ExpoTicket
from app.extensions import db
from app.notifications.models import Notification

ERROR_KEYS = {"code", "status", "error", "message", "errors"}
TOWNSHIP_HERE = "410105001"  # 经八路街道, Jinshui 410105
TOWNSHIP_ELSEWHERE = "410122101"  # 官渡镇, Zhongmu 410122


# ---- helpers shared by the expo test modules -------------------------------------------

def expo_times(start: timedelta = timedelta(days=2), *,
               length: timedelta = timedelta(hours=8)) -> dict:
    """Start `start` from now; registration opened yesterday and closes near the end."""
    now = utcnow()
    starts = now + start
    return {"starts_at": starts, "ends_at": starts + length,
            "registration_opens_at": min(now, starts) - timedelta(days=1),
            "registration_closes_at": starts + length - timedelta(minutes=30)}


def new_expo(admin: User, *, staff=(), publish: bool = True,
             start: timedelta = timedelta(days=2), **over) -> Expo:
    """An expo made through the services (and committed), published and staffed by default."""
    values = {"title": "经八路街道绿色建材下乡展销会", "venue": "经八路街道文化广场",
              "township_code": TOWNSHIP_HERE, "capacity": 100, **expo_times(start), **over}
    expo = organiser.create_expo(admin, **values)
    if publish:
        organiser.publish(expo)
    for user in staff:
        organiser.assign_staff(expo, user.id, by=admin)
    db.session.commit()
    return expo


def open_expo(admin: User, **kw) -> Expo:
    """An expo whose gate is open now (it started half an hour ago)."""
    return new_expo(admin, start=timedelta(minutes=-30), **kw)


def expo_body(**over) -> dict:
    """A JSON body for POST /api/v1/admin/expos."""
    now = utcnow()
    body = {"title": "金水区绿色建材下乡展销会", "venue": "经八路街道文化广场",
            "township_code": TOWNSHIP_HERE, "capacity": 50,
            "latitude": 34.78, "longitude": 113.68,
            "starts_at": (now + timedelta(days=3)).isoformat(),
            "ends_at": (now + timedelta(days=3, hours=8)).isoformat(),
            "registration_opens_at": (now - timedelta(hours=1)).isoformat(),
            "registration_closes_at": (now + timedelta(days=3, hours=6)).isoformat()}
    body.update(over)
    return body


def register(client, headers: dict, expo_id: int):
    return client.post(f"/api/mp/v1/expos/{expo_id}/registrations", headers=headers)


def ticket_of(client, headers: dict, expo_id: int) -> dict:
    response = register(client, headers, expo_id)
    assert response.status_code in (200, 201), response.get_json()
    return response.get_json()["ticket"]


def staff_user(make, name: str | None = None) -> User:
    return make.console_user(auth.EXPO_STAFF, username=name)


def notifications(kind: str, user_id: int | None = None) -> list[Notification]:
    stmt = sa.select(Notification).where(Notification.kind == kind)
    if user_id is not None:
        stmt = stmt.where(Notification.user_id == user_id)
    return list(db.session.scalars(stmt.order_by(Notification.id)))


def count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def fresh(expo: Expo) -> Expo:
    db.session.expire_all()
    return db.session.get(Expo, expo.id)


def assert_error(response, status: int, error: str | None = None) -> dict:
    body = response.get_json()
    assert response.status_code == status, body
    assert set(body) <= ERROR_KEYS and body["code"] == status
    if error is not None:
        assert body["error"] == error, body
    return body


@pytest.fixture
def county(make):
    return make.admin("410105")


@pytest.fixture
def villagers(make):
    """Six villagers and their headers: (user, headers) pairs."""
    people = [make.villager(f"村民{i}", region_code=TOWNSHIP_HERE) for i in range(6)]
    return [(user, make.headers(user)) for user in people]


# ---- organisers ------------------------------------------------------------------------

def test_admin_creates_a_draft_publishes_it_and_villagers_then_see_it(client, make, county):
    headers = make.headers(county)
    response = client.post("/api/v1/admin/expos", json=expo_body(), headers=headers)
    assert response.status_code == 201, response.get_json()
    expo = response.get_json()
    assert expo["status"] == "draft" and expo["organiser_region_code"] == "410105"
    assert expo["registered"] == 0 and expo["capacity"] == 50
    assert client.get(f"/api/mp/v1/expos/{expo['id']}").status_code == 404
    listed = client.get("/api/mp/v1/expos?when=all").get_json()["items"]
    assert expo["id"] not in [e["id"] for e in listed]

    published = client.post(f"/api/v1/admin/expos/{expo['id']}/publish", headers=headers)
    assert published.status_code == 200 and published.get_json()["status"] == "published"
    assert_error(client.post(f"/api/v1/admin/expos/{expo['id']}/publish", headers=headers),
                 409, "invalid_transition")

    listed = client.get("/api/mp/v1/expos").get_json()["items"]
    mine = next(e for e in listed if e["id"] == expo["id"])
    assert (mine["registered"], mine["capacity"], mine["registration_open"]) == (0, 50, True)
    detail = client.get(f"/api/mp/v1/expos/{expo['id']}").get_json()
    assert detail["title"] == "金水区绿色建材下乡展销会"
    assert detail["booths"] == [] and detail["my_ticket"] is None
    admin_list = client.get("/api/v1/admin/expos", headers=headers).get_json()["items"]
    assert [e["id"] for e in admin_list] == [expo["id"]]


def test_public_list_filters_by_region_and_time(client, county, make):
    upcoming = new_expo(county)
    past = new_expo(county, start=timedelta(days=-3))
    elsewhere = new_expo(make.admin("410122"), township_code=TOWNSHIP_ELSEWHERE)
    new_expo(county, publish=False)  # drafts never show

    def ids(query: str) -> set[int]:
        return {e["id"] for e in client.get(f"/api/mp/v1/expos{query}").get_json()["items"]}

    assert ids("") == {upcoming.id, elsewhere.id}
    assert ids("?region=410105") == {upcoming.id}
    assert ids("?region=410100") == {upcoming.id, elsewhere.id}
    assert ids("?when=past") == {past.id}
    assert ids("?when=all") == {upcoming.id, past.id, elsewhere.id}
    assert_error(client.get("/api/mp/v1/expos?when=soon"), 422)


BAD_CREATE_BODIES = [
    pytest.param({"organiser_region_code": "410000"}, "validation_error", id="unknown-field"),
    pytest.param({"capacity": 0}, "validation_error", id="capacity-0"),
    pytest.param({"capacity": -5}, "validation_error", id="capacity-negative"),
    pytest.param({"starts_at": "2026-11-20T09:30:00"}, "validation_error", id="naive-time"),
    pytest.param({"starts_at": "next tuesday"}, "validation_error", id="not-a-time"),
    pytest.param({"title": ""}, "validation_error", id="empty-title"),
    pytest.param({"township_code": "410105"}, "validation_error", id="county-not-township"),
    pytest.param({"township_code": "410105999"}, "invalid_township", id="unknown-township"),
    pytest.param({"ends_at": (utcnow() + timedelta(days=2)).isoformat()}, "invalid_times",
                 id="ends-before-starts"),
    pytest.param({"registration_closes_at": (utcnow() + timedelta(days=9)).isoformat()},
                 "invalid_times", id="registration-closes-after-the-end"),
    pytest.param({"registration_opens_at": (utcnow() + timedelta(days=4)).isoformat()},
                 "invalid_times", id="registration-opens-after-it-closes"),
]


@pytest.mark.parametrize(("change", "error"), BAD_CREATE_BODIES)
def test_create_rejects_bad_bodies_and_creates_nothing(client, make, county, change, error):
    body = assert_error(client.post("/api/v1/admin/expos", json=expo_body(**change),
                                    headers=make.headers(county)), 422, error)
    assert body["errors"]
    assert count(Expo) == 0


def test_create_with_missing_fields_lists_them(client, make, county):
    body = assert_error(client.post("/api/v1/admin/expos", json={"title": "展销会"},
                                    headers=make.headers(county)), 422)
    assert {"venue", "starts_at", "capacity", "township_code"} <= set(body["errors"])


def test_create_in_a_township_outside_the_admins_region(client, make, county):
    assert_error(client.post("/api/v1/admin/expos",
                             json=expo_body(township_code=TOWNSHIP_ELSEWHERE),
                             headers=make.headers(county)), 403, "region_out_of_scope")
    assert count(Expo) == 0


@pytest.mark.parametrize("change", [
    pytest.param({"status": "published"}, id="unknown-field"),
    pytest.param({"capacity": 0}, id="capacity-0"),
    pytest.param({"title": None}, id="null-title"),
    pytest.param({"ends_at": "2020-01-01T00:00:00+08:00"}, id="ends-before-starts"),
    pytest.param({"registration_closes_at": "2020-01-01T00:00:00"}, id="naive-time"),
])
def test_patch_rejects_bad_bodies_and_changes_nothing(client, make, county, change):
    expo = new_expo(county)
    before = client.get(f"/api/v1/admin/expos/{expo.id}", headers=make.headers(county)).json
    assert_error(client.patch(f"/api/v1/admin/expos/{expo.id}", json=change,
                              headers=make.headers(county)), 422)
    after = client.get(f"/api/v1/admin/expos/{expo.id}", headers=make.headers(county)).json
    assert after == before


def test_patch_changes_what_it_is_given(client, make, county):
    expo = new_expo(county)
    response = client.patch(f"/api/v1/admin/expos/{expo.id}", headers=make.headers(county),
                            json={"title": "改期后的展销会", "venue": "花园路街道广场"})
    assert response.status_code == 200
    assert (response.json["title"], response.json["venue"]) == ("改期后的展销会", "花园路街道广场")
    assert response.json["capacity"] == 100


def test_cancelled_expo_cannot_be_edited_or_cancelled_again(client, make, county):
    expo = new_expo(county)
    headers = make.headers(county)
    assert client.post(f"/api/v1/admin/expos/{expo.id}/cancel", json={"reason": "暴雨预警"},
                       headers=headers).status_code == 200
    assert_error(client.patch(f"/api/v1/admin/expos/{expo.id}", json={"title": "新标题"},
                              headers=headers), 409, "expo_closed")
    assert_error(client.post(f"/api/v1/admin/expos/{expo.id}/cancel",
                             json={"reason": "暴雨预警"}, headers=headers),
                 409, "invalid_transition")
    assert_error(client.post(f"/api/v1/admin/expos/{expo.id}/cancel", json={},
                             headers=headers), 422)


def test_staff_assignment(client, make, county):
    expo = new_expo(county)
    gatekeeper = staff_user(make, "gate-wang")
    headers = make.headers(county)
    url = f"/api/v1/admin/expos/{expo.id}/staff"
    assert_error(client.post(url, json={"user_id": county.id}, headers=headers),
                 422, "not_expo_staff")
    assert_error(client.post(url, json={"user_id": 999999}, headers=headers),
                 422, "not_expo_staff")
    assert_error(client.post(url, json={"user_id": "x"}, headers=headers), 422)
    first = client.post(url, json={"user_id": gatekeeper.id}, headers=headers)
    again = client.post(url, json={"user_id": gatekeeper.id}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert [s["username"] for s in again.json] == ["gate-wang"]
    staff_view = client.get("/api/v1/staff/expos", headers=make.headers(gatekeeper)).json
    assert [e["id"] for e in staff_view["items"]] == [expo.id]

    assert client.delete(f"{url}/{gatekeeper.id}", headers=headers).status_code == 204
    assert client.get(url, headers=headers).json == {"items": [], "next_cursor": None}
    assert client.get("/api/v1/staff/expos", headers=make.headers(gatekeeper)).json["items"] == []


def test_staff_of_another_region_cannot_be_assigned(client, make, county):
    expo = new_expo(county)
    url = f"/api/v1/admin/expos/{expo.id}/staff"
    elsewhere = make.console_user(auth.EXPO_STAFF, region_code="410122")  # 中牟, not 金水
    inside = make.console_user(auth.EXPO_STAFF, region_code="410105001")
    body = assert_error(client.post(url, json={"user_id": elsewhere.id},
                                    headers=make.headers(county)), 422, "staff_outside_region")
    assert body["errors"] == {"user_id": ["不在您的管辖区域内"]}
    assert client.get(url, headers=make.headers(county)).json["items"] == []
    assert client.post(url, json={"user_id": inside.id},
                       headers=make.headers(county)).status_code == 201


def test_booths_apply_decide_and_show(client, make, county, world):
    expo = new_expo(county)
    merchant_a, merchant_b = world["users"]["merchant_a"], world["users"]["merchant_b"]
    url = f"/api/v1/merchant/expos/{expo.id}/booths"
    applied = client.post(url, headers=make.headers(merchant_a))
    assert applied.status_code == 201 and applied.json["status"] == "applied"
    assert applied.json["merchant"] == {"id": world["shop_a"].id, "name": "金水瓷砖店"}
    assert client.post(url, headers=make.headers(merchant_a)).json["id"] == applied.json["id"]
    other = client.post(url, headers=make.headers(merchant_b)).json

    headers = make.headers(county)
    decide = f"/api/v1/admin/expos/{expo.id}/booths/{{}}/decision"
    assert_error(client.post(decide.format(other["id"]), json={"approve": False},
                             headers=headers), 422, "note_required")
    rejected = client.post(decide.format(other["id"]), headers=headers,
                           json={"approve": False, "note": "产品不在本地清单"})
    assert rejected.json["status"] == "rejected"
    approved = client.post(decide.format(applied.json["id"]), headers=headers,
                           json={"approve": True, "booth_no": "A-01"})
    assert (approved.json["status"], approved.json["booth_no"]) == ("approved", "A-01")
    assert_error(client.post(decide.format(applied.json["id"]), json={"approve": True},
                             headers=headers), 409, "invalid_transition")
    assert_error(client.post(decide.format(999999), json={"approve": True}, headers=headers),
                 404, "booth_not_found")

    all_booths = client.get(f"/api/v1/admin/expos/{expo.id}/booths", headers=headers).json
    assert {b["status"] for b in all_booths["items"]} == {"approved", "rejected"}
    detail = client.get(f"/api/mp/v1/expos/{expo.id}").json
    assert [b["merchant"]["name"] for b in detail["booths"]] == ["金水瓷砖店"]


def test_booths_need_a_published_expo_and_an_approved_shop(client, make, county):
    draft = new_expo(county, publish=False)
    owner = make.merchant(make.shop())
    assert_error(client.post(f"/api/v1/merchant/expos/{draft.id}/booths",
                             headers=make.headers(owner)), 409, "expo_not_open")
    pending = make.merchant(make.shop(status="pending"))
    expo = new_expo(county)
    assert_error(client.post(f"/api/v1/merchant/expos/{expo.id}/booths",
                             headers=make.headers(pending)), 409, "shop_not_approved")
    assert count(ExpoBooth) == 0


# ---- villagers: registering, the waiting list, cancelling -------------------------------

def test_registering_again_returns_the_same_ticket(client, county, villagers):
    expo = new_expo(county)
    _, headers = villagers[0]
    first = register(client, headers, expo.id)
    again = register(client, headers, expo.id)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json == again.json
    ticket = first.json["ticket"]
    assert ticket["status"] == "registered" and ticket["waiting_position"] is None
    claim = codes.parse(ticket["code"])
    assert (claim.expo_id, claim.ticket_id, len(ticket["code"])) == (expo.id, ticket["id"], 119)
    assert fresh(expo).registered_count == 1
    assert count(ExpoTicket) == 1


def test_a_full_expo_puts_newcomers_on_a_waiting_list_in_order(client, county, villagers):
    expo = new_expo(county, capacity=2)
    tickets = [ticket_of(client, headers, expo.id) for _, headers in villagers[:5]]
    assert [t["status"] for t in tickets] == ["registered"] * 2 + ["waitlisted"] * 3
    assert [t["waiting_position"] for t in tickets] == [None, None, 1, 2, 3]
    assert all(t["code"] for t in tickets)  # waitlisted ones get a code; the gate says so
    expo = fresh(expo)
    assert (expo.registered_count, expo.capacity) == (2, 2)
    detail = client.get(f"/api/mp/v1/expos/{expo.id}", headers=villagers[3][1]).json
    assert detail["registered"] == 2 and detail["registration_open"] is False
    assert detail["my_ticket"]["status"] == "waitlisted"


def test_cancel_hands_the_seat_to_the_first_waiting_villager(client, county, villagers):
    expo = new_expo(county, capacity=2)
    tickets = [ticket_of(client, headers, expo.id) for _, headers in villagers[:4]]
    first_waiting, second_waiting = villagers[2][0], villagers[3][0]

    response = client.delete(f"/api/mp/v1/tickets/{tickets[0]['id']}", headers=villagers[0][1])
    assert response.status_code == 200
    assert response.json["ticket"]["status"] == "cancelled"
    assert response.json["ticket"]["code"] is None

    promoted = client.get(f"/api/mp/v1/tickets/{tickets[2]['id']}", headers=villagers[2][1]).json
    assert (promoted["status"], promoted["waiting_position"]) == ("registered", None)
    still = client.get(f"/api/mp/v1/tickets/{tickets[3]['id']}", headers=villagers[3][1]).json
    # second in the queue when it joined, next in line now
    assert (still["status"], still["waiting_position"]) == ("waitlisted", 1)
    assert fresh(expo).registered_count == 2
    told = notifications("waitlist_promoted")
    assert [n.user_id for n in told] == [first_waiting.id]
    assert told[0].data == {"expo_id": expo.id, "ticket_id": tickets[2]["id"],
                            "title": expo.title}
    assert notifications("waitlist_promoted", second_waiting.id) == []

    # cancelling again changes nothing
    again = client.delete(f"/api/mp/v1/tickets/{tickets[0]['id']}", headers=villagers[0][1])
    assert again.status_code == 200 and again.json["ticket"]["status"] == "cancelled"
    assert fresh(expo).registered_count == 2 and len(notifications("waitlist_promoted")) == 1


def test_cancel_with_nobody_waiting_frees_the_seat(client, county, villagers):
    expo = new_expo(county, capacity=1)
    ticket = ticket_of(client, villagers[0][1], expo.id)
    client.delete(f"/api/mp/v1/tickets/{ticket['id']}", headers=villagers[0][1])
    assert fresh(expo).registered_count == 0
    assert ticket_of(client, villagers[1][1], expo.id)["status"] == "registered"


def test_cancelling_a_waiting_ticket_keeps_the_seats(client, county, villagers):
    expo = new_expo(county, capacity=1)
    tickets = [ticket_of(client, headers, expo.id) for _, headers in villagers[:3]]
    client.delete(f"/api/mp/v1/tickets/{tickets[1]['id']}", headers=villagers[1][1])
    assert fresh(expo).registered_count == 1
    assert notifications("waitlist_promoted") == []
    # the holder cancels: the seat skips the cancelled one and goes to the next in line
    client.delete(f"/api/mp/v1/tickets/{tickets[0]['id']}", headers=villagers[0][1])
    assert client.get(f"/api/mp/v1/tickets/{tickets[2]['id']}",
                      headers=villagers[2][1]).json["status"] == "registered"


def test_an_admitted_ticket_cannot_be_cancelled(client, make, county, villagers):
    gatekeeper = staff_user(make)
    expo = open_expo(county, staff=[gatekeeper])
    ticket = ticket_of(client, villagers[0][1], expo.id)
    client.post(f"/api/v1/expos/{expo.id}/checkins", json={"code": ticket["code"]},
                headers=make.headers(gatekeeper))
    assert_error(client.delete(f"/api/mp/v1/tickets/{ticket['id']}", headers=villagers[0][1]),
                 409, "already_admitted")
    assert fresh(expo).registered_count == 1


@pytest.mark.parametrize("window", [
    pytest.param({"registration_opens_at": timedelta(hours=2),
                  "registration_closes_at": timedelta(hours=20)}, id="not-yet-open"),
    pytest.param({"registration_opens_at": timedelta(days=-2),
                  "registration_closes_at": timedelta(hours=-1)}, id="closed"),
])
def test_registration_outside_its_window_is_refused(client, county, villagers, window):
    now = utcnow()
    expo = new_expo(county, **{k: now + v for k, v in window.items()})
    assert_error(register(client, villagers[0][1], expo.id), 409, "registration_closed")
    assert count(ExpoTicket) == 0 and fresh(expo).registered_count == 0


def test_a_draft_expo_is_not_found(client, county, villagers):
    expo = new_expo(county, publish=False)
    assert_error(register(client, villagers[0][1], expo.id), 404, "expo_not_found")
    assert_error(client.get(f"/api/mp/v1/expos/{expo.id}"), 404, "expo_not_found")
    assert_error(register(client, villagers[0][1], 999999), 404, "expo_not_found")
    assert count(ExpoTicket) == 0


def test_a_cancelled_expo_takes_no_registrations(client, county, villagers):
    expo = new_expo(county)
    organiser.cancel(expo, reason="暴雨预警")
    db.session.commit()
    assert_error(register(client, villagers[0][1], expo.id), 409, "expo_not_open")


def test_registering_after_cancelling_issues_a_new_code(client, make, county, villagers):
    gatekeeper = staff_user(make)
    expo = open_expo(county, staff=[gatekeeper])
    _, headers = villagers[0]
    old = ticket_of(client, headers, expo.id)
    client.delete(f"/api/mp/v1/tickets/{old['id']}", headers=headers)
    renewed = register(client, headers, expo.id)
    assert renewed.status_code == 201
    new = renewed.json["ticket"]
    assert new["id"] == old["id"] and new["status"] == "registered"
    assert new["code"] != old["code"]
    assert fresh(expo).registered_count == 1

    gate = make.headers(gatekeeper)
    old_scan = client.post(f"/api/v1/expos/{expo.id}/checkins", json={"code": old["code"]},
                           headers=gate).json
    assert old_scan["result"] == "cancelled"
    assert client.post(f"/api/v1/expos/{expo.id}/checkins", json={"code": new["code"]},
                       headers=gate).json["result"] == "admitted"


def test_re_registering_into_a_full_expo_joins_the_end_of_the_queue(client, county, villagers):
    expo = new_expo(county, capacity=1)
    tickets = [ticket_of(client, headers, expo.id) for _, headers in villagers[:3]]
    client.delete(f"/api/mp/v1/tickets/{tickets[1]['id']}", headers=villagers[1][1])
    back = ticket_of(client, villagers[1][1], expo.id)
    # behind the one who stayed in the queue, not behind its own earlier place
    assert (back["status"], back["waiting_position"]) == ("waitlisted", 2)


def test_raising_capacity_seats_the_waiting_list_in_order(client, make, county, villagers):
    expo = new_expo(county, capacity=2)
    tickets = [ticket_of(client, headers, expo.id) for _, headers in villagers[:6]]
    response = client.patch(f"/api/v1/admin/expos/{expo.id}", json={"capacity": 4},
                            headers=make.headers(county))
    assert response.status_code == 200, response.json
    assert (response.json["capacity"], response.json["registered"]) == (4, 4)
    statuses = [client.get(f"/api/mp/v1/tickets/{t['id']}", headers=h).json
                for t, (_, h) in zip(tickets, villagers, strict=True)]
    assert [(t["status"], t["waiting_position"]) for t in statuses] == [
        ("registered", None)] * 4 + [("waitlisted", 1), ("waitlisted", 2)]
    assert [n.user_id for n in notifications("waitlist_promoted")] == [
        villagers[2][0].id, villagers[3][0].id]


def test_lowering_capacity_below_the_registered_is_refused(client, make, county, villagers):
    expo = new_expo(county, capacity=5)
    for _, headers in villagers[:3]:
        ticket_of(client, headers, expo.id)
    url, headers = f"/api/v1/admin/expos/{expo.id}", make.headers(county)
    assert_error(client.patch(url, json={"capacity": 2, "title": "新的标题"}, headers=headers),
                 409, "capacity_below_registered")
    expo = fresh(expo)
    assert (expo.capacity, expo.title) == (5, "经八路街道绿色建材下乡展销会")
    lowered = client.patch(url, json={"capacity": 3}, headers=headers)
    assert lowered.status_code == 200 and lowered.json["capacity"] == 3
    assert ticket_of(client, villagers[3][1], expo.id)["status"] == "waitlisted"


def test_cancelling_the_expo_tells_every_ticket_holder(client, make, county, villagers):
    expo = new_expo(county, capacity=2)
    tickets = [ticket_of(client, headers, expo.id) for _, headers in villagers[:4]]
    client.delete(f"/api/mp/v1/tickets/{tickets[3]['id']}", headers=villagers[3][1])
    response = client.post(f"/api/v1/admin/expos/{expo.id}/cancel",
                           json={"reason": "暴雨红色预警，活动取消"}, headers=make.headers(county))
    assert response.status_code == 200 and response.json["status"] == "cancelled"
    told = notifications("expo_cancelled")
    assert sorted(n.user_id for n in told) == sorted(u.id for u, _ in villagers[:3])
    assert told[0].data == {"expo_id": expo.id, "title": expo.title,
                            "reason": "暴雨红色预警，活动取消"}
    upcoming = client.get("/api/mp/v1/expos").json["items"]
    assert expo.id not in [e["id"] for e in upcoming]


def test_cancelling_a_ticket_after_the_expo_was_cancelled_promotes_nobody(client, make, county,
                                                                          villagers):
    expo = new_expo(county, capacity=1)
    tickets = [ticket_of(client, headers, expo.id) for _, headers in villagers[:2]]
    organiser.cancel(expo, reason="暴雨预警")
    db.session.commit()
    client.delete(f"/api/mp/v1/tickets/{tickets[0]['id']}", headers=villagers[0][1])
    assert notifications("waitlist_promoted") == []
    waiting = client.get(f"/api/mp/v1/tickets/{tickets[1]['id']}", headers=villagers[1][1]).json
    assert waiting["status"] == "waitlisted"


def test_my_tickets_and_the_expo_page_show_only_mine(client, county, villagers):
    first, second = new_expo(county), new_expo(county, title="花园路展销会")
    mine = [ticket_of(client, villagers[0][1], e.id) for e in (first, second)]
    ticket_of(client, villagers[1][1], first.id)
    listed = client.get("/api/mp/v1/me/tickets", headers=villagers[0][1]).json["items"]
    assert [t["id"] for t in listed] == [mine[1]["id"], mine[0]["id"]]
    assert listed[0]["expo"]["title"] == "花园路展销会"
    assert listed[0]["expo"]["starts_at"].endswith("+08:00")  # China time, nested too
    page = client.get(f"/api/mp/v1/expos/{first.id}", headers=villagers[0][1]).json
    assert page["my_ticket"]["id"] == mine[0]["id"]
    assert client.get(f"/api/mp/v1/expos/{first.id}").json["my_ticket"] is None


def test_another_villagers_ticket_is_not_found(client, county, villagers):
    expo = new_expo(county)
    ticket = ticket_of(client, villagers[0][1], expo.id)
    other = villagers[1][1]
    for method, suffix in [("GET", ""), ("GET", "/qr.svg"), ("GET", "/qr.png"),
                           ("DELETE", "")]:
        response = client.open(f"/api/mp/v1/tickets/{ticket['id']}{suffix}", method=method,
                               headers=other)
        body = assert_error(response, 404, "ticket_not_found")
        assert ticket["code"] not in str(body)
    assert client.get(f"/api/mp/v1/tickets/{ticket['id']}",
                      headers=villagers[0][1]).json["status"] == "registered"
    assert fresh(expo).registered_count == 1


@pytest.mark.parametrize(("suffix", "mimetype", "magic"), [
    ("qr.svg", "image/svg+xml", b"<"),
    ("qr.png", "image/png", b"\x89PNG"),
])
def test_ticket_qr_codes_with_etag(client, county, villagers, suffix, mimetype, magic):
    expo = new_expo(county)
    _, headers = villagers[0]
    ticket = ticket_of(client, headers, expo.id)
    url = f"/api/mp/v1/tickets/{ticket['id']}/{suffix}"
    response = client.get(url, headers=headers)
    assert response.status_code == 200 and response.mimetype == mimetype
    assert response.data.startswith(magic)
    if suffix == "qr.svg":
        assert b"<svg" in response.data
    etag = response.headers["ETag"]
    assert etag and "private" in response.headers["Cache-Control"]
    cached = client.get(url, headers={**headers, "If-None-Match": etag})
    assert cached.status_code == 304 and cached.data == b""
    assert cached.headers["ETag"] == etag
    assert client.get(url, headers={**headers, "If-None-Match": '"stale"'}).status_code == 200

    # a re-issued ticket has a new code, so a new image and ETag
    client.delete(f"/api/mp/v1/tickets/{ticket['id']}", headers=headers)
    assert_error(client.get(url, headers=headers), 409, "ticket_not_active")
    register(client, headers, expo.id)
    renewed = client.get(url, headers={**headers, "If-None-Match": etag})
    assert renewed.status_code == 200 and renewed.headers["ETag"] != etag


# ---- attendance and exports ------------------------------------------------------------

def test_attendance_counts_and_arrivals(client, make, county, villagers):
    gatekeeper = staff_user(make)
    expo = open_expo(county, staff=[gatekeeper], capacity=3)
    tickets = [ticket_of(client, headers, expo.id) for _, headers in villagers[:5]]
    client.delete(f"/api/mp/v1/tickets/{tickets[4]['id']}", headers=villagers[4][1])
    gate = make.headers(gatekeeper)
    for code in (tickets[0]["code"], tickets[1]["code"], tickets[1]["code"], "garbage"):
        client.post(f"/api/v1/expos/{expo.id}/checkins", json={"code": code}, headers=gate)

    for headers in (make.headers(county), gate):
        body = client.get(f"/api/v1/expos/{expo.id}/attendance", headers=headers).json
        assert {k: body[k] for k in ("capacity", "registered", "waitlisted", "cancelled",
                                     "admitted", "duplicates")} == {
            "capacity": 3, "registered": 3, "waitlisted": 1, "cancelled": 1, "admitted": 2,
            "duplicates": 0}
        assert body["scans"] == {"admitted": 2, "already_admitted": 1, "invalid": 1}
        assert sum(bucket["count"] for bucket in body["arrivals"]) == 2
        assert body["arrivals"][0]["from"].endswith("+08:00")


@pytest.fixture
def exported(client, make, county, villagers):
    gatekeeper = staff_user(make)
    expo = open_expo(county, staff=[gatekeeper], capacity=1)
    villagers[0][0].phone, villagers[1][0].phone = "13812345678", "13900001111"
    db.session.commit()
    tickets = [ticket_of(client, headers, expo.id) for _, headers in villagers[:2]]
    client.post(f"/api/v1/expos/{expo.id}/checkins", json={"code": tickets[0]["code"]},
                headers=make.headers(gatekeeper))
    return expo, tickets, make.headers(county)


def _assert_attendee_rows(rows: list[list[str]], tickets: list[dict]) -> None:
    assert rows[0] == ["票号", "昵称", "手机号", "状态", "候补位次", "入场时间"]
    assert [r[:5] for r in rows[1:]] == [
        [str(tickets[0]["id"]), "村民0", "138****5678", "已报名", ""],
        [str(tickets[1]["id"]), "村民1", "139****1111", "候补中", "1"]]
    assert rows[1][5] and not rows[2][5]


def test_attendee_csv_masks_phones(client, exported):
    expo, tickets, headers = exported
    response = client.get(f"/api/v1/admin/expos/{expo.id}/attendees.csv", headers=headers)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith("\ufeff".encode())
    text = response.data.decode("utf-8-sig")
    assert "13812345678" not in text and "13900001111" not in text
    _assert_attendee_rows(list(csv.reader(io.StringIO(text))), tickets)


def test_attendee_xlsx_masks_phones(client, exported):
    expo, tickets, headers = exported
    response = client.get(f"/api/v1/admin/expos/{expo.id}/attendees.xlsx", headers=headers)
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert not any("13812345678" in cell for row in rows for cell in row)
    _assert_attendee_rows(rows, tickets)


# ---- posters ---------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
WX = "https://api.weixin.qq.com"


def test_poster_in_dev_mode_is_a_qr_png(client, make, county):
    expo = new_expo(county)
    response = client.get(f"/api/v1/admin/expos/{expo.id}/poster.png",
                          headers=make.headers(county))
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG")


@pytest.fixture
def live_wechat(app, monkeypatch):
    monkeypatch.setitem(app.config, "WECHAT_APP_ID", "wx-test-app")
    monkeypatch.setitem(app.config, "WECHAT_APP_SECRET", "test-secret")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(f"{WX}/cgi-bin/token", json={"access_token": "ACCESS", "expires_in": 7200})
        yield mock


def test_poster_in_live_mode_is_the_mini_program_code(client, make, county, live_wechat):
    import json

    live_wechat.post(f"{WX}/wxa/getwxacodeunlimit", body=PNG, content_type="image/png")
    expo = new_expo(county)
    response = client.get(f"/api/v1/admin/expos/{expo.id}/poster.png",
                          headers=make.headers(county))
    assert response.status_code == 200 and response.data == PNG
    call = next(c for c in live_wechat.calls if "getwxacodeunlimit" in c.request.url)
    assert "access_token=ACCESS" in call.request.url
    sent = json.loads(call.request.body)
    assert sent["scene"] == str(expo.id) and sent["page"] == "pages/expo/detail"


@pytest.mark.parametrize("answer", [
    pytest.param({"json": {"errcode": 40169, "errmsg": "invalid length for scene"}},
                 id="errcode"),
    pytest.param({"body": b"<html>gateway</html>", "content_type": "text/html"},
                 id="not-an-image"),
])
def test_poster_when_wechat_fails(client, make, county, live_wechat, answer):
    live_wechat.post(f"{WX}/wxa/getwxacodeunlimit", **answer)
    expo = new_expo(county)
    assert_error(client.get(f"/api/v1/admin/expos/{expo.id}/poster.png",
                            headers=make.headers(county)), 502, "wechat_unavailable")


def test_scans_are_kept_after_the_expo_is_cancelled(client, make, county, villagers):
    gatekeeper = staff_user(make)
    expo = open_expo(county, staff=[gatekeeper])
    ticket = ticket_of(client, villagers[0][1], expo.id)
    client.post(f"/api/v1/admin/expos/{expo.id}/cancel", json={"reason": "临时取消"},
                headers=make.headers(county))
    answer = client.post(f"/api/v1/expos/{expo.id}/checkins", json={"code": ticket["code"]},
                         headers=make.headers(gatekeeper)).json
    assert (answer["result"], answer["result_label"]) == ("expo_cancelled", "展会已取消")
    assert count(ExpoScan, ExpoScan.expo_id == expo.id) == 1
