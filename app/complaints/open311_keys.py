"""Open311 API keys: issued by an officer to a named client application, kept only hashed."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import utcnow
from app.extensions import db

KEY_PREFIX = "o311_"


def new_raw_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def key_hash(raw: str) -> str:
    # 256 random bits need no slow hash: a plain digest can't be searched back to the key.
    return hashlib.sha256(raw.encode()).hexdigest()


class Open311Key(db.Model):
    """One client application's key. Complaints filed with the key alone (no villager token)
    are attributed to `reporter`, an account of its own that cannot log in."""

    __tablename__ = "open311_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    # The first characters in clear, so officers can tell keys apart in the list.
    key_prefix: Mapped[str] = mapped_column(sa.String(16))
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # Complaints through this key must lie inside this region (the issuing officer's or below).
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"))
    reporter_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    issued_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), default=None)

    issued_by = relationship("User", foreign_keys=[issued_by_id], lazy="joined",
                             viewonly=True)
