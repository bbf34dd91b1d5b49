"""notify(): record a notification with the change and deliver it in the background."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

from app.core.db import utcnow
from app.extensions import db
from app.integrations.queue import enqueue_after_commit, job
from app.notifications.models import Notification

log = logging.getLogger(__name__)


def notify(user: Any, kind: str, data: dict | None = None, *, channel: str = "log") -> Notification:
    """Queue a message for `user`. Call inside the transaction of the change it reports."""
    user_id = user if isinstance(user, int) else user.id
    notification = Notification(user_id=user_id, kind=kind, data=data or {}, channel=channel)
    db.session.add(notification)
    db.session.flush()
    enqueue_after_commit(deliver_notification, notification.id)
    return notification


def _send_log(notification: Notification) -> None:
    # Only ids and the kind: data may hold personal details.
    log.info("notification %s (%s) delivered to user %s via log channel",
             notification.id, notification.kind, notification.user_id)


CHANNELS = {"log": _send_log}


@job
def deliver_notification(notification_id: int) -> str:
    notification = db.session.get(Notification, notification_id, with_for_update=True)
    if notification is None or notification.status == "sent":
        return "skipped"
    notification.attempts += 1
    try:
        CHANNELS[notification.channel](notification)
    except Exception as exc:
        notification.status = "failed" if notification.attempts >= 3 else "pending"
        notification.last_error = f"{exc.__class__.__name__}"[:255]
        db.session.commit()
        raise
    notification.status = "sent"
    notification.sent_at = utcnow()
    return "sent"


def pending_notification_ids(limit: int = 500) -> list[int]:
    stmt = (sa.select(Notification.id).where(Notification.status == "pending")
            .order_by(Notification.id).limit(limit))
    return list(db.session.scalars(stmt))
