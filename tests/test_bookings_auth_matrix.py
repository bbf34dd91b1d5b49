"""Who may call which service-offer and booking endpoint: the eight principals."""

from __future__ import annotations

import pytest

from tests.conftest import matrix
from tests.test_bookings import booking_body, later, offer_body

# Shop A (410105) has an offer and a booking of villager_a; shop B (410122) has none.
# principals: anonymous, villager_a, villager_b, merchant_a, merchant_b,
#             county_here (410105), county_elsewhere (410122), province (410000)
CASES = [
    *matrix("/api/mp/v1/service-offers", "GET", 200, 200, 200, 200, 200, 200, 200, 200),
    *matrix("/api/mp/v1/me/bookings", "POST", 401, 201, 201, 403, 403, 403, 403, 403),
    *matrix("/api/mp/v1/me/bookings", "GET", 401, 200, 200, 403, 403, 403, 403, 403),
    *matrix("/api/mp/v1/me/bookings/{booking}", "GET", 401, 200, 404, 403, 403, 403, 403, 403),
    *matrix("/api/mp/v1/me/bookings/{booking}/cancel", "POST",
            401, 200, 404, 403, 403, 403, 403, 403),
    *matrix("/api/v1/merchant/shop/type", "PUT", 401, 403, 403, 200, 200, 403, 403, 403),
    *matrix("/api/v1/merchant/offers", "GET", 401, 403, 403, 200, 200, 403, 403, 403),
    *matrix("/api/v1/merchant/offers", "POST", 401, 403, 403, 201, 201, 403, 403, 403),
    *matrix("/api/v1/merchant/offers/{offer}", "PATCH", 401, 403, 403, 200, 404, 403, 403, 403),
    *matrix("/api/v1/merchant/bookings", "GET", 401, 403, 403, 200, 200, 403, 403, 403),
    *matrix("/api/v1/merchant/bookings/{booking}", "GET",
            401, 403, 403, 200, 404, 403, 403, 403),
    *matrix("/api/v1/merchant/bookings/{booking}/transition", "POST",
            401, 403, 403, 200, 404, 403, 403, 403),
]

BODIES = {"/api/v1/merchant/shop/type": {"shop_type": "experience_hall"},
          "/api/v1/merchant/offers": offer_body(),
          "transition": {"action": "accept"}}


@pytest.mark.parametrize(("method", "path", "who", "status"), CASES)
def test_booking_auth_matrix(client, world, method, path, who, status):
    offer = client.post("/api/v1/merchant/offers", headers=world["headers"]["merchant_a"],
                        json=offer_body()).get_json()
    booking = client.post("/api/mp/v1/me/bookings", headers=world["headers"]["villager_a"],
                          json=booking_body(offer_id=offer["id"])).get_json()
    url = path.format(offer=offer["id"], booking=booking["id"])
    body = None
    if url.endswith("/transition"):
        body = BODIES["transition"]
    elif url == "/api/mp/v1/me/bookings" and method == "POST":
        body = booking_body(offer_id=offer["id"], preferred_at=later(5))
    elif method in ("POST", "PUT", "PATCH") and not url.endswith("/cancel"):
        body = BODIES.get(url, {"name": "上门测量（新）"})
    response = client.open(url, method=method, headers=world["headers"][who], json=body)
    assert response.status_code == status, (who, response.get_json())
