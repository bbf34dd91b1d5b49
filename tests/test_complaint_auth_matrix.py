"""The auth matrix for every complaint endpoint (villager, console, calendar).

The complaint is villager_a's, about shop_a (county 410105), in the state the endpoint needs.
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from app.accounts.models import PersonalDataAccess
from app.complaints import calendar
from app.extensions import db
from tests.conftest import matrix
from tests.test_complaints import assert_error, complaint_in

# principals: anonymous, villager_a, villager_b, merchant_a, merchant_b,
#             county_here (410105), county_elsewhere (410122), province (410000)
MP = "/api/mp/v1"
CASES = [
    *matrix(f"{MP}/complaints", "POST", 401, 201, 201, 403, 403, 403, 403, 403),
    *matrix(f"{MP}/me/complaints", "GET", 401, 200, 200, 403, 403, 403, 403, 403),
    *matrix(f"{MP}/complaints/{{id}}", "GET", 401, 200, 404, 403, 403, 403, 403, 403),
    *matrix(f"{MP}/complaints/{{id}}/rating", "POST", 401, 200, 404, 403, 403, 403, 403, 403),
    *matrix(f"{MP}/complaints/{{id}}/reopen", "POST", 401, 200, 404, 403, 403, 403, 403, 403),
    *matrix("/api/v1/admin/complaints", "GET", 401, 403, 403, 403, 403, 200, 200, 200),
    *matrix("/api/v1/admin/complaints/{id}", "GET", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix("/api/v1/admin/complaints/{id}/transitions", "POST",
            401, 403, 403, 403, 403, 200, 403, 200),
    *matrix("/api/v1/admin/complaints/{id}/negative-list", "POST",
            401, 403, 403, 403, 403, 201, 403, 201),
    *matrix("/api/v1/admin/complaints/{id}/reveal-phone", "POST",
            401, 403, 403, 403, 403, 200, 403, 200),
    *matrix("/api/v1/merchant/complaints", "GET", 401, 403, 403, 200, 200, 403, 403, 403),
    *matrix("/api/v1/merchant/complaints/{id}", "GET", 401, 403, 403, 200, 404, 403, 403, 403),
    *matrix("/api/v1/merchant/complaints/{id}/responses", "POST",
            401, 403, 403, 200, 404, 403, 403, 403),
    *matrix("/api/v1/admin/holidays?year=2026", "GET", 401, 403, 403, 403, 403, 200, 200, 200),
    *matrix("/api/v1/admin/holidays", "PUT", 401, 403, 403, 403, 403, 403, 403, 200),
    *matrix("/api/v1/admin/holidays/2026-01-01", "DELETE",
            401, 403, 403, 403, 403, 403, 403, 204),
]
# Open311 and its keys: tests/test_open311_keys.py (errors there come in GeoReport's format).

# The state each endpoint's complaint must be in for the right principal to succeed.
STATE = {"rating": "resolved", "reopen": "resolved", "transitions": "submitted",
         "negative-list": "accepted", "responses": "awaiting_merchant"}
BODIES = {
    f"{MP}/complaints": {"category": "quality", "description": "瓷砖铺了一周就开裂了",
                         "merchant_id": "{shop_a}"},
    "rating": {"rating": 4},
    "reopen": {"reason": "问题没有解决"},
    "transitions": {"action": "accept"},
    "negative-list": {"target": "product", "reason": "认证证书系伪造"},
    "responses": {"message": "已联系村民处理"},
    "reveal-phone": {"purpose": "电话回访投诉人"},
    "/api/v1/admin/holidays": {"day": "2026-12-31", "name": "测试", "is_workday": False},
}


def _state_for(path: str) -> str:
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if "/merchant/complaints/" in path:
        return STATE.get(last, "awaiting_merchant")  # a merchant sees only forwarded ones
    return STATE.get(last, "submitted")


@pytest.mark.parametrize(("method", "path", "who", "expected"), CASES)
def test_auth_matrix(client, world, make, method, path, who, expected):
    # Only what the endpoint needs: the matrix is long.
    product = make.product(world["shop_a"]) if "negative-list" in path else None
    complaint = complaint_in(world, _state_for(path), category="fake_certification",
                             product=product)
    if "reveal-phone" in path:
        complaint.contact_phone = "13712345678"
        db.session.commit()
    if "holidays" in path:
        calendar.set_day(date(2026, 1, 1), "元旦", False)
        db.session.commit()
    url = path.format(id=complaint.id)
    key = path if path in BODIES else path.rsplit("/", 1)[-1]
    body = BODIES.get(key) if method != "GET" else None
    if body and body.get("merchant_id") == "{shop_a}":
        body = {**body, "merchant_id": world["shop_a"].id}
    headers = world["headers"][who]
    response = client.open(url, method=method, headers=headers, json=body)
    if expected >= 400:
        # The one error shape, and nothing of the complaint leaks into it.
        body = assert_error(response, expected)
        assert complaint.tracking_no not in response.get_data(as_text=True)
        assert complaint.description not in response.get_data(as_text=True)
        assert "13712345678" not in response.get_data(as_text=True)
    else:
        assert response.status_code == expected, response.get_json()
    if "reveal-phone" in path:  # logged when shown, and only then
        shown = db.session.scalar(sa.select(sa.func.count()).select_from(PersonalDataAccess))
        assert shown == (1 if expected == 200 else 0)
