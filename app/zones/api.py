"""Console endpoints of the online promotion zone: admins' zones and officers' live
sessions; merchants' live sessions."""

from __future__ import annotations

from app.catalog.admin_services import scope_region
from app.core import auth
from app.core.openapi import Blueprint
from app.core.pagination import paginate
from app.core.schemas import PageArgs
from app.zones import services
from app.zones.models import CampaignZone, LiveSession
from app.zones.schemas import (
    AdminZoneListArgs,
    LiveSessionPage,
    LiveSessionSchema,
    MerchantSessionArgs,
    OfficerSessionArgs,
    ZoneCreateArgs,
    ZoneEditArgs,
    ZonePage,
    ZoneSchema,
)

blp = Blueprint("zones", __name__, url_prefix="/api/v1", description="线上推销：专区与直播")

ADMIN = auth.ADMIN
MERCHANTS = auth.MERCHANT_ROLES


def _page(stmt, column, args: dict) -> dict:
    return paginate(stmt, column, limit=args["limit"], cursor=args["cursor"])


# ---- admins: zones ----------------------------------------------------------------------

@blp.route("/admin/zones")
@auth.auth_required(ADMIN)
@blp.arguments(AdminZoneListArgs, location="query")
@blp.response(200, ZonePage)
def list_zones(args):
    region = scope_region(auth.current_user(), args.get("region_code"))
    return _page(services.governed_zones(region, args.get("status")), CampaignZone.id, args)


@blp.route("/admin/zones", methods=["POST"])
@auth.auth_required(ADMIN)
@blp.arguments(ZoneCreateArgs)
@blp.response(201, ZoneSchema)
def create_zone(args):
    """A draft zone for the villagers of a region over a period: products, packages and
    coupon templates chosen by the admin."""
    return services.create_zone(auth.current_user(), **args)


@blp.route("/admin/zones/<int:zone_id>")
@auth.auth_required(ADMIN)
@blp.response(200, ZoneSchema)
def get_zone(zone_id):
    return services.governed_zone(auth.current_user(), zone_id)


@blp.route("/admin/zones/<int:zone_id>", methods=["PATCH"])
@auth.auth_required(ADMIN)
@blp.arguments(ZoneEditArgs)
@blp.response(200, ZoneSchema)
def edit_zone(args, zone_id):
    return services.edit_zone(auth.current_user(), zone_id, **args)


@blp.route("/admin/zones/<int:zone_id>/publish", methods=["POST"])
@auth.auth_required(ADMIN)
@blp.response(200, ZoneSchema)
def publish_zone(zone_id):
    return services.set_zone_status(auth.current_user(), zone_id, "published")


@blp.route("/admin/zones/<int:zone_id>/withdraw", methods=["POST"])
@auth.auth_required(ADMIN)
@blp.response(200, ZoneSchema)
def withdraw_zone(zone_id):
    return services.set_zone_status(auth.current_user(), zone_id, "withdrawn")


# ---- admins: officers' live sessions ------------------------------------------------------

@blp.route("/admin/live-sessions")
@auth.auth_required(ADMIN)
@blp.arguments(PageArgs, location="query")
@blp.response(200, LiveSessionPage)
def admin_sessions(args):
    """Live sessions (merchants' and officers') in the admin's region, newest first."""
    region = scope_region(auth.current_user(), None)
    return _page(services.governed_sessions(region), LiveSession.id, args)


@blp.route("/admin/live-sessions", methods=["POST"])
@auth.auth_required(ADMIN)
@blp.arguments(OfficerSessionArgs)
@blp.response(201, LiveSessionSchema)
def create_officer_session(args):
    """An officer's special session (政府部门专场), optionally inside a zone."""
    return services.create_officer_session(auth.current_user(), **args)


@blp.route("/admin/live-sessions/<int:session_id>/cancel", methods=["POST"])
@auth.auth_required(ADMIN)
@blp.response(200, LiveSessionSchema)
def admin_cancel_session(session_id):
    """Cancel any session in the region; villagers who asked for a reminder are told."""
    return services.cancel_session(services.governed_session(auth.current_user(), session_id))


# ---- merchants ----------------------------------------------------------------------------

@blp.route("/merchant/live-sessions")
@auth.auth_required(*MERCHANTS)
@blp.arguments(PageArgs, location="query")
@blp.response(200, LiveSessionPage)
def merchant_sessions(args):
    return _page(services.merchant_sessions(auth.current_user()), LiveSession.id, args)


@blp.route("/merchant/live-sessions", methods=["POST"])
@auth.auth_required(*MERCHANTS)
@blp.arguments(MerchantSessionArgs)
@blp.response(201, LiveSessionSchema)
def create_merchant_session(args):
    """The shop's live session (商家专场): platform, link or live-room id, times, the shop's
    featured products."""
    return services.create_merchant_session(auth.current_user(), **args)


@blp.route("/merchant/live-sessions/<int:session_id>/cancel", methods=["POST"])
@auth.auth_required(*MERCHANTS)
@blp.response(200, LiveSessionSchema)
def merchant_cancel_session(session_id):
    return services.cancel_session(services.own_session(auth.current_user(), session_id))
