"""QR codes as SVG or PNG with `qrcode` alone (pure-Python PNG writer, no Pillow)."""

from __future__ import annotations

import hashlib
import io

import qrcode
from flask import Response
from qrcode.image.pure import PyPNGImage
from qrcode.image.svg import SvgPathImage


def _make(text: str) -> qrcode.QRCode:
    # M correction survives a scratched phone screen; border 2 keeps the code compact.
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=2)
    qr.add_data(text)
    qr.make(fit=True)
    return qr


def svg(text: str) -> bytes:
    buffer = io.BytesIO()
    _make(text).make_image(image_factory=SvgPathImage).save(buffer)
    return buffer.getvalue()


def png(text: str) -> bytes:
    buffer = io.BytesIO()
    _make(text).make_image(image_factory=PyPNGImage).save(buffer)
    return buffer.getvalue()


def version_of(text: str) -> int:
    """The QR version (size) this text needs: smaller reads better on cheap phones."""
    return _make(text).version


def cacheable_response(text: str, kind: str, if_none_match) -> Response:
    """The QR of `text` as SVG or PNG, private-cacheable, 304 when the client has it."""
    etag = hashlib.sha256(f"{kind}:{text}".encode()).hexdigest()[:32]
    if etag in if_none_match:
        response = Response(status=304)  # still with its ETag and caching headers
    else:
        body, mimetype = (svg(text), "image/svg+xml") if kind == "svg" else (png(text),
                                                                           "image/png")
        response = Response(body, mimetype=mimetype)
    response.set_etag(etag)
    response.cache_control.private = True
    response.cache_control.max_age = 3600
    return response
