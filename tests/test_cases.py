"""Demonstration projects and typical cases: published by admins with the enterprises'
consent, photos without metadata, near the villager first, linked to what to buy."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from flask import current_app
from PIL import Image

from app.showcase.services import closeness
from tests.test_images import encode, gps_exif

ADMIN = "/api/v1/admin/cases"
MP = "/api/mp/v1/cases"


def case_body(**over) -> dict:
    body = {"kind": "demonstration", "title": "农房节能改造示范", "region_code": "410105001201",
            "place": "金水区某镇某村", "building_type": "rural_house",
            "summary": "外墙保温与节能窗", "energy_saving_rate_bp": 3000,
            "energy_saved_kwh_per_year": 2500, "cost_fen": 3_000_000, "construction_days": 15,
            "enterprise_consent": True, "consent_note": "企业书面同意"}
    body.update(over)
    return body


def published(client, headers, **over) -> dict:
    created = client.post(ADMIN, headers=headers, json=case_body(**over))
    assert created.status_code == 201, created.get_json()
    answer = client.post(f"{ADMIN}/{created.get_json()['id']}/publish", headers=headers)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_a_case_is_published_only_with_the_enterprises_consent(client, world):
    headers = world["headers"]["county_here"]
    draft = client.post(ADMIN, headers=headers,
                        json=case_body(enterprise_consent=False)).get_json()
    assert (draft["status"], draft["status_label"]) == ("draft", "草稿")
    refused = client.post(f"{ADMIN}/{draft['id']}/publish", headers=headers)
    assert refused.status_code == 409 and refused.get_json()["error"] == "consent_required"
    assert client.get(MP).get_json()["items"] == []
    client.patch(f"{ADMIN}/{draft['id']}", headers=headers, json={"enterprise_consent": True})
    done = client.post(f"{ADMIN}/{draft['id']}/publish", headers=headers).get_json()
    assert done["status_label"] == "已发布"
    assert [c["id"] for c in client.get(MP).get_json()["items"]] == [draft["id"]]
    withdrawn = client.post(f"{ADMIN}/{draft['id']}/withdraw", headers=headers)
    assert withdrawn.get_json()["status_label"] == "已撤回"
    assert client.get(MP).get_json()["items"] == []
    assert client.get(f"{MP}/{draft['id']}").status_code == 404


def test_an_admin_writes_cases_only_in_its_region(client, world):
    refused = client.post(ADMIN, headers=world["headers"]["county_elsewhere"], json=case_body())
    assert refused.status_code == 403
    unknown = client.post(ADMIN, headers=world["headers"]["county_here"],
                          json=case_body(product_ids=[999_999]))
    assert unknown.status_code == 422 and "product_ids" in unknown.get_json()["errors"]


def test_cases_are_listed_near_the_villager_first(client, world):
    province = world["headers"]["province"]
    far = published(client, province, title="兰考示范", region_code="410225103201")
    county = published(client, province, title="中牟县城案例", region_code="410122")
    village = published(client, province, title="本村案例", region_code="410122101201")
    township = published(client, province, title="本镇案例", region_code="410122101203")
    city = published(client, province, title="金水案例", region_code="410105001201")
    # villager_b lives in 410122101 (a township): its own village code unknown
    items = client.get(MP, headers=world["headers"]["villager_b"]).get_json()["items"]
    assert [c["id"] for c in items] == [township["id"], village["id"], county["id"],
                                        city["id"], far["id"]]
    assert [c["nearness"] for c in items] == [1, 1, 2, 3, 4]
    asked = client.get(MP, query_string={"region": "410122101201"}).get_json()["items"]
    assert asked[0]["id"] == village["id"] and asked[0]["nearness"] == 0
    # walking page by page gives the same order
    seen, cursor = [], None
    while True:
        page = client.get(MP, headers=world["headers"]["villager_b"],
                          query_string={"limit": 2, **({"cursor": cursor} if cursor else {})})
        body = page.get_json()
        seen += [c["id"] for c in body["items"]]
        if not (cursor := body["next_cursor"]):
            break
    assert seen == [c["id"] for c in items]
    anonymous = client.get(MP).get_json()["items"]  # no region: the newest first
    assert [c["id"] for c in anonymous] == [city["id"], township["id"], village["id"],
                                            county["id"], far["id"]]


def test_closeness_by_code():
    assert closeness("410122101201", "410122101201") == 0
    assert closeness("410122101201", "410122101") == 1
    assert closeness("410122", "410122101201") == 2
    assert closeness("410105", "410122101") == 3
    assert closeness("410225", "410122") == 4
    assert closeness("440100", "410122") == 5
    assert closeness("410122", None) == 5


def test_from_a_case_to_buying_the_same(client, world, make):
    tile = make.product(world["shop_a"], name="仿古砖")
    brick = make.product(world["shop_a"], name="烧结砖", category="bricks")
    package = client.post("/api/v1/merchant/packages", headers=world["headers"]["merchant_a"],
                          json={"name": "庭院铺装套餐", "scenario": "庭院改造",
                                "price_fen": 50_000, "region_code": "410105",
                                "items": [{"product_id": tile.id, "quantity": 5}]}).get_json()
    client.post(f"/api/v1/admin/packages/{package['id']}/decision",
                headers=world["headers"]["county_here"], json={"action": "approve"})
    case = published(client, world["headers"]["county_here"], product_ids=[tile.id, brick.id],
                     package_ids=[package["id"]], enterprise_ids=[tile.enterprise_id],
                     shop_ids=[world["shop_a"].id])
    brick.status = "delisted"
    detail = client.get(f"{MP}/{case['id']}", headers=world["headers"]["villager_a"])
    assert detail.status_code == 200, detail.get_json()
    body = detail.get_json()
    assert body["case"]["building_type_label"] == "农房"
    assert body["case"]["kind_label"] == "示范工程"
    products = {p["id"]: p for p in body["products"]}
    assert products[tile.id]["on_sale"] and products[tile.id]["eligible"]
    assert not products[brick.id]["on_sale"]
    assert body["packages"] == [{"id": package["id"], "name": "庭院铺装套餐",
                                 "scenario": "庭院改造", "price_fen": 50_000, "on_sale": True}]
    assert body["shops"] == [{"id": world["shop_a"].id, "name": world["shop_a"].name}]
    assert body["enterprises"][0]["id"] == tile.enterprise_id
    assert body["case"]["energy_saving_rate_bp"] == 3000


def test_photos_are_stored_without_metadata(client, world):
    headers = world["headers"]["county_here"]
    case = client.post(ADMIN, headers=headers, json=case_body()).get_json()
    data = encode(Image.new("RGB", (64, 48), "green"), "JPEG", exif=gps_exif())
    answer = client.post(f"{ADMIN}/{case['id']}/photos", headers=headers,
                         data={"image": (BytesIO(data), "house.jpg", "image/jpeg")},
                         content_type="multipart/form-data")
    assert answer.status_code == 201, answer.get_json()
    url = answer.get_json()["photos"][0]
    assert url.startswith("/media/cases/")
    stored = Path(current_app.config["UPLOAD_DIR"]) / url.removeprefix("/media/")
    with Image.open(stored) as image:
        assert not image.getexif() and "exif" not in image.info
    assert client.get(url).status_code == 200  # a public picture
    broken = client.post(f"{ADMIN}/{case['id']}/photos", headers=headers,
                         data={"image": (BytesIO(b"not a picture"), "x.jpg", "image/jpeg")},
                         content_type="multipart/form-data")
    assert broken.status_code in (415, 422)


@pytest.mark.parametrize("name", ["CASE_KIND", "CASE_STATUS", "BUILDING_TYPE"])
def test_every_case_label_is_chinese(name):
    import re

    from app.showcase import models

    labels = getattr(models, f"{name}_LABELS")
    values = getattr(models, {"CASE_KIND": "CASE_KINDS", "CASE_STATUS": "CASE_STATUSES",
                              "BUILDING_TYPE": "BUILDING_TYPES"}[name])
    assert set(labels) == set(values)
    assert all(re.match(r"^[\u4e00-\u9fff]+$", v) for v in labels.values())
