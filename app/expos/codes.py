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
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.core import crypto
from app.core.base45 import b45decode, b45encode

VERSION = 1
_HEADER = struct.Struct(">BII6s")


@dataclass(frozen=True)
class TicketClaim:
    """What a code says, decoded once; `verify` checks its signature under an expo's key."""

    expo_id: int
    ticket_id: int
    secret: str  # hex of the random part
    payload: bytes = field(default=b"", repr=False, compare=False)
    signature: bytes = field(default=b"", repr=False, compare=False)


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


def parse(code: str) -> TicketClaim | None:
    """What a code says, unverified (None if it is not even shaped like one of ours)."""
    try:
        raw = b45decode(code.strip().upper())
    except ValueError:
        return None
    if len(raw) != _HEADER.size + 64 or raw[0] != VERSION:
        return None
    _, expo_id, ticket_id, random = _HEADER.unpack(raw[:_HEADER.size])
    return TicketClaim(expo_id, ticket_id, random.hex(), raw[:_HEADER.size],
                       raw[_HEADER.size:])


def verify(code: str | TicketClaim, public_key_b64: str) -> TicketClaim | None:
    """The claim if the signature holds under this public key, else None. Takes the code,
    or the claim `parse` made of it (the gate decodes a code once)."""
    claim = parse(code) if isinstance(code, str) else code
    if claim is None:
        return None
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64)).verify(
            claim.signature, claim.payload)
    except (InvalidSignature, ValueError):
        return None
    return claim
