"""Uploaded photos: checked by content, bounded, re-encoded without EXIF or other metadata."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from PIL import Image, ImageOps, UnidentifiedImageError

from app.core.errors import ApiError

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 50_000_000  # refused before decoding: a small file can expand to gigabytes
MAX_SIDE = 2560  # longest side stored; villagers' phones and rural networks need no more
# Pillow format → (stored extension, save options)
FORMATS: dict[str, tuple[str, dict]] = {
    "JPEG": ("jpg", {"quality": 85, "optimize": True, "progressive": True}),
    "PNG": ("png", {}),
    "WEBP": ("webp", {"quality": 85, "method": 4}),
}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
_DECODE_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError,
                  Image.DecompressionBombError)


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


def clean_image(data: bytes, *, field: str = "image") -> CleanImage:
    """Check that `data` is a whole JPEG, PNG or WebP image and return a clean copy.

    The copy is decoded pixels re-encoded in the same format: EXIF (GPS positions of
    villagers' homes), XMP, ICC and text chunks do not survive. The EXIF orientation is
    applied first so the photo still shows upright; animations keep their first frame.
    Raises ApiError(422) with a message for `field` otherwise.
    """
    if not data:
        raise _refuse("image_empty", "上传的图片是空文件", field)
    if len(data) > MAX_IMAGE_BYTES:
        raise _too_large(field, f"图片不能超过 {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
    try:
        probe = Image.open(BytesIO(data), formats=list(FORMATS))
    except Image.DecompressionBombError:
        raise _too_large(field) from None
    except _DECODE_ERRORS:
        raise _invalid(field) from None
    with probe:
        fmt = probe.format
        if probe.width * probe.height > MAX_PIXELS:
            raise _too_large(field)
        try:
            probe.verify()  # structure and checksums, without decoding
        except _DECODE_ERRORS:
            raise _damaged(field) from None
    try:
        with Image.open(BytesIO(data), formats=[fmt]) as img:
            if fmt == "JPEG":
                img.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode big photos at a reduced scale
            img.load()  # every pixel: a truncated or corrupt file fails here
            return _reencode(ImageOps.exif_transpose(img), fmt)
    except _DECODE_ERRORS:
        raise _damaged(field) from None


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
