"""Field encryption (AES-GCM), keyed lookup hashes and masking for personal data."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

_VERSION = b"v1"


@lru_cache(maxsize=8)
def _keys(master_b64: str) -> tuple[bytes, bytes]:
    master = base64.b64decode(master_b64)
    if len(master) != 32:
        raise ValueError("DATA_ENCRYPTION_KEY must be base64 of exactly 32 bytes")

    def derive(purpose: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)

    return derive(b"lvjian field encryption"), derive(b"lvjian lookup hash")


def _current_keys() -> tuple[bytes, bytes]:
    return _keys(current_app.config["DATA_ENCRYPTION_KEY"])


def encrypt(plaintext: str) -> str:
    enc_key, _ = _current_keys()
    nonce = os.urandom(12)
    sealed = AESGCM(enc_key).encrypt(nonce, plaintext.encode(), _VERSION)
    return _VERSION.decode() + ":" + base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt(token: str) -> str:
    enc_key, _ = _current_keys()
    version, _, payload = token.partition(":")
    if version.encode() != _VERSION:
        raise ValueError("unknown ciphertext version")
    raw = base64.urlsafe_b64decode(payload)
    return AESGCM(enc_key).decrypt(raw[:12], raw[12:], _VERSION).decode()


def lookup_hash(value: str) -> str:
    """A keyed hash: equal inputs match, the database alone can't reverse or brute-force it."""
    _, mac_key = _current_keys()
    return hmac.new(mac_key, value.encode(), hashlib.sha256).hexdigest()


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return phone
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"


def mask_id_card(number: str | None) -> str | None:
    if not number:
        return number
    return number[:4] + "*" * (len(number) - 8) + number[-4:]
