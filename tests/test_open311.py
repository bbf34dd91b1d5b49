"""Open311 GeoReport v2: documents in JSON and XML, definitions, filters, jurisdictions, errors."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime, time, timedelta

import pytest

from app.catalog.eligibility import CHINA
from app.complaints.models import CATEGORIES, Complaint
from app.complaints.open311_docs import SERVICE_LINKS
from app.core.db import utcnow
from app.extensions import db
from tests.test_complaints import complaint_in

BASE = "/open311/v2"
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords",
                  "group"}
ATTRIBUTE_FIELDS = {"variable", "code", "datatype", "required", "datatype_description", "order",
                    "description"}
REQUEST_FIELDS = {"service_request_id", "status", "status_notes", "service_name", "service_code",
                  "description", "agency_responsible", "service_notice", "requested_datetime",
                  "updated_datetime", "expected_datetime", "address", "address_id", "zipcode",
                  "lat", "long", "media_url"}


# ---- helpers (the other Open311 test modules use them too) ---------------------------------

def open311_error(response, status: int, fmt: str = "json") -> list[str]:
    """GeoReport's error document: a list of {code, description}; the descriptions."""
    assert response.status_code == status, response.get_data(as_text=True)
    if fmt == "xml":
        assert response.mimetype == "text/xml"
        root = ET.fromstring(response.data)
        assert root.tag == "errors" and [e.tag for e in root] == ["error"] * len(root)
        errors = [{child.tag: child.text for child in error} for error in root]
        assert all(e["code"] == str(status) for e in errors)
    else:
        errors = response.get_json()
        assert isinstance(errors, list) and errors, errors
        assert all(set(e) == {"code", "description"} and e["code"] == status for e in errors)
    descriptions = [e["description"] for e in errors]
    assert all(d and not d.isascii() for d in descriptions), descriptions  # Chinese
    return descriptions


def xml_items(response, root: str, item: str) -> list[dict]:
    """The entries of an XML document, each a dict of its children's text."""
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/xml" and response.mimetype_params == {"charset": "utf-8"}
    assert response.data.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    tree = ET.fromstring(response.data)
    assert tree.tag == root and all(child.tag == item for child in tree)
    return [{child.tag: child.text for child in entry} for entry in tree]


