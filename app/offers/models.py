"""One-stop shops' service offers (测量、设计、安装、施工) and home-visit bookings (预约上门)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import TimestampMixin
from app.extensions import db

SHOP_TYPES = ("supermarket", "specialty_store", "experience_hall", "design_company",
              "decoration_company")
SHOP_TYPE_LABELS = {"supermarket": "绿色建材超市", "specialty_store": "专卖店",
                    "experience_hall": "体验馆", "design_company": "设计公司",
                    "decoration_company": "装饰施工公司"}
OFFER_KINDS = ("measure", "design", "installation", "construction")
OFFER_KIND_LABELS = {"measure": "上门测量", "design": "设计", "installation": "安装",
                     "construction": "施工"}
BOOKING_STATUSES = ("requested", "accepted", "scheduled", "completed", "declined", "cancelled")
BOOKING_STATUS_LABELS = {"requested": "待商家确认", "accepted": "已接单", "scheduled": "已排期",
                         "completed": "已完成", "declined": "已拒绝", "cancelled": "已取消"}


class ServiceOffer(TimestampMixin, db.Model):
    """A service a shop offers, at a price or quoted on the visit (price_fen None)."""

    __tablename__ = "service_offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(sa.ForeignKey("shops.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    name: Mapped[str] = mapped_column(sa.String(60))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    price_fen: Mapped[int | None] = mapped_column(default=None)
    price_unit: Mapped[str] = mapped_column(sa.String(16), default="次")
    active: Mapped[bool] = mapped_column(default=True)

    shop = relationship("Shop", lazy="joined")


class HomeVisitBooking(TimestampMixin, db.Model):
    """A villager's request for a home visit; the shop accepts, schedules, completes or
    declines it, the villager may cancel it while it is open."""

    __tablename__ = "home_visit_bookings"
    __table_args__ = (sa.Index("ix_home_visit_bookings_shop_status", "shop_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    shop_id: Mapped[int] = mapped_column(sa.ForeignKey("shops.id"))
    offer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("service_offers.id"),
                                                 default=None)
    address: Mapped[str] = mapped_column(sa.String(255))
    phone: Mapped[str] = mapped_column(sa.String(20))
    preferred_at: Mapped[datetime]
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    status: Mapped[str] = mapped_column(sa.String(12), default="requested")
    scheduled_at: Mapped[datetime | None] = mapped_column(default=None)
    merchant_note: Mapped[str | None] = mapped_column(sa.String(255), default=None)
    decided_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), default=None)
    completed_at: Mapped[datetime | None] = mapped_column(default=None)

    shop = relationship("Shop", lazy="joined")
    offer: Mapped[ServiceOffer | None] = relationship(lazy="joined")
