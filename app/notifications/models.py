"""Notification rows (the outbox), WeChat subscribe consent credits, SMS opt-outs."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import utcnow
from app.extensions import db


class Notification(db.Model):
    """One message to one person. `channel` is "auto" until delivery picks wechat, sms or
    inapp; `status` goes pending → sending → sent | failed | skipped (with `last_error` as the
    reason), or back to pending with `not_before` when it has to wait (quiet hours, backoff)."""

    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_target_hash_sent_at", "target_hash", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    channel: Mapped[str] = mapped_column(sa.String(20), default="auto")
    status: Mapped[str] = mapped_column(sa.String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(255), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    # One row per event that must happen once (e.g. "expo_reminder:<ticket id>").
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(80), unique=True, default=None)
    # Not to be attempted before this (quiet hours, backoff after a transient error).
    not_before: Mapped[datetime | None] = mapped_column(index=True, default=None)
    # When a job took the row for sending: a row stuck in "sending" is never sent again.
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    # Keyed hash of the phone an SMS went to (the per-phone daily cap), never the phone.
    target_hash: Mapped[str | None] = mapped_column(sa.String(64), default=None)
    # What went out (or would have, in dev mode): template, values, page; phones masked.
    payload: Mapped[dict | None] = mapped_column(sa.JSON, default=None)


class WechatSubscription(db.Model):
    """Consent credits: each acceptance of a template in wx.requestSubscribeMessage allows
    exactly one subscribe message with that template."""

    __tablename__ = "wechat_subscriptions"
    __table_args__ = (sa.UniqueConstraint("user_id", "template_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    template_id: Mapped[str] = mapped_column(sa.String(64))
    credits: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SmsOptOut(db.Model):
    """A phone that asked for no more notification SMS (回复TD退订, or the profile switch).
    Only the keyed hash of the phone is kept."""

    __tablename__ = "sms_opt_outs"

    phone_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
