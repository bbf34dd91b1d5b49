"""Open311 GeoReport v2: the documents' field names, filters, filing, and no personal data."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from app.catalog.eligibility import CHINA
from app.complaints.models import CATEGORIES, Complaint
from app.core.db import utcnow
from app.extensions import db
from tests.test_complaints import assert_error, complaint_count, complaint_in

BASE = "/open311/v2"
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords",
                  "group"}
REQUEST_FIELDS = {"service_request_id", "status", "status_notes", "service_name", "service_code",
                  "description", "agency_responsible", "service_notice", "requested_datetime",
                  "updated_datetime", "expected_datetime", "address", "address_id", "zipcode",
                  "lat", "long", "media_url"}
POST_FIELDS = {"service_request_id", "service_notice", "account_id"}


def _requests(client, **query) -> list[dict]:
    response = client.get(f"{BASE}/requests.json", query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def _ids(client, **query) -> set[str]:
    return {r["service_request_id"] for r in _requests(client, **query)}


def test_services_document(client):
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 200
    services = response.json
    assert [s["service_code"] for s in services] == list(CATEGORIES)
    for service in services:
        assert set(service) == SERVICE_FIELDS
        assert service["service_name"] == CATEGORIES[service["service_code"]]
        assert service["metadata"] is False
        assert service["type"] in ("realtime", "batch", "blackbox")
        assert isinstance(service["keywords"], str) and service["group"]


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
    assert doc["agency_responsible"] and doc["service_notice"]
    assert (doc["address"], doc["address_id"]) == ("金水区", "410105")
    assert doc["zipcode"] is None and doc["lat"] is None and doc["long"] is None
    requested = datetime.fromisoformat(doc["requested_datetime"])
    updated = datetime.fromisoformat(doc["updated_datetime"])
    assert requested.tzinfo is not None and updated >= requested
    assert doc["expected_datetime"] == complaint.finish_due_on.isoformat()

    one = client.get(f"{BASE}/requests/{complaint.tracking_no}.json")
    assert one.status_code == 200 and one.json == [doc]


@pytest.mark.parametrize(("state", "status", "notes"), [
    ("submitted", "open", "已收到，待受理"), ("awaiting_merchant", "open", "已转商家处理"),
    ("mediated", "open", "调解中"), ("declined", "closed", "不予受理"),
    ("resolved", "closed", "已办结"), ("closed", "closed", "已关闭")])
def test_our_states_map_to_open_and_closed(client, world, state, status, notes):
    complaint = complaint_in(world, state)
    doc = client.get(f"{BASE}/requests/{complaint.tracking_no}.json").json[0]
    assert (doc["status"], doc["status_notes"]) == (status, notes)
    if state == "submitted":
        assert doc["expected_datetime"] == complaint.accept_due_on.isoformat()


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
    db.session.commit()

    texts = [client.get(f"{BASE}/requests.json").get_data(as_text=True),
             client.get(f"{BASE}/requests/{complaint.tracking_no}.json").get_data(as_text=True)]
    for text in texts:
        for secret in ("13912345678", "13712345678", "张三丰", "dev-openid", "invoice"):
            assert secret not in text
        for doc in json.loads(text):
            assert set(doc) == REQUEST_FIELDS  # no user_id, account, phone or name fields
            assert doc["media_url"] is None


def test_filters(client, world):
    quality = complaint_in(world, "accepted")
    price = complaint_in(world, "resolved", category="price")
    fake = complaint_in(world, "declined", category="fake_certification")
    old = complaint_in(world, category="other")
    old.created_at = utcnow() - timedelta(days=40)
    db.session.commit()

    assert _ids(client) == {c.tracking_no for c in (quality, price, fake, old)}
    assert _ids(client, service_code="price") == {price.tracking_no}
    assert _ids(client, status="open") == {quality.tracking_no, old.tracking_no}
    assert _ids(client, status="closed") == {price.tracking_no, fake.tracking_no}
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
    assert _ids(client, jurisdiction_id="henan") == _ids(client)


@pytest.mark.parametrize("query", [{"status": "pending"}, {"service_code": "weather"},
                                   {"start_date": "yesterday"},
                                   {"start_date": "2026-01-01T00:00:00"}])  # no offset
def test_bad_filters_are_422(client, query):
    assert_error(client.get(f"{BASE}/requests.json", query_string=query), 422)


def test_extra_georeport_parameters_are_ignored(client, world):
    """Civic tools send api_key, page and the like; they do not make a request fail."""
    complaint = complaint_in(world)
    assert _ids(client, api_key="x", page="2") == {complaint.tracking_no}


def test_an_unknown_request_is_404(client):
    assert_error(client.get(f"{BASE}/requests/TS20260101999999.json"), 404, "request_not_found")


# ---- filing -------------------------------------------------------------------------------

def _post(client, headers, **form):
    data = {"service_code": "quality", "description": "门窗密封条老化漏风", **form}
    return client.post(f"{BASE}/requests.json", data=data, headers=headers)


def test_filing_the_georeport_way(client, world):
    response = _post(client, world["headers"]["villager_b"], lat="34.7", long="113.6",
                     first_name="李", last_name="四", phone="13600001111",
                     email="li@example.com", device_id="phone-1", address_string="官渡镇")
    assert response.status_code == 201, response.json
    [answer] = response.json
    assert set(answer) == POST_FIELDS and answer["account_id"] is None
    complaint = db.session.scalar(sa.select(Complaint).where(
        Complaint.tracking_no == answer["service_request_id"]))
    assert complaint.user_id == world["users"]["villager_b"].id
    assert complaint.region_code == "410122"  # the villager's county
    assert complaint.contact_phone is None  # personal fields are not stored
    assert complaint.category == "quality" and complaint.description == "门窗密封条老化漏风"
    # It is public at once.
    assert _ids(client, service_request_id=answer["service_request_id"])


def test_filing_with_a_region_and_a_media_url(client, make):
    headers = make.headers(make.villager("nowhere"))
    response = _post(client, headers, address_id="410122102",
                     media_url="https://example.com/p/1.jpg")
    assert response.status_code == 201, response.json
    complaint = db.session.scalar(sa.select(Complaint).where(
        Complaint.tracking_no == response.json[0]["service_request_id"]))
    assert complaint.region_code == "410122"
    assert complaint.description.endswith("附件：https://example.com/p/1.jpg")


def test_filing_needs_a_villagers_token(client, world):
    assert_error(_post(client, {}), 401)
    for who in ("merchant_a", "county_here", "province"):
        assert_error(_post(client, world["headers"][who]), 403, "role_not_allowed")
    assert complaint_count() == 0


@pytest.mark.parametrize("form", [{"service_code": "weather"}, {"description": "短"},
                                  {"media_url": "not a url"}, {"lat": "north"},
                                  {"account_id": "1", "user_id": "1"}])
def test_bad_filings_are_422_and_file_nothing(client, world, form):
    assert_error(_post(client, world["headers"]["villager_a"], **form), 422)
    assert complaint_count() == 0


def test_filing_without_a_county_is_refused(client, make):
    headers = make.headers(make.villager("nowhere"))
    assert_error(_post(client, headers), 422, "region_required")
    assert_error(_post(client, headers, address_id="410000"), 422, "region_required")
    assert complaint_count() == 0
