"""Who may call which zone and live-session endpoint: the eight principals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import matrix
from tests.test_zones import at, session_body, zone_body

# A published zone and a draft one in 410105; shop A's upcoming session; principals as in
# conftest.PRINCIPALS.
CASES = [
    *matrix("/api/mp/v1/zones", "GET", 200, 200, 200, 200, 200, 200, 200, 200),
    *matrix("/api/mp/v1/zones/{zone}", "GET", 200, 200, 200, 200, 200, 200, 200, 200),
    *matrix("/api/mp/v1/live-sessions", "GET", 200, 200, 200, 200, 200, 200, 200, 200),
    *matrix("/api/mp/v1/live-sessions/{session}", "GET",
            200, 200, 200, 200, 200, 200, 200, 200),
    *matrix("/api/mp/v1/live-sessions/{session}/reminder", "POST",
            401, 201, 201, 403, 403, 403, 403, 403),
    *matrix("/api/v1/admin/zones", "GET", 401, 403, 403, 403, 403, 200, 200, 200),
    *matrix("/api/v1/admin/zones", "POST", 401, 403, 403, 403, 403, 201, 403, 201),
    *matrix("/api/v1/admin/zones/{zone}", "GET", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix("/api/v1/admin/zones/{zone}", "PATCH", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix("/api/v1/admin/zones/{draft}/publish", "POST",
            401, 403, 403, 403, 403, 200, 403, 200),
    *matrix("/api/v1/admin/zones/{zone}/withdraw", "POST",
            401, 403, 403, 403, 403, 200, 403, 200),
    *matrix("/api/v1/admin/live-sessions", "GET", 401, 403, 403, 403, 403, 200, 200, 200),
    # the body names 410105: outside county_elsewhere's region
    *matrix("/api/v1/admin/live-sessions", "POST", 401, 403, 403, 403, 403, 201, 403, 201),
    *matrix("/api/v1/admin/live-sessions/{session}/cancel", "POST",
            401, 403, 403, 403, 403, 200, 403, 200),
    *matrix("/api/v1/merchant/live-sessions", "GET", 401, 403, 403, 200, 200, 403, 403, 403),
    *matrix("/api/v1/merchant/live-sessions", "POST", 401, 403, 403, 201, 201, 403, 403, 403),
    *matrix("/api/v1/merchant/live-sessions/{session}/cancel", "POST",
            401, 403, 403, 200, 404, 403, 403, 403),
]


@pytest.mark.parametrize(("method", "path", "who", "status"), CASES)
def test_zone_auth_matrix(client, world, method, path, who, status):
    here = world["headers"]["county_here"]
    zone = client.post("/api/v1/admin/zones", headers=here, json=zone_body()).get_json()
    client.post(f"/api/v1/admin/zones/{zone['id']}/publish", headers=here)
    draft = client.post("/api/v1/admin/zones", headers=here, json=zone_body()).get_json()
    upcoming = {"starts_at": at(timedelta(hours=2)), "ends_at": at(timedelta(hours=3))}
    session = client.post("/api/v1/merchant/live-sessions",
                          headers=world["headers"]["merchant_a"],
                          json=session_body(**upcoming)).get_json()
    url = path.format(zone=zone["id"], draft=draft["id"], session=session["id"])
    body = None
    if url == "/api/v1/admin/zones" and method == "POST":
        body = zone_body()
    elif url == "/api/v1/admin/live-sessions" and method == "POST":
        body = session_body(host_name="金水区住建局", region_code="410105")
    elif url == "/api/v1/merchant/live-sessions" and method == "POST":
        body = session_body()
    elif method == "PATCH":
        body = {"description": "更新"}
    response = client.open(url, method=method, headers=world["headers"][who], json=body)
    assert response.status_code == status, (who, response.get_json())
