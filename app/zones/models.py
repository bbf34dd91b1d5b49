"""The online promotion zone (线上推销): campaign zones (专区) admins curate for a period,
and live-stream sessions (直播专场) of merchants and officers, with villagers' reminders."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import TimestampMixin, utcnow
from app.extensions import db

ZONE_STATUSES = ("draft", "published", "withdrawn")
ZONE_STATUS_LABELS = {"draft": "草稿", "published": "已发布", "withdrawn": "已撤回"}
# Derived from the period and the clock (China time), never stored.
TIME_STATES = ("upcoming", "current", "ended")
TIME_STATE_LABELS = {"upcoming": "即将开始", "current": "进行中", "ended": "已结束"}
LIVE_STATES = ("upcoming", "live", "ended", "cancelled")
LIVE_STATE_LABELS = {"upcoming": "即将开播", "live": "直播中", "ended": "已结束",
                     "cancelled": "已取消"}
PLATFORMS = ("wechat_channels", "douyin", "kuaishou", "other")
PLATFORM_LABELS = {"wechat_channels": "微信视频号", "douyin": "抖音", "kuaishou": "快手",
                   "other": "其他平台"}
HOST_KINDS = ("merchant", "officer")
HOST_KIND_LABELS = {"merchant": "商家专场", "officer": "政府部门专场"}


class CampaignZone(TimestampMixin, db.Model):
    __tablename__ = "campaign_zones"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    region_code: Mapped[str] = mapped_column(sa.String(12), index=True)  # villagers inside it
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    product_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    package_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    coupon_template_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    status: Mapped[str] = mapped_column(sa.String(12), default="draft")
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), default=None)


class LiveSession(TimestampMixin, db.Model):
    """A live stream: where (the platform and the link or live-room id the mini-program
    opens), when, who hosts it, what it features; optionally inside a zone."""

    __tablename__ = "live_sessions"
    __table_args__ = (sa.Index("ix_live_sessions_starts_at", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int | None] = mapped_column(sa.ForeignKey("campaign_zones.id"), index=True,
                                                default=None)
    host_kind: Mapped[str] = mapped_column(sa.String(10))
    shop_id: Mapped[int | None] = mapped_column(sa.ForeignKey("shops.id"), index=True,
                                                default=None)
    host_name: Mapped[str] = mapped_column(sa.String(120))
    region_code: Mapped[str] = mapped_column(sa.String(12))
    title: Mapped[str] = mapped_column(sa.String(120))
    platform: Mapped[str] = mapped_column(sa.String(20))
    live_url: Mapped[str | None] = mapped_column(sa.String(500), default=None)
    room_id: Mapped[str | None] = mapped_column(sa.String(100), default=None)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    product_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    cancelled_at: Mapped[datetime | None] = mapped_column(default=None)
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), default=None)

    shop = relationship("Shop", lazy="joined")


class LiveReminder(db.Model):
    __tablename__ = "live_reminders"
    __table_args__ = (sa.UniqueConstraint("session_id", "user_id",
                                          name="uq_live_reminders_session_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("live_sessions.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    notification_id: Mapped[int | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
