"""Private photos are private: the media auth matrix, signed links, public images stay public.

Choices: a private path asked for with neither a signed link nor a token is 401 (whether or
not the file exists, so nothing leaks); a token of someone who may not see it is 404, the
same answer as for a file that does not exist; a forged link is 404; a genuine link past
its hour is 403 `media_link_expired` (its holder could see it, and should refresh).
"""

from __future__ import annotations

import time

import pytest

from app.extensions import db
from app.integrations import storage
from app.uploads import links
from app.uploads.models import Upload
from tests.conftest import PRINCIPALS, matrix
from tests.test_complaints import ADMIN as ADMIN_COMPLAINTS
from tests.test_complaints import MERCHANT_URL, assert_error
from tests.test_images import jpeg_bytes
from tests.test_subsidies import ADMIN_CLAIMS, MP_CLAIMS, claim_body, scene  # noqa: F401
from tests.test_uploads import bare, file_complaint, uploaded


@pytest.fixture
def media(client, world, scene):  # noqa: F811
    """villager_a's complaint about shop_a (forwarded to the merchant) with a photo, her
    claim at 金水区 with an invoice photo, a photo not attached yet, a product image."""
    va, here = world["headers"]["villager_a"], world["headers"]["county_here"]
    complaint = file_complaint(client, va, [uploaded(client, va, purpose="complaint")],
                               merchant_id=world["shop_a"].id).get_json()["complaint"]
    for action in ("accept", "ask_merchant"):
        moved = client.post(f"{ADMIN_COMPLAINTS}/{complaint['id']}/transitions",
                            json={"action": action}, headers=here)
        assert moved.status_code == 200, moved.get_json()
    invoice = uploaded(client, va, purpose="invoice")
    claim = client.post(MP_CLAIMS, headers=va, json=claim_body(
        scene.program.id, scene.tile, invoice_upload_id=invoice)).get_json()["claim"]
    loose = db.session.get(Upload, uploaded(client, va))
    return {
        "complaint_photo": bare(complaint["photos"][0]),
        "invoice_photo": bare(claim["invoice_photo_url"]),
        "loose_upload": loose.url,
        "product_image": storage.save(jpeg_bytes(), "jpg", "products"),
        "complaint": complaint, "claim": claim,
    }


MATRIX = [
    # who:            anon va   vb   ma   mb   here else prov
    *matrix("complaint_photo", "GET", 401, 200, 404, 200, 404, 200, 404, 200),
    *matrix("invoice_photo", "GET", 401, 200, 404, 404, 404, 200, 404, 200),
    *matrix("loose_upload", "GET", 401, 200, 404, 404, 404, 404, 404, 404),
    *matrix("product_image", "GET", 200, 200, 200, 200, 200, 200, 200, 200),
]


@pytest.mark.parametrize(("method", "path", "who", "expected"), MATRIX)
def test_media_auth_matrix(client, world, media, method, path, who, expected):
    url = media[path]
    assert "?" not in url  # by token only: the signed links are tested below
    response = client.open(url, method=method, headers=world["headers"][who])
    assert response.status_code == expected, (who, response.get_json())
    if expected != 200:
        body = response.get_json()
        assert body["code"] == expected and body["message"]
        assert b"\xff\xd8" not in response.data[:2]
        return
    assert response.data.startswith(b"\xff\xd8")  # the photo itself
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    cache = response.headers["Cache-Control"]
    if path == "product_image":
        assert "public" in cache and "max-age=86400" in cache
    else:
        assert "private" in cache and "public" not in cache
        assert int(cache.split("max-age=")[1]) <= 300


def test_the_matrix_covers_every_principal():
    assert {row.values[2] for row in MATRIX} == set(PRINCIPALS)


def test_a_merchant_sees_complaint_photos_only_once_forwarded(client, world):
    va = world["headers"]["villager_a"]
    complaint = file_complaint(client, va, [uploaded(client, va)],
                               merchant_id=world["shop_a"].id).get_json()["complaint"]
    photo = bare(complaint["photos"][0])
    assert client.get(photo, headers=world["headers"]["merchant_a"]).status_code == 404
    assert client.get(photo, headers=world["headers"]["county_here"]).status_code == 200


