"""The auth matrix: every principal against every endpoint; later issues copy this pattern."""

from __future__ import annotations

import pytest

from tests.conftest import matrix

# principals: anonymous, villager_a, villager_b, merchant_a, merchant_b,
#             county_here (410105), county_elsewhere (410122), province (410000)
CASES = [
    *matrix("/api/mp/v1/me", "GET", 401, 200, 200, 403, 403, 403, 403, 403),
    *matrix("/api/mp/v1/me", "PATCH", 401, 200, 200, 403, 403, 403, 403, 403),
    *matrix("/api/mp/v1/me/notifications", "GET", 401, 200, 200, 403, 403, 403, 403, 403),
    *matrix("/api/mp/v1/auth/phone", "POST", 401, 200, 200, 403, 403, 403, 403, 403),
    *matrix("/api/v1/me", "GET", 401, 403, 403, 200, 200, 200, 200, 200),
    *matrix("/api/v1/merchant/shops/{shop_a}", "GET", 401, 403, 403, 200, 403, 403, 403, 403),
    *matrix("/api/v1/admin/shops/{shop_a}", "GET", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix("/api/v1/admin/users/{villager_a}", "GET", 401, 403, 403, 403, 403, 200, 404, 200),
    *matrix("/api/v1/admin/users?region_code=410122", "GET",
            401, 403, 403, 403, 403, 403, 200, 200),
    *matrix("/api/v1/admin/users", "GET", 401, 403, 403, 403, 403, 200, 200, 200),
]

BODIES = {
    ("PATCH", "/api/mp/v1/me"): {"nickname": "新昵称"},
    ("POST", "/api/mp/v1/auth/phone"): {"code": "dev-13800001111"},
}


@pytest.mark.parametrize(("method", "path", "who", "expected"), CASES)
def test_auth_matrix(client, world, method, path, who, expected):
    url = path.format(shop_a=world["shop_a"].id, villager_a=world["users"]["villager_a"].id)
    response = client.open(url, method=method, headers=world["headers"][who],
                           json=BODIES.get((method, path)))
    assert response.status_code == expected, response.get_json()
    body = response.get_json()
    if expected >= 400:
        # The one error shape, and nothing of the record leaks into it.
        assert set(body) <= {"code", "status", "error", "message", "errors"}
        assert body["code"] == expected


def test_admin_list_only_shows_own_region(client, world):
    body = client.get("/api/v1/admin/users", headers=world["headers"]["county_elsewhere"]).json
    regions = {item["region_code"] for item in body["items"]}
    assert regions and all(code.startswith("410122") for code in regions)


def test_province_admin_sees_every_county(client, world):
    body = client.get("/api/v1/admin/users?limit=100", headers=world["headers"]["province"]).json
    regions = {item["region_code"][:6] for item in body["items"]}
    assert {"410105", "410122"} <= regions


def test_villager_sees_only_own_notifications(client, world, app):
    from app.notifications.services import notify

    notify(world["users"]["villager_a"], "expo_reminder", {"expo_id": 1})
    mine = client.get("/api/mp/v1/me/notifications", headers=world["headers"]["villager_a"]).json
    theirs = client.get("/api/mp/v1/me/notifications", headers=world["headers"]["villager_b"]).json
    assert [n["kind"] for n in mine["items"]] == ["expo_reminder"]
    assert theirs["items"] == []
