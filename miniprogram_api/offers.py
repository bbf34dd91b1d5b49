"""One-stop services near the villager and home-visit bookings (预约上门)."""

from __future__ import annotations

from app.catalog import eligibility
from app.core import auth
from app.core.openapi import Blueprint
from app.core.pagination import paginate
from app.offers import services
from app.offers.models import HomeVisitBooking, ServiceOffer
from app.offers.schemas import (
    BookingArgs,
    BookingListArgs,
    BookingPage,
    BookingSchema,
    OfferListArgs,
    OfferPage,
)

blp = Blueprint("mp-offers", __name__, url_prefix="/api/mp/v1",
                description="一站式服务与预约上门")


@blp.route("/service-offers")
@blp.arguments(OfferListArgs, location="query")
@blp.response(200, OfferPage)
def offers(args):
    """Services of approved shops in the county of `region` (by default the signed-in
    villager's own), with their prices or 上门报价."""
    user = auth.current_user() if auth.bearer_token() else None
    region = eligibility.judged_in(args.get("region"), user)
    stmt = services.public_offers(region=region, kind=args.get("kind"),
                                  shop_id=args.get("shop_id"), shop_type=args.get("shop_type"))
    return paginate(stmt, ServiceOffer.id, limit=args["limit"], cursor=args["cursor"])


@blp.route("/me/bookings", methods=["POST"])
@auth.auth_required(auth.VILLAGER)
@blp.arguments(BookingArgs)
@blp.response(201, BookingSchema)
def book(args):
    """Ask a shop for a home visit: the address, the preferred time and a phone."""
    return services.book(auth.current_user(), **args)


@blp.route("/me/bookings")
@auth.auth_required(auth.VILLAGER)
@blp.arguments(BookingListArgs, location="query")
@blp.response(200, BookingPage)
def my_bookings(args):
    stmt = services.my_bookings(auth.current_user())
    if args.get("status"):
        stmt = stmt.where(HomeVisitBooking.status == args["status"])
    return paginate(stmt, HomeVisitBooking.id, limit=args["limit"], cursor=args["cursor"])


@blp.route("/me/bookings/<int:booking_id>")
@auth.auth_required(auth.VILLAGER)
@blp.response(200, BookingSchema)
def my_booking(booking_id):
    return services.my_booking(auth.current_user(), booking_id)


@blp.route("/me/bookings/<int:booking_id>/cancel", methods=["POST"])
@auth.auth_required(auth.VILLAGER)
@blp.response(200, BookingSchema)
def cancel(booking_id):
    """Cancel a booking while it is open; the shop is notified."""
    return services.cancel(auth.current_user(), booking_id)
