"""Upload-then-attach (wx.uploadFile), the per-request decoding budget, expiry and the sweep."""

from __future__ import annotations

import time
from datetime import timedelta
from io import BytesIO

import pytest
import sqlalchemy as sa
from PIL import ExifTags, Image

from app.core import images
from app.core.db import utcnow
from app.extensions import db
from app.integrations import storage
from app.subsidies.models import SubsidyClaim
from app.uploads.models import Upload
from app.uploads.services import UPLOAD_TTL
from tests.test_complaint_uploads import post as post_complaint_form
from tests.test_complaint_uploads import stored_files
from tests.test_complaints import MP as COMPLAINTS
from tests.test_complaints import assert_error, complaint_count
from tests.test_images import encode, gps_exif, jpeg_bytes, noise
from tests.test_subsidies import AMOUNT, MP_CLAIMS, claim_body, ledger_of, scene  # noqa: F401

UPLOADS = "/api/mp/v1/uploads"


def send(client, headers, data: bytes | None, *, name: str = "tmp_wx.jpg", **form):
    """As wx.uploadFile sends it: one file under `file`, plus formData fields."""
    body = dict(form)
    if data is not None:
        body["file"] = (BytesIO(data), name, "image/jpeg")
    return client.post(UPLOADS, data=body, headers=headers, content_type="multipart/form-data")


def uploaded(client, headers, data: bytes | None = None, **form) -> int:
    response = send(client, headers, data or jpeg_bytes(), **form)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["upload"]["id"]


def row(upload_id: int) -> Upload | None:
    db.session.expire_all()
    return db.session.get(Upload, upload_id)


def lapse(*upload_ids: int, ago: timedelta = timedelta(seconds=1)) -> None:
    """Move the uploads' expiry into the past, as the clock would."""
    db.session.execute(sa.update(Upload).where(Upload.id.in_(upload_ids))
                       .values(expires_at=utcnow() - ago))
    db.session.commit()


def bare(url: str) -> str:
    """A URL as stored: without the signature the API adds to private photos."""
    return url.partition("?")[0]


def file_complaint(client, headers, upload_ids: list, **over):
    body = {"category": "quality", "description": "瓷砖表面有裂纹，见照片",
            "photo_upload_ids": upload_ids, **over}
    return client.post(COMPLAINTS, json=body, headers=headers)


@pytest.fixture
def va(world):
    return world["headers"]["villager_a"]


# ---- POST /uploads -----------------------------------------------------------------------

def test_an_upload_is_owned_cleaned_and_lapses_in_24_hours(client, world, va):
    before = utcnow()
    response = send(client, va, jpeg_bytes((320, 240), exif=gps_exif()), purpose="complaint")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()["upload"]
    assert set(body) == {"id", "expires_at", "purpose"} and body["purpose"] == "complaint"
    upload = row(body["id"])
    assert upload.user_id == world["users"]["villager_a"].id and upload.attached_at is None
    assert before + UPLOAD_TTL <= upload.expires_at <= utcnow() + UPLOAD_TTL
    assert upload.url.startswith("/media/uploads/")
    with Image.open(storage.path_for(upload.url)) as stored:
        assert stored.size == (320, 240)
        assert ExifTags.IFD.GPSInfo not in stored.getexif() and "exif" not in stored.info


def test_a_big_phone_photo_is_scaled_down_not_refused(client, va):
    photo = jpeg_bytes((4000, 3000), color="olive")
    upload = row(uploaded(client, va, photo))
    with Image.open(storage.path_for(upload.url)) as stored:
        assert max(stored.size) == images.MAX_SIDE and stored.size == (2560, 1920)


def test_a_photo_over_the_form_limit_but_under_10_mb_is_accepted(client, va):
    photo = encode(noise((2600, 1900)), "JPEG", quality=97)
    assert images.MAX_IMAGE_BYTES < len(photo) <= images.MAX_UPLOAD_BYTES
    assert row(uploaded(client, va, photo)) is not None


@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("merchant_a", 403),
                                             ("county_here", 403)])
