"""Merchant console: the shop's type, its service offers and its home-visit bookings."""

from __future__ import annotations

from app.core import auth
from app.core.openapi import Blueprint
from app.core.pagination import paginate
from app.core.schemas import PageArgs
from app.offers import services
from app.offers.models import HomeVisitBooking, ServiceOffer
from app.offers.schemas import (
    BookingListArgs,
    BookingPage,
    BookingSchema,
    BookingTransitionArgs,
    OfferCreateArgs,
    OfferEditArgs,
    OfferPage,
    OfferSchema,
    ShopTypeArgs,
    ShopTypeSchema,
)

blp = Blueprint("offers", __name__, url_prefix="/api/v1/merchant",
                description="商家后台：一站式服务项目与预约上门")

OWNER = auth.MERCHANT_OWNER
MERCHANTS = auth.MERCHANT_ROLES


@blp.route("/shop/type", methods=["PUT"])
@auth.auth_required(OWNER)
@blp.arguments(ShopTypeArgs)
@blp.response(200, ShopTypeSchema)
def set_shop_type(args):
    """The shop's type: 绿色建材超市, 专卖店, 体验馆, 设计公司, 装饰施工公司."""
    return services.set_shop_type(auth.current_user(), args["shop_type"])


@blp.route("/offers")
@auth.auth_required(*MERCHANTS)
@blp.arguments(PageArgs, location="query")
@blp.response(200, OfferPage)
def list_offers(args):
    return paginate(services.shop_offers(auth.current_user()), ServiceOffer.id,
                    limit=args["limit"], cursor=args["cursor"])


@blp.route("/offers", methods=["POST"])
@auth.auth_required(OWNER)
@blp.arguments(OfferCreateArgs)
@blp.response(201, OfferSchema)
def create_offer(args):
    """A service (measuring, design, installation, construction) at a price, or without
    one: quoted on the visit."""
    return services.create_offer(auth.current_user(), **args)


@blp.route("/offers/<int:offer_id>", methods=["PATCH"])
@auth.auth_required(OWNER)
@blp.arguments(OfferEditArgs)
@blp.response(200, OfferSchema)
def edit_offer(args, offer_id):
    return services.edit_offer(auth.current_user(), offer_id, **args)


@blp.route("/bookings")
@auth.auth_required(*MERCHANTS)
@blp.arguments(BookingListArgs, location="query")
@blp.response(200, BookingPage)
def list_bookings(args):
    """Home-visit requests to the shop, newest first."""
    return paginate(services.shop_bookings(auth.current_user(), args.get("status")),
                    HomeVisitBooking.id, limit=args["limit"], cursor=args["cursor"])


@blp.route("/bookings/<int:booking_id>")
@auth.auth_required(*MERCHANTS)
@blp.response(200, BookingSchema)
def get_booking(booking_id):
    return services.shop_booking(auth.current_user(), booking_id)


@blp.route("/bookings/<int:booking_id>/transition", methods=["POST"])
@auth.auth_required(*MERCHANTS)
@blp.arguments(BookingTransitionArgs)
@blp.response(200, BookingSchema)
def transition(args, booking_id):
    """accept a request; schedule (scheduled_at) or reschedule an accepted one; complete a
    scheduled one; decline (note) a request or an accepted one. The villager is notified."""
    return services.transition(auth.current_user(), booking_id, **args)
