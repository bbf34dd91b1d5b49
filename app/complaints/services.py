"""Complaints: intake and routing, the life cycle as a table of allowed transitions,
deadlines in working days, overdue flags, and consequences on the negative list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import orm

from app.accounts.models import User
from app.catalog import admin_services
from app.catalog.eligibility import CHINA, today
from app.catalog.models import Product
from app.complaints import calendar
from app.complaints.models import OPEN, Complaint, ComplaintEvent
from app.core import auth
from app.core.db import utcnow
from app.core.errors import conflict, forbidden, not_found, unprocessable
from app.core.regions import scope_prefix
from app.expos.models import Expo
from app.extensions import db
from app.merchants.models import Shop
from app.notifications.services import notify
from app.promotions.models import Coupon
from app.regions.models import Region
from app.subsidies.models import SubsidyClaim
from app.uploads import services as uploads

COMPLAINTS_DUTY = "complaints"
ACCEPT_WITHIN = 7  # working days to decide acceptance
FINISH_WITHIN = 45  # working days from acceptance to the end of mediation
REOPEN_WITHIN = timedelta(days=15)
MAX_PHOTOS = 9

OFFICER, MERCHANT, VILLAGER = "officer", "merchant", "villager"


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str | None  # None: stays where it is (transfer)
    actor: str
    note_required: bool = False


TRANSITIONS: dict[str, Transition] = {
    "accept": Transition(("submitted",), "accepted", OFFICER),
    "decline": Transition(("submitted",), "declined", OFFICER, note_required=True),
    "ask_merchant": Transition(("accepted",), "awaiting_merchant", OFFICER),
    "respond": Transition(("awaiting_merchant",), "merchant_responded", MERCHANT,
                          note_required=True),
    "mediate": Transition(("accepted", "merchant_responded"), "mediated", OFFICER,
                          note_required=True),
    "resolve": Transition(("accepted", "merchant_responded", "mediated"), "resolved", OFFICER,
                          note_required=True),
    "close": Transition(("resolved",), "closed", OFFICER),
    "rate": Transition(("resolved",), "closed", VILLAGER),
    "reopen": Transition(("resolved", "closed"), "accepted", VILLAGER, note_required=True),
    "transfer": Transition(OPEN, None, OFFICER, note_required=True),
}


def workdays_after(start: date, days: int) -> date:
    return calendar.deadline(start, days).day


# ---- intake -----------------------------------------------------------------------------

def _county(code: str) -> str:
    return code[:6]


def _routed_county(code: str | None) -> Region | None:
    """The county a region code lies in (a village's, a township's), or None when the code
    names no county: a province or a city does not say whose officers handle it."""
    region = db.session.get(Region, _county(code)) if code else None
    return region if region is not None and region.level == "county" else None


def _linked(user, values: dict) -> Shop | None:
    """Check that what the complaint is about exists (and is the villager's own, for
    coupons and subsidy claims); return the merchant it concerns, if any."""
    shop = None
    if values.get("product_id"):
        product = db.session.get(Product, values["product_id"])
        if product is None:
            raise unprocessable("unknown_product", "未找到该商品", {"product_id": ["不存在"]})
        if values.get("merchant_id") and values["merchant_id"] != product.shop_id:
            raise unprocessable("product_not_in_shop", "该商品不属于所选商家",
                                {"product_id": ["不属于该商家"]})
        values["merchant_id"] = product.shop_id
    if values.get("merchant_id"):
        shop = db.session.get(Shop, values["merchant_id"])
        if shop is None:
            raise unprocessable("unknown_merchant", "未找到该商家", {"merchant_id": ["不存在"]})
    if values.get("expo_id") and db.session.get(Expo, values["expo_id"]) is None:
        raise unprocessable("unknown_expo", "未找到该展会", {"expo_id": ["不存在"]})
    for field, model in (("coupon_id", Coupon), ("subsidy_claim_id", SubsidyClaim)):
        if values.get(field):
            row = db.session.get(model, values[field])
            if row is None or row.user_id != user.id:
                raise unprocessable(f"unknown_{field.removesuffix('_id')}", "未找到相关记录",
                                    {field: ["不存在"]})
    return shop


def file_complaint(user, *, category: str, description: str, photos: list[str],
                   photo_upload_ids: list[int] | None = None, phone: str | None = None,
                   region_code: str | None = None, **links) -> Complaint:
    """`photos`: URLs of photos sent with the form, stored already; `photo_upload_ids`:
    the villager's earlier uploads (POST /uploads), attached here."""
    if len(photos) + len(photo_upload_ids or []) > MAX_PHOTOS:
        raise unprocessable("too_many_photos", f"最多上传 {MAX_PHOTOS} 张照片",
                            {"photos": [f"最多 {MAX_PHOTOS} 张"]})
    shop = _linked(user, links)
    if shop:
        region = _county(shop.region_code)
    else:
        county = _routed_county(region_code or user.region_code)
        if county is None:
            raise unprocessable("region_required",
                                "请选择您所在的县（区），以便转交当地市场监管部门",
                                {"region_code": ["请选择县（区）"]})
        region = county.code
    taken = uploads.take(user, photo_upload_ids or [], purpose="complaint",
                         field="photo_upload_ids")
    submitted = today()
    due = calendar.deadline(submitted, ACCEPT_WITHIN)
    complaint = Complaint(
        user_id=user.id, category=category, description=description,
        photos=[*photos, *(upload.url for upload in taken)],
        contact_phone=phone or user.phone, shop_id=shop.id if shop else None,
        product_id=links.get("product_id"), expo_id=links.get("expo_id"),
        coupon_id=links.get("coupon_id"), subsidy_claim_id=links.get("subsidy_claim_id"),
        region_code=region, status="submitted", submitted_on=submitted,
        accept_due_on=due.day, deadline_uncertain=not due.certain)
    db.session.add(complaint)
    db.session.flush()
    complaint.tracking_no = f"TS{submitted:%Y%m%d}{complaint.id:06d}"
    uploads.attach(taken, complaint_id=complaint.id)
    uploads.register(user, photos, purpose="complaint", complaint_id=complaint.id)
    _event(complaint, "submit", None, "submitted", user, VILLAGER, None)
    for officer in officers_of(region):
        notify(officer, "complaint_received", {"complaint_id": complaint.id,
                                               "tracking_no": complaint.tracking_no})
    db.session.flush()
    return complaint


