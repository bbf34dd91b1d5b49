"""Shops and their members (owner and staff)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import TimestampMixin
from app.extensions import db

SHOP_STATUSES = ("pending", "approved", "rejected", "suspended")
SHOP_STATUS_LABELS = {"pending": "待审核", "approved": "已通过", "rejected": "已驳回",
                      "suspended": "已暂停"}


class Shop(TimestampMixin, db.Model):
    __tablename__ = "shops"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")
    address: Mapped[str] = mapped_column(sa.String(255), default="")
    contact_phone: Mapped[str | None] = mapped_column(sa.String(20), default=None)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    enterprise_id: Mapped[int | None] = mapped_column(sa.ForeignKey("enterprises.id"),
                                                      default=None)
    decision_note: Mapped[str | None] = mapped_column(sa.String(255), default=None)
    decided_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    # One-stop shop type (app.offers.models.SHOP_TYPES); None until the owner sets it.
    shop_type: Mapped[str | None] = mapped_column(sa.String(24), default=None)

    members: Mapped[list[ShopMember]] = relationship(back_populates="shop")


class ShopMember(db.Model):
    """A console user belongs to at most one shop, as its owner or as staff."""

    __tablename__ = "shop_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(sa.ForeignKey("shops.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), unique=True)
    role: Mapped[str] = mapped_column(sa.String(20))  # merchant_owner | merchant_staff

    shop: Mapped[Shop] = relationship(back_populates="members")
