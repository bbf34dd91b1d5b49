"""Who may call which solution-package endpoint: the eight principals."""

from __future__ import annotations

import pytest

from tests.conftest import matrix
from tests.test_packages import package_body

# Shop A (410105) has one listed package; shop B (410122) has none.
# principals: anonymous, villager_a, villager_b, merchant_a, merchant_b,
#             county_here (410105), county_elsewhere (410122), province (410000)
CASES = [
    *matrix("/api/mp/v1/packages", "GET", 200, 200, 200, 200, 200, 200, 200, 200),
    *matrix("/api/mp/v1/packages/{package}", "GET", 200, 200, 200, 200, 200, 200, 200, 200),
    *matrix("/api/v1/merchant/packages", "GET", 401, 403, 403, 200, 200, 403, 403, 403),
    # the body names shop A's product: shop B may not package it
    *matrix("/api/v1/merchant/packages", "POST", 401, 403, 403, 201, 422, 403, 403, 403),
    *matrix("/api/v1/merchant/packages/{package}", "GET", 401, 403, 403, 200, 404, 403, 403,
            403),
    *matrix("/api/v1/merchant/packages/{package}/delist", "POST",
            401, 403, 403, 200, 404, 403, 403, 403),
    *matrix("/api/v1/admin/packages", "GET", 401, 403, 403, 403, 403, 200, 200, 200),
    *matrix("/api/v1/admin/packages/{package}", "GET", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix("/api/v1/admin/packages/{package}/decision", "POST",
            401, 403, 403, 403, 403, 200, 403, 200),
]


@pytest.mark.parametrize(("method", "path", "who", "status"), CASES)
def test_package_auth_matrix(client, world, make, method, path, who, status):
    tile = make.product(world["shop_a"])
    created = client.post("/api/v1/merchant/packages", headers=world["headers"]["merchant_a"],
                          json=package_body((tile, 1)))
    package_id = created.get_json()["id"]
    client.post(f"/api/v1/admin/packages/{package_id}/decision",
                headers=world["headers"]["county_here"], json={"action": "approve"})
    url = path.format(package=package_id)
    body = None
    if method == "POST":
        body = ({"action": "delist", "note": "下架"} if url.endswith("/decision")
                else package_body((tile, 1)) if url.endswith("/packages") else None)
    response = client.open(url, method=method, headers=world["headers"][who], json=body)
    assert response.status_code == status, (who, response.get_json())
