"""Who may call which expo endpoint: the eight principals, then the gate's own staff."""

from __future__ import annotations

import uuid

import pytest

from app.core.db import utcnow
from app.expos import organiser
from app.extensions import db
from tests.conftest import matrix
from tests.test_expos import ERROR_KEYS, expo_body, new_expo, open_expo, staff_user, ticket_of

# An expo organised by the county here (410105), in one of its townships, open at the gate.
# principals: anonymous, villager_a, villager_b, merchant_a, merchant_b,
#             county_here (410105), county_elsewhere (410122), province (410000)
ADMIN = "/api/v1/admin/expos/{expo}"
CASES = [
    # organisers
    *matrix("/api/v1/admin/expos", "GET", 401, 403, 403, 403, 403, 200, 200, 200),
    *matrix("/api/v1/admin/expos", "POST", 401, 403, 403, 403, 403, 201, 403, 201),
    *matrix(ADMIN, "GET", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix(ADMIN, "PATCH", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix("/api/v1/admin/expos/{draft}/publish", "POST",
            401, 403, 403, 403, 403, 200, 403, 200),
    *matrix(ADMIN + "/cancel", "POST", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix(ADMIN + "/tickets/{ticket_a}/revoke", "POST",
            401, 403, 403, 403, 403, 200, 403, 200),
    *matrix(ADMIN + "/staff", "GET", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix(ADMIN + "/staff", "POST", 401, 403, 403, 403, 403, 201, 403, 201),
    *matrix(ADMIN + "/staff/{staff}", "DELETE", 401, 403, 403, 403, 403, 204, 403, 204),
    *matrix(ADMIN + "/booths", "GET", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix(ADMIN + "/booths/{booth}/decision", "POST",
            401, 403, 403, 403, 403, 200, 403, 200),
    *matrix(ADMIN + "/attendees.csv", "GET", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix(ADMIN + "/attendees.xlsx", "GET", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix(ADMIN + "/poster.png", "GET", 401, 403, 403, 403, 403, 200, 403, 200),
    # the gate: expo staff only
    *matrix("/api/v1/staff/expos", "GET", 401, 403, 403, 403, 403, 403, 403, 403),
    *matrix("/api/v1/expos/{expo}/checkins", "POST", 401, 403, 403, 403, 403, 403, 403, 403),
    *matrix("/api/v1/expos/{expo}/checkins/batch", "POST",
            401, 403, 403, 403, 403, 403, 403, 403),
    *matrix("/api/v1/expos/{expo}/offline-bundle", "GET",
            401, 403, 403, 403, 403, 403, 403, 403),
    *matrix("/api/v1/expos/{expo}/attendance", "GET", 401, 403, 403, 403, 403, 200, 403, 200),
    # merchants
    *matrix("/api/v1/merchant/expos/{expo}/booths", "POST",
            401, 403, 403, 201, 201, 403, 403, 403),
    # villagers
    *matrix("/api/mp/v1/expos", "GET", 200, 200, 200, 200, 200, 200, 200, 200),
    *matrix("/api/mp/v1/expos/{expo}", "GET", 200, 200, 200, 200, 200, 200, 200, 200),
    *matrix("/api/mp/v1/expos/{draft}", "GET", 404, 404, 404, 404, 404, 404, 404, 404),
    *matrix("/api/mp/v1/expos/{expo}/registrations", "POST",
            401, 200, 201, 403, 403, 403, 403, 403),
    *matrix("/api/mp/v1/me/tickets", "GET", 401, 200, 200, 403, 403, 403, 403, 403),
    *matrix("/api/mp/v1/tickets/{ticket_a}", "GET", 401, 200, 404, 403, 403, 403, 403, 403),
    *matrix("/api/mp/v1/tickets/{ticket_a}/qr.svg", "GET",
            401, 200, 404, 403, 403, 403, 403, 403),
    *matrix("/api/mp/v1/tickets/{ticket_a}/qr.png", "GET",
            401, 200, 404, 403, 403, 403, 403, 403),
    *matrix("/api/mp/v1/tickets/{ticket_a}", "DELETE", 401, 200, 404, 403, 403, 403, 403, 403),
]


@pytest.fixture
def scene(client, world, make):
    """The expo, a draft, a gatekeeper, villager_a's ticket and merchant_a's booth."""
    county = world["users"]["county_here"]
    gatekeeper = staff_user(make, "gate-matrix")
    expo = open_expo(county, staff=[gatekeeper])
    draft = new_expo(county, publish=False)
    ticket = ticket_of(client, world["headers"]["villager_a"], expo.id)
    booth = organiser.apply_for_booth(expo.id, world["shop_a"].id)
    db.session.commit()
    return {"expo": expo.id, "draft": draft.id, "staff": gatekeeper.id, "booth": booth.id,
            "ticket_a": ticket["id"], "code": ticket["code"], "gatekeeper": gatekeeper}


def body_for(method: str, path: str, scene: dict) -> dict | None:
    if method in ("GET", "DELETE"):
        return None
    if path == "/api/v1/admin/expos":
        return expo_body()
    if method == "PATCH":
        return {"title": "权限矩阵展销会"}
    if path.endswith(("/cancel", "/revoke")):
        return {"reason": "权限矩阵测试"}
    if path.endswith("/staff"):
        return {"user_id": scene["staff"]}
    if path.endswith("/decision"):
        return {"approve": True, "booth_no": "A-01"}
    if path.endswith("/checkins"):
        return {"code": scene["code"], "nonce": uuid.uuid4().hex}
    if path.endswith("/checkins/batch"):
        return {"scans": [{"code": scene["code"], "nonce": uuid.uuid4().hex,
                           "scanned_at": utcnow().isoformat()}]}
    return None


@pytest.mark.parametrize(("method", "path", "who", "expected"), CASES)
def test_expo_auth_matrix(client, world, scene, method, path, who, expected):
    url = path.format(**scene)
    response = client.open(url, method=method, headers=world["headers"][who],
                           json=body_for(method, path, scene))
    assert response.status_code == expected, response.get_json()
    if expected < 400:
        return
    body = response.get_json()
    # The one error shape, and nothing of the record leaks into it.
    assert set(body) <= ERROR_KEYS and body["code"] == expected
    assert scene["code"] not in response.get_data(as_text=True)
    if expected == 403 and who == "county_elsewhere":
        # where the county here may act, the other county is told it is out of its region
        organised = path.startswith(("/api/v1/admin/", "/api/v1/expos/{expo}/attendance"))
        assert body["error"] == ("region_out_of_scope" if organised else "role_not_allowed")
    if expected == 403 and who in ("villager_a", "merchant_a"):
        assert body["error"] == "role_not_allowed"


GATE = [
    ("POST", "/api/v1/expos/{expo}/checkins"),
    ("POST", "/api/v1/expos/{expo}/checkins/batch"),
    ("GET", "/api/v1/expos/{expo}/offline-bundle"),
    ("GET", "/api/v1/expos/{expo}/attendance"),
]


@pytest.mark.parametrize(("method", "path"), GATE)
@pytest.mark.parametrize(("who", "expected"), [
    ("assigned", 200), ("assigned_elsewhere", 403), ("unassigned", 403)])
def test_gate_endpoints_need_staff_of_that_expo(client, world, make, scene, method, path,
                                                who, expected):
    county = world["users"]["county_here"]
    people = {"assigned": scene["gatekeeper"],
              "assigned_elsewhere": staff_user(make, "gate-elsewhere"),
              "unassigned": staff_user(make, "gate-idle")}
    new_expo(county, staff=[people["assigned_elsewhere"]], title="另一场展销会")
    response = client.open(path.format(**scene), method=method,
                           headers=make.headers(people[who]), json=body_for(method, path, scene))
    assert response.status_code == expected, response.get_json()
    if expected == 403:
        assert response.get_json()["error"] == "not_expo_staff"
        assert scene["code"] not in response.get_data(as_text=True)


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/api/v1/admin/expos"), ("GET", ADMIN), ("GET", ADMIN + "/attendees.csv"),
    ("POST", "/api/v1/merchant/expos/{expo}/booths"),
    ("POST", "/api/mp/v1/expos/{expo}/registrations"),
])
def test_gate_staff_cannot_use_other_roles_endpoints(client, make, scene, method, path):
    response = client.open(path.format(**scene), method=method,
                           headers=make.headers(scene["gatekeeper"]))
    assert response.status_code == 403 and response.get_json()["error"] == "role_not_allowed"


def test_staff_see_only_the_expos_they_work_at(client, world, make, scene):
    other = staff_user(make, "gate-other")
    elsewhere = new_expo(world["users"]["county_here"], staff=[other], title="另一场展销会")
    mine = client.get("/api/v1/staff/expos", headers=make.headers(scene["gatekeeper"]))
    theirs = client.get("/api/v1/staff/expos", headers=make.headers(other))
    mine, theirs = mine.json["items"], theirs.json["items"]
    assert [e["id"] for e in mine] == [scene["expo"]]
    assert [e["id"] for e in theirs] == [elsewhere.id]


def test_admin_lists_only_expos_of_their_region(client, world, scene):
    elsewhere = new_expo(world["users"]["county_elsewhere"], township_code="410122101")

    def ids(who: str) -> set[int]:
        return {e["id"] for e in client.get("/api/v1/admin/expos?limit=100",
                                            headers=world["headers"][who]).json["items"]}

    assert ids("county_here") == {scene["expo"], scene["draft"]}
    assert ids("county_elsewhere") == {elsewhere.id}
    assert ids("province") == {scene["expo"], scene["draft"], elsewhere.id}
