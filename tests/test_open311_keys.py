"""Open311 API keys (issued once, hashed, listed by region, revoked) and the auth matrices."""

from __future__ import annotations

import hashlib
from datetime import datetime

import pytest
import sqlalchemy as sa

from app.complaints.open311_keys import Open311Key
from app.extensions import db
from tests.conftest import matrix
from tests.test_complaints import assert_error, complaint_in
from tests.test_open311 import open311_error
from tests.test_open311_filing import issue, post

KEYS = "/api/v1/admin/open311-keys"


def _issue(client, world, who: str = "county_here", **body):
    return client.post(KEYS, headers=world["headers"][who],
                       json={"name": "县便民服务平台", **body})


def test_a_key_is_shown_once_and_kept_only_hashed(client, world):
    response = _issue(client, world)
    assert response.status_code == 201, response.json
    issued = response.json
    raw = issued["api_key"]
    assert raw.startswith("o311_") and len(raw) > 40
    assert issued["key_prefix"] == raw[:12] and issued["region_code"] == "410105"
    assert (issued["status"], issued["status_label"]) == ("active", "有效")
    assert datetime.fromisoformat(issued["created_at"]).tzinfo is not None
    assert issued["revoked_at"] is None
    assert issued["issued_by"]

    row = db.session.get(Open311Key, issued["id"])
    assert row.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    stored = [str(v) for v in db.session.execute(
        sa.select(Open311Key.__table__)).one()]
    assert raw not in stored  # only the prefix and the hash
    listed = client.get(KEYS, headers=world["headers"]["county_here"]).json
    assert [k["id"] for k in listed["items"]] == [issued["id"]]
    assert "api_key" not in listed["items"][0] and listed["next_cursor"] is None
    # The key works.
    assert post(client, api_key=raw, address_id="410105").status_code == 201


def test_keys_are_listed_by_region(client, world):
    here = _issue(client, world).json["id"]
    there = _issue(client, world, "county_elsewhere").json["id"]
    province = _issue(client, world, "province").json["id"]

    def ids(who: str, **query) -> list[int]:
        response = client.get(KEYS, headers=world["headers"][who], query_string=query)
        assert response.status_code == 200, response.json
        return [k["id"] for k in response.json["items"]]

    assert ids("county_here") == [here]
    assert ids("county_elsewhere") == [there]
    assert ids("province") == [province, there, here]
    first = client.get(KEYS, headers=world["headers"]["province"], query_string={"limit": 1})
    assert first.json["next_cursor"]
    assert ids("province", limit=2, cursor=first.json["next_cursor"]) == [there, here]


def test_a_province_key_for_one_county(client, world):
    response = _issue(client, world, "province", region_code="410122")
    assert response.status_code == 201 and response.json["region_code"] == "410122"
    assert [k["id"] for k in client.get(KEYS, headers=world["headers"]["county_elsewhere"])
            .json["items"]] == [response.json["id"]]


@pytest.mark.parametrize(("who", "body", "status", "error"), [
    ("county_here", {"region_code": "410122"}, 403, "region_out_of_scope"),
    ("county_here", {"region_code": "410000"}, 403, "region_out_of_scope"),
    ("province", {"region_code": "410105001"}, 422, "validation_error"),  # not 6 digits
    ("province", {"region_code": "419999"}, 422, "unknown_region"),
    ("province", {"name": "x"}, 422, "validation_error"),
    ("province", {"name": None}, 422, "validation_error"),
    ("province", {"secret": "mine"}, 422, "validation_error"),
])
def test_bad_issues(client, world, who, body, status, error):
    assert_error(_issue(client, world, who, **body), status, error)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Open311Key)) == 0


def test_revoking(client, world):
    raw = issue(world)
    key = db.session.scalar(sa.select(Open311Key))
    h = world["headers"]
    assert_error(client.post(f"{KEYS}/{key.id}/revoke", headers=h["county_elsewhere"]), 403,
                 "region_out_of_scope")
    assert post(client, api_key=raw, address_id="410105").status_code == 201

    revoked = client.post(f"{KEYS}/{key.id}/revoke", headers=h["county_here"])
    assert revoked.status_code == 200, revoked.json
    assert (revoked.json["status"], revoked.json["status_label"]) == ("revoked", "已吊销")
    open311_error(post(client, api_key=raw, address_id="410105"), 403)
    again = client.post(f"{KEYS}/{key.id}/revoke", headers=h["province"])
    assert again.status_code == 200 and again.json["revoked_at"] == revoked.json["revoked_at"]
    assert_error(client.post(f"{KEYS}/999999/revoke", headers=h["province"]), 404,
                 "api_key_not_found")


def test_officers_without_the_complaints_duty(client, world, make):
    admin = make.admin("410105")
    admin.admin_duties = ["catalog"]
    db.session.commit()
    headers = make.headers(admin)
    assert_error(client.post(KEYS, headers=headers, json={"name": "某平台"}), 403,
                 "duty_not_assigned")
    assert_error(client.get(KEYS, headers=headers), 403, "duty_not_assigned")


# ---- the auth matrix --------------------------------------------------------------------------

# principals: anonymous, villager_a, villager_b, merchant_a, merchant_b,
#             county_here (410105), county_elsewhere (410122), province (410000)
OPEN311 = "/open311/v2"
CASES = [
    *matrix(KEYS, "POST", 401, 403, 403, 403, 403, 201, 201, 201),
    *matrix(KEYS, "GET", 401, 403, 403, 403, 403, 200, 200, 200),
    *matrix(f"{KEYS}/{{key}}/revoke", "POST", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix(f"{OPEN311}/services.json", "GET", 200, 200, 200, 200, 200, 200, 200, 200),
    *matrix(f"{OPEN311}/services.xml", "GET", 200, 200, 200, 200, 200, 200, 200, 200),
    *matrix(f"{OPEN311}/services/quality.json", "GET", 200, 200, 200, 200, 200, 200, 200, 200),
    *matrix(f"{OPEN311}/requests.json", "GET", 200, 200, 200, 200, 200, 200, 200, 200),
    *matrix(f"{OPEN311}/requests/{{tracking_no}}.xml", "GET",
            200, 200, 200, 200, 200, 200, 200, 200),
    # Without an api_key: only villagers (anonymous is GeoReport's 403, "api_key required").
    *matrix(f"{OPEN311}/requests.json", "POST", 403, 201, 201, 403, 403, 403, 403, 403),
]


@pytest.mark.parametrize(("method", "path", "who", "expected"), CASES)
def test_auth_matrix(client, world, method, path, who, expected):
    complaint = complaint_in(world)
    key = None
    if "{key}" in path:
        issue(world)
        key = db.session.scalar(sa.select(Open311Key))
    url = path.format(key=key.id if key else None, tracking_no=complaint.tracking_no)
    headers = world["headers"][who]
    if path.startswith(OPEN311) and method == "POST":
        response = client.post(url, headers=headers, data={
            "service_code": "price", "description": "价格虚高两成"})
    elif path == KEYS and method == "POST":
        response = client.post(url, headers=headers, json={"name": "某县便民平台"})
    else:
        response = client.open(url, method=method, headers=headers)
    if expected < 400:
        assert response.status_code == expected, response.get_data(as_text=True)
    elif path.startswith(OPEN311):
        open311_error(response, expected)
    else:
        assert_error(response, expected)
        assert "o311_" not in response.get_data(as_text=True)
