"""Expos, booths, staff assignments, tickets and every scan at the gate."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import TimestampMixin, utcnow
from app.extensions import db

EXPO_STATUSES = ("draft", "published", "cancelled", "finished")
TICKET_STATUSES = ("registered", "waitlisted", "cancelled", "revoked")
SCAN_RESULTS = ("admitted", "already_admitted", "wrong_expo", "cancelled", "revoked",
                "waitlisted", "expo_cancelled", "not_open", "invalid")

# The Chinese beside each status code (API.md: `status_label`) and each gate answer.
EXPO_STATUS_LABELS = {"draft": "草稿", "published": "已发布", "cancelled": "已取消",
                      "finished": "已结束"}
TICKET_STATUS_LABELS = {"registered": "已报名", "waitlisted": "候补中", "cancelled": "已取消",
                        "revoked": "已作废"}
BOOTH_STATUS_LABELS = {"applied": "待审核", "approved": "已通过", "rejected": "未通过"}
SCAN_RESULT_LABELS = {"admitted": "准予入场", "already_admitted": "已入场过",
                      "wrong_expo": "非本场门票", "cancelled": "门票已取消",
                      "revoked": "门票已被主办方作废", "waitlisted": "候补中，尚未获得名额",
                      "expo_cancelled": "展会已取消", "not_open": "未到入场时间或已结束",
                      "invalid": "无效二维码"}


class Expo(TimestampMixin, db.Model):
    __tablename__ = "expos"
    __table_args__ = (
        sa.CheckConstraint("registered_count >= 0 AND registered_count <= capacity",
                           name="seats_within_capacity"),
        # The summary report: expos held in a region (prefix) and period.
        sa.Index("ix_expos_township_starts", "township_code", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    township_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    organiser_region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    venue: Mapped[str] = mapped_column(sa.String(200))
    latitude: Mapped[float | None] = mapped_column(default=None)
    longitude: Mapped[float | None] = mapped_column(default=None)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    registration_opens_at: Mapped[datetime]
    registration_closes_at: Mapped[datetime]
    capacity: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(12), default="draft", index=True)
    # Seats taken: moved only by conditional UPDATEs, and the check constraint backs them.
    registered_count: Mapped[int] = mapped_column(default=0)
    waitlist_seq: Mapped[int] = mapped_column(default=0)
    # Bumped whenever a gate device's offline bundle would change.
    bundle_version: Mapped[int] = mapped_column(default=1)
    signing_key_enc: Mapped[str] = mapped_column(sa.String(255))
    public_key: Mapped[str] = mapped_column(sa.String(64))
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), default=None)
    cancelled_at: Mapped[datetime | None] = mapped_column(default=None)


class ExpoBooth(TimestampMixin, db.Model):
    __tablename__ = "expo_booths"
    __table_args__ = (sa.UniqueConstraint("expo_id", "shop_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    expo_id: Mapped[int] = mapped_column(sa.ForeignKey("expos.id"), index=True)
    shop_id: Mapped[int] = mapped_column(sa.ForeignKey("shops.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(12), default="applied")
    booth_no: Mapped[str | None] = mapped_column(sa.String(20), default=None)
    note: Mapped[str | None] = mapped_column(sa.String(255), default=None)
    decided_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)

    shop = relationship("Shop", lazy="joined")


class ExpoStaff(db.Model):
    __tablename__ = "expo_staff"
    __table_args__ = (sa.UniqueConstraint("expo_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    expo_id: Mapped[int] = mapped_column(sa.ForeignKey("expos.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    assigned_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), default=None)
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)


class ExpoTicket(TimestampMixin, db.Model):
    """One per villager and expo; registering again returns (or revives) the same row."""

    __tablename__ = "expo_tickets"
    __table_args__ = (
        sa.UniqueConstraint("expo_id", "user_id"),
        sa.Index("ix_expo_tickets_waiting", "expo_id", "status", "waiting_position"),
        # the summary report's admissions per expo (migration 0019)
        sa.Index("ix_expo_tickets_admitted", "expo_id",
                 postgresql_where=sa.text("admitted_at IS NOT NULL"),
                 sqlite_where=sa.text("admitted_at IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    expo_id: Mapped[int] = mapped_column(sa.ForeignKey("expos.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(12))
    waiting_position: Mapped[int | None] = mapped_column(default=None)
    # The random part of the signed code; a new one on every (re)issue kills old codes.
    secret: Mapped[str] = mapped_column(sa.String(16))
    admitted_at: Mapped[datetime | None] = mapped_column(default=None)
    admitted_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), default=None)
    cancelled_at: Mapped[datetime | None] = mapped_column(default=None)
    # The expo's bundle_version when this ticket last changed: offline deltas use it.
    changed_version: Mapped[int] = mapped_column(default=0)

    expo: Mapped[Expo] = relationship(lazy="joined")
    holder = relationship("User", foreign_keys=[user_id], lazy="select", viewonly=True)


class ExpoScan(db.Model):
    """Every scan at the gate, good or bad, online or uploaded from an offline device."""

    __tablename__ = "expo_scans"
    __table_args__ = (
        sa.UniqueConstraint("expo_id", "nonce"),
        sa.Index("ix_expo_scans_expo_received", "expo_id", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    expo_id: Mapped[int] = mapped_column(sa.ForeignKey("expos.id"))
    ticket_id: Mapped[int | None] = mapped_column(sa.ForeignKey("expo_tickets.id"), index=True,
                                                  default=None)
    raw_code: Mapped[str] = mapped_column(sa.String(300))
    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    device_id: Mapped[str | None] = mapped_column(sa.String(64), default=None)
    nonce: Mapped[str | None] = mapped_column(sa.String(64), default=None)
    scanned_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    result: Mapped[str] = mapped_column(sa.String(20))
    offline: Mapped[bool] = mapped_column(default=False)
    # An offline admission that lost to an earlier one: the same person let in twice.
    duplicate: Mapped[bool] = mapped_column(default=False)
