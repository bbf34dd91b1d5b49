"""Complaints, their timeline, and the holiday calendar their deadlines are counted on."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import TimestampMixin, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.catalog.models import Product
    from app.merchants.models import Shop

CATEGORIES = {
    "quality": "产品质量",
    "fake_certification": "虚假认证",
    "promotion_not_honoured": "优惠未兑现",
    "price": "价格问题",
    "installation_service": "安装与售后服务",
    "expo_organisation": "展会组织",
    "subsidy": "补贴问题",
    "other": "其他",
}
OPEN = ("submitted", "accepted", "awaiting_merchant", "merchant_responded", "mediated")
STATUSES = (*OPEN, "declined", "resolved", "closed")
STATUS_LABELS = {"submitted": "已提交", "accepted": "已受理", "awaiting_merchant": "待商家答复",
                 "merchant_responded": "商家已答复", "mediated": "调解中",
                 "declined": "不予受理", "resolved": "已办结", "closed": "已关闭"}
# What each timeline entry records (the transitions of services.TRANSITIONS, and more).
ACTION_LABELS = {"submit": "提交投诉", "accept": "受理", "decline": "不予受理",
                 "ask_merchant": "转商家处理", "respond": "商家答复", "mediate": "调解",
                 "resolve": "办结", "close": "结案", "rate": "评价", "reopen": "重新打开",
                 "transfer": "转交", "negative_list": "列入负面清单"}


class Complaint(TimestampMixin, db.Model):
    __tablename__ = "complaints"
    __table_args__ = (
        sa.Index("ix_complaints_region_status", "region_code", "status"),
        # The summary report: received and resolved per region in a period.
        sa.Index("ix_complaints_region_submitted", "region_code", "submitted_on"),
        sa.Index("ix_complaints_region_resolved", "region_code", "resolved_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_no: Mapped[str | None] = mapped_column(sa.String(20), unique=True, default=None)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    category: Mapped[str] = mapped_column(sa.String(24))
    description: Mapped[str] = mapped_column(sa.Text)
    contact_phone: Mapped[str | None] = mapped_column(sa.String(20), default=None)
    photos: Mapped[list] = mapped_column(sa.JSON, default=list)
    shop_id: Mapped[int | None] = mapped_column(sa.ForeignKey("shops.id"), index=True,
                                                default=None)
    product_id: Mapped[int | None] = mapped_column(sa.ForeignKey("products.id"), default=None)
    expo_id: Mapped[int | None] = mapped_column(sa.ForeignKey("expos.id"), default=None)
    coupon_id: Mapped[int | None] = mapped_column(sa.ForeignKey("coupons.id"), default=None)
    subsidy_claim_id: Mapped[int | None] = mapped_column(sa.ForeignKey("subsidy_claims.id"),
                                                         default=None)
    # The county whose officers handle it (the merchant's, else the villager's).
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"))
    status: Mapped[str] = mapped_column(sa.String(20), default="submitted")
    submitted_on: Mapped[date]
    accept_due_on: Mapped[date]
    accepted_on: Mapped[date | None] = mapped_column(default=None)
    finish_due_on: Mapped[date | None] = mapped_column(default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    satisfaction: Mapped[int | None] = mapped_column(default=None)
    overdue: Mapped[bool] = mapped_column(default=False, index=True)
    overdue_notified_at: Mapped[datetime | None] = mapped_column(default=None)
    # The current deadline runs into a year no holiday calendar covers (see calendar.py):
    # counted on the statutory days alone, it may move once the year's notice is entered.
    deadline_uncertain: Mapped[bool] = mapped_column(default=False)
    # Where the problem is, as an Open311 client posted it (GeoReport lat/long/address_string).
    latitude: Mapped[float | None] = mapped_column(sa.Float, default=None)
    longitude: Mapped[float | None] = mapped_column(sa.Float, default=None)
    address_string: Mapped[str | None] = mapped_column(sa.String(255), default=None)
    # The Open311 client application it came through, if any.
    open311_key_id: Mapped[int | None] = mapped_column(sa.ForeignKey("open311_keys.id"),
                                                       default=None)

    events: Mapped[list[ComplaintEvent]] = relationship(order_by="ComplaintEvent.id",
                                                        lazy="selectin")
    # the names shown beside the ids; lists load them with selectinload (services.WITH_NAMES)
    shop: Mapped[Shop | None] = relationship(viewonly=True)
    product: Mapped[Product | None] = relationship(viewonly=True)


class ComplaintEvent(db.Model):
    """The timeline: every transition with who (and as what), when, and a note."""

    __tablename__ = "complaint_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(sa.ForeignKey("complaints.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(20))
    from_status: Mapped[str | None] = mapped_column(sa.String(20), default=None)
    to_status: Mapped[str] = mapped_column(sa.String(20))
    by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), default=None)
    by_role: Mapped[str] = mapped_column(sa.String(20))
    note: Mapped[str | None] = mapped_column(sa.Text, default=None)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    # Who acted, for the name the timeline shows (accounts.display).
    by_user: Mapped[User | None] = relationship(lazy="selectin", viewonly=True)


class Holiday(db.Model):
    """A day off on a weekday, or (is_workday) a weekend day worked in exchange (调休)."""

    __tablename__ = "holidays"

    day: Mapped[date] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(40))
    is_workday: Mapped[bool] = mapped_column(default=False)