def test_only_villagers_upload(client, world, who, status):
    before = stored_files()
    assert send(client, world["headers"][who], jpeg_bytes()).status_code == status
    assert stored_files() == before


@pytest.mark.parametrize(("data", "form", "error", "field"), [
    (None, {}, "validation_error", "file"),
    (b"%PDF-1.4 not a photo" * 20, {}, "image_invalid", "file"),
    (b"", {}, "image_empty", "file"),
    (b"\xff\xd8\xff" + b"\0" * images.MAX_UPLOAD_BYTES, {}, "image_too_large", "file"),
    (jpeg_bytes(), {"purpose": "selfie"}, "validation_error", "purpose"),
    (jpeg_bytes(), {"user_id": "1"}, "validation_error", "user_id"),
])
def test_refused_uploads_store_nothing(client, va, data, form, error, field):
    before_files = stored_files()
    before_rows = db.session.scalar(sa.select(sa.func.count()).select_from(Upload))
    body = assert_error(send(client, va, data, **form), 422, error)
    assert field in body["errors"] and body["message"]
    assert stored_files() == before_files
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Upload)) == before_rows


def test_a_json_body_is_not_an_upload(client, va):
    response = client.post(UPLOADS, json={"file": "aGVsbG8="}, headers=va)
    assert response.status_code in (415, 422), response.get_json()


def test_a_second_file_field_is_refused(client, va):
    data = {"file": (BytesIO(jpeg_bytes()), "a.jpg"), "other": (BytesIO(jpeg_bytes()), "b.jpg")}
    response = client.post(UPLOADS, data=data, headers=va, content_type="multipart/form-data")
    assert "other" in assert_error(response, 422)["errors"]


# ---- attach to a complaint -----------------------------------------------------------------

def test_uploads_attach_to_a_complaint_in_order(client, world, va):
    ids = [uploaded(client, va, jpeg_bytes(color=c), purpose="complaint")
           for c in ("red", "green")] + [uploaded(client, va)]  # one without a purpose
    response = file_complaint(client, va, ids, merchant_id=world["shop_a"].id)
    assert response.status_code == 201, response.get_json()
    complaint = response.get_json()["complaint"]
    assert [bare(url) for url in complaint["photos"]] == [row(i).url for i in ids]
    for upload_id in ids:
        upload = row(upload_id)
        assert upload.complaint_id == complaint["id"] and upload.attached_at is not None
        assert upload.purpose == "complaint"
    # What the villager gets back opens, with no token (a signed link).
    for url in complaint["photos"]:
        opened = client.get(url)
        assert opened.status_code == 200 and opened.data.startswith(b"\xff\xd8")


@pytest.mark.parametrize("case", ["someone_elses", "missing", "expired", "attached",
                                  "invoice_purpose", "repeated"])
def test_an_upload_that_is_not_yours_to_attach_is_refused(client, world, va, case):
    vb = world["headers"]["villager_b"]
    mine = uploaded(client, va, purpose="complaint")
    error, ids = {
        "someone_elses": ("upload_not_found", [uploaded(client, vb)]),
        "missing": ("upload_not_found", [2_000_000_000]),
        "expired": ("upload_expired", [mine]),
        "attached": ("upload_already_attached", [mine]),
        "invoice_purpose": ("upload_wrong_purpose", [uploaded(client, va, purpose="invoice")]),
        "repeated": ("upload_repeated", [mine, mine]),
    }[case]
    if case == "expired":
        lapse(mine)
    if case == "attached":
        assert file_complaint(client, va, [mine], merchant_id=world["shop_a"].id).status_code == 201
    before = complaint_count()
    body = assert_error(file_complaint(client, va, [uploaded(client, va), *ids],
                                       merchant_id=world["shop_a"].id), 422, error)
    assert "photo_upload_ids" in body["errors"] and body["message"]
    assert complaint_count() == before
    # Nothing was attached: not even the caller's good upload listed first.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Upload).where(
        Upload.complaint_id.is_not(None))) == (1 if case == "attached" else 0)


