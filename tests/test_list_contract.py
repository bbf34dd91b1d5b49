"""One list contract (API.md): every collection that grows answers {"items", "next_cursor"}
with `limit` and `cursor`; only bounded trees are bare arrays. Each list is walked one item
at a time on the demo campaign and must give exactly what one big page gives."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.accounts.services import issue_token
from app.demo import seed_all
from app.expos.models import Expo
from app.extensions import db

BOUNDED = {"/api/mp/v1/categories", "/api/mp/v1/regions"}

# Every page endpoint, who reads it, and whether the demo campaign gives it two items or more.
LISTS = {
    "/api/mp/v1/cases": ("anonymous", 3),
    "/api/mp/v1/coupons": ("anonymous", 2),
    "/api/mp/v1/expos": ("anonymous", 2),
    "/api/mp/v1/packages": ("anonymous", 2),
    "/api/mp/v1/service-offers": ("anonymous", 2),
    "/api/mp/v1/products": ("anonymous", 2),
    "/api/mp/v1/me/complaints": ("villager", 2),
    "/api/mp/v1/live-sessions": ("anonymous", 2),
    "/api/mp/v1/me/bookings": ("villager", 1),
    "/api/mp/v1/me/coupons": ("villager", 2),
    "/api/mp/v1/me/notifications": ("villager", 0),
    "/api/v1/admin/notifications": ("admin", 0),
    "/api/mp/v1/me/subsidy-claims": ("villager", 0),
    "/api/mp/v1/me/tickets": ("villager", 2),
    "/api/mp/v1/subsidy-programs": ("villager", 0),
    "/api/mp/v1/zones": ("anonymous", 1),
    "/api/v1/admin/audit-log": ("admin", 0),
    "/api/v1/admin/search-synonyms": ("admin", 2),
    "/api/v1/admin/cases": ("admin", 3),
    "/api/v1/admin/certificates": ("admin", 2),
    "/api/v1/admin/complaints": ("admin", 2),
    "/api/v1/admin/dealer-authorisations": ("admin", 0),
    "/api/v1/admin/enterprises": ("admin", 2),
    "/api/v1/admin/expos": ("admin", 2),
    "/api/v1/admin/expos/{expo_id}/booths": ("admin", 2),
    "/api/v1/admin/expos/{expo_id}/staff": ("admin", 1),
    "/api/v1/admin/holidays?year=2026": ("admin", 2),
    "/api/v1/admin/live-sessions": ("admin", 2),
    "/api/v1/admin/local-list": ("admin", 0),
    "/api/v1/admin/negative-list": ("admin", 1),
    "/api/v1/admin/open311-keys": ("admin", 0),
    "/api/v1/admin/packages": ("admin", 2),
    "/api/v1/admin/products": ("admin", 2),
    "/api/v1/admin/promotions": ("admin", 1),
    "/api/v1/admin/shops": ("admin", 2),
    "/api/v1/admin/subsidy-claims": ("admin", 0),
    "/api/v1/admin/subsidy-programs": ("admin", 0),
    "/api/v1/admin/users": ("admin", 2),
    "/api/v1/admin/zones": ("admin", 1),
    "/api/v1/merchant/complaints": ("merchant", 1),
    "/api/v1/merchant/bookings": ("merchant", 1),
    "/api/v1/merchant/coupons": ("merchant", 2),
    "/api/v1/merchant/dealer-authorisations": ("merchant", 0),
    "/api/v1/merchant/live-sessions": ("merchant", 1),
    "/api/v1/merchant/offers": ("merchant", 2),
    "/api/v1/merchant/packages": ("merchant", 2),
    "/api/v1/merchant/products": ("merchant", 2),
    "/api/v1/merchant/promotions": ("merchant", 1),
    "/api/v1/merchant/redemptions": ("merchant", 0),
    "/api/v1/merchant/staff": ("merchant", 0),
    "/api/v1/staff/expos": ("staff", 2),
}


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def test_every_growing_collection_is_a_page_and_only_trees_are_arrays(client):
    spec = client.get("/api/openapi.json").get_json()
    pages, arrays = set(), set()
    for path, operations in spec["paths"].items():
        answer = operations.get("get", {}).get("responses", {}).get("200", {})
        body = answer.get("content", {}).get("application/json")
        if not body:
            continue
        schema = _resolve(spec, body["schema"])
        if schema.get("type") == "array":
            arrays.add(path)
        elif {"items", "next_cursor"} <= set(schema.get("properties", {})):
            pages.add(path)
            names = {p["name"] for p in operations["get"].get("parameters", [])}
            assert {"limit", "cursor"} <= names, f"{path} does not take limit and cursor"
    assert arrays == BOUNDED
    assert pages == {path.split("?")[0] for path in LISTS}


@pytest.fixture
def campaign(client, make):
    seed_all()
    db.session.commit()
    villager = db.session.scalar(sa.select(User).where(
        User.wechat_openid == "dev-openid-demo-villager1"))
    users = {"villager": villager, **{role: db.session.scalar(sa.select(User).where(
        User.username == f"demo-{name}")) for role, name in
        (("admin", "admin"), ("merchant", "merchant"), ("staff", "staff"))}}
    headers = {"anonymous": {}}
    for role, user in users.items():
        headers[role] = {"Authorization": f"Bearer {issue_token(user)}"}
    db.session.commit()
    for template in client.get("/api/mp/v1/coupons?limit=3").get_json()["items"]:
        client.post(f"/api/mp/v1/coupons/{template['id']}/claim", headers=headers["villager"])
    expo = db.session.scalar(sa.select(Expo).order_by(Expo.id))
    return {"headers": headers, "expo_id": expo.id}


def _walk(client, url: str, headers: dict) -> list:
    joiner = "&" if "?" in url else "?"
    seen, cursor = [], None
    for _ in range(500):
        page = client.get(f"{url}{joiner}limit=1" + (f"&cursor={cursor}" if cursor else ""),
                          headers=headers)
        assert page.status_code == 200, (url, page.get_json())
        body = page.get_json()
        assert set(body) == {"items", "next_cursor"} and len(body["items"]) <= 1
        seen += body["items"]
        if (cursor := body["next_cursor"]) is None:
            return seen
    raise AssertionError(f"{url}: the cursor never ended")


@pytest.mark.parametrize(("path", "who", "at_least"),
                         [(path, *spec) for path, spec in LISTS.items()], ids=list(LISTS))
def test_walking_a_list_one_by_one_gives_the_whole_list(client, campaign, path, who, at_least):
    url = path.replace("{expo_id}", str(campaign["expo_id"]))
    headers = campaign["headers"][who]
    walked = _walk(client, url, headers)
    joiner = "&" if "?" in url else "?"
    whole = client.get(f"{url}{joiner}limit=100", headers=headers).get_json()
    assert whole["next_cursor"] is None, "the demo campaign fits one page of 100"
    assert walked == whole["items"]
    assert len(walked) >= at_least, f"{path}: {len(walked)} items on the demo campaign"
    if walked and "id" in walked[0]:
        assert len({item["id"] for item in walked}) == len(walked)
