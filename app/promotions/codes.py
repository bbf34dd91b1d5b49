"""Coupon codes: short, signed, checked online at the till.

base45 of version (1) | coupon id (4) | random (6) | HMAC-SHA256 truncated to 10 bytes
= 21 bytes → 32 characters (a version 2 QR). Redemption is online, so a server-side key
(derived from DATA_ENCRYPTION_KEY) is enough; the random part lives in the database.
"""

from __future__ import annotations

import hmac
import secrets
import struct
from dataclasses import dataclass
from hashlib import sha256

from app.core import crypto
from app.core.base45 import b45decode, b45encode

VERSION = 1
_HEADER = struct.Struct(">BI6s")
_MAC_BYTES = 10


@dataclass(frozen=True)
class CouponClaim:
    coupon_id: int
    secret: str


def _mac(payload: bytes) -> bytes:
    key = crypto.lookup_hash("coupon-code-key").encode()  # a keyed, stable derivation
    return hmac.new(key, payload, sha256).digest()[:_MAC_BYTES]


def new_secret() -> str:
    return secrets.token_hex(6)


def sign(coupon_id: int, secret: str) -> str:
    payload = _HEADER.pack(VERSION, coupon_id, bytes.fromhex(secret))
    return b45encode(payload + _mac(payload))


def verify(code: str) -> CouponClaim | None:
    try:
        raw = b45decode(code.strip().upper())
    except ValueError:
        return None
    if len(raw) != _HEADER.size + _MAC_BYTES or raw[0] != VERSION:
        return None
    payload, mac = raw[:_HEADER.size], raw[_HEADER.size:]
    if not hmac.compare_digest(mac, _mac(payload)):
        return None
    _, coupon_id, random = _HEADER.unpack(payload)
    return CouponClaim(coupon_id, random.hex())