def test_a_refused_complaint_leaves_its_uploads_free(client, va):
    upload_id = uploaded(client, va)
    assert_error(file_complaint(client, va, [upload_id], merchant_id=999_999), 422,
                 "unknown_merchant")
    assert row(upload_id).attached_at is None and row(upload_id).complaint_id is None
    assert file_complaint(client, va, [upload_id], region_code="410105").status_code == 201


def test_at_most_nine_photos_with_uploads(client, va):
    ids = [uploaded(client, va) for _ in range(10)]
    body = assert_error(file_complaint(client, va, ids, region_code="410105"), 422)
    assert "photo_upload_ids" in body["errors"] and complaint_count() == 0


def test_the_old_multipart_way_still_works_and_registers_its_photos(client, world, va):
    photos = [(jpeg_bytes(), "a.jpg", "image/jpeg"), (jpeg_bytes(color="blue"), "b.jpg",
                                                       "image/jpeg")]
    response = post_complaint_form(client, va, photos, merchant_id=str(world["shop_a"].id))
    assert response.status_code == 201, response.get_json()
    complaint = response.get_json()["complaint"]
    rows = db.session.scalars(sa.select(Upload).where(
        Upload.complaint_id == complaint["id"]).order_by(Upload.id)).all()
    assert [u.url for u in rows] == [bare(url) for url in complaint["photos"]]
    assert all(u.user_id == world["users"]["villager_a"].id and u.attached_at for u in rows)


# ---- attach to a subsidy claim ---------------------------------------------------------------

def test_an_upload_attaches_to_a_subsidy_claim(client, scene):  # noqa: F811
    upload_id = uploaded(client, scene.va, purpose="invoice")
    body = claim_body(scene.program.id, scene.tile, invoice_upload_id=upload_id)
    response = client.post(MP_CLAIMS, json=body, headers=scene.va)
    assert response.status_code == 201, response.get_json()
    claim = response.get_json()["claim"]
    upload = row(upload_id)
    assert bare(claim["invoice_photo_url"]) == upload.url and upload.subsidy_claim_id == claim["id"]
    assert db.session.get(SubsidyClaim, claim["id"]).invoice_photo_url == upload.url
    assert client.get(claim["invoice_photo_url"]).status_code == 200


@pytest.mark.parametrize("case", ["someone_elses", "expired", "complaint_purpose"])
def test_a_claim_refuses_an_upload_not_its_own(client, world, scene, case):  # noqa: F811
    if case == "someone_elses":
        upload_id, error = uploaded(client, world["headers"]["villager_b"]), "upload_not_found"
    elif case == "expired":
        upload_id, error = uploaded(client, scene.va), "upload_expired"
        lapse(upload_id)
    else:
        upload_id = uploaded(client, scene.va, purpose="complaint")
        error = "upload_wrong_purpose"
    body = claim_body(scene.program.id, scene.tile, invoice_upload_id=upload_id)
    result = assert_error(client.post(MP_CLAIMS, json=body, headers=scene.va), 422, error)
    assert "invoice_upload_id" in result["errors"]
    assert ledger_of(scene.program.id)["committed_fen"] == 0
    assert row(upload_id).subsidy_claim_id is None


def test_one_upload_serves_one_claim(client, scene):  # noqa: F811
    upload_id = uploaded(client, scene.va, purpose="invoice")
    first = client.post(MP_CLAIMS, headers=scene.va, json=claim_body(
        scene.program.id, scene.tile, invoice="A-0001", invoice_upload_id=upload_id))
    assert first.status_code == 201, first.get_json()
    again = client.post(MP_CLAIMS, headers=scene.va, json=claim_body(
        scene.program.id, scene.tile, invoice="A-0002", invoice_upload_id=upload_id))
    assert_error(again, 422, "upload_already_attached")
    assert ledger_of(scene.program.id)["committed_fen"] == AMOUNT


# ---- the per-request decoding budget ----------------------------------------------------------

@pytest.fixture(scope="module")
def bomb() -> bytes:
    """7000 x 7000 pixels (49 Mpx, under the per-image limit) in ~160 KB."""
    return encode(Image.new("RGB", (7000, 7000), "white"), "PNG")