def test_photos_of_the_old_multipart_way_are_private_too(client, world):
    from tests.test_complaint_uploads import post

    va = world["headers"]["villager_a"]
    response = post(client, va, [(jpeg_bytes(), "p.jpg", "image/jpeg")],
                    merchant_id=str(world["shop_a"].id))
    photo = bare(response.get_json()["complaint"]["photos"][0])
    assert photo.startswith("/media/complaints/")
    assert client.get(photo).status_code == 401
    assert client.get(photo, headers=world["headers"]["villager_b"]).status_code == 404
    assert client.get(photo, headers=va).status_code == 200


# ---- signed links, as the API hands them out ------------------------------------------

def test_each_reader_gets_links_that_open_without_a_token(client, world, media):
    h = world["headers"]
    complaint_id, claim_id = media["complaint"]["id"], media["claim"]["id"]
    views = [
        client.get(f"/api/mp/v1/complaints/{complaint_id}", headers=h["villager_a"]),
        client.get(f"{ADMIN_COMPLAINTS}/{complaint_id}", headers=h["county_here"]),
        client.get(f"{MERCHANT_URL}/{complaint_id}", headers=h["merchant_a"]),
    ]
    urls = [view.get_json()["photos"][0] for view in views]
    urls += [client.get(f"{ADMIN_CLAIMS}/{claim_id}", headers=h["province"])
             .get_json()["invoice_photo_url"],
             client.get(f"/api/mp/v1/subsidy-claims/{claim_id}", headers=h["villager_a"])
             .get_json()["invoice_photo_url"]]
    for url in urls:
        assert f"?{links.SIGNATURE_PARAM}=" in url
        response = client.get(url)  # an <image> tag sends no token
        assert response.status_code == 200 and response.data.startswith(b"\xff\xd8")
        assert "private" in response.headers["Cache-Control"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_product_images_are_handed_out_unsigned(app, media):
    with app.test_request_context():
        assert links.signed(media["product_image"]) == media["product_image"]


@pytest.mark.parametrize("forgery", ["tampered", "other_photo", "empty", "unsigned_path"])
def test_a_forged_link_opens_nothing(client, app, media, forgery):
    with app.test_request_context():
        good = links.signed(media["complaint_photo"])
        other = links.signed(media["invoice_photo"])
    token = good.split("=", 1)[1]
    flipped = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    url = {
        "tampered": f"{media['complaint_photo']}?s={flipped}",
        "other_photo": f"{media['complaint_photo']}?s={other.split('=', 1)[1]}",
        "empty": f"{media['complaint_photo']}?s=",
        "unsigned_path": f"{media['loose_upload']}?s={token}",
    }[forgery]
    assert_error(client.get(url), 404, "media_not_found")


def test_a_link_lapses_after_its_hour(client, app, media, monkeypatch):
    real = time.time
    monkeypatch.setattr(links.time, "time", lambda: real() - links.LINK_TTL - links.LINK_STEP - 1)
    with app.test_request_context():
        old = links.signed(media["complaint_photo"])
    monkeypatch.setattr(links.time, "time", real)
    assert_error(client.get(old), 403, "media_link_expired")
    with app.test_request_context():
        assert client.get(links.signed(media["complaint_photo"])).status_code == 200


# ---- no way around ------------------------------------------------------------------------

def test_a_missing_private_file_is_401_without_a_token_and_404_with_one(client, world):
    missing = "/media/complaints/ab/" + "ab" * 16 + ".jpg"
    assert client.get(missing).status_code == 401
    assert client.get(missing, headers=world["headers"]["province"]).status_code == 404


@pytest.mark.parametrize("trick", ["products/../{rest}", "products/./../{rest}",
                                   "./{rest}", "products//../{rest}"])
def test_dot_segments_do_not_make_a_private_photo_public(client, media, trick):
    rest = media["invoice_photo"].removeprefix("/media/")
    response = client.get("/media/" + trick.format(rest=rest))
    assert response.status_code in (401, 404), response.status_code
    assert not response.data.startswith(b"\xff\xd8")
