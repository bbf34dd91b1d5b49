"""The villager's notification consent (WeChat subscribe messages) and SMS switch."""

from __future__ import annotations

from app.core import auth
from app.core.idempotency import idempotent
from app.core.openapi import Blueprint
from app.extensions import limiter
from app.notifications import services
from app.notifications.schemas import (
    SettingsArgs,
    SettingsSchema,
    SubscriptionArgs,
    SubscriptionList,
)

blp = Blueprint("mp-notifications", __name__, url_prefix="/api/mp/v1/me",
                description="我的：消息通知")


@blp.route("/subscriptions")
@auth.auth_required(auth.VILLAGER)
@blp.response(200, SubscriptionList)
def list_subscriptions():
    """Each event's template id (for wx.requestSubscribeMessage) and the credits held."""
    return {"items": services.subscriptions_of(auth.current_user())}


@blp.route("/subscriptions", methods=["POST"])
@auth.auth_required(auth.VILLAGER)
@limiter.limit("30 per minute")  # per villager (auth.rate_limit_key)
@idempotent
@blp.arguments(SubscriptionArgs)
@blp.response(200, SubscriptionList)
def record_subscriptions(args):
    """Record the templates the villager accepted: one subscribe message each (422
    unknown_template for ids that are not ours)."""
    return {"items": services.record_subscriptions(auth.current_user(), args["template_ids"])}


@blp.route("/notification-settings")
@auth.auth_required(auth.VILLAGER)
@blp.response(200, SettingsSchema)
def get_settings():
    return services.settings_of(auth.current_user())


@blp.route("/notification-settings", methods=["PUT"])
@auth.auth_required(auth.VILLAGER)
@blp.arguments(SettingsArgs)
@blp.response(200, SettingsSchema)
def put_settings(args):
    """The profile switch for notification SMS (login codes are always sent); 409
    phone_required without a bound phone."""
    return services.set_sms_enabled(auth.current_user(), args["sms_enabled"])
