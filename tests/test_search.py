"""Search as villagers type it: one or two Chinese characters, phrases, pinyin, initials."""

from __future__ import annotations

import pytest

from app.catalog.search import query_tokens, terms_for


@pytest.fixture
def shelf(make):
    shop = make.shop("410105")
    for name, brand, category in (
        ("防滑瓷砖 600x600", "东鹏", "ceramic-tiles"),
        ("仿古瓷砖", "马可波罗", "ceramic-tiles"),
        ("烧结多孔砖", "", "bricks"),
        ("外墙防水涂料", "雨虹", "coatings"),
        ("SBS改性沥青防水卷材", "雨虹", "waterproofing"),
        ("断桥铝合金节能窗", "Nippon", "doors-windows"),
        ("蒸压加气混凝土砌块", "", "blocks"),
        ("智能坐便器", "九牧", "sanitary-ceramics"),
    ):
        make.product(shop, name=name, brand=brand, category=category)


def _search(client, q: str, **extra) -> list[str]:
    params = {"q": q, "limit": 50, **extra}
    response = client.get("/api/mp/v1/products", query_string=params)
    assert response.status_code == 200, response.get_json()
    return [item["name"] for item in response.get_json()["items"]]


@pytest.mark.parametrize(("q", "expected"), [
    ("砖", {"防滑瓷砖 600x600", "仿古瓷砖", "烧结多孔砖"}),
    ("瓷砖", {"防滑瓷砖 600x600", "仿古瓷砖"}),
    ("防水", {"外墙防水涂料", "SBS改性沥青防水卷材"}),
    ("防水涂料", {"外墙防水涂料"}),
    ("cizhuan", {"防滑瓷砖 600x600", "仿古瓷砖"}),
    ("cz", {"防滑瓷砖 600x600", "仿古瓷砖"}),
    ("zuobianqi", {"智能坐便器"}),
    ("fangshui", {"外墙防水涂料", "SBS改性沥青防水卷材"}),
    ("雨虹", {"外墙防水涂料", "SBS改性沥青防水卷材"}),
    ("nippon", {"断桥铝合金节能窗"}),
    ("sbs", {"SBS改性沥青防水卷材"}),
    ("砌块", {"蒸压加气混凝土砌块"}),
    ("马桶", {"智能坐便器"}),  # a villager's word, rewritten by the search synonyms
    ("坐便", {"智能坐便器"}),
    ("窗 节能", {"断桥铝合金节能窗"}),
])
def test_search(client, shelf, q, expected):
    assert set(_search(client, q)) == expected


def test_initials_of_longer_runs(client, shelf):
    # 坐便器 → zbq; 仿古 → fg
    assert _search(client, "zbq") == ["智能坐便器"]
    assert "仿古瓷砖" in _search(client, "fg")


def test_ranking_prefers_the_name(client, shelf, make):
    # "瓷砖" appears only in the category name of this one: it must come after name matches.
    make.product(make.shop("410105"), name="通体大板 800x800", category="ceramic-tiles")
    results = _search(client, "瓷砖")
    assert set(results[:2]) == {"防滑瓷砖 600x600", "仿古瓷砖"}
    assert results[-1] == "通体大板 800x800"


def test_relevance_pages_run_across_both_tiers(client, shelf, make):
    # name or brand matches first, newest first; then matches elsewhere (here the category)
    shop = make.shop("410105")
    for name in ("通体大板 800x800", "岩板 1200"):
        make.product(shop, name=name, category="ceramic-tiles")
    names, cursor = [], None
    while True:
        params = {"q": "瓷砖", "limit": 1, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/mp/v1/products", query_string=params).get_json()
        names += [item["name"] for item in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert names == ["仿古瓷砖", "防滑瓷砖 600x600", "岩板 1200", "通体大板 800x800"]
    # a page that straddles the tiers, and one that starts inside the second
    assert _search(client, "瓷砖", limit=3)[2] == "岩板 1200"
    assert _search(client, "瓷砖", limit=3, cursor=_cursor(3)) == ["通体大板 800x800"]


def test_matches_older_than_the_probe_are_found(client, shelf, make, monkeypatch):
    # The probe reads only the newest rows; matches behind them come from the indexes.
    monkeypatch.setattr("app.catalog.services.PROBE_ROWS", 2)
    shop = make.shop("410105")
    for name in ("岩板 1200", "通体大板 800x800"):
        make.product(shop, name=name, category="ceramic-tiles")
    make.product(shop, name="节能灯带", category="doors-windows")
    assert _search(client, "砖", limit=2) == ["烧结多孔砖", "仿古瓷砖"]
    assert _search(client, "瓷砖") == [
        "仿古瓷砖", "防滑瓷砖 600x600", "通体大板 800x800", "岩板 1200"]


def _cursor(offset: int) -> str:
    from app.catalog.services import _encode_offset
    return _encode_offset(offset)


def test_search_combines_with_filters(client, shelf):
    assert _search(client, "砖", category="bricks") == ["烧结多孔砖"]


def test_tokens():
    terms = set(terms_for("防滑瓷砖", "东鹏").split())
    assert {"瓷", "砖", "瓷砖", "cizhuan", "cz", "fhcz", "dongpeng", "东鹏"} <= terms
    assert query_tokens("防水涂料") == [("防水", False), ("水涂", False), ("涂料", False)]
    assert query_tokens("  ") == []
    assert query_tokens("ci zhuan") == [("ci", True), ("zhuan", True)]


@pytest.mark.parametrize("q", ["'", "a & b", "x:*", "\\", "砖|瓦", "(", "!"])
def test_hostile_queries_do_not_break(client, shelf, q):
    assert client.get("/api/mp/v1/products", query_string={"q": q}).status_code == 200