def handles_complaints(user) -> bool:
    """Admins given a list of duties need "complaints" in it; no list means every duty."""
    return not user.admin_duties or COMPLAINTS_DUTY in user.admin_duties


def require_complaint_officer(user) -> None:
    if user.role != auth.ADMIN:
        raise forbidden("officer_only", "只有主管部门可以执行该操作")
    if not handles_complaints(user):
        raise forbidden("duty_not_assigned", "您的账号未分配投诉处理职责")


def officers_of(region_code: str) -> list[User]:
    """Admins whose region contains this county and who handle complaints."""
    admins = db.session.scalars(sa.select(User).where(User.role == auth.ADMIN,
                                                      User.is_active.is_(True))).all()
    return [a for a in admins if a.region_code and region_code.startswith(
        scope_prefix(a.region_code)) and handles_complaints(a)]


def _event(complaint: Complaint, action: str, from_status: str | None, to_status: str,
           user, role: str, note: str | None) -> None:
    # Through the relationship, so the complaint returned carries its newest entry.
    complaint.events.append(ComplaintEvent(
        action=action, from_status=from_status, to_status=to_status,
        by_user_id=user.id if user else None, by_role=role, note=note))


# ---- the life cycle ---------------------------------------------------------------------

def act(complaint: Complaint, action: str, user, *, note: str | None = None,
        rating: int | None = None, region_code: str | None = None,
        now: datetime | None = None) -> Complaint:
    """Apply one transition; anything not in TRANSITIONS for this state and role is refused
    and changes nothing."""
    now = now or utcnow()
    rule = TRANSITIONS.get(action)
    if rule is None:
        raise unprocessable("unknown_action", "不支持的操作", {"action": ["不支持"]})
    _authorise(complaint, rule, user)
    if complaint.status not in rule.sources:
        raise conflict("invalid_transition", f"当前状态（{complaint.status}）不能执行该操作")
    if rule.note_required and not (note and note.strip()):
        raise unprocessable("note_required", "请填写说明", {"note": ["必填"]})
    if action == "ask_merchant" and complaint.shop_id is None:
        raise conflict("no_merchant", "该投诉未涉及商家")
    if action == "rate" and rating is None:
        raise unprocessable("rating_required", "请为处理结果评分（1-5）", {"rating": ["必填"]})
    if action == "reopen" and not may_reopen(complaint, now):
        raise conflict("reopen_window_passed", "办结已超过 15 天，不能重新打开")
    moved_from = complaint.region_code
    if action == "transfer":
        # Checked before anything moves: a refused transfer leaves no trace.
        county = _routed_county(region_code)
        if county is None:
            raise unprocessable("region_required", "请选择转交的县（区）",
                                {"region_code": ["请选择县（区）"]})
        if county.code == moved_from:
            raise unprocessable("region_unchanged", "该投诉已由该县（区）处理",
                                {"region_code": ["与当前处理地区相同"]})
        note = f"转交：{_region_name(moved_from)} → {county.name}（{county.code}）。{note}"
    before = complaint.status
    target = rule.target or before
    # The state moves only from the state we read: two officers at once → one transition.
    moved = db.session.execute(
        sa.update(Complaint).where(Complaint.id == complaint.id, Complaint.status == before)
        .values(status=target).execution_options(synchronize_session=False)).rowcount
    if moved != 1:
        raise conflict("invalid_transition", "该投诉状态已变化，请刷新后重试")
    db.session.refresh(complaint)
    _apply_side_effects(complaint, action, user, rating=rating, region_code=region_code, now=now)
    _event(complaint, action, before, target, user, rule.actor, note)
    db.session.flush()
    if action == "transfer":
        # The new county's officers learn of it as of a new complaint; those above both
        # counties already knew.
        already = {o.id for o in officers_of(moved_from)}
        for officer in officers_of(complaint.region_code):
            if officer.id not in already:
                notify(officer, "complaint_received", {
                    "complaint_id": complaint.id, "tracking_no": complaint.tracking_no,
                    "transferred_from": moved_from})
    if rule.actor != VILLAGER:
        notify(complaint.user_id, "complaint_updated", {
            "complaint_id": complaint.id, "tracking_no": complaint.tracking_no,
            "status": complaint.status})
    return complaint