def test_nine_huge_pngs_in_one_complaint_are_refused_from_their_headers(client, va, bomb):
    assert len(bomb) < 300_000 and images.MAX_PIXELS >= 7000 * 7000
    before = stored_files()
    started = time.monotonic()
    response = post_complaint_form(client, va, [(bomb, f"p{n}.png", "image/png")
                                                for n in range(9)])
    elapsed = time.monotonic() - started
    body = assert_error(response, 413, "images_over_budget")
    assert "photos" in body["errors"] and body["message"]
    assert stored_files() == before and complaint_count() == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Upload)) == 0
    # Decoding a single one takes about a second here: none was decoded.
    assert elapsed < 1.0, elapsed


def test_the_budget_is_per_request_not_per_image(client, va, bomb, monkeypatch):
    """Each image is under the per-image limit; together they are over the request's."""
    monkeypatch.setattr(images, "MAX_REQUEST_PIXELS", 2 * 64 * 48)
    small = [(jpeg_bytes(), f"p{n}.jpg", "image/jpeg") for n in range(3)]
    before = stored_files()
    assert_error(post_complaint_form(client, va, small), 413, "images_over_budget")
    assert stored_files() == before and complaint_count() == 0
    assert post_complaint_form(client, va, small[:2]).status_code == 201


def test_the_decoding_time_budget_stops_the_next_image(client, va, monkeypatch):
    monkeypatch.setattr(images, "MAX_REQUEST_DECODE_SECONDS", 1e-9)
    before = stored_files()
    two = [(jpeg_bytes(), "a.jpg", "image/jpeg"), (jpeg_bytes(), "b.jpg", "image/jpeg")]
    assert_error(post_complaint_form(client, va, two), 413, "images_over_budget")
    assert stored_files() == before and complaint_count() == 0
    assert post_complaint_form(client, va, two[:1]).status_code == 201


def test_one_huge_png_alone_is_accepted_and_scaled_down(client, va, bomb):
    upload = row(uploaded(client, va, bomb, name="scan.png"))
    with Image.open(storage.path_for(upload.url)) as stored:
        assert stored.size == (images.MAX_SIDE, images.MAX_SIDE)


# ---- expiry and the sweep ------------------------------------------------------------------------

def test_the_tick_sweeps_lapsed_uploads_and_their_files_only(client, runner, world, va):
    lapsed, fresh, used = (uploaded(client, va) for _ in range(3))
    assert file_complaint(client, va, [used], region_code="410105").status_code == 201
    lapse(lapsed, used)
    paths = {i: storage.path_for(row(i).url) for i in (lapsed, fresh, used)}
    assert all(path.is_file() for path in paths.values())

    result = runner.invoke(args=["jobs", "tick"])
    assert result.exit_code == 0, result.output
    assert "uploads swept=1" in result.output
    assert row(lapsed) is None and not paths[lapsed].exists()
    assert row(fresh) is not None and paths[fresh].is_file()
    assert row(used) is not None and paths[used].is_file()  # attached: kept for good
    again = runner.invoke(args=["jobs", "tick"])
    assert "uploads swept=0" in again.output


# ---- racing attaches (PostgreSQL) -------------------------------------------------------

@pytest.mark.postgres
def test_racing_complaints_attach_one_upload_once(committed):
    from tests.conftest import Factory, fire

    app = committed
    with app.app_context():
        make = Factory()
        headers = make.headers(make.villager("racer", region_code="410105001"))
        upload_id = uploaded(app.test_client(), headers)
    body = {"category": "quality", "description": "瓷砖表面有裂纹，见照片",
            "photo_upload_ids": [upload_id], "region_code": "410105"}
    responses = fire(app, [("POST", COMPLAINTS, body, headers)] * 8, workers=8)
    answers = sorted((r.status_code, (r.get_json() or {}).get("error")) for r in responses)
    assert answers == [(201, None)] + [(422, "upload_already_attached")] * 7, answers
    with app.app_context():
        upload = db.session.get(Upload, upload_id)
        assert upload.complaint_id is not None and complaint_count() == 1
