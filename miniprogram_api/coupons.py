"""Coupons for villagers: what can be claimed, claiming, my coupons and their QR codes."""

from __future__ import annotations

from flask import Response, request

from app.core import auth
from app.core.errors import ApiError
from app.core.idempotency import idempotent
from app.core.openapi import Blueprint
from app.core.pagination import paginate
from app.core.schemas import page_of
from app.extensions import limiter
from app.integrations import qr
from app.promotions import coupons
from app.promotions.models import Coupon, CouponTemplate
from app.promotions.schemas import (
    ClaimableArgs,
    CouponEnvelope,
    CouponSchema,
    MyCouponArgs,
    TemplateSchema,
)

blp = Blueprint("mp-coupons", __name__, url_prefix="/api/mp/v1", description="优惠券")


@blp.route("/coupons")
@blp.arguments(ClaimableArgs, location="query")
@blp.response(200, page_of(TemplateSchema))
def claimable(args):
    """Coupons that can be claimed now, with `remaining`."""
    return paginate(coupons.claimable(shop_id=args.get("merchant"), expo_id=args.get("expo")),
                    CouponTemplate.id, limit=args["limit"], cursor=args["cursor"])


@blp.route("/coupons/<int:template_id>/claim", methods=["POST"])
@auth.auth_required(auth.VILLAGER)
@limiter.limit("30 per minute")  # per villager (auth.rate_limit_key)
@idempotent
@blp.response(201, CouponEnvelope)
def claim(template_id):
    """First come, first served: 409 coupon_sold_out or coupon_limit_reached when not."""
    return {"coupon": coupons.claim(template_id, auth.current_user())}


@blp.route("/me/coupons")
@auth.auth_required(auth.VILLAGER)
@blp.arguments(MyCouponArgs, location="query")
@blp.response(200, page_of(CouponSchema))
def my_coupons(args):
    return paginate(coupons.my_coupons(auth.current_user(), status=args.get("status")),
                    Coupon.id, limit=args["limit"], cursor=args["cursor"])


def _qr(coupon_id: int, kind: str) -> Response:
    coupon = coupons.get_my_coupon(coupon_id, auth.current_user())
    if coupons.display_status(coupon) != "unused":
        raise ApiError(409, "coupon_not_usable", "该优惠券已使用或已过期")
    return qr.cacheable_response(coupons.coupon_code(coupon), kind, request.if_none_match)


@blp.route("/me/coupons/<int:coupon_id>/qr.svg")
@auth.auth_required(auth.VILLAGER)
@blp.response(200, content_type="image/svg+xml", description="the coupon's QR code")
def coupon_qr_svg(coupon_id):
    return _qr(coupon_id, "svg")


@blp.route("/me/coupons/<int:coupon_id>/qr.png")
@auth.auth_required(auth.VILLAGER)
@blp.response(200, content_type="image/png", description="the coupon's QR code")
def coupon_qr_png(coupon_id):
    return _qr(coupon_id, "png")