def may_reopen(complaint: Complaint, now: datetime) -> bool:
    """Within 15 days of resolution, counted in China dates: resolved on the 1st, the 16th
    is the last day, whatever the hour (and whether or not it was closed since)."""
    resolved_on = complaint.resolved_at.astimezone(CHINA).date()
    return now.astimezone(CHINA).date() - resolved_on <= REOPEN_WITHIN


def _region_name(code: str) -> str:
    region = db.session.get(Region, code)
    return f"{region.name}（{code}）" if region else code


def _authorise(complaint: Complaint, rule: Transition, user) -> None:
    if rule.actor == OFFICER:
        require_complaint_officer(user)
        auth.require_region(complaint.region_code, user)
    elif rule.actor == MERCHANT:
        if user.role not in auth.MERCHANT_ROLES or user.shop_id != complaint.shop_id:
            raise forbidden("not_your_shop", "只能回复本店铺的投诉")
    elif user.id != complaint.user_id:
        raise not_found("complaint_not_found", "未找到该投诉")


def _apply_side_effects(complaint: Complaint, action: str, user, *, rating: int | None,
                        region_code: str | None, now: datetime) -> None:
    if action in ("accept", "reopen"):
        complaint.accepted_on = now.astimezone(CHINA).date()
        due = calendar.deadline(complaint.accepted_on, FINISH_WITHIN)
        complaint.finish_due_on, complaint.deadline_uncertain = due.day, not due.certain
        complaint.overdue, complaint.resolved_at = False, None
        if action == "reopen":  # also after close: the old rating was for the old outcome
            complaint.closed_at, complaint.satisfaction = None, None
    elif action == "resolve":
        complaint.resolved_at = now
    elif action in ("close", "rate"):
        complaint.closed_at, complaint.satisfaction = now, rating
    elif action == "transfer":
        complaint.region_code = _county(region_code)
    if action in ("resolve", "close", "rate", "decline"):  # no deadline runs any more
        complaint.overdue = complaint.deadline_uncertain = False


