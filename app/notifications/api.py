"""Officers: how notifications to the villagers of their region went (per row and counts).
And the SMS provider's reply callback, where 回复TD退订 arrives."""

from __future__ import annotations

import hmac
import logging

import sqlalchemy as sa
from flask import current_app, request
from marshmallow import Schema, fields

from app.accounts.models import User
from app.core import auth, regions
from app.core.errors import ApiError, not_found
from app.core.openapi import Blueprint
from app.core.pagination import paginate
from app.extensions import db
from app.notifications import services
from app.notifications.models import Notification
from app.notifications.schemas import (
    AdminNotificationArgs,
    AdminNotificationPage,
    DeliverySummarySchema,
)

log = logging.getLogger(__name__)

blp = Blueprint("notifications-admin", __name__, url_prefix="/api/v1/admin",
                description="消息通知：发送状态")


@blp.route("/notifications")
@auth.auth_required(auth.ADMIN)
@blp.arguments(AdminNotificationArgs, location="query")
@blp.response(200, AdminNotificationPage)
def list_notifications(args):
    """Notifications to villagers living in the officer's region, newest first: status
    (pending, sending, sent, failed, skipped), channel, reason, what was sent."""
    officer = auth.current_user()
    stmt = (sa.select(Notification).join(User, User.id == Notification.user_id)
            .where(User.role == auth.VILLAGER,
                   User.region_code.startswith(regions.scope_prefix(officer.region_code or "-"))))
    for name in ("status", "kind", "user_id"):
        if args.get(name) is not None:
            stmt = stmt.where(getattr(Notification, name) == args[name])
    return paginate(stmt, Notification.id, limit=args["limit"], cursor=args["cursor"])


@blp.route("/notifications/summary")
@auth.auth_required(auth.ADMIN)
@blp.response(200, DeliverySummarySchema)
def summary():
    """Counts by status, and of the sent ones by channel, for the officer's region."""
    return services.delivery_counts(auth.current_user().region_code or "-")


class ReplyAck(Schema):
    result = fields.Integer()
    errmsg = fields.String()


callbacks = Blueprint("sms-callbacks", __name__, url_prefix="/api/v1/callbacks",
                      description="短信平台回调")


@callbacks.route("/tencent-sms/replies/<token>", methods=["POST"])
@callbacks.response(200, ReplyAck)
def sms_replies(token: str):
    """Tencent Cloud SMS reply callback (短信回复), the secret SMS_CALLBACK_TOKEN in the path
    (404 otherwise): a JSON list of {mobile, text, ...}; 回复TD退订 opts the number out."""
    expected = current_app.config.get("SMS_CALLBACK_TOKEN")
    if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        raise not_found()
    items = request.get_json(silent=True)
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        raise ApiError(400, "bad_request", "请求格式有误")
    opted = 0
    for item in items[:200]:
        if not isinstance(item, dict):
            continue
        mobile = str(item.get("mobile") or "")[-11:]
        if len(mobile) == 11 and mobile.isdigit():
            opted += services.record_sms_reply(mobile, str(item.get("text") or ""))
    db.session.commit()
    log.info("sms replies: %d received, %d opt-outs", len(items), opted)
    return {"result": 0, "errmsg": "OK"}
