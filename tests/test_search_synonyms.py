"""Search synonyms: a villager typing 马桶 finds the 坐便器; province admins keep the table."""

from __future__ import annotations

import pytest

from tests.conftest import matrix

URL = "/api/v1/admin/search-synonyms"


def search(client, q: str) -> list[int]:
    response = client.get(f"/api/mp/v1/products?q={q}")
    assert response.status_code == 200, response.get_json()
    return [p["id"] for p in response.get_json()["items"]]


def test_the_words_villagers_use_find_what_the_catalogue_calls_otherwise(client, make):
    toilet = make.product(name="节水型坐便器", category="sanitary-ceramics")
    paint = make.product(name="内墙涂料", category="coatings")
    assert search(client, "马桶") == [toilet.id]  # seeded by the migration
    assert search(client, "油漆") == [paint.id]
    assert search(client, "乳胶漆") == [paint.id]  # the longer word first, not 漆 alone
    assert search(client, "坐便器") == [toilet.id]  # the catalogue's own word still works


def test_a_province_admin_adds_and_removes_one(client, world, make):
    board = make.product(name="挤塑聚苯板", category="insulation")
    headers = world["headers"]["province"]
    assert search(client, "XPS板") == []
    added = client.post(URL, headers=headers, json={"term": "XPS板", "canonical": "挤塑聚苯板"})
    assert added.status_code == 201, added.get_json()
    assert search(client, "XPS板") == [board.id]  # cached pages were dropped
    terms = [s["term"] for s in client.get(f"{URL}?limit=100", headers=headers).json["items"]]
    assert "XPS板" in terms and "马桶" in terms
    again = client.post(URL, headers=headers, json={"term": "XPS板", "canonical": "保温板"})
    assert again.status_code == 409 and again.get_json()["error"] == "synonym_exists"
    gone = client.delete(f"{URL}/{added.get_json()['id']}", headers=headers)
    assert gone.status_code == 204
    assert search(client, "XPS板") == []


@pytest.mark.parametrize("body", [{"term": "马 桶", "canonical": "坐便器"},
                                  {"term": "漆", "canonical": "漆"},
                                  {"term": "a" * 21, "canonical": "涂料"},
                                  {"term": "<b>", "canonical": "涂料"}])
def test_bad_synonyms_are_422(client, world, body):
    response = client.post(URL, headers=world["headers"]["province"], json=body)
    assert response.status_code == 422, response.get_json()


@pytest.mark.parametrize(("method", "path", "who", "status"), [
    *matrix(URL, "GET", 401, 403, 403, 403, 403, 403, 403, 200),
    *matrix(URL, "POST", 401, 403, 403, 403, 403, 403, 403, 201),
    *matrix(URL + "/{id}", "DELETE", 401, 403, 403, 403, 403, 403, 403, 204),
])
def test_auth_matrix(client, world, method, path, who, status):
    from app.catalog import synonyms

    target = synonyms.add("测试词", "瓷砖")
    body = {"term": "陶瓷地砖", "canonical": "瓷砖"} if method == "POST" else None
    response = client.open(path.replace("{id}", str(target.id)), method=method, json=body,
                           headers=world["headers"][who])
    assert response.status_code == status, response.get_json()


def test_changes_are_in_the_audit_log(client, world):
    from app.audit.models import AuditEntry
    from app.extensions import db

    headers = world["headers"]["province"]
    added = client.post(URL, headers=headers, json={"term": "XPS板", "canonical": "挤塑聚苯板"})
    client.delete(f"{URL}/{added.get_json()['id']}", headers=headers)
    actions = [(e.action, e.actor_id) for e in db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.subject_type == "search_synonym")
        .order_by(AuditEntry.id))]
    province = world["users"]["province"].id
    assert actions == [("search_synonym.added", province), ("search_synonym.removed", province)]
