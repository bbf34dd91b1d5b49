""""This purchase may get about ¥X": the best open programme for the product, in the region."""

from __future__ import annotations

from app.extensions import db
from tests import test_subsidies
from tests.test_subsidies import AMOUNT, PRICE, days, new_program, reserve

scene = test_subsidies.scene  # the fixture: a programme, a tile, a villager with a full profile


def _estimate(client, product_id, headers=None, **query):
    return client.get(f"/api/mp/v1/products/{product_id}/subsidy-estimate",
                      headers=headers or {}, query_string=query)


def test_a_villager_sees_the_amount_their_programme_would_give(client, scene):
    answer = _estimate(client, scene.tile.id, scene.va)
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["region"] == scene.villager.region_code
    assert body["estimate"]["program_id"] == scene.program.id
    assert body["estimate"]["amount_fen"] == AMOUNT and body["estimate"]["price_fen"] == PRICE
    assert "¥1500.00" in body["message"] and "以审核结果为准" in body["message"]


def test_anyone_may_ask_for_a_region_and_without_one_gets_a_plain_answer(client, scene):
    asked = _estimate(client, scene.tile.id, region="410105").get_json()
    assert asked["estimate"]["amount_fen"] == AMOUNT
    bare = _estimate(client, scene.tile.id).get_json()
    assert bare["estimate"] is None and "设置所在地区" in bare["message"]
    elsewhere = _estimate(client, scene.tile.id, region="410122").get_json()
    assert elsewhere["estimate"] is None and "暂无" in elsewhere["message"]


def test_the_best_programme_wins_and_caps_and_budget_bound_it(client, scene):
    richer = new_program(scene.admin, title="加码补贴", rate_bp=2000)
    assert _estimate(client, scene.tile.id, scene.va).get_json()["estimate"]["program_id"] \
        == richer.id
    richer.budget_fen = richer.committed_fen + 12_345  # almost spent
    db.session.commit()
    body = _estimate(client, scene.tile.id, scene.va).get_json()["estimate"]
    assert body["program_id"] == scene.program.id and body["amount_fen"] == AMOUNT


def test_what_the_person_has_already_reserved_counts(client, scene):
    for n in range(3):  # ¥1,500 each against the ¥5,000 a person
        reserve(scene.villager, scene.program, scene.tile, invoice=f"EST-{n}")
    body = _estimate(client, scene.tile.id, scene.va).get_json()["estimate"]
    assert body["amount_fen"] == 500_000 - 3 * AMOUNT


def test_programmes_not_yet_open_or_not_covering_the_category_give_nothing(client, scene, make):
    scene.program.starts_on = days(3)
    db.session.commit()
    assert _estimate(client, scene.tile.id, scene.va).get_json()["estimate"] is None
    scene.program.starts_on = days(-3)
    db.session.commit()
    bricks = make.product(scene.tile.shop, name="烧结砖", category="bricks")
    assert _estimate(client, bricks.id, scene.va).get_json()["estimate"] is None


def test_an_unknown_product_is_404_and_a_bad_region_422(client, scene):
    assert _estimate(client, 999_999).status_code == 404
    assert _estimate(client, scene.tile.id, region="41x").status_code == 422
