"""Uploaded photos: checked by content, bounded, re-encoded without EXIF or other metadata."""

from __future__ import annotations

import time
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from flask import has_request_context, request
from PIL import Image, ImageOps, UnidentifiedImageError

from app.core.errors import ApiError

MAX_IMAGE_BYTES = 5 * 1024 * 1024  # one file sent with a form (complaint, claim, product)
MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # one file sent alone (POST /uploads): a phone original
MAX_PIXELS = 50_000_000  # refused before decoding: a small file can expand to gigabytes
MAX_SIDE = 2560  # longest side stored: bigger photos are scaled down to it, not refused
# What one request may make us decode, all its images together: nine 12-megapixel phone
# photos fit; three 7000 x 7000 PNGs (a 500 KB "bomb" each) do not, and are refused on
# their headers before any pixel is decoded.
MAX_REQUEST_PIXELS = 120_000_000
MAX_REQUEST_DECODE_SECONDS = 10.0  # checked before each decode: the next image is refused
# Pillow format → (stored extension, save options)
FORMATS: dict[str, tuple[str, dict]] = {
    "JPEG": ("jpg", {"quality": 85, "optimize": True, "progressive": True}),
    "PNG": ("png", {}),
    "WEBP": ("webp", {"quality": 85, "method": 4}),
}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
_DECODE_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError,
                  Image.DecompressionBombError)
_BUDGET_KEY = "lvjian.image_budget"  # in the WSGI environ: lives exactly one request


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    ext: str
    width: int
    height: int

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.ext]


def _refuse(error: str, message: str, field: str) -> ApiError:
    return ApiError(422, error, message, {field: [message]})


def _too_large(field: str, message: str = "图片像素过大，请缩小后再上传") -> ApiError:
    return _refuse("image_too_large", message, field)


def _invalid(field: str) -> ApiError:
    return _refuse("image_invalid", "文件不是有效的图片，仅支持 JPEG、PNG、WebP 格式", field)


def _damaged(field: str) -> ApiError:
    return _refuse("image_damaged", "图片已损坏或不完整，请重新选择", field)


@dataclass
class DecodeBudget:
    """Pixels and seconds of decoding left to the current request."""

    pixels: int
    seconds: float

    def charge(self, pixels: int, field: str) -> None:
        if pixels > self.pixels:
            raise _over_budget(field)
        if self.seconds <= 0:
            raise _over_budget(field)
        self.pixels -= pixels


def request_budget() -> DecodeBudget:
    """The budget of the current request (a fresh one outside a request: CLI, tests)."""
    if not has_request_context():
        return DecodeBudget(MAX_REQUEST_PIXELS, MAX_REQUEST_DECODE_SECONDS)
    if _BUDGET_KEY not in request.environ:
        request.environ[_BUDGET_KEY] = DecodeBudget(MAX_REQUEST_PIXELS,
                                                    MAX_REQUEST_DECODE_SECONDS)
    return request.environ[_BUDGET_KEY]


def _over_budget(field: str) -> ApiError:
    message = "本次上传的图片总量过大，请减少照片张数或缩小图片后分次上传"
    return ApiError(413, "images_over_budget", message, {field: [message]})


@dataclass(frozen=True)
class _Probe:
    data: bytes
    fmt: str
    decoded_pixels: int  # what decoding will cost (JPEG: at the reduced draft scale)


def _probe(data: bytes, field: str, max_bytes: int) -> _Probe:
    """Format and size from the header only: nothing is decoded here."""
    if not data:
        raise _refuse("image_empty", "上传的图片是空文件", field)
    if len(data) > max_bytes:
        raise _too_large(field, f"图片不能超过 {max_bytes // (1024 * 1024)} MB")
    try:
        img = Image.open(BytesIO(data), formats=list(FORMATS))
    except Image.DecompressionBombError:
        raise _too_large(field) from None
    except _DECODE_ERRORS:
        raise _invalid(field) from None
    with img:
        if img.width * img.height > MAX_PIXELS:
            raise _too_large(field)
        if img.format == "JPEG":
            img.draft("RGB", _draft_size(img.size))  # only changes the planned scale
        return _Probe(data, img.format, img.width * img.height)


