"""Organising expos: create, edit, publish, cancel, staff, booths; lists for everyone."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from app.accounts.models import User
from app.core import auth
from app.core.db import utcnow
from app.core.errors import ApiError, conflict, not_found, unprocessable
from app.core.regions import level_of, scope_prefix, within
from app.expos import codes
from app.expos.gate import is_staff
from app.expos.models import Expo, ExpoBooth, ExpoStaff, ExpoTicket
from app.expos.registration import bump_bundle, take_seat
from app.extensions import db
from app.merchants.models import Shop
from app.notifications.services import notify
from app.regions.models import Region

EDITABLE = ("title", "description", "venue", "latitude", "longitude", "starts_at", "ends_at",
            "registration_opens_at", "registration_closes_at", "capacity")


def get_expo(expo_id: int) -> Expo:
    expo = db.session.get(Expo, expo_id)
    if expo is None:
        raise not_found("expo_not_found", "未找到该展会")
    return expo


def get_organised_expo(expo_id: int, user) -> Expo:
    """An expo the admin organises (its organising region lies inside the admin's)."""
    expo = get_expo(expo_id)
    auth.require_region(expo.organiser_region_code, user)
    return expo


def _check_times(values: dict) -> None:
    if not values["starts_at"] < values["ends_at"]:
        raise unprocessable("invalid_times", "结束时间须晚于开始时间",
                            {"ends_at": ["须晚于开始时间"]})
    opens, closes = values["registration_opens_at"], values["registration_closes_at"]
    if not opens < closes <= values["ends_at"]:
        raise unprocessable("invalid_times", "报名时间设置有误",
                            {"registration_closes_at": ["须晚于报名开始、不晚于展会结束"]})


def create_expo(user, **values) -> Expo:
    township = db.session.get(Region, values["township_code"])
    if township is None or level_of(township.code) != "township":
        raise unprocessable("invalid_township", "请选择乡镇（街道）",
                            {"township_code": ["须为乡镇级行政区划代码"]})
    auth.require_region(township.code, user)
    _check_times(values)
    signing_key_enc, public_key = codes.new_keypair()
    expo = Expo(**values, organiser_region_code=user.region_code, status="draft",
                signing_key_enc=signing_key_enc, public_key=public_key, created_by=user.id)
    db.session.add(expo)
    db.session.flush()
    return expo


def update_expo(expo: Expo, **changes) -> Expo:
    # The row as it is now, held still until commit: seat counts can't move under the edit.
    db.session.refresh(expo, with_for_update={"key_share": True})
    if expo.status in ("cancelled", "finished"):
        raise conflict("expo_closed", "已取消或结束的展会不能修改")
    merged = {k: changes.get(k, getattr(expo, k)) for k in EDITABLE}
    _check_times(merged)
    if merged["capacity"] < expo.registered_count:
        raise conflict("capacity_below_registered",
                       f"已有 {expo.registered_count} 人报名，容量不能低于此数")
    for key, value in changes.items():
        setattr(expo, key, value)
    db.session.flush()
    _promote_into_new_seats(expo)
    return expo


def _promote_into_new_seats(expo: Expo) -> None:
    """A larger capacity seats the waiting list in order."""
    waiting = db.session.scalars(
        sa.select(ExpoTicket).where(ExpoTicket.expo_id == expo.id,
                                    ExpoTicket.status == "waitlisted")
        .order_by(ExpoTicket.waiting_position)
        .with_for_update(of=ExpoTicket, skip_locked=True)).all()
    for ticket in waiting:
        version = take_seat(expo.id)
        if version is None:
            break
        ticket.status, ticket.waiting_position, ticket.changed_version = "registered", None, version
        notify(ticket.user_id, "waitlist_promoted", {"expo_id": expo.id, "ticket_id": ticket.id,
                                                     "title": expo.title})
    db.session.flush()
    db.session.refresh(expo)


def publish(expo: Expo) -> Expo:
    if expo.status != "draft":
        raise conflict("invalid_transition", "只有草稿状态的展会可以发布")
    expo.status = "published"
    db.session.flush()
    return expo


def cancel(expo: Expo, *, reason: str) -> int:
    """Cancel the expo and tell every ticket holder; returns how many were told."""
    if expo.status not in ("draft", "published"):
        raise conflict("invalid_transition", "该展会已取消或结束")
    expo.status, expo.cancelled_at = "cancelled", utcnow()
    bump_bundle(expo.id)
    holders = db.session.scalars(sa.select(ExpoTicket.user_id).where(
        ExpoTicket.expo_id == expo.id, ExpoTicket.status.in_(("registered", "waitlisted")))).all()
    for user_id in holders:
        notify(user_id, "expo_cancelled", {"expo_id": expo.id, "title": expo.title,
                                           "reason": reason})
    db.session.flush()
    return len(holders)


def assign_staff(expo: Expo, user_id: int, *, by) -> ExpoStaff:
    staff = db.session.get(User, user_id)
    if staff is None or staff.role != auth.EXPO_STAFF:
        raise unprocessable("not_expo_staff", "只能指派展会工作人员账号",
                            {"user_id": ["不是展会工作人员"]})
    # A staff account of another region is not the officer's to give work to (an account
    # with no region, made by the province for any county, may be assigned anywhere).
    if staff.region_code and not within(by.region_code, staff.region_code):
        raise unprocessable("staff_outside_region", "该工作人员不在您的管辖区域内",
                            {"user_id": ["不在您的管辖区域内"]})
    existing = db.session.scalar(sa.select(ExpoStaff).where(
        ExpoStaff.expo_id == expo.id, ExpoStaff.user_id == user_id))
    if existing:
        return existing
    assignment = ExpoStaff(expo_id=expo.id, user_id=user_id, assigned_by=by.id)
    db.session.add(assignment)
    db.session.flush()
    return assignment


def unassign_staff(expo: Expo, user_id: int) -> None:
    db.session.execute(sa.delete(ExpoStaff).where(ExpoStaff.expo_id == expo.id,
                                                  ExpoStaff.user_id == user_id))


def staff_of(expo: Expo) -> sa.Select:
    return sa.select(User).join(ExpoStaff, ExpoStaff.user_id == User.id).where(
        ExpoStaff.expo_id == expo.id)


def apply_for_booth(expo_id: int, shop_id: int) -> ExpoBooth:
    expo = get_expo(expo_id)
    if expo.status != "published":
        raise conflict("expo_not_open", "该展会未开放报名")
    shop = db.session.get(Shop, shop_id)
    if shop is None or shop.status != "approved":
        raise conflict("shop_not_approved", "店铺审核通过后才能申请展位")
    existing = db.session.scalar(sa.select(ExpoBooth).where(ExpoBooth.expo_id == expo_id,
                                                            ExpoBooth.shop_id == shop_id))
    if existing:
        return existing
    booth = ExpoBooth(expo_id=expo_id, shop_id=shop_id, status="applied")
    try:
        with db.session.begin_nested():
            db.session.add(booth)
    except sa.exc.IntegrityError:
        return db.session.scalars(sa.select(ExpoBooth).where(
            ExpoBooth.expo_id == expo_id, ExpoBooth.shop_id == shop_id)).one()
    return booth


def decide_booth(expo: Expo, booth_id: int, *, approve: bool, booth_no: str | None,
                 note: str | None, by) -> ExpoBooth:
    booth = db.session.get(ExpoBooth, booth_id)
    if booth is None or booth.expo_id != expo.id:
        raise not_found("booth_not_found", "未找到该展位申请")
    if booth.status != "applied":
        raise conflict("invalid_transition", "该申请已处理")
    if not approve and not note:
        raise unprocessable("note_required", "驳回时请填写原因", {"note": ["必填"]})
    booth.status = "approved" if approve else "rejected"
    booth.booth_no, booth.note, booth.decided_by, booth.decided_at = booth_no, note, by.id, utcnow()
    db.session.flush()
    return booth


def booths(expo_id: int, *, approved_only: bool = True) -> sa.Select:
    stmt = sa.select(ExpoBooth).where(ExpoBooth.expo_id == expo_id)
    if approved_only:
        stmt = stmt.where(ExpoBooth.status == "approved")
    return stmt


def staff_list(expo: Expo) -> list[User]:
    return list(db.session.scalars(staff_of(expo).order_by(User.id)))


def approved_booths(expo_id: int) -> list[ExpoBooth]:
    """For the expo page: the few approved booths, in the order they were approved for."""
    return list(db.session.scalars(booths(expo_id).order_by(ExpoBooth.id)))


def public_expos(*, region: str | None, when: str, now: datetime | None = None) -> sa.Select:
    """Published (and finished) expos, optionally inside a region, upcoming or past."""
    now = now or utcnow()
    stmt = sa.select(Expo).where(Expo.status.in_(("published", "finished", "cancelled")))
    if region:
        stmt = stmt.where(Expo.township_code.startswith(scope_prefix(region)))
    if when == "upcoming":
        stmt = stmt.where(Expo.ends_at >= now, Expo.status == "published")
    elif when == "past":
        stmt = stmt.where(Expo.ends_at < now)
    return stmt


def organised_expos(user) -> sa.Select:
    return sa.select(Expo).where(
        Expo.organiser_region_code.startswith(scope_prefix(user.region_code)))


def staff_expos(user) -> sa.Select:
    return sa.select(Expo).join(ExpoStaff, ExpoStaff.expo_id == Expo.id).where(
        ExpoStaff.user_id == user.id)


def require_gate_access(expo: Expo, user) -> None:
    if user.role != auth.EXPO_STAFF or not is_staff(expo.id, user.id):
        raise ApiError(403, "not_expo_staff", "您不是该展会的工作人员")
