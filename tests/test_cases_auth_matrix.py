"""Who may call which case endpoint: the eight principals."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image

from tests.conftest import matrix
from tests.test_cases import case_body, published
from tests.test_images import encode

# One published case in 410105 (county_here's); principals as in conftest.PRINCIPALS.
CASES = [
    *matrix("/api/mp/v1/cases", "GET", 200, 200, 200, 200, 200, 200, 200, 200),
    *matrix("/api/mp/v1/cases/{case}", "GET", 200, 200, 200, 200, 200, 200, 200, 200),
    *matrix("/api/v1/admin/cases", "GET", 401, 403, 403, 403, 403, 200, 200, 200),
    # the body names a 410105 village: outside county_elsewhere's region
    *matrix("/api/v1/admin/cases", "POST", 401, 403, 403, 403, 403, 201, 403, 201),
    *matrix("/api/v1/admin/cases/{case}", "GET", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix("/api/v1/admin/cases/{case}", "PATCH", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix("/api/v1/admin/cases/{case}/photos", "POST",
            401, 403, 403, 403, 403, 201, 403, 201),
    *matrix("/api/v1/admin/cases/{case}/withdraw", "POST",
            401, 403, 403, 403, 403, 200, 403, 200),
    *matrix("/api/v1/admin/cases/{draft}/publish", "POST",
            401, 403, 403, 403, 403, 200, 403, 200),
]


@pytest.mark.parametrize(("method", "path", "who", "status"), CASES)
def test_case_auth_matrix(client, world, method, path, who, status):
    here = world["headers"]["county_here"]
    case = published(client, here)
    draft = client.post("/api/v1/admin/cases", headers=here, json=case_body()).get_json()
    url = path.format(case=case["id"], draft=draft["id"])
    headers = world["headers"][who]
    if url.endswith("/photos"):
        data = encode(Image.new("RGB", (32, 24), "blue"), "JPEG")
        response = client.post(url, headers=headers, content_type="multipart/form-data",
                               data={"image": (BytesIO(data), "a.jpg", "image/jpeg")})
    else:
        body = (case_body() if url.endswith("/cases") and method == "POST"
                else {"summary": "更新"} if method == "PATCH" else None)
        response = client.open(url, method=method, headers=headers, json=body)
    assert response.status_code == status, (who, response.get_json())
