"""Signed ticket codes a gate can verify offline (pretix's Ed25519 secrets are the model).

A code is base45 (RFC 9285: QR alphanumeric mode, so a small QR) of
    version (1) | expo id (4) | ticket id (4) | random (6) | Ed25519 signature (64)
= 79 bytes → 119 characters. The expo's public key verifies it; the random part changes
whenever a ticket is re-issued, so an old screenshot stops working.
"""

from __future__ import annotations

import base64
import secrets
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.core import crypto

VERSION = 1
_HEADER = struct.Struct(">BII6s")
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_INDEX = {c: i for i, c in enumerate(_ALPHABET)}


def b45encode(data: bytes) -> str:
    out = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        out += [_ALPHABET[n % 45], _ALPHABET[n // 45 % 45], _ALPHABET[n // 2025]]
    if len(data) % 2:
        out += [_ALPHABET[data[-1] % 45], _ALPHABET[data[-1] // 45]]
    return "".join(out)


def b45decode(text: str) -> bytes:
    try:
        values = [_INDEX[c] for c in text]
    except KeyError:
        raise ValueError("not base45") from None
    out = bytearray()
    for i in range(0, len(values), 3):
        chunk = values[i:i + 3]
        if len(chunk) == 3:
            n = chunk[0] + chunk[1] * 45 + chunk[2] * 2025
            if n > 0xFFFF:
                raise ValueError("not base45")
            out += n.to_bytes(2, "big")
        elif len(chunk) == 2:
            n = chunk[0] + chunk[1] * 45
            if n > 0xFF:
                raise ValueError("not base45")
            out.append(n)
        else:
            raise ValueError("not base45")
    return bytes(out)


@dataclass(frozen=True)
class TicketClaim:
    expo_id: int
    ticket_id: int
    secret: str  # hex of the random part


def new_keypair() -> tuple[str, str]:
    """(private key encrypted for the database, public key base64)."""
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes_raw()
    public = private.public_key().public_bytes_raw()
    return crypto.encrypt(base64.b64encode(raw).decode()), base64.b64encode(public).decode()


def new_secret() -> str:
    return secrets.token_hex(6)


def sign(signing_key_enc: str, *, expo_id: int, ticket_id: int, secret: str) -> str:
    key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(crypto.decrypt(signing_key_enc)))
    payload = _HEADER.pack(VERSION, expo_id, ticket_id, bytes.fromhex(secret))
    return b45encode(payload + key.sign(payload))


def read_claim(code: str) -> TicketClaim | None:
    """What a code says, unverified (None if it is not even shaped like one of ours)."""
    try:
        raw = b45decode(code.strip().upper())
    except ValueError:
        return None
    if len(raw) != _HEADER.size + 64 or raw[0] != VERSION:
        return None
    _, expo_id, ticket_id, random = _HEADER.unpack(raw[:_HEADER.size])
    return TicketClaim(expo_id, ticket_id, random.hex())


def verify(code: str, public_key_b64: str) -> TicketClaim | None:
    """The claim if the signature holds under this public key, else None."""
    claim = read_claim(code)
    if claim is None:
        return None
    raw = b45decode(code.strip().upper())
    payload, signature = raw[:_HEADER.size], raw[_HEADER.size:]
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64)).verify(
            signature, payload)
    except (InvalidSignature, ValueError):
        return None
    return claim