def _requests(client, **query) -> list[dict]:
    response = client.get(f"{BASE}/requests.json", query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def _ids(client, **query) -> set[str]:
    return {r["service_request_id"] for r in _requests(client, **query)}


def end_of(day) -> str:
    return datetime.combine(day, time(23, 59, 59), CHINA).isoformat()


# ---- services and their definitions ---------------------------------------------------------

def test_services_document(client):
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    services = response.json
    assert [s["service_code"] for s in services] == list(CATEGORIES)
    for service in services:
        assert set(service) == SERVICE_FIELDS
        assert service["service_name"] == CATEGORIES[service["service_code"]]
        assert service["metadata"] is True  # every one has a definition
        assert service["type"] == "realtime"
        assert isinstance(service["keywords"], str) and service["group"]


def test_services_in_xml_say_the_same(client):
    as_json = client.get(f"{BASE}/services.json").json
    items = xml_items(client.get(f"{BASE}/services.xml"), "services", "service")
    assert items == [{**s, "metadata": "true"} for s in as_json]


@pytest.mark.parametrize("code", list(CATEGORIES))
def test_service_definitions(client, code):
    response = client.get(f"{BASE}/services/{code}.json")
    assert response.status_code == 200, response.json
    definition = response.json
    assert set(definition) == {"service_code", "attributes"}
    assert definition["service_code"] == code
    notice, *links = definition["attributes"]
    assert set(notice) == ATTRIBUTE_FIELDS
    assert (notice["code"], notice["variable"], notice["required"]) == ("notice", False, False)
    assert "7 个工作日" in notice["description"]
    assert [a["code"] for a in links] == list(SERVICE_LINKS[code])
    for attribute in links:
        assert set(attribute) == ATTRIBUTE_FIELDS
        assert attribute["variable"] is True and attribute["required"] is False
        assert attribute["datatype"] == "number" and attribute["description"]
    assert [a["order"] for a in definition["attributes"]] == list(
        range(1, len(definition["attributes"]) + 1))


def test_a_service_definition_in_xml(client):
    response = client.get(f"{BASE}/services/expo_organisation.xml")
    assert response.status_code == 200 and response.mimetype == "text/xml"
    tree = ET.fromstring(response.data)
    assert tree.tag == "service_definition"
    assert tree.findtext("service_code") == "expo_organisation"
    attributes = tree.find("attributes").findall("attribute")
    assert [a.findtext("code") for a in attributes] == ["notice", "expo_id"]
    assert [a.findtext("variable") for a in attributes] == ["false", "true"]
    assert attributes[1].findtext("datatype") == "number"
    assert attributes[0].find("datatype_description").text is None  # null: an empty element


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_service_is_404_in_the_spec_format(client, fmt):
    [description] = open311_error(client.get(f"{BASE}/services/weather.{fmt}"), 404, fmt)
    assert "weather" in description


def test_urls_we_do_not_serve_are_answered_the_georeport_way(client):
    open311_error(client.get(f"{BASE}/services.csv"), 404)
    open311_error(client.get(f"{BASE}/requests.html"), 404)
    open311_error(client.get(f"{BASE}/requests/{'T' * 300}.xml"), 404, "xml")
    open311_error(client.put(f"{BASE}/requests.json"), 405)
    # Elsewhere, our own error shape as ever.
    assert set(client.get("/api/v1/nothing-here").json) >= {"code", "error", "message"}


# ---- requests ---------------------------------------------------------------------------------

def test_requests_document(client, world):
    complaint = complaint_in(world, "accepted", description="地砖空鼓开裂，商家拒绝更换")
    docs = _requests(client)
    assert len(docs) == 1
    doc = docs[0]
    assert set(doc) == REQUEST_FIELDS
    assert doc["service_request_id"] == complaint.tracking_no
    assert (doc["status"], doc["status_notes"]) == ("open", "已受理")
    assert (doc["service_code"], doc["service_name"]) == ("quality", "产品质量")
    assert doc["description"] == "地砖空鼓开裂，商家拒绝更换"
    assert doc["agency_responsible"] and doc["service_notice"].startswith("办理时限")
    assert (doc["address"], doc["address_id"]) == ("金水区", "410105")
    assert doc["zipcode"] is None and doc["lat"] is None and doc["long"] is None
    requested = datetime.fromisoformat(doc["requested_datetime"])
    updated = datetime.fromisoformat(doc["updated_datetime"])
    assert doc["requested_datetime"].endswith("+08:00") and updated >= requested
    assert doc["expected_datetime"] == end_of(complaint.finish_due_on)

    one = client.get(f"{BASE}/requests/{complaint.tracking_no}.json")
    assert one.status_code == 200 and one.json == [doc]


def test_requests_in_xml_say_the_same(client, world):
    complaint = complaint_in(world, "accepted")
    [doc] = _requests(client)
    expected = {k: None if v is None else str(v) for k, v in doc.items()}
    assert xml_items(client.get(f"{BASE}/requests.xml"), "service_requests",
                     "request") == [expected]
    assert xml_items(client.get(f"{BASE}/requests/{complaint.tracking_no}.xml"),
                     "service_requests", "request") == [expected]


def test_xml_escapes_what_villagers_type(client, world):
    complaint_in(world, description="<b>假货</b> & 虚标「A&B」\x01 ]]>")
    [item] = xml_items(client.get(f"{BASE}/requests.xml"), "service_requests", "request")
    assert item["description"] == "<b>假货</b> & 虚标「A&B」 ]]>"


@pytest.mark.parametrize(("state", "status", "notes"), [
    ("submitted", "open", "已收到，待受理"), ("awaiting_merchant", "open", "已转商家处理"),
    ("mediated", "open", "调解中"), ("declined", "closed", "不予受理"),
    ("resolved", "closed", "已办结"), ("closed", "closed", "已关闭")])
def test_our_states_map_to_open_and_closed(client, world, state, status, notes):
    complaint = complaint_in(world, state)
    doc = client.get(f"{BASE}/requests/{complaint.tracking_no}.json").json[0]
    assert (doc["status"], doc["status_notes"]) == (status, notes)
    if state == "submitted":
        assert doc["expected_datetime"] == end_of(complaint.accept_due_on)
        assert doc["service_notice"].startswith("受理时限")


@pytest.mark.parametrize(("typed", "shown"), [
    ("电话13800138000", "电话138****8000"),
    ("电话 138 0013 8000 白天打", "电话 138****8000 白天打"),
    ("电话138-0013-8000", "电话138****8000"),
    ("电话+8613800138000", "电话138****8000"),
    ("电话 8613800138000", "电话 138****8000"),
    ("座机0371-65432100", "座机0371-****2100"),
    ("身份证410105199001011234", "身份证4101**********1234"),
    ("单号TS20261120000123", "单号TS20261120000123"),  # not a phone: left alone
    ("面积 120 平方米，价格 35000 元", "面积 120 平方米，价格 35000 元"),
])
def test_numbers_typed_into_descriptions_are_masked(client, world, typed, shown):
    complaint_in(world, description=f"商家不接电话。{typed}")
    assert _requests(client)[0]["description"] == f"商家不接电话。{shown}"


def test_no_personal_data_in_the_public_documents(client, world, make):
    villager = make.villager("张三丰", region_code="410105001")
    villager.phone, villager.real_name = "13912345678", "张三丰"
    db.session.commit()
    headers = make.headers(villager)
    filed = client.post("/api/mp/v1/complaints", headers=headers, json={
        "category": "price", "description": "价格虚高，联系我13912345678",
        "merchant_id": world["shop_a"].id, "phone": "13712345678"})
    assert filed.status_code == 201, filed.json
    complaint = db.session.get(Complaint, filed.json["complaint"]["id"])
    complaint.photos = ["/media/complaints/ab/invoice-with-my-name.jpg"]
    complaint.address_string = "金水路 8 号，电话 13912345678"
    complaint.latitude, complaint.longitude = 34.7723456, 113.6654321
    db.session.commit()

    texts = [client.get(f"{BASE}/requests.{fmt}").get_data(as_text=True)
             for fmt in ("json", "xml")]
    texts.append(client.get(f"{BASE}/requests/{complaint.tracking_no}.json").get_data(
        as_text=True))
    for text in texts:
        for secret in ("13912345678", "13712345678", "张三丰", "dev-openid", "invoice",
                       "34.7723456", "113.6654321"):
            assert secret not in text
    for doc in json.loads(texts[0]):
        assert set(doc) == REQUEST_FIELDS  # no user_id, account, phone or name fields
        assert doc["media_url"] is None
        # Where, to about 100 m: enough to see clusters, not to point at a house.
        assert (doc["lat"], doc["long"]) == (34.772, 113.665)
        assert doc["address"] == "金水路 8 号，电话 139****5678"


def test_filters(client, world):
    quality = complaint_in(world, "accepted")
    price = complaint_in(world, "resolved", category="price")
    fake = complaint_in(world, "declined", category="fake_certification")
    old = complaint_in(world, category="other")
    old.created_at = utcnow() - timedelta(days=40)
    db.session.commit()

    assert _ids(client) == {c.tracking_no for c in (quality, price, fake, old)}
    assert _ids(client, service_code="price") == {price.tracking_no}
    assert _ids(client, service_code="price,other") == {price.tracking_no, old.tracking_no}
    assert _ids(client, status="open") == {quality.tracking_no, old.tracking_no}
    assert _ids(client, status="closed") == {price.tracking_no, fake.tracking_no}
    assert _ids(client, status="open,closed") == _ids(client)
    assert _ids(client, service_code="quality", status="closed") == set()
    wanted = f"{quality.tracking_no},{fake.tracking_no}, TS00000000000000"
    assert _ids(client, service_request_id=wanted) == {quality.tracking_no, fake.tracking_no}
    since = (utcnow() - timedelta(days=10)).isoformat()
    assert _ids(client, start_date=since) == {quality.tracking_no, price.tracking_no,
                                              fake.tracking_no}
    assert _ids(client, end_date=since) == {old.tracking_no}
    until = (utcnow() - timedelta(days=30)).astimezone(CHINA).isoformat()
    assert _ids(client, start_date=(utcnow() - timedelta(days=50)).isoformat(),
                end_date=until) == {old.tracking_no}


def test_ninety_days_at_most_and_ids_override_the_rest(client, world):
    recent = complaint_in(world)
    old = complaint_in(world, category="price")
    old.created_at = utcnow() - timedelta(days=100)
    db.session.commit()
    assert _ids(client) == {recent.tracking_no}  # the last 90 days by default
    start = utcnow() - timedelta(days=120)
    assert _ids(client, start_date=start.isoformat()) == {old.tracking_no}  # start + 90 days
    # service_request_id overrides every other filter, the window included.
    assert _ids(client, service_request_id=old.tracking_no, service_code="quality",
                status="closed") == {old.tracking_no}
    descriptions = open311_error(client.get(f"{BASE}/requests.json", query_string={
        "start_date": start.isoformat(), "end_date": utcnow().isoformat()}), 400)
    assert "90" in descriptions[0]
    open311_error(client.get(f"{BASE}/requests.json", query_string={
        "start_date": utcnow().isoformat(), "end_date": start.isoformat()}), 400)


def test_jurisdiction_is_a_region_code(client, world):
    here = complaint_in(world)  # shop_a: 410105
    there = complaint_in(world, shop="shop_b")  # 410122
    assert _ids(client, jurisdiction_id="410105") == {here.tracking_no}
    assert _ids(client, jurisdiction_id="410122") == {there.tracking_no}
    assert _ids(client, jurisdiction_id="410100") == _ids(client)  # the city: both
    assert _ids(client, jurisdiction_id="410000") == _ids(client)  # the province
    assert _ids(client, jurisdiction_id="220000") == set()  # Jilin
    detail = client.get(f"{BASE}/requests/{there.tracking_no}.json",
                        query_string={"jurisdiction_id": "410122"})
    assert detail.status_code == 200 and detail.json[0]["address_id"] == "410122"
    open311_error(client.get(f"{BASE}/requests/{there.tracking_no}.json",
                             query_string={"jurisdiction_id": "410105"}), 404)
    assert client.get(f"{BASE}/services.json",
                      query_string={"jurisdiction_id": "410105"}).status_code == 200


@pytest.mark.parametrize("path", ["services.json", "services/quality.json", "requests.json",
                                  "requests.xml"])
@pytest.mark.parametrize("jurisdiction", ["henan", "999999", "410105001", "4101"])
def test_an_unknown_jurisdiction_is_404(client, path, jurisdiction):
    """Only provinces, cities and counties we know: no names, towns or made-up codes."""
    response = client.get(f"{BASE}/{path}", query_string={"jurisdiction_id": jurisdiction})
    [description] = open311_error(response, 404, path.rsplit(".", 1)[1])
    assert "jurisdiction_id" in description


@pytest.mark.parametrize("query", [{"status": "pending"}, {"status": "open,pending"},
                                   {"service_code": "weather"},
                                   {"service_code": "price,weather"},
                                   {"start_date": "yesterday"},
                                   {"start_date": "2026-01-01T00:00:00"}])  # no offset
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_filters_are_400_in_the_spec_format(client, query, fmt):
    [description] = open311_error(client.get(f"{BASE}/requests.{fmt}", query_string=query),
                                  400, fmt)
    assert description.startswith(next(iter(query)))  # which parameter


def test_extra_georeport_parameters_are_ignored(client, world):
    """Civic tools send api_key, page and the like; they do not make a request fail."""
    complaint = complaint_in(world)
    assert _ids(client, api_key="x", page="2") == {complaint.tracking_no}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_request_is_404(client, fmt):
    open311_error(client.get(f"{BASE}/requests/TS20260101999999.{fmt}"), 404, fmt)