# ---- reading ----------------------------------------------------------------------------

def get_for_villager(complaint_id: int, user) -> Complaint:
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None or complaint.user_id != user.id:
        raise not_found("complaint_not_found", "未找到该投诉")
    return complaint


def get_for_officer(complaint_id: int, user) -> Complaint:
    require_complaint_officer(user)
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None:
        raise not_found("complaint_not_found", "未找到该投诉")
    auth.require_region(complaint.region_code, user)
    return complaint


def _forwarded():
    """SQL: the complaint was forwarded to its merchant (an `ask_merchant` step happened)."""
    return sa.exists().where(ComplaintEvent.complaint_id == Complaint.id,
                             ComplaintEvent.action == "ask_merchant")


def get_for_merchant(complaint_id: int, user) -> Complaint:
    """A merchant sees a complaint about its shop once the officer has forwarded it."""
    complaint = db.session.scalar(merchant_queue(user).where(Complaint.id == complaint_id))
    if complaint is None:
        raise not_found("complaint_not_found", "未找到该投诉")
    return complaint


# The shop's and the product's names a list shows beside each complaint: two queries a page.
WITH_NAMES = (orm.selectinload(Complaint.shop), orm.selectinload(Complaint.product))


def officer_queue(user, *, status: str | None = None, overdue: bool | None = None,
                  open_only: bool = False) -> sa.Select:
    require_complaint_officer(user)
    stmt = sa.select(Complaint).where(
        Complaint.region_code.startswith(scope_prefix(user.region_code))).options(*WITH_NAMES)
    if status:
        stmt = stmt.where(Complaint.status == status)
    if overdue is not None:
        stmt = stmt.where(Complaint.overdue.is_(overdue))
    if open_only:
        stmt = stmt.where(Complaint.status.in_(OPEN))
    return stmt


# The deadline that applies now: acceptance while submitted, handling after that.
DUE_ON = sa.case((Complaint.status == "submitted", Complaint.accept_due_on),
                 else_=sa.func.coalesce(Complaint.finish_due_on, Complaint.accept_due_on))


def current_due_on(complaint: Complaint) -> date:
    """DUE_ON for one complaint in hand."""
    if complaint.status != "submitted" and complaint.finish_due_on:
        return complaint.finish_due_on
    return complaint.accept_due_on


def officer_actions(complaint: Complaint) -> list[str]:
    """The transitions an officer may apply to the complaint as it stands (TRANSITIONS)."""
    return [action for action, rule in TRANSITIONS.items()
            if rule.actor == OFFICER and complaint.status in rule.sources
            and not (action == "ask_merchant" and complaint.shop_id is None)]


def merchant_queue(user) -> sa.Select:
    """Complaints about the merchant's shop that an officer forwarded to it."""
    return sa.select(Complaint).where(Complaint.shop_id == user.shop_id,
                                      _forwarded()).options(*WITH_NAMES)


def my_complaints(user) -> sa.Select:
    return sa.select(Complaint).where(Complaint.user_id == user.id).options(*WITH_NAMES)


# ---- consequences -----------------------------------------------------------------------

def send_to_negative_list(complaint: Complaint, *, target: str, reason: str, by):
    """From a complaint that proved fake certification or a defective product."""
    if complaint.category not in ("fake_certification", "quality"):
        raise conflict("not_applicable", "只有虚假认证或质量问题的投诉可以列入负面清单")
    if complaint.status in ("submitted", "declined"):
        raise conflict("invalid_transition", "请先受理该投诉")
    if complaint.product_id is None:
        raise conflict("no_product", "该投诉未涉及具体商品")
    product = db.session.get(Product, complaint.product_id)
    if target == "enterprise" and product.enterprise_id is None:
        raise conflict("no_enterprise", "该商品没有登记生产企业")
    subject = (admin_services.negative_target(product_id=product.id) if target == "product"
               else admin_services.negative_target(enterprise_id=product.enterprise_id))
    admin_services.require_target_scope(subject, by)
    entry = admin_services.put_on_negative_list(subject, reason=reason,
                                                source_complaint_id=complaint.id, by=by)
    _event(complaint, "negative_list", complaint.status, complaint.status, by, OFFICER,
           f"列入负面清单：{reason}")
    db.session.flush()
    return entry


