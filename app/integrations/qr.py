"""QR codes as SVG or PNG with `qrcode` alone (pure-Python PNG writer, no Pillow)."""

from __future__ import annotations

import io

import qrcode
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
