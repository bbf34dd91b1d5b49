"""Short-lived signed links to private photos, for <image> tags that send no token."""

from __future__ import annotations

import hashlib
import time

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner

from app.integrations.storage import MEDIA_PREFIX

# Complaint and invoice photos; products and shops (everything else) are public.
PRIVATE_FOLDERS = frozenset({"complaints", "invoices", "uploads"})
LINK_TTL = 3600  # seconds a link works at most
# Links are dated to this step, so the same photo keeps the same link for a few minutes
# and the browser's private cache can work; a link then works LINK_TTL - LINK_STEP at least.
LINK_STEP = 300
SIGNATURE_PARAM = "s"
_SALT = "lvjian.media.private"


class _SteppedSigner(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(time.time()) // LINK_STEP * LINK_STEP


def _signer() -> _SteppedSigner:
    return _SteppedSigner(current_app.config["SECRET_KEY"], salt=_SALT,
                          digest_method=hashlib.sha256)


def is_private(url: str) -> bool:
    return url.startswith(MEDIA_PREFIX) and (
        url.removeprefix(MEDIA_PREFIX).partition("/")[0] in PRIVATE_FOLDERS)


def signed(url: str | None) -> str | None:
    """The URL to hand out: private photos get a signature valid for about an hour."""
    if not url or not is_private(url):
        return url
    token = _signer().sign(url).decode()[len(url) + 1:]
    return f"{url}?{SIGNATURE_PARAM}={token}"


def check(url: str, token: str) -> str:
    """"ok", "expired" or "invalid" for a link's signature."""
    try:
        _signer().unsign(f"{url}.{token}", max_age=LINK_TTL)
    except SignatureExpired:
        return "expired"
    except BadSignature:
        return "invalid"
    return "ok"
