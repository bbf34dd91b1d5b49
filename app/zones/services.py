"""Campaign zones (专区) and live sessions (直播专场): their period and now/upcoming are
judged on the clock, shown in China time; a villager's reminder goes through the
notifications outbox, held back (not_before) until shortly before the start."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa

from app.catalog import eligibility
from app.catalog.models import Product
from app.core import auth
from app.core.db import utcnow
from app.core.errors import ApiError, conflict, not_found
from app.core.governed import governed_row, governed_rows
from app.core.pagination import paginate_ordered
from app.core.regions import scope_prefix
from app.extensions import db
from app.merchants.services import working_shop
from app.notifications.services import notify
from app.packages import services as packages
from app.packages.models import SolutionPackage
from app.promotions.models import CouponTemplate
from app.zones.models import CampaignZone, LiveReminder, LiveSession

REMIND_BEFORE = timedelta(minutes=10)
MAX_ZONE_DAYS = 366
MAX_SESSION_HOURS = 12
T = TypeVar("T")


def _refuse(field: str, message: str) -> ApiError:
    return ApiError(422, "validation_error", "提交的信息有误，请检查后重试", {field: [message]})


def ordered_page(items: Sequence[T], key: Callable[[T], str], *, limit: int,
                 cursor: str | None) -> dict:
    """One page of `items` in `key` order."""
    return paginate_ordered(sorted(items, key=key), key, limit=limit, cursor=cursor)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def _inside_region(column, region: str | None):
    """Rows whose region contains `region` (the row's code is the region or an ancestor)."""
    if not region:
        return sa.true()
    return column.in_(eligibility.region_and_ancestors(region))


def _period(starts_at: datetime, ends_at: datetime, *, max_span: timedelta) -> None:
    if ends_at <= starts_at:
        raise _refuse("ends_at", "结束时间须晚于开始时间")
    if ends_at - starts_at > max_span:
        raise _refuse("ends_at", "时间跨度过长")


def _existing(model, ids: list[int], field: str) -> None:
    if not ids:
        return
    if len(set(ids)) != len(ids):
        raise _refuse(field, "不能重复")
    found = set(db.session.scalars(sa.select(model.id).where(model.id.in_(ids))))
    if missing := [i for i in ids if i not in found]:
        raise _refuse(field, f"不存在：{missing[0]}")


# ---- zones ----------------------------------------------------------------------------

def zone_state(zone: CampaignZone, now: datetime | None = None) -> str:
    now = now or utcnow()
    if now < zone.starts_at:
        return "upcoming"
    return "current" if now < zone.ends_at else "ended"


def _check_zone(values: dict) -> None:
    _existing(Product, values.get("product_ids") or [], "product_ids")
    _existing(SolutionPackage, values.get("package_ids") or [], "package_ids")
    _existing(CouponTemplate, values.get("coupon_template_ids") or [], "coupon_template_ids")


def create_zone(user: Any, **values: Any) -> CampaignZone:
    auth.require_region(values["region_code"], user)
    _period(values["starts_at"], values["ends_at"], max_span=timedelta(days=MAX_ZONE_DAYS))
    _check_zone(values)
    zone = CampaignZone(created_by=user.id, status="draft", **values)
    db.session.add(zone)
    db.session.flush()
    return zone


def governed_zones(region_code: str, status: str | None) -> sa.Select:
    return governed_rows(CampaignZone, region_code, status)


def governed_zone(user: Any, zone_id: int) -> CampaignZone:
    return governed_row(CampaignZone, zone_id, user, "zone_not_found", "专区不存在")


def edit_zone(user: Any, zone_id: int, **values: Any) -> CampaignZone:
    zone = governed_zone(user, zone_id)
    if "region_code" in values:
        auth.require_region(values["region_code"], user)
    _check_zone(values)
    _period(values.get("starts_at", zone.starts_at), values.get("ends_at", zone.ends_at),
            max_span=timedelta(days=MAX_ZONE_DAYS))
    for name, value in values.items():
        setattr(zone, name, value)
    db.session.flush()
    return zone


def set_zone_status(user: Any, zone_id: int, status: str) -> CampaignZone:
    zone = governed_zone(user, zone_id)
    allowed = {"published": ("draft", "withdrawn"), "withdrawn": ("published",)}[status]
    if zone.status not in allowed:
        raise conflict("invalid_transition", "专区当前状态不能执行此操作")
    zone.status = status
    db.session.flush()
    return zone


def storefront_zones(*, region: str | None, limit: int, cursor: str | None) -> dict:
    """Published zones for `region` not yet ended: the current ones first (ending soonest
    first), then the upcoming ones (starting soonest first)."""
    now = utcnow()
    zones = db.session.scalars(sa.select(CampaignZone).where(
        CampaignZone.status == "published", CampaignZone.ends_at > now,
        _inside_region(CampaignZone.region_code, region))).all()

    def key(zone: CampaignZone) -> str:
        current = zone.starts_at <= now
        moment = zone.ends_at if current else zone.starts_at
        return f"{0 if current else 1}-{_stamp(moment)}-{zone.id:010d}"

    return ordered_page(zones, key, limit=limit, cursor=cursor)


def storefront_zone(zone_id: int, *, region: str | None) -> dict:
    zone = db.session.get(CampaignZone, zone_id)
    if zone is None or zone.status != "published":
        raise not_found("zone_not_found", "专区不存在")
    products = []
    if zone.product_ids:
        rows = db.session.scalars(sa.select(Product).where(
            Product.id.in_(zone.product_ids), Product.status == "listed",
            eligibility.eligible_clause(region_code=region))).all()
        order = {pid: n for n, pid in enumerate(zone.product_ids)}
        products = sorted(rows, key=lambda p: order[p.id])
    package_rows = []
    if zone.package_ids:
        package_rows = db.session.scalars(packages.storefront_packages(region=region).where(
            SolutionPackage.id.in_(zone.package_ids)).order_by(SolutionPackage.id)).all()
    coupons = []
    if zone.coupon_template_ids:
        coupons = db.session.scalars(sa.select(CouponTemplate).where(
            CouponTemplate.id.in_(zone.coupon_template_ids),
            CouponTemplate.status == "active").order_by(CouponTemplate.id)).all()
    now = utcnow()
    sessions = db.session.scalars(sa.select(LiveSession).where(
        LiveSession.zone_id == zone.id, LiveSession.cancelled_at.is_(None),
        LiveSession.ends_at > now).order_by(LiveSession.starts_at, LiveSession.id)).all()
    return {"zone": zone, "products": products, "packages": package_rows, "coupons": coupons,
            "live_sessions": sessions}


# ---- live sessions ------------------------------------------------------------------------

def live_state(session: LiveSession, now: datetime | None = None) -> str:
    if session.cancelled_at is not None:
        return "cancelled"
    now = now or utcnow()
    if now < session.starts_at:
        return "upcoming"
    return "live" if now < session.ends_at else "ended"


def _check_session(values: dict, *, shop_id: int | None) -> None:
    _period(values["starts_at"], values["ends_at"],
            max_span=timedelta(hours=MAX_SESSION_HOURS))
    if values["ends_at"] <= utcnow():
        raise _refuse("ends_at", "结束时间须晚于现在")
    if not values.get("live_url") and not values.get("room_id"):
        raise _refuse("room_id", "请填写直播链接或直播间号")
    ids = values.get("product_ids") or []
    _existing(Product, ids, "product_ids")
    if ids and shop_id is not None and db.session.scalar(sa.select(sa.func.count()).where(
            Product.id.in_(ids), Product.shop_id != shop_id)):
        raise _refuse("product_ids", "只能推荐本店商品")


def create_merchant_session(user: Any, **values: Any) -> LiveSession:
    shop = working_shop(user)
    if shop.status != "approved":
        raise conflict("shop_not_approved", "店铺审核通过后才能发布直播")
    _check_session(values, shop_id=shop.id)
    session = LiveSession(host_kind="merchant", shop_id=shop.id, host_name=shop.name,
                          region_code=shop.region_code, created_by=user.id, **values)
    db.session.add(session)
    db.session.flush()
    return session


def create_officer_session(user: Any, *, zone_id: int | None = None,
                           **values: Any) -> LiveSession:
    auth.require_region(values["region_code"], user)
    if zone_id is not None:
        governed_zone(user, zone_id)
    _check_session(values, shop_id=None)
    session = LiveSession(host_kind="officer", zone_id=zone_id, created_by=user.id, **values)
    db.session.add(session)
    db.session.flush()
    return session


def merchant_sessions(user: Any) -> sa.Select:
    return sa.select(LiveSession).where(LiveSession.shop_id == working_shop(user).id)


def governed_sessions(region_code: str) -> sa.Select:
    return sa.select(LiveSession).where(
        LiveSession.region_code.startswith(scope_prefix(region_code)))


def _session(session_id: int) -> LiveSession:
    session = db.session.get(LiveSession, session_id)
    if session is None:
        raise not_found("live_session_not_found", "直播不存在")
    return session


def own_session(user: Any, session_id: int) -> LiveSession:
    shop = working_shop(user)
    session = _session(session_id)
    if session.shop_id != shop.id:
        raise not_found("live_session_not_found", "直播不存在")
    return session


def governed_session(user: Any, session_id: int) -> LiveSession:
    session = _session(session_id)
    auth.require_region(session.region_code, user)
    return session


def cancel_session(session: LiveSession) -> LiveSession:
    if live_state(session) not in ("upcoming", "live"):
        raise conflict("invalid_transition", "该直播已结束或已取消")
    session.cancelled_at = utcnow()
    reminded = db.session.scalars(sa.select(LiveReminder.user_id).where(
        LiveReminder.session_id == session.id)).all()
    for user_id in reminded:
        notify(user_id, "live_cancelled", {"live_session_id": session.id,
                                           "title": session.title},
               dedupe_key=f"live-cancelled:{session.id}:{user_id}")
    db.session.flush()
    return session


def storefront_sessions(*, region: str | None, state: str | None, limit: int,
                        cursor: str | None) -> dict:
    """What is live now (first) and what is coming (soonest first), for `region`."""
    now = utcnow()
    stmt = sa.select(LiveSession).where(
        LiveSession.cancelled_at.is_(None), LiveSession.ends_at > now,
        _inside_region(LiveSession.region_code, region))
    if state == "live":
        stmt = stmt.where(LiveSession.starts_at <= now)
    elif state == "upcoming":
        stmt = stmt.where(LiveSession.starts_at > now)
    sessions = db.session.scalars(stmt).all()

    def key(session: LiveSession) -> str:
        live = session.starts_at <= now
        return f"{0 if live else 1}-{_stamp(session.starts_at)}-{session.id:010d}"

    return ordered_page(sessions, key, limit=limit, cursor=cursor)


def public_session(session_id: int) -> LiveSession:
    return _session(session_id)


def featured_products(session: LiveSession) -> list[Product]:
    if not session.product_ids:
        return []
    rows = db.session.scalars(sa.select(Product).where(
        Product.id.in_(session.product_ids), Product.status == "listed")).all()
    order = {pid: n for n, pid in enumerate(session.product_ids)}
    return sorted(rows, key=lambda p: order[p.id])


def remind(user: Any, session_id: int) -> tuple[LiveReminder, bool]:
    """Ask to be told shortly before the start: one notification in the outbox, held until
    then (not_before). Asking again changes nothing. Returns (reminder, created)."""
    session = _session(session_id)
    state = live_state(session)
    if state != "upcoming":
        raise conflict("live_not_upcoming", {"live": "直播已开始，请直接进入直播间",
                                             "ended": "直播已结束",
                                             "cancelled": "直播已取消"}[state])
    existing = db.session.scalar(sa.select(LiveReminder).where(
        LiveReminder.session_id == session.id, LiveReminder.user_id == user.id))
    if existing is not None:
        return existing, False
    remind_at = max(session.starts_at - REMIND_BEFORE, utcnow())
    notification = notify(user, "live_reminder", {
        "live_session_id": session.id, "title": session.title,
        "starts_at": session.starts_at.isoformat(), "platform": session.platform,
        "room_id": session.room_id, "live_url": session.live_url},
        dedupe_key=f"live-reminder:{session.id}:{user.id}")
    notification.not_before = remind_at
    reminder = LiveReminder(session_id=session.id, user_id=user.id,
                            notification_id=notification.id)
    db.session.add(reminder)
    db.session.flush()
    return reminder, True
