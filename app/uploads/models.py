"""One stored private photo: who uploaded it, what it is attached to, when it lapses."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import utcnow
from app.extensions import db

PURPOSES = ("complaint", "invoice")


class Upload(db.Model):
    """Every private file (complaint and invoice photos) has one row: the registry the
    media route authorises against. Unattached rows lapse at `expires_at` and are swept."""

    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    purpose: Mapped[str | None] = mapped_column(sa.String(16), default=None)
    url: Mapped[str] = mapped_column(sa.String(255), unique=True)
    complaint_id: Mapped[int | None] = mapped_column(sa.ForeignKey("complaints.id"), index=True,
                                                     default=None)
    subsidy_claim_id: Mapped[int | None] = mapped_column(sa.ForeignKey("subsidy_claims.id"),
                                                         index=True, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    attached_at: Mapped[datetime | None] = mapped_column(default=None)
