"""List-sized copies of public pictures: made once on first request, never of private ones."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image

from app.extensions import db
from app.integrations import storage
from tests.test_images import encode, noise


def _stored(app, image: Image.Image, fmt: str, ext: str, folder: str = "products") -> str:
    with app.app_context():
        return storage.save(encode(image, fmt), ext, folder)


def test_a_product_list_points_at_a_small_copy_that_is_made_once(client, app, make):
    url = _stored(app, noise((2000, 1500)), "JPEG", "jpg")
    product = make.product(name="大图瓷砖")
    product.images = [url]
    db.session.commit()
    item = next(p for p in client.get("/api/mp/v1/products?limit=100").get_json()["items"]
                if p["id"] == product.id)
    assert item["image_url"] == url
    assert item["thumbnail_url"] == url.replace("/media/", "/media/thumbs/", 1)

    first = client.get(item["thumbnail_url"])
    assert first.status_code == 200 and first.mimetype == "image/jpeg"
    assert "public" in first.headers["Cache-Control"]
    small = Image.open(BytesIO(first.data))
    assert max(small.size) == 320 and small.size == (320, 240)
    original = client.get(url).data
    assert len(first.data) * 10 < len(original), (len(first.data), len(original))
    with app.app_context():
        made = storage.path_for(item["thumbnail_url"])
    assert made.is_file()
    made.write_bytes(b"the stored copy")  # a second request sends the file, not a new copy
    assert client.get(item["thumbnail_url"]).data == b"the stored copy"


def test_transparent_png_stays_png_with_its_alpha(client, app):
    url = _stored(app, Image.new("RGBA", (900, 600), (0, 128, 0, 90)), "PNG", "png", "shops")
    answer = client.get(storage.thumbnail_url(url))
    assert answer.status_code == 200 and answer.mimetype == "image/png"
    small = Image.open(BytesIO(answer.data))
    assert small.mode == "RGBA" and small.size == (320, 213)


@pytest.mark.parametrize("name", [
    "invoices/ab/x.jpg", "complaints/ab/x.jpg", "uploads/ab/x.jpg",  # private: never
    "products/../invoices/ab/x.jpg", "products/ab/missing.jpg", "../etc/passwd",
])
def test_no_copy_of_private_missing_or_outside_files(client, app, name):
    answer = client.get(f"/media/thumbs/{name}")
    assert answer.status_code == 404 and answer.get_json()["error"] == "media_not_found"


def test_a_private_picture_gets_no_thumbnail_even_when_it_exists(client, app):
    url = _stored(app, noise((400, 300)), "JPEG", "jpg", "invoices")
    assert storage.thumbnail_url(url) == url  # lists never point at a copy of it
    answer = client.get("/media/thumbs/" + url.removeprefix("/media/"))
    assert answer.status_code == 404


def test_a_file_that_is_not_a_picture_is_a_404_not_a_500(client, app):
    with app.app_context():
        url = storage.save(b"not a picture at all", "jpg", "products")
    answer = client.get(storage.thumbnail_url(url))
    assert answer.status_code == 404


def test_deleting_a_picture_deletes_its_copy(client, app):
    url = _stored(app, noise((800, 600)), "JPEG", "jpg")
    assert client.get(storage.thumbnail_url(url)).status_code == 200
    with app.app_context():
        thumb = storage.path_for(storage.thumbnail_url(url))
        assert thumb.is_file()
        storage.delete(url)
        assert not thumb.exists() and storage.path_for(url).exists() is False
