"""Complaint photos: real images only, bounded, stored without EXIF; a refusal keeps nothing."""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path

import pytest
from flask import current_app
from PIL import ExifTags, Image

from app.integrations import storage
from tests.test_complaints import MP, assert_error, complaint_count

FIVE_MB = 5 * 1024 * 1024


def encode(img: Image.Image, fmt: str, **options) -> bytes:
    out = BytesIO()
    img.save(out, format=fmt, **options)
    return out.getvalue()


def jpeg(color: str = "red", **options) -> bytes:
    return encode(Image.new("RGB", (64, 48), color), "JPEG", **options)


def gps_jpeg() -> bytes:
    """As a phone writes it: camera make and the GPS position of the villager's house."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "VillageCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (34.0, 45.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (113.0, 40.0, 10.0)
    data = jpeg("green", exif=exif)
    assert Image.open(BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # it is there
    return data


def png() -> bytes:
    return encode(Image.new("RGBA", (40, 30), (0, 128, 255, 128)), "PNG")


def webp() -> bytes:
    return encode(Image.new("RGB", (40, 30), "blue"), "WEBP")


def stored_files() -> set[Path]:
    root = Path(current_app.config["UPLOAD_DIR"])
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def post(client, headers, files: list[tuple[bytes, str, str]], *, field: str = "photos",
         **fields):
    data = {"category": "quality", "description": "瓷砖表面有裂纹，见照片", **fields}
    data[field] = [(BytesIO(content), name, mimetype) for content, name, mimetype in files]
    return client.post(MP, data=data, headers=headers, content_type="multipart/form-data")


@pytest.fixture
def villager(world):
    return world["headers"]["villager_a"]


def test_photos_are_stored_without_exif(client, world, villager):
    files = [(gps_jpeg(), "IMG_0001.JPG", "image/jpeg"), (png(), "screen.png", "image/png"),
             (webp(), "chat.webp", "image/webp")]
    before = stored_files()
    response = post(client, villager, files, merchant_id=str(world["shop_a"].id))
    assert response.status_code == 201, response.json
    complaint = response.json["complaint"]
    assert complaint["merchant_id"] == world["shop_a"].id and complaint["region_code"] == "410105"
    photos = complaint["photos"]
    assert len(photos) == 3 and all(url.startswith("/media/complaints/") for url in photos)
    assert len(stored_files() - before) == 3
    formats = []
    for url in photos:
        path = storage.path_for(url)
        assert path is not None and path.is_file()
        with Image.open(path) as img:
            formats.append(img.format)
            exif = img.getexif()
            assert ExifTags.IFD.GPSInfo not in exif and not exif.get_ifd(ExifTags.IFD.GPSInfo)
            assert ExifTags.Base.Make not in exif
            assert "exif" not in img.info
    assert formats == ["JPEG", "PNG", "WEBP"]
    # The villager gets them back with the complaint, as signed links (private photos).
    mine = client.get(f"{MP}/{complaint['id']}", headers=villager).json
    assert [u.partition("?")[0] for u in mine["photos"]] == [u.partition("?")[0] for u in photos]
    assert client.get(photos[0]).status_code == 200
    assert client.get(photos[0].partition("?")[0]).status_code == 401


def test_nine_photos_are_allowed(client, villager):
    files = [(jpeg(), f"p{n}.jpg", "image/jpeg") for n in range(9)]
    response = post(client, villager, files)
    assert response.status_code == 201, response.json
    assert len(response.json["complaint"]["photos"]) == 9


def test_a_multipart_complaint_without_photos(client, villager):
    response = client.post(MP, data={"category": "price", "description": "价格比宣传贵两成"},
                           headers=villager, content_type="multipart/form-data")
    assert response.status_code == 201, response.json
    assert response.json["complaint"]["photos"] == []


def _truncated() -> bytes:
    data = encode(Image.frombytes("RGB", (200, 200), os.urandom(200 * 200 * 3)), "JPEG")
    return data[: len(data) // 2]


REFUSALS = [
    pytest.param([(b"%PDF-1.4 not a photo at all" * 50, "photo.jpg", "image/jpeg")],
                 "image_invalid", id="renamed non-image"),
    pytest.param([(b"GIF89a" + b"\x00" * 200, "anim.gif", "image/gif")],
                 "image_invalid", id="gif"),
    pytest.param([(jpeg()[:2] + b"\x00" * FIVE_MB, "huge.jpg", "image/jpeg")],
                 "image_too_large", id="over 5 MB"),
    pytest.param([(jpeg(), f"p{n}.jpg", "image/jpeg") for n in range(10)],
                 "too_many_photos", id="ten photos"),
    pytest.param([(_truncated(), "cut.jpg", "image/jpeg")], "image_damaged", id="truncated"),
    pytest.param([(png()[:60], "cut.png", "image/png")], "image_damaged", id="truncated png"),
    pytest.param([(b"", "empty.jpg", "image/jpeg")], "image_empty", id="empty file"),
    pytest.param([(jpeg(), "good.jpg", "image/jpeg"), (b"not an image", "bad.jpg", "image/jpeg")],
                 "image_invalid", id="one bad among good"),
]


@pytest.mark.parametrize(("files", "error"), REFUSALS)
def test_refused_photos_leave_nothing_behind(client, villager, files, error):
    before_files, before_rows = stored_files(), complaint_count()
    body = assert_error(post(client, villager, files), 422, error)
    assert "photos" in body["errors"] and body["message"]
    assert stored_files() == before_files
    assert complaint_count() == before_rows


def test_photos_of_a_refused_complaint_are_not_kept(client, villager):
    """The photos are fine but the complaint is not (no such merchant): no orphan files."""
    before_files = stored_files()
    response = post(client, villager, [(jpeg(), "p.jpg", "image/jpeg")], merchant_id="999999")
    assert_error(response, 422, "unknown_merchant")
    assert stored_files() == before_files and complaint_count() == 0


@pytest.mark.parametrize("fields", [{"category": "weather"}, {"description": "差"},
                                    {"merchant_id": "abc"}, {"user_id": "1"}])
def test_bad_form_fields_are_refused_before_any_photo_is_stored(client, villager, fields):
    before_files = stored_files()
    assert_error(post(client, villager, [(jpeg(), "p.jpg", "image/jpeg")], **fields), 422)
    assert stored_files() == before_files and complaint_count() == 0


def test_a_photo_under_another_field_name_is_not_silently_dropped(client, villager):
    before_files = stored_files()
    response = post(client, villager, [(jpeg(), "p.jpg", "image/jpeg")], field="photo")
    assert "photo" in assert_error(response, 422)["errors"]
    assert stored_files() == before_files and complaint_count() == 0


def test_a_body_over_the_request_limit_is_413(client, villager):
    big = jpeg()[:2] + b"\x00" * (4 * 1024 * 1024)
    before_files = stored_files()
    response = post(client, villager, [(big, f"p{n}.jpg", "image/jpeg") for n in range(4)])
    assert_error(response, 413, "payload_too_large")
    assert stored_files() == before_files and complaint_count() == 0


def test_a_retried_upload_stores_its_photos_once(client, villager):
    headers = {**villager, "Idempotency-Key": "upload-retry-1"}
    before_files = stored_files()
    files = [(jpeg(), "p.jpg", "image/jpeg"), (png(), "q.png", "image/png")]
    first = post(client, headers, files)
    again = post(client, headers, files)
    assert first.status_code == again.status_code == 201, again.json
    assert again.json["complaint"]["id"] == first.json["complaint"]["id"]
    assert again.json["complaint"]["photos"] == first.json["complaint"]["photos"]
    assert len(stored_files() - before_files) == 2 and complaint_count() == 1
