"""The complaint life cycle: every transition in TRANSITIONS by its role, every other refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.accounts.services import create_console_user, issue_token
from app.complaints import services
from app.complaints.models import STATUSES, Complaint, ComplaintEvent
from app.complaints.services import MERCHANT, OFFICER, TRANSITIONS, VILLAGER
from app.core import auth
from app.core.db import utcnow
from app.core.errors import ApiError
from app.extensions import db
from app.merchants.models import Shop
from tests.conftest import PRINCIPALS, fire
from tests.test_complaints import (
    ACTORS,
    ADMIN,
    MERCHANT_URL,
    MP,
    PATHS,
    assert_error,
    complaint_in,
    snapshot,
)

NOTE = "已核实情况"


def perform(client, world, complaint_id: int, action: str, who: str, *,
            note: str | None = NOTE, rating: int = 4, region_code: str = "410122"):
    """Ask for `action` over HTTP the way its role does."""
    headers = world["headers"][who]
    if action == "respond":
        return client.post(f"{MERCHANT_URL}/{complaint_id}/responses", headers=headers,
                           json={} if note is None else {"message": note})
    if action == "rate":
        body = {"rating": rating} | ({} if note is None else {"note": note})
        return client.post(f"{MP}/{complaint_id}/rating", headers=headers, json=body)
    if action == "reopen":
        return client.post(f"{MP}/{complaint_id}/reopen", headers=headers,
                           json={} if note is None else {"reason": note})
    body = {"action": action}
    if note is not None:
        body["note"] = note
    if action == "transfer":
        body["region_code"] = region_code
    return client.post(f"{ADMIN}/{complaint_id}/transitions", headers=headers, json=body)


def _forwarded(state: str) -> bool:
    return "ask_merchant" in PATHS[state]


ALLOWED = [pytest.param(action, source, id=f"{action} from {source}")
           for action, rule in TRANSITIONS.items() for source in rule.sources]
def test_every_state_is_reachable_and_covered():
    assert set(PATHS) == set(STATUSES)
    for action, rule in TRANSITIONS.items():
        assert rule.actor in ACTORS, action
        assert set(rule.sources) <= set(STATUSES)


@pytest.mark.parametrize(("action", "source"), ALLOWED)
def test_every_allowed_transition_by_its_role(client, world, action, source):
    rule = TRANSITIONS[action]
    complaint = complaint_in(world, source)
    events_before = len(snapshot(complaint.id)[-1])
    # Notes only where the table asks for them: the others work without.
    note = NOTE if rule.note_required else None
    response = perform(client, world, complaint.id, action, ACTORS[rule.actor], note=note)
    assert response.status_code == 200, response.json
    expected = rule.target or source
    assert response.json["status"] == expected
    last = response.json["timeline"][-1]
    assert (last["action"], last["from_status"], last["to_status"], last["by_role"]) == (
        action, source, expected, rule.actor)
    if rule.note_required:
        assert NOTE in last["note"]
    status, region, *_, events = snapshot(complaint.id)
    assert status == expected and len(events) == events_before + 1
    assert region == ("410122" if action == "transfer" else "410105")


@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_every_other_state_is_refused_and_nothing_changes(client, world, action):
    """One test per action, every state it may not start from (a loop: the world is made
    once); each refusal is checked and all are reported together."""
    rule = TRANSITIONS[action]
    wrong = []
    for state in STATUSES:
        if state in rule.sources:
            continue
        complaint = complaint_in(world, state)
        before = snapshot(complaint.id)
        response = perform(client, world, complaint.id, action, ACTORS[rule.actor])
        # A merchant never saw a complaint that was not forwarded to it: 404, not 409.
        expected = (404, "complaint_not_found") if (
            action == "respond" and not _forwarded(state)) else (409, "invalid_transition")
        got = (response.status_code, response.get_json().get("error"))
        if got != expected or snapshot(complaint.id) != before:
            wrong.append((state, got))
    assert wrong == []


def _wrong_principals(action: str) -> dict[str, int]:
    """Everyone but the right role, and what each gets."""
    rule = TRANSITIONS[action]
    right = {OFFICER: {"county_here", "province"}, MERCHANT: {"merchant_a"},
             VILLAGER: {"villager_a"}}[rule.actor]
    expected = {}
    for who in PRINCIPALS:
        if who in right:
            continue
        if who == "anonymous":
            expected[who] = 401
        elif rule.actor == MERCHANT and who == "merchant_b":
            expected[who] = 404  # another shop's complaint does not exist for it
        elif rule.actor == VILLAGER and who == "villager_b":
            expected[who] = 404  # nor another villager's
        else:
            expected[who] = 403  # wrong role, or an officer of another county
    return expected


@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_wrong_role_region_merchant_or_villager_is_refused(client, world, action):
    rule = TRANSITIONS[action]
    complaint = complaint_in(world, rule.sources[-1])
    before = snapshot(complaint.id)
    wrong = []
    for who, status in _wrong_principals(action).items():
        response = perform(client, world, complaint.id, action, who)
        body = response.get_json()
        ok = response.status_code == status and set(body) <= {
            "code", "status", "error", "message", "errors"}
        if who == "county_elsewhere" and rule.actor == OFFICER:
            ok = ok and body["error"] == "region_out_of_scope"
        if not ok or snapshot(complaint.id) != before:
            wrong.append((who, response.status_code, body.get("error")))
    assert wrong == []


@pytest.mark.parametrize(("action", "who", "status"), [
    ("accept", "merchant_a", 403),
    ("accept", "villager_a", 403),
    ("accept", "county_elsewhere", 403),
    ("respond", "county_here", 403),
    ("respond", "merchant_b", 403),
    ("respond", "villager_a", 403),
    ("rate", "county_here", 404),
    ("rate", "villager_b", 404),
    ("reopen", "merchant_a", 404),
])
def test_the_service_checks_the_actor_too(world, action, who, status):
    """Without HTTP (jobs, the CLI) the service itself refuses the wrong actor."""
    state = {"accept": "submitted", "respond": "awaiting_merchant"}.get(action, "resolved")
    complaint = complaint_in(world, state)
    before = snapshot(complaint.id)
    with pytest.raises(ApiError) as refused:
        services.act(complaint, action, world["users"][who], note=NOTE, rating=3)
    assert refused.value.status == status
    db.session.rollback()
    assert snapshot(complaint.id) == before


def test_an_officer_without_the_complaints_duty_may_not_act(client, world, make):
    complaint = complaint_in(world)
    admin = make.admin("410105")
    admin.admin_duties = ["catalog", "expos"]
    db.session.commit()
    headers = make.headers(admin)
    before = snapshot(complaint.id)
    assert_error(client.post(f"{ADMIN}/{complaint.id}/transitions", headers=headers,
                             json={"action": "accept"}), 403, "duty_not_assigned")
    assert_error(client.get(ADMIN, headers=headers), 403, "duty_not_assigned")
    assert_error(client.get(f"{ADMIN}/{complaint.id}", headers=headers), 403)
    assert snapshot(complaint.id) == before


# ---- notes --------------------------------------------------------------------------------

NOTED = [pytest.param(action, note, id=f"{action} note={note!r}")
         for action, rule in TRANSITIONS.items() if rule.note_required
         for note in (None, "   ")]


@pytest.mark.parametrize(("action", "note"), NOTED)
def test_notes_are_required_where_the_table_says(client, world, action, note):
    rule = TRANSITIONS[action]
    complaint = complaint_in(world, rule.sources[-1])
    before = snapshot(complaint.id)
    response = perform(client, world, complaint.id, action, ACTORS[rule.actor], note=note)
    body = assert_error(response, 422)
    assert body["errors"]  # which field: note (officers), message or reason
    assert snapshot(complaint.id) == before


def test_the_table_asks_notes_for_the_decisions_that_need_a_reason():
    noted = {a for a, rule in TRANSITIONS.items() if rule.note_required}
    assert noted == {"decline", "respond", "mediate", "resolve", "reopen", "transfer"}


# ---- reopen within 15 days of resolution, also once closed -------------------------------

@pytest.mark.parametrize("state", ["resolved", "closed"])
@pytest.mark.parametrize(("days", "expected"), [(1, 200), (14, 200), (15, 200), (16, 409)])
def test_the_villager_may_reopen_within_15_days(client, world, state, days, expected):
    complaint = complaint_in(world, state)
    complaint.resolved_at = utcnow() - timedelta(days=days)
    db.session.commit()
    before = snapshot(complaint.id)
    response = perform(client, world, complaint.id, "reopen", "villager_a",
                       note="门还是关不严")
    if expected == 200:
        assert response.status_code == 200, response.json
        assert response.json["status"] == "accepted"
        last = response.json["timeline"][-1]
        assert (last["action"], last["from_status"], last["note"]) == ("reopen", state,
                                                                      "门还是关不严")
    else:
        assert_error(response, 409, "reopen_window_passed")
        assert snapshot(complaint.id) == before


def test_reopening_a_closed_complaint_clears_its_close_and_rating(client, world):
    complaint = complaint_in(world, "resolved")
    rated = perform(client, world, complaint.id, "rate", "villager_a", rating=1, note=None)
    assert rated.json["status"] == "closed" and rated.json["satisfaction"] == 1
    response = perform(client, world, complaint.id, "reopen", "villager_a", note="又漏水了")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "accepted" and response.json["satisfaction"] is None
    stored = db.session.get(Complaint, complaint.id)
    assert stored.closed_at is None and stored.resolved_at is None
    # Handled again from the start: resolved, then rated afresh.
    resolved = perform(client, world, complaint.id, "resolve", "county_here")
    assert resolved.json["status"] == "resolved"
    assert perform(client, world, complaint.id, "rate", "villager_a", rating=4,
                   note=None).json["satisfaction"] == 4


@pytest.mark.parametrize("state", ["resolved", "closed"])
def test_the_16th_day_is_refused_in_china_time(world, state):
    """Resolved at 23:30 Beijing time on 1 March: the 16th is the last day, whatever the
    hour; from 00:00 on the 17th (still the 16th in UTC) it is refused."""
    complaint = complaint_in(world, state)
    complaint.resolved_at = datetime(2026, 3, 1, 23, 30, tzinfo=services.CHINA)
    db.session.commit()
    villager = world["users"]["villager_a"]
    late = datetime(2026, 3, 17, 0, 0, 30, tzinfo=services.CHINA)
    assert late.astimezone(UTC).date() == date(2026, 3, 16)
    with pytest.raises(ApiError) as refused:
        services.act(complaint, "reopen", villager, note="仍未解决", now=late)
    assert refused.value.error == "reopen_window_passed"
    db.session.rollback()

    complaint = db.session.get(Complaint, complaint.id)
    last_minute = datetime(2026, 3, 16, 23, 59, tzinfo=services.CHINA)
    services.act(complaint, "reopen", villager, note="仍未解决", now=last_minute)
    assert complaint.status == "accepted" and complaint.resolved_at is None
    # A fresh 45-working-day deadline from the day it was reopened (in China).
    assert complaint.accepted_on == date(2026, 3, 16)
    assert complaint.finish_due_on == services.workdays_after(date(2026, 3, 16), 45)


def test_declined_complaints_are_not_reopened(client, world):
    complaint = complaint_in(world, "declined")
    assert_error(perform(client, world, complaint.id, "reopen", "villager_a"), 409,
                 "invalid_transition")


def test_rating_closes_with_the_satisfaction(client, world):
    complaint = complaint_in(world, "resolved")
    response = perform(client, world, complaint.id, "rate", "villager_a", rating=2, note=None)
    assert response.status_code == 200, response.json
    assert response.json["status"] == "closed" and response.json["satisfaction"] == 2
    assert db.session.get(Complaint, complaint.id).closed_at is not None


@pytest.mark.parametrize("body", [{"rating": 0}, {"rating": 6}, {"rating": "good"}, {},
                                  {"rating": 3, "extra": True}])
def test_bad_ratings(client, world, body):
    complaint = complaint_in(world, "resolved")
    before = snapshot(complaint.id)
    assert_error(client.post(f"{MP}/{complaint.id}/rating", json=body,
                             headers=world["headers"]["villager_a"]), 422)
    assert snapshot(complaint.id) == before


@pytest.mark.parametrize("body", [
    {"action": "respond", "note": NOTE},  # the merchant's, not an officer's
    {"action": "rate", "note": NOTE},
    {"action": "reopen", "note": NOTE},
    {"action": "submit"},
    {"action": "approve"},
    {},
    {"action": "accept", "note": "长" * 2001},
    {"action": "accept", "by_role": "villager"},
])
def test_bad_transition_requests(client, world, body):
    complaint = complaint_in(world)
    before = snapshot(complaint.id)
    assert_error(client.post(f"{ADMIN}/{complaint.id}/transitions", json=body,
                             headers=world["headers"]["county_here"]), 422)
    assert snapshot(complaint.id) == before


def test_unknown_complaints_are_404(client, world):
    h = world["headers"]
    assert_error(client.post(f"{ADMIN}/999999/transitions", json={"action": "accept"},
                             headers=h["county_here"]), 404)
    assert_error(client.post(f"{MERCHANT_URL}/999999/responses", json={"message": "好的"},
                             headers=h["merchant_a"]), 404)
    assert_error(client.post(f"{MP}/999999/reopen", json={"reason": "不满意"},
                             headers=h["villager_a"]), 404)


def test_ask_merchant_needs_a_merchant(client, world):
    complaint = complaint_in(world, "accepted", shop=None)
    before = snapshot(complaint.id)
    assert_error(perform(client, world, complaint.id, "ask_merchant", "county_here"), 409,
                 "no_merchant")
    assert snapshot(complaint.id) == before


def test_accepting_sets_the_45_working_day_deadline(client, world):
    complaint = complaint_in(world)
    response = perform(client, world, complaint.id, "accept", "county_here")
    accepted_on = services.today()
    assert response.json["finish_due_on"] == services.workdays_after(accepted_on, 45).isoformat()
    assert response.json["overdue"] is False


# ---- two officers at once (PostgreSQL) -----------------------------------------------------

@pytest.mark.postgres
def test_two_officers_at_once_make_one_transition(committed):
    app = committed
    with app.app_context():
        shop = Shop(name="并发建材店", region_code="410105", status="approved")
        villager = User(role=auth.VILLAGER, nickname="race", region_code="410105001",
                                 wechat_openid="dev-openid-race", is_active=True)
        db.session.add_all([shop, villager])
        db.session.flush()
        officers = [create_console_user(username=f"officer{n}", password="secret-pass-1",
                                        role=auth.ADMIN, region_code=code)
                    for n, code in enumerate(["410105", "410105", "410100", "410000"])]
        complaint = services.file_complaint(villager, category="quality", photos=[],
                                            description="并发测试投诉", merchant_id=shop.id)
        tokens = [issue_token(officer) for officer in officers]
        complaint_id = complaint.id
        db.session.commit()

    url = f"{ADMIN}/{complaint_id}/transitions"
    requests_ = []
    for n in range(20):
        body = {"action": "accept"} if n % 2 else {"action": "decline", "note": "不属于消费纠纷"}
        requests_.append(("POST", url, body, {"Authorization": f"Bearer {tokens[n % 4]}"}))
    responses = fire(app, requests_, workers=20)
    codes = sorted(r.status_code for r in responses)
    assert codes.count(200) == 1, [r.get_json() for r in responses]
    assert codes == [200] + [409] * 19
    winner = next(r for r in responses if r.status_code == 200).get_json()

    with app.app_context():
        stored = db.session.get(Complaint, complaint_id)
        events = db.session.scalars(sa.select(ComplaintEvent.action).where(
            ComplaintEvent.complaint_id == complaint_id).order_by(ComplaintEvent.id)).all()
        assert stored.status == winner["status"] in ("accepted", "declined")
        assert list(events) == ["submit", winner["timeline"][-1]["action"]]