def _draft_size(size: tuple[int, int]) -> tuple[int, int]:
    """The smallest size a JPEG may be decoded at and still give MAX_SIDE on its long edge."""
    width, height = size
    scale = min(1.0, MAX_SIDE / max(width, height, 1))
    return max(1, int(width * scale)), max(1, int(height * scale))


def _verify(probe: _Probe, field: str) -> None:
    try:
        with Image.open(BytesIO(probe.data), formats=[probe.fmt]) as img:
            img.verify()  # structure and checksums, without decoding
    except _DECODE_ERRORS:
        raise _damaged(field) from None


def _decode(probe: _Probe, field: str, budget: DecodeBudget) -> CleanImage:
    budget.charge(probe.decoded_pixels, field)
    started = time.monotonic()
    try:
        with Image.open(BytesIO(probe.data), formats=[probe.fmt]) as img:
            if probe.fmt == "JPEG":
                img.draft("RGB", _draft_size(img.size))  # decode big photos at a reduced scale
            img.load()  # every pixel: a truncated or corrupt file fails here
            return _reencode(ImageOps.exif_transpose(img), probe.fmt)
    except _DECODE_ERRORS:
        raise _damaged(field) from None
    finally:
        budget.seconds -= time.monotonic() - started


def clean_image(data: bytes, *, field: str = "image",
                max_bytes: int = MAX_IMAGE_BYTES) -> CleanImage:
    """Check that `data` is a whole JPEG, PNG or WebP image and return a clean copy.

    The copy is decoded pixels re-encoded in the same format: EXIF (GPS positions of
    villagers' homes), XMP, ICC and text chunks do not survive. The EXIF orientation is
    applied first so the photo still shows upright; animations keep their first frame;
    the long edge is at most MAX_SIDE. Raises ApiError(422) with a message for `field`
    otherwise, or 413 `images_over_budget` once the request has decoded its share.
    """
    return clean_images([data], field=field, max_bytes=max_bytes)[0]


def clean_images(datas: list[bytes], *, field: str = "photos",
                 max_bytes: int = MAX_IMAGE_BYTES) -> list[CleanImage]:
    """clean_image for several files of one request: every header is read and the whole
    cost checked against the request's budget before the first pixel is decoded."""
    probes = [_probe(data, field, max_bytes) for data in datas]
    budget = request_budget()
    if sum(p.decoded_pixels for p in probes) > budget.pixels:
        raise _over_budget(field)
    for probe in probes:
        _verify(probe, field)
    return [_decode(probe, field, budget) for probe in probes]


def _has_alpha(img: Image.Image) -> bool:
    return img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        img.mode == "P" and "transparency" in img.info)


def _reencode(img: Image.Image, fmt: str) -> CleanImage:
    mode = "RGBA" if fmt != "JPEG" and _has_alpha(img) else "RGB"
    img = img.convert(mode)
    img.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    # A new image from raw pixels carries no info dict: no EXIF, XMP, ICC or text to save.
    bare = Image.frombytes(mode, img.size, img.tobytes())
    ext, options = FORMATS[fmt]
    out = BytesIO()
    bare.save(out, format=fmt, **options)
    return CleanImage(data=out.getvalue(), ext=ext, width=bare.width, height=bare.height)


THUMB_SIDE = 320  # list pictures show at 96 CSS px: sharp on a 3x phone screen


def write_thumbnail(source: Path, target: Path, side: int = THUMB_SIDE) -> None:
    """A small copy of a stored (already cleaned, bounded) picture, in its own format.

    Written to a temporary name and renamed: two requests making the same one are harmless.
    """
    with Image.open(source) as img:
        fmt = img.format if img.format in FORMATS else "JPEG"
        if fmt == "JPEG":
            img.draft("RGB", (side, side))  # decode at a fraction of the size: much faster
        mode = "RGBA" if fmt != "JPEG" and _has_alpha(img) else "RGB"
        small = img.convert(mode)
        small.thumbnail((side, side), Image.Resampling.LANCZOS)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.part")
    small.save(partial, format=fmt, **{**FORMATS[fmt][1], "quality": 75}
               if fmt != "PNG" else {"optimize": True})
    partial.replace(target)
