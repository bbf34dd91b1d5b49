"""Uploaded photos: checked by content, bounded, stored without EXIF (GPS must not survive)."""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path

import pytest
from flask import current_app
from PIL import ExifTags, Image
from PIL.PngImagePlugin import PngInfo

from app.core import images
from app.core.errors import ApiError
from app.extensions import db
from app.integrations import storage

SHAPE = {"code", "status", "error", "message", "errors"}


# ---- image makers (the console tests use them too) ---------------------------------------

def encode(img: Image.Image, fmt: str, **options) -> bytes:
    out = BytesIO()
    img.save(out, format=fmt, **options)
    return out.getvalue()


def jpeg_bytes(size: tuple[int, int] = (64, 48), color: str = "red", **options) -> bytes:
    return encode(Image.new("RGB", size, color), "JPEG", **options)


def noise(size: tuple[int, int]) -> Image.Image:
    """Incompressible pixels: the file is as big as the image."""
    return Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))


def gps_exif(orientation: int | None = None) -> Image.Exif:
    """EXIF as a phone writes it: camera make and the GPS position of the house."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "VillageCam"
    exif[ExifTags.Base.Model] = "HomeShot X1"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (34.0, 45.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (113.0, 40.0, 10.0)
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    return exif


def upload(client, product_id: int, data: bytes, headers: dict, *,
           filename: str = "photo.jpg", mimetype: str = "image/jpeg"):
    return client.post(f"/api/v1/merchant/products/{product_id}/images", headers=headers,
                       data={"image": (BytesIO(data), filename, mimetype)},
                       content_type="multipart/form-data")


def stored_files() -> set[Path]:
    root = Path(current_app.config["UPLOAD_DIR"])
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def assert_refused(response, status: int, error: str) -> dict:
    assert response.status_code == status, response.get_json()
    body = response.get_json()
    assert set(body) <= SHAPE and body["code"] == status and body["error"] == error
    return body


@pytest.fixture
def product(make):
    shop = make.shop("410105")
    owner = make.merchant(shop)
    return {"product": make.product(shop, status="draft"), "headers": make.headers(owner)}


# ---- clean_image -------------------------------------------------------------------------

def test_jpeg_png_webp_are_re_encoded_in_their_format():
    for fmt, ext, mode in (("JPEG", "jpg", "RGB"), ("PNG", "png", "RGBA"),
                           ("WEBP", "webp", "RGBA")):
        clean = images.clean_image(encode(Image.new(mode, (30, 20), (0, 128, 0, 100)), fmt))
        assert (clean.ext, clean.width, clean.height) == (ext, 30, 20)
        with Image.open(BytesIO(clean.data)) as img:
            assert img.format == fmt and img.mode == mode


def test_orientation_is_applied_before_exif_is_dropped():
    # Orientation 6: the camera was turned; shown upright, the photo is taller than wide.
    clean = images.clean_image(jpeg_bytes((64, 48), exif=gps_exif(orientation=6)))
    assert (clean.width, clean.height) == (48, 64)
    with Image.open(BytesIO(clean.data)) as img:
        assert len(img.getexif()) == 0


def test_big_photos_are_scaled_down():
    clean = images.clean_image(jpeg_bytes((5000, 2500)))
    assert max(clean.width, clean.height) == images.MAX_SIDE
    assert clean.width == 2 * clean.height


@pytest.mark.parametrize(("data", "error"), [
    (b"", "image_empty"),
    (b"%PDF-1.4 not a photo at all", "image_invalid"),
    (encode(Image.new("RGB", (10, 10)), "GIF"), "image_invalid"),
    (encode(Image.new("RGB", (10, 10)), "BMP"), "image_invalid"),
    (encode(noise((200, 200)), "JPEG")[:-400], "image_damaged"),
    (encode(noise((200, 200)), "PNG")[:60_000], "image_damaged"),
    (encode(Image.new("L", (8000, 7000)), "PNG"), "image_too_large"),  # 56 megapixels
])
def test_refusals(data, error):
    with pytest.raises(ApiError) as caught:
        images.clean_image(data, field="photos")
    assert (caught.value.status, caught.value.error) == (422, error)
    assert list(caught.value.errors) == ["photos"]


def test_more_than_5_mb_is_refused_before_decoding():
    with pytest.raises(ApiError) as caught:
        images.clean_image(b"\xff\xd8\xff" + b"\0" * images.MAX_IMAGE_BYTES)
    assert caught.value.error == "image_too_large"


# ---- the decoding budget of one request ---------------------------------------------------

def test_the_budget_counts_every_image_of_one_request(app, monkeypatch):
    monkeypatch.setattr(images, "MAX_REQUEST_PIXELS", 2 * 64 * 48)
    with app.test_request_context():
        images.clean_image(jpeg_bytes((64, 48)))
        images.clean_image(jpeg_bytes((64, 48)))
        with pytest.raises(ApiError) as caught:
            images.clean_image(jpeg_bytes((64, 48)), field="photos")
        assert (caught.value.status, caught.value.error) == (413, "images_over_budget")
        assert list(caught.value.errors) == ["photos"] and caught.value.message
    with app.test_request_context():  # the next request starts afresh
        assert images.clean_image(jpeg_bytes((64, 48))).width == 64


def test_several_images_are_refused_on_their_headers_before_any_is_decoded(app, monkeypatch):
    decoded = []
    monkeypatch.setattr(images, "_decode", lambda *args: decoded.append(args))
    monkeypatch.setattr(images, "MAX_REQUEST_PIXELS", 3 * 64 * 48 - 1)
    with app.test_request_context(), pytest.raises(ApiError) as caught:
        images.clean_images([jpeg_bytes((64, 48))] * 3)
    assert caught.value.error == "images_over_budget" and decoded == []


def test_a_big_jpeg_costs_its_reduced_decoding_scale():
    """A 48-megapixel phone photo is decoded at half scale: it costs 12 megapixels."""
    probe = images._probe(jpeg_bytes((8000, 6000)), "photos", images.MAX_IMAGE_BYTES)
    assert probe.decoded_pixels == 4000 * 3000
    png = encode(Image.new("L", (4000, 3000)), "PNG")  # PNG has no reduced decoding
    assert images._probe(png, "photos", images.MAX_IMAGE_BYTES).decoded_pixels == 4000 * 3000


# ---- storage ------------------------------------------------------------------------------

def test_storage_saves_under_random_names_and_deletes(app, db_session):
    first = storage.save(b"one", "jpg", "products")
    second = storage.save(b"two", "jpg", "products")
    assert first != second and first.startswith("/media/products/") and first.endswith(".jpg")
    assert storage.path_for(first).read_bytes() == b"one"
    storage.delete(first)
    assert not storage.path_for(first).exists() and storage.path_for(second).exists()
    storage.delete(second)


@pytest.mark.parametrize("url", ["/media/../config.py", "/media/", "https://x.test/a.jpg",
                                 "/static/app.js"])
def test_storage_ignores_urls_it_did_not_make(app, db_session, url):
    assert storage.path_for(url) is None
    storage.delete(url)  # no error, nothing touched


@pytest.mark.parametrize(("ext", "folder"), [("jpg", "../etc"), ("j/pg", "products"),
                                             ("jpg", "/abs")])
def test_storage_refuses_odd_folders_and_extensions(app, db_session, ext, folder):
    with pytest.raises(ValueError):
        storage.save(b"x", ext, folder)


# ---- the upload endpoint --------------------------------------------------------------

@pytest.mark.parametrize(("fmt", "mimetype", "options"), [
    ("JPEG", "image/jpeg", {}),
    ("PNG", "image/png", {}),
    ("WEBP", "image/webp", {"quality": 80}),
])
def test_gps_exif_never_reaches_the_stored_copy(client, product, fmt, mimetype, options):
    source = encode(Image.new("RGB", (80, 60), "blue"), fmt, exif=gps_exif(), **options)
    with Image.open(BytesIO(source)) as original:  # the test image really carries GPS
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    response = upload(client, product["product"].id, source, product["headers"],
                      filename=f"house.{fmt.lower()}", mimetype=mimetype)
    assert response.status_code == 201, response.get_json()
    [url] = response.get_json()["images"]
    stored = client.get(url)
    assert stored.status_code == 200
    data = stored.data
    with Image.open(BytesIO(data)) as img:
        assert img.format == fmt
        assert len(img.getexif()) == 0
        assert not img.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "exif" not in img.info
    assert b"VillageCam" not in data and b"Exif" not in data and b"eXIf" not in data


def test_png_text_chunks_and_jpeg_comments_are_dropped(client, product):
    info = PngInfo()
    info.add_text("Comment", "GPS 34.7583,113.6672 home")
    png = encode(Image.new("RGB", (40, 40)), "PNG", pnginfo=info)
    jpeg = jpeg_bytes(comment=b"GPS 34.7583,113.6672 home")
    for data, name in ((png, "a.png"), (jpeg, "b.jpg")):
        response = upload(client, product["product"].id, data, product["headers"], filename=name)
        assert response.status_code == 201
    for url in response.get_json()["images"]:
        assert b"34.7583" not in storage.path_for(url).read_bytes()


def test_png_and_webp_accepted(client, product):
    pid, headers = product["product"].id, product["headers"]
    png = encode(Image.new("RGBA", (50, 40), (0, 128, 0, 100)), "PNG")
    webp = encode(Image.new("RGB", (50, 40), "yellow"), "WEBP")
    assert upload(client, pid, png, headers, filename="a.png", mimetype="image/png").status_code \
        == 201
    response = upload(client, pid, webp, headers, filename="b.webp", mimetype="image/webp")
    assert response.status_code == 201
    urls = response.get_json()["images"]
    assert [u.rsplit(".", 1)[1] for u in urls] == ["png", "webp"]


def test_the_name_and_type_the_client_claims_do_not_matter(client, product):
    """A PNG sent as 'photo.jpg' is stored as the PNG it is."""
    png = encode(Image.new("RGB", (20, 20)), "PNG")
    response = upload(client, product["product"].id, png, product["headers"],
                      filename="photo.jpg", mimetype="image/jpeg")
    assert response.get_json()["images"][0].endswith(".png")


def _refused_and_nothing_stored(client, product, data, status, error, **kwargs):
    before_files = stored_files()
    db.session.expire_all()
    before_images = list(product["product"].images)
    response = upload(client, product["product"].id, data, product["headers"], **kwargs)
    body = assert_refused(response, status, error)
    assert stored_files() == before_files
    db.session.expire_all()
    assert product["product"].images == before_images
    return body


def test_renamed_non_image_is_refused(client, product):
    body = _refused_and_nothing_stored(client, product, b"MZ\x90\x00 this is setup.exe",
                                       422, "image_invalid", filename="photo.jpg")
    assert body["errors"] == {"image": ["文件不是有效的图片，仅支持 JPEG、PNG、WebP 格式"]}


def test_truncated_image_is_refused(client, product):
    data = encode(noise((300, 300)), "JPEG")
    body = _refused_and_nothing_stored(client, product, data[: len(data) // 2],
                                       422, "image_damaged")
    assert body["message"] == "图片已损坏或不完整，请重新选择"


def test_file_over_5_mb_is_refused(client, product):
    data = encode(noise((1400, 1400)), "PNG", compress_level=0)
    assert images.MAX_IMAGE_BYTES < len(data) < current_app.config["MAX_CONTENT_LENGTH"]
    _refused_and_nothing_stored(client, product, data, 422, "image_too_large",
                                filename="big.png", mimetype="image/png")


def test_request_over_max_content_length_gets_413(client, product):
    data = b"\0" * (current_app.config["MAX_CONTENT_LENGTH"] + 1)
    _refused_and_nothing_stored(client, product, data, 413, "payload_too_large")


def test_missing_file_field_is_a_validation_error(client, product):
    response = client.post(f"/api/v1/merchant/products/{product['product'].id}/images",
                           headers=product["headers"], data={"photo": "x"},
                           content_type="multipart/form-data")
    body = assert_refused(response, 422, "validation_error")
    assert "image" in body["errors"]


def test_at_most_nine_images(client, product):
    pid, headers = product["product"].id, product["headers"]
    for i in range(9):
        assert upload(client, pid, jpeg_bytes(color=f"#{i}{i}0000"), headers).status_code == 201
    body = _refused_and_nothing_stored(client, product, jpeg_bytes(), 409, "too_many_images")
    assert body["message"] == "每个商品最多 9 张图片"
    assert len(product["product"].images) == 9


def test_removing_an_image_deletes_its_file_after_commit(client, product):
    pid, headers = product["product"].id, product["headers"]
    upload(client, pid, jpeg_bytes(color="red"), headers)
    urls = upload(client, pid, jpeg_bytes(color="blue"), headers).get_json()["images"]
    response = client.delete(f"/api/v1/merchant/products/{pid}/images/0", headers=headers)
    assert response.status_code == 200
    assert response.get_json()["images"] == urls[1:]
    assert not storage.path_for(urls[0]).exists()
    assert storage.path_for(urls[1]).exists()
    assert_refused(client.delete(f"/api/v1/merchant/products/{pid}/images/5", headers=headers),
                   404, "image_not_found")
