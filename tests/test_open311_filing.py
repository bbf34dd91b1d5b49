"""Open311 POST requests: an application's api_key or a villager's token, routing, what is kept."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import sqlalchemy as sa

from app.complaints import open311_services
from app.complaints.models import Complaint
from app.complaints.open311_keys import Open311Key
from app.extensions import db
from app.merchants.models import Shop
from tests.test_complaints import complaint_count
from tests.test_open311 import BASE, open311_error

POST_FIELDS = {"service_request_id", "service_notice", "account_id"}


def issue(world, region: str | None = None, who: str = "county_here") -> str:
    """A key issued by `who` (for its region unless `region` is given); the raw key."""
    _key, raw = open311_services.issue_key(name="县便民服务平台", region_code=region,
                                           by=world["users"][who])
    db.session.commit()
    return raw


def post(client, headers=None, fmt: str = "json", **form):
    data = {"service_code": "quality", "description": "门窗密封条老化漏风", **form}
    return client.post(f"{BASE}/requests.{fmt}", data=data, headers=headers or {})


def filed(response) -> Complaint:
    assert response.status_code == 201, response.get_data(as_text=True)
    [answer] = response.json
    assert set(answer) == POST_FIELDS and answer["account_id"] is None
    return db.session.scalar(sa.select(Complaint).where(
        Complaint.tracking_no == answer["service_request_id"]))


# ---- a villager's bearer token (our own apps) -----------------------------------------------

def test_filing_as_a_villager(client, world):
    complaint = filed(post(client, world["headers"]["villager_b"], lat="34.7", long="113.6",
                           first_name="李", last_name="四", phone="13600001111",
                           email="li@example.com", device_id="phone-1",
                           address_string="官渡镇大庄村东头"))
    assert complaint.user_id == world["users"]["villager_b"].id
    assert complaint.region_code == "410122"  # the villager's county
    assert complaint.contact_phone is None  # personal fields are not stored for villagers
    assert complaint.category == "quality" and complaint.description == "门窗密封条老化漏风"
    assert (complaint.latitude, complaint.longitude) == (34.7, 113.6)
    assert complaint.address_string == "官渡镇大庄村东头" and complaint.open311_key_id is None
    # It is public at once, with where it is.
    [doc] = client.get(f"{BASE}/requests/{complaint.tracking_no}.json").json
    assert (doc["lat"], doc["long"], doc["address"]) == (34.7, 113.6, "官渡镇大庄村东头")
    # And the officer sees it too.
    shown = client.get(f"/api/v1/admin/complaints/{complaint.id}",
                       headers=world["headers"]["county_elsewhere"]).json
    assert (shown["lat"], shown["long"], shown["address_string"]) == (34.7, 113.6,
                                                                      "官渡镇大庄村东头")


def test_filing_with_a_region_and_a_media_url(client, make):
    headers = make.headers(make.villager("nowhere"))
    complaint = filed(post(client, headers, address_id="410122102",
                           media_url="https://example.com/p/1.jpg"))
    assert complaint.region_code == "410122"
    assert complaint.description.endswith("附件：https://example.com/p/1.jpg")


def test_a_villager_may_also_send_an_applications_key(client, world):
    raw = issue(world, "410000", who="province")
    complaint = filed(post(client, world["headers"]["villager_a"], api_key=raw))
    assert complaint.user_id == world["users"]["villager_a"].id
    assert complaint.open311_key_id is not None


# ---- a client application's api_key ------------------------------------------------------------

def test_filing_with_an_api_key(client, world):
    raw = issue(world)
    complaint = filed(post(client, api_key=raw, address_id="410105001", lat="34.78",
                           long="113.68", phone="13600001111", first_name="王"))
    key = db.session.scalar(sa.select(Open311Key))
    assert complaint.user_id == key.reporter_id  # the application's own account
    assert complaint.region_code == "410105" and complaint.open311_key_id == key.id
    # Nobody else can call the villager back: the posted phone is kept (for officers only).
    assert complaint.contact_phone == "13600001111"
    assert key.last_used_at is not None
    [doc] = client.get(f"{BASE}/requests/{complaint.tracking_no}.json").json
    assert "13600001111" not in str(doc) and "王" not in str(doc)


def test_the_key_may_come_in_the_query_string(client, world):
    raw = issue(world)
    response = client.post(f"{BASE}/requests.json?api_key={raw}", data={
        "service_code": "price", "description": "价格虚高两成", "address_id": "410105"})
    assert filed(response).region_code == "410105"


def test_a_county_jurisdiction_routes_the_complaint(client, world):
    raw = issue(world, "410000", who="province")
    complaint = filed(post(client, api_key=raw, jurisdiction_id="410122"))
    assert complaint.region_code == "410122"


def test_naming_a_merchant_or_product_routes_to_its_county(client, world, make):
    raw = issue(world, "410000", who="province")
    by_merchant = filed(post(client, api_key=raw, service_code="price",
                             **{"attribute[merchant_id]": str(world["shop_b"].id)}))
    assert (by_merchant.shop_id, by_merchant.region_code) == (world["shop_b"].id, "410122")
    product = make.product(world["shop_a"])
    by_product = filed(post(client, api_key=raw, **{"attribute[product_id]": str(product.id)}))
    assert (by_product.product_id, by_product.shop_id) == (product.id, world["shop_a"].id)
    assert by_product.region_code == "410105"


@pytest.mark.parametrize(("form", "words"), [
    ({"attribute[merchant_id]": "abc"}, "正整数"),
    ({"attribute[merchant_id]": "0"}, "正整数"),
    ({"attribute[expo_id]": "1"}, "不属于"),  # not an attribute of the quality service
    ({"attribute[user_id]": "1"}, "不属于"),
    ({"attribute[merchant_id]": "999999"}, "商家"),  # no such merchant
    ({"lat": "34.7"}, "lat"),  # without long
    ({"lat": "91", "long": "113"}, "lat"),
    ({"phone": "110"}, "phone"),  # a callback number must be one
    ({"jurisdiction_id": "410122", "address_id": "410105001"}, "jurisdiction_id"),
])
def test_bad_application_filings_are_400_and_file_nothing(client, world, form, words):
    raw = issue(world, "410000", who="province")
    form = {"address_id": "410105", **form}
    descriptions = open311_error(post(client, api_key=raw, **form), 400)
    assert words in " ".join(descriptions)
    assert complaint_count() == 0


def test_a_filing_needs_a_county(client, world):
    raw = issue(world, "410000", who="province")
    for form in ({}, {"address_id": "410000"}, {"jurisdiction_id": "410100"}):
        open311_error(post(client, api_key=raw, **form), 400)
    open311_error(post(client, world["headers"]["villager_a"], address_id="410000"), 400)
    assert complaint_count() == 0


def test_a_key_files_only_inside_its_region(client, world):
    raw = issue(world)  # 410105
    [description] = open311_error(post(client, api_key=raw, address_id="410122101"), 403)
    assert "地区" in description
    open311_error(post(client, api_key=raw, service_code="price",
                       **{"attribute[merchant_id]": str(world["shop_b"].id)}), 403)
    assert complaint_count() == 0


def test_an_unknown_jurisdiction_is_404(client, world):
    raw = issue(world)
    open311_error(post(client, api_key=raw, jurisdiction_id="henan", address_id="410105"), 404)
    assert complaint_count() == 0


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_missing_unknown_and_revoked_keys_are_403(client, world, fmt):
    raw = issue(world)
    for key in (None, "o311_not-a-key", raw + "x"):
        form = {"address_id": "410105"} | ({"api_key": key} if key else {})
        open311_error(post(client, fmt=fmt, **form), 403, fmt)
    key = db.session.scalar(sa.select(Open311Key))
    open311_services.revoke_key(key, by=world["users"]["county_here"])
    db.session.commit()
    [description] = open311_error(post(client, fmt=fmt, api_key=raw, address_id="410105"),
                                  403, fmt)
    assert "吊销" in description
    assert complaint_count() == 0


def test_tokens_that_are_not_a_villagers(client, world, make):
    for who in ("merchant_a", "county_here", "province"):
        open311_error(post(client, world["headers"][who]), 403)
    # A token that is not one is 401, even with a good key beside it.
    forged = {"Authorization": "Bearer not-a-token"}
    open311_error(post(client, forged, api_key=issue(world), address_id="410105"), 401)
    assert complaint_count() == 0


def test_filing_in_xml(client, world):
    response = post(client, world["headers"]["villager_a"], fmt="xml")
    assert response.status_code == 201 and response.mimetype == "text/xml"
    tree = ET.fromstring(response.data)
    assert tree.tag == "service_requests"
    [request] = tree.findall("request")
    assert {child.tag for child in request} == POST_FIELDS
    assert request.findtext("service_request_id").startswith("TS")
    assert request.find("account_id").text is None


@pytest.mark.parametrize("form", [{"service_code": "weather"}, {"description": "短"},
                                  {"media_url": "not a url"}, {"lat": "north"},
                                  {"lat": "nan", "long": "1"},
                                  {"account_id": "1", "user_id": "1"},
                                  {"address_id": "Jinshui"}])
def test_bad_filings_are_400_and_file_nothing(client, world, form):
    descriptions = open311_error(post(client, world["headers"]["villager_a"], **form), 400)
    assert any(d.split("：")[0] in form for d in descriptions), descriptions
    assert complaint_count() == 0


def test_the_merchant_of_a_filing_is_not_told_by_the_public_documents(client, world):
    raw = issue(world)
    complaint = filed(post(client, api_key=raw, service_code="price",
                           **{"attribute[merchant_id]": str(world["shop_a"].id)}))
    text = client.get(f"{BASE}/requests/{complaint.tracking_no}.json").get_data(as_text=True)
    assert db.session.get(Shop, world["shop_a"].id).name not in text


def test_filing_is_rate_limited_in_the_spec_format(client, world):
    headers = world["headers"]["villager_a"]
    for _ in range(20):  # as many an hour as in the mini-program
        assert post(client, headers).status_code == 201
    [description] = open311_error(post(client, headers), 429)
    assert "频繁" in description
    # An application files for a whole county: its key has an allowance of its own.
    assert post(client, api_key=issue(world), address_id="410105").status_code == 201
