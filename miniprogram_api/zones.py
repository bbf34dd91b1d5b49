"""The online promotion zone: campaign zones, live streams now and coming, reminders."""

from __future__ import annotations

from app.catalog import eligibility
from app.core import auth
from app.core.openapi import Blueprint
from app.zones import services
from app.zones.schemas import (
    LiveSessionDetailSchema,
    LiveSessionListArgs,
    LiveSessionPage,
    RegionArgs,
    ReminderSchema,
    ZoneDetailSchema,
    ZoneListArgs,
    ZonePage,
)

blp = Blueprint("mp-zones", __name__, url_prefix="/api/mp/v1",
                description="线上推销：活动专区与直播")


def _region(args: dict) -> str | None:
    user = auth.current_user() if auth.bearer_token() else None
    return eligibility.judged_in(args.get("region"), user)


@blp.route("/zones")
@blp.arguments(ZoneListArgs, location="query")
@blp.response(200, ZonePage)
def zones(args):
    """Published zones for `region` (by default the signed-in villager's own) that have not
    ended: the current ones first, then those coming."""
    return services.storefront_zones(region=_region(args), limit=args["limit"],
                                     cursor=args["cursor"])


@blp.route("/zones/<int:zone_id>")
@blp.arguments(RegionArgs, location="query")
@blp.response(200, ZoneDetailSchema)
def zone(args, zone_id):
    """A zone with its products (only those eligible in `region`), packages, coupons and
    live sessions."""
    return services.storefront_zone(zone_id, region=_region(args))


@blp.route("/live-sessions")
@blp.arguments(LiveSessionListArgs, location="query")
@blp.response(200, LiveSessionPage)
def live_sessions(args):
    """What is live now (first) and what is coming (soonest first); `state` narrows."""
    return services.storefront_sessions(region=_region(args), state=args.get("state"),
                                        limit=args["limit"], cursor=args["cursor"])


@blp.route("/live-sessions/<int:session_id>")
@blp.response(200, LiveSessionDetailSchema)
def live_session(session_id):
    session = services.public_session(session_id)
    return {"session": session, "products": services.featured_products(session)}


@blp.route("/live-sessions/<int:session_id>/reminder", methods=["POST"])
@auth.auth_required(auth.VILLAGER)
@blp.response(201, ReminderSchema)
@blp.alt_response(200, schema=ReminderSchema, description="已预约过提醒")
def remind(session_id):
    """Remind me shortly before the start (a notification held until then); asking again
    answers 200 with the same reminder."""
    reminder, created = services.remind(auth.current_user(), session_id)
    session = services.public_session(session_id)
    body = {"live_session_id": session.id, "created_at": reminder.created_at,
            "remind_at": session.starts_at - services.REMIND_BEFORE}
    return body, 201 if created else 200
