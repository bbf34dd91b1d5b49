"""Service offers and home-visit bookings (预约上门).

A booking moves requested → accepted → scheduled → completed, or is declined by the shop
(from requested or accepted) or cancelled by the villager (while open). Only the booked shop
moves it; every step is notified (app.notifications.services.notify): the shop's owners when a
villager books or cancels, the villager at each of the shop's steps.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from app.core import auth
from app.core.db import utcnow
from app.core.errors import ApiError, conflict, not_found
from app.core.regions import scope_prefix
from app.extensions import db
from app.merchants.models import Shop, ShopMember
from app.merchants.services import working_shop
from app.notifications.services import notify
from app.offers.models import HomeVisitBooking, ServiceOffer

OPEN = ("requested", "accepted", "scheduled")
# action: (from statuses, to status)
MERCHANT_TRANSITIONS = {"accept": (("requested",), "accepted"),
                        "schedule": (("accepted", "scheduled"), "scheduled"),
                        "complete": (("scheduled",), "completed"),
                        "decline": (("requested", "accepted"), "declined")}


def _refuse(field: str, message: str) -> ApiError:
    return ApiError(422, "validation_error", "提交的信息有误，请检查后重试", {field: [message]})


def _notify_owners(shop_id: int, kind: str, data: dict) -> None:
    owners = db.session.scalars(sa.select(ShopMember.user_id).where(
        ShopMember.shop_id == shop_id, ShopMember.role == auth.MERCHANT_OWNER))
    for user_id in owners:
        notify(user_id, kind, data)


# ---- shops and offers --------------------------------------------------------------------

def set_shop_type(user: Any, shop_type: str) -> Shop:
    shop = working_shop(user)
    shop.shop_type = shop_type
    db.session.flush()
    return shop


def create_offer(user: Any, **values: Any) -> ServiceOffer:
    shop = working_shop(user)
    offer = ServiceOffer(shop_id=shop.id, **values)
    db.session.add(offer)
    db.session.flush()
    return offer


def own_offer(user: Any, offer_id: int) -> ServiceOffer:
    shop = working_shop(user)
    offer = db.session.get(ServiceOffer, offer_id)
    if offer is None or offer.shop_id != shop.id:
        raise not_found("offer_not_found", "服务项目不存在")
    return offer


def edit_offer(user: Any, offer_id: int, **values: Any) -> ServiceOffer:
    offer = own_offer(user, offer_id)
    for name, value in values.items():
        setattr(offer, name, value)
    db.session.flush()
    return offer


def shop_offers(user: Any) -> sa.Select:
    return sa.select(ServiceOffer).where(ServiceOffer.shop_id == working_shop(user).id)


def public_offers(*, region: str | None, kind: str | None, shop_id: int | None,
                  shop_type: str | None) -> sa.Select:
    """Active offers of approved shops; in `region` means the shop is inside its county (or
    the region itself when it is wider)."""
    stmt = (sa.select(ServiceOffer).join(Shop, Shop.id == ServiceOffer.shop_id)
            .where(ServiceOffer.active.is_(True), Shop.status == "approved"))
    if region:
        county = region[:6]
        stmt = stmt.where(Shop.region_code.startswith(scope_prefix(county)))
    if kind:
        stmt = stmt.where(ServiceOffer.kind == kind)
    if shop_id:
        stmt = stmt.where(ServiceOffer.shop_id == shop_id)
    if shop_type:
        stmt = stmt.where(Shop.shop_type == shop_type)
    return stmt


# ---- bookings ----------------------------------------------------------------------------

def book(user: Any, *, offer_id: int | None, shop_id: int | None, address: str, phone: str,
         preferred_at: datetime, note: str = "") -> HomeVisitBooking:
    """A villager's home-visit request, for one offer or the shop in general."""
    offer = None
    if offer_id is not None:
        offer = db.session.get(ServiceOffer, offer_id)
        if offer is None or not offer.active:
            raise _refuse("offer_id", "服务项目不存在或已停止")
        if shop_id is not None and shop_id != offer.shop_id:
            raise _refuse("shop_id", "服务项目不属于该店铺")
        shop_id = offer.shop_id
    if shop_id is None:
        raise _refuse("shop_id", "请选择店铺或服务项目")
    shop = db.session.get(Shop, shop_id)
    if shop is None or shop.status != "approved":
        raise _refuse("shop_id", "店铺不存在或未营业")
    if preferred_at <= utcnow():
        raise _refuse("preferred_at", "预约时间须晚于现在")
    booking = HomeVisitBooking(user_id=user.id, shop_id=shop.id,
                               offer_id=offer.id if offer else None, address=address,
                               phone=phone, preferred_at=preferred_at, note=note)
    db.session.add(booking)
    db.session.flush()
    _notify_owners(shop.id, "booking_requested", {"booking_id": booking.id})
    return booking


