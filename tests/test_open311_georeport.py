"""The `georeport` client from PyPI, unchanged, reads our Open311 endpoint over real HTTP."""

from __future__ import annotations

import threading

import pytest
import requests
from georeport import GeoReport
from werkzeug.serving import make_server

from app.complaints.models import CATEGORIES
from app.complaints.open311_docs import SERVICE_LINKS
from tests.test_complaints import complaint_in


@pytest.fixture
def endpoint(app, db_session, monkeypatch):
    """The app on a loopback port, in a thread, sharing the test's rolled-back transaction
    (requests run one at a time: the test waits for each answer)."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY",
                 "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/open311/v2"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_service_list(endpoint, fmt):
    services = GeoReport(endpoint, output_format=fmt).get_service_list()
    assert [s["service_code"] for s in services] == list(CATEGORIES)
    assert [s["service_name"] for s in services] == list(CATEGORIES.values())
    assert {str(s["metadata"]).lower() for s in services} == {"true"}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_service_definition(endpoint, fmt):
    definition = GeoReport(endpoint, output_format=fmt).get_service_definition("price")
    assert definition["service_code"] == "price"
    attributes = definition["attributes"]
    if fmt == "xml":  # xmltodict: <attributes><attribute>...</attribute></attributes>
        attributes = attributes["attribute"]
    assert [a["code"] for a in attributes] == ["notice", *SERVICE_LINKS["price"]]


def test_requests_and_one_request(endpoint, world):
    accepted = complaint_in(world, "accepted", description="地砖空鼓开裂，商家拒绝更换")
    declined = complaint_in(world, "declined", category="price")
    elsewhere = complaint_in(world, shop="shop_b")  # 410122
    client = GeoReport(endpoint)

    everything = client.get_service_requests()
    assert [r["service_request_id"] for r in everything] == [
        elsewhere.tracking_no, declined.tracking_no, accepted.tracking_no]
    open_quality = client.get_service_requests(service_code="quality", status="open")
    assert {r["service_request_id"] for r in open_quality} == {accepted.tracking_no,
                                                               elsewhere.tracking_no}
    assert [r["service_request_id"] for r in client.get_service_requests(
        service_request_id=f"{accepted.tracking_no},{declined.tracking_no}")] == [
        declined.tracking_no, accepted.tracking_no]

    one = client.get_service_request(accepted.tracking_no)
    assert one["service_request_id"] == accepted.tracking_no
    assert (one["status"], one["status_notes"], one["address"]) == ("open", "已受理", "金水区")
    assert one["description"] == "地砖空鼓开裂，商家拒绝更换"


def test_in_xml(endpoint, world):
    first = complaint_in(world)
    second = complaint_in(world, "resolved", category="price")
    client = GeoReport(endpoint, output_format="xml")
    listed = client.get_service_requests()
    assert [r["service_request_id"] for r in listed] == [second.tracking_no,
                                                         first.tracking_no]
    assert [r["status"] for r in listed] == ["closed", "open"]
    one = client.get_service_request(first.tracking_no)
    assert one["service_request_id"] == first.tracking_no and one["lat"] is None


def test_a_jurisdiction(endpoint, world):
    complaint_in(world)
    elsewhere = complaint_in(world, shop="shop_b")
    client = GeoReport(endpoint, jurisdiction="410122")
    assert [r["service_request_id"] for r in client.get_service_requests()] == [
        elsewhere.tracking_no]
    assert client.get_service_request(elsewhere.tracking_no)["address_id"] == "410122"
    assert len(client.get_service_list()) == len(CATEGORIES)


def test_what_the_client_sees_of_errors(endpoint, world):
    with pytest.raises(requests.HTTPError) as unknown:
        GeoReport(endpoint, jurisdiction="henan").get_service_list()
    assert unknown.value.response.status_code == 404
    assert unknown.value.response.json()[0]["code"] == 404
    with pytest.raises(requests.HTTPError) as missing:
        GeoReport(endpoint).get_service_request("TS20260101999999")
    assert missing.value.response.status_code == 404