def my_bookings(user: Any) -> sa.Select:
    return sa.select(HomeVisitBooking).where(HomeVisitBooking.user_id == user.id)


def my_booking(user: Any, booking_id: int) -> HomeVisitBooking:
    booking = db.session.get(HomeVisitBooking, booking_id)
    if booking is None:
        raise not_found("booking_not_found", "预约不存在")
    auth.require_owner(booking.user_id, user)
    return booking


def _lock(booking_id: int) -> HomeVisitBooking | None:
    # Only the booking's row: its eager-loaded offer is an outer join, which PostgreSQL
    # cannot lock.
    return db.session.scalar(
        sa.select(HomeVisitBooking).where(HomeVisitBooking.id == booking_id)
        .with_for_update(of=HomeVisitBooking.__table__)
        .execution_options(populate_existing=True))


def cancel(user: Any, booking_id: int) -> HomeVisitBooking:
    my_booking(user, booking_id)
    booking = _lock(booking_id)
    if booking.status not in OPEN:
        raise conflict("invalid_transition", "该预约当前不能取消")
    booking.status = "cancelled"
    db.session.flush()
    _notify_owners(booking.shop_id, "booking_cancelled", {"booking_id": booking.id})
    return booking


def shop_bookings(user: Any, status: str | None) -> sa.Select:
    stmt = sa.select(HomeVisitBooking).where(
        HomeVisitBooking.shop_id == working_shop(user).id)
    if status:
        stmt = stmt.where(HomeVisitBooking.status == status)
    return stmt


def shop_booking(user: Any, booking_id: int) -> HomeVisitBooking:
    """A booking of the caller's shop; another shop's is not found (nothing leaks)."""
    shop = working_shop(user)
    booking = db.session.get(HomeVisitBooking, booking_id)
    if booking is None or booking.shop_id != shop.id:
        raise not_found("booking_not_found", "预约不存在")
    return booking


def transition(user: Any, booking_id: int, *, action: str, scheduled_at: datetime | None,
               note: str | None) -> HomeVisitBooking:
    shop_booking(user, booking_id)
    booking = _lock(booking_id)
    sources, target = MERCHANT_TRANSITIONS[action]
    if booking.status not in sources:
        raise conflict("invalid_transition", "该预约当前状态不能执行此操作")
    if action == "schedule":
        if scheduled_at is None:
            raise _refuse("scheduled_at", "请填写上门时间")
        if scheduled_at <= utcnow():
            raise _refuse("scheduled_at", "上门时间须晚于现在")
        booking.scheduled_at = scheduled_at
    elif scheduled_at is not None:
        raise _refuse("scheduled_at", "仅排期时填写上门时间")
    if action == "decline" and not note:
        raise _refuse("note", "请填写拒绝原因")
    if action == "complete":
        booking.completed_at = utcnow()
    booking.status = target
    booking.merchant_note = note or booking.merchant_note
    booking.decided_by = user.id
    db.session.flush()
    data = {"booking_id": booking.id, "status": target}
    if booking.scheduled_at and target == "scheduled":
        data["scheduled_at"] = booking.scheduled_at.isoformat()
    notify(booking.user_id, f"booking_{target}", data)
    return booking
