"""The report's figures: one aggregate query per kind of record, grouped by region code.

Each function answers [(region code, {figure: value})] for the records under a code prefix
(the asked region) in a period; app.reports.services folds the codes into report rows. The
region a record counts for, and the moment that puts it in the period:

- expos and their tickets: the expo's township (expos.township_code), held when it starts
  (starts_at) in the period, published or finished (drafts and cancelled expos were not held);
- shops, their products, promotions, coupons, redemptions and subsidy claims: the shop's
  region (shops.region_code), where the villager bought;
- subsidy programmes: their own region (subsidy_programs.region_code);
- complaints: the county whose officers handle them (complaints.region_code);
- notifications: the villager's region (users.region_code), made in the period.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from app.accounts.models import User
from app.catalog.eligibility import today
from app.catalog.models import Certificate, LocalListEntry, NegativeListEntry, Product
from app.complaints import calendar
from app.complaints.models import OPEN, Complaint
from app.core.workdays import is_workday
from app.expos.models import Expo, ExpoTicket
from app.extensions import db
from app.merchants.models import Shop
from app.notifications.models import Notification
from app.promotions.models import Coupon, CouponTemplate, Promotion, Redemption
from app.reports.period import Period
from app.subsidies.models import SubsidyClaim, SubsidyProgram

Rows = list[tuple[str, dict[str, int]]]
HELD = ("published", "finished")


class china_date(FunctionElement):
    """SQL: the China-time date of a stored instant (China keeps +08:00 all year)."""

    type = sa.Date()
    inherit_cache = True


@compiles(china_date, "postgresql")
def _china_date_pg(element, compiler, **kw):
    return f"CAST(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'Asia/Shanghai' AS DATE)"


@compiles(china_date, "sqlite")
def _china_date_sqlite(element, compiler, **kw):  # stored as naive UTC text
    return f"date({compiler.process(element.clauses, **kw)}, '+8 hours')"


def _count_if(condition, value: Any = 1):
    return sa.func.coalesce(sa.func.sum(sa.case((condition, value), else_=0)), 0)


def _rows(stmt: sa.Select, names: tuple[str, ...]) -> Rows:
    return [(row[0], dict(zip(names, (int(v or 0) for v in row[1:]), strict=True)))
            for row in db.session.execute(stmt)]


def during(column, period: Period):
    return sa.and_(column >= period.start, column < period.end)


# ---- expos ------------------------------------------------------------------------------

def expos(prefix: str, period: Period) -> Rows:
    """Registrations are the seats taken (expos.registered_count, which registration keeps
    equal to the expo's tickets in status "registered", under any concurrency); waiting and
    admitted tickets are counted from the tickets through their indexes, never row by row."""
    held = (Expo.township_code.startswith(prefix), Expo.status.in_(HELD),
            during(Expo.starts_at, period))
    counted = _rows(sa.select(Expo.township_code, sa.func.count(),
                              sa.func.sum(Expo.registered_count))
                    .where(*held).group_by(Expo.township_code), ("held", "registrations"))

    def tickets(condition, name: str) -> Rows:
        return _rows(sa.select(Expo.township_code, sa.func.count()).select_from(ExpoTicket)
                     .join(Expo, Expo.id == ExpoTicket.expo_id).where(*held, condition)
                     .group_by(Expo.township_code), (name,))

    return (counted + tickets(ExpoTicket.admitted_at.is_not(None), "admissions")
            + tickets(ExpoTicket.status == "waitlisted", "waitlisted"))


# ---- merchants and products (as they stood at the end of the period) -------------------

def _region_and_ancestors(code):
    """SQL: the code and every region above it (app.catalog.eligibility's rule)."""
    def head(n: int):
        return sa.func.substr(code, 1, n, type_=sa.String)

    return [code, head(9), head(6), head(4) + "00", head(2) + "0000"]


def merchants(prefix: str, period: Period) -> Rows:
    day, at = period.last, period.end
    shops = _rows(
        sa.select(Shop.region_code, sa.func.count())
        .where(Shop.region_code.startswith(prefix), Shop.status == "approved",
               sa.or_(Shop.decided_at.is_(None), Shop.decided_at < at))
        .group_by(Shop.region_code), ("shops_approved",))
    listed = sa.and_(Product.status == "listed",
                     sa.or_(Product.listed_at.is_(None), Product.listed_at < at))
    certified = sa.and_(Product.certificate_flag.is_(None), Certificate.status == "valid",
                        Certificate.issued_on <= day, Certificate.expires_on >= day)
    local = sa.exists().where(
        LocalListEntry.product_id == Product.id,
        LocalListEntry.region_code.in_(_region_and_ancestors(Shop.region_code)),
        LocalListEntry.valid_from <= day, LocalListEntry.valid_until >= day,
        sa.or_(LocalListEntry.removed_at.is_(None), LocalListEntry.removed_at >= at))
    on_list = sa.and_(NegativeListEntry.listed_at < at, sa.or_(
        NegativeListEntry.lifted_at.is_(None), NegativeListEntry.lifted_at >= at))
    negative = sa.or_(
        sa.exists().where(NegativeListEntry.product_id == Product.id, on_list),
        sa.exists().where(Product.enterprise_id.is_not(None),
                          NegativeListEntry.enterprise_id == Product.enterprise_id, on_list))
    products = _rows(
        sa.select(Shop.region_code, _count_if(listed), _count_if(sa.and_(listed, certified)),
                  _count_if(sa.and_(listed, local)),
                  _count_if(sa.and_(listed, sa.or_(certified, local), sa.not_(negative))),
                  _count_if(negative))
        .select_from(Product).join(Shop, Shop.id == Product.shop_id)
        .outerjoin(Certificate, Certificate.id == Product.certificate_id)
        .where(Shop.region_code.startswith(prefix)).group_by(Shop.region_code),
        ("products_listed", "products_certified", "products_local_list", "products_eligible",
         "products_negative_listed"))
    return shops + products


# ---- promotions and coupons -------------------------------------------------------------

def promotions(prefix: str, period: Period) -> Rows:
    in_region = Shop.region_code.startswith(prefix)
    running = _rows(
        sa.select(Shop.region_code, sa.func.count()).select_from(Promotion)
        .join(Shop, Shop.id == Promotion.shop_id)
        .where(in_region, Promotion.starts_at < period.end, Promotion.ends_at >= period.start)
        .group_by(Shop.region_code), ("promotions",))
    offered = _rows(
        sa.select(Shop.region_code, sa.func.count(),
                  sa.func.coalesce(sa.func.sum(CouponTemplate.total_quantity), 0))
        .select_from(CouponTemplate).join(Shop, Shop.id == CouponTemplate.shop_id)
        .where(in_region, CouponTemplate.claim_starts_at < period.end,
               CouponTemplate.claim_ends_at >= period.start)
        .group_by(Shop.region_code), ("coupon_templates", "coupons_issued"))
    claimed = _rows(
        sa.select(Shop.region_code, sa.func.count()).select_from(Coupon)
        .join(Shop, Shop.id == Coupon.shop_id)
        .where(in_region, during(Coupon.claimed_at, period))
        .group_by(Shop.region_code), ("coupons_claimed",))
    redeemed = _rows(
        sa.select(Shop.region_code, sa.func.count(),
                  sa.func.coalesce(sa.func.sum(Redemption.discount_fen), 0),
                  sa.func.coalesce(sa.func.sum(Redemption.order_amount_fen), 0))
        .select_from(Redemption).join(Shop, Shop.id == Redemption.shop_id)
        .where(in_region, during(Redemption.created_at, period),
               Redemption.reversed_at.is_(None))
        .group_by(Shop.region_code), ("coupons_redeemed", "discount_fen", "order_amount_fen"))
    return running + offered + claimed + redeemed


# ---- subsidies --------------------------------------------------------------------------

def subsidies(prefix: str, period: Period) -> Rows:
    status, amount = SubsidyClaim.status, SubsidyClaim.amount_fen
    claims = _rows(
        sa.select(Shop.region_code, sa.func.count(), _count_if(status == "rejected"),
                  _count_if(status == "reserved", amount),
                  _count_if(status.in_(("approved", "disbursed")), amount),
                  _count_if(status == "disbursed", amount))
        .select_from(SubsidyClaim).join(Shop, Shop.id == SubsidyClaim.shop_id)
        .where(Shop.region_code.startswith(prefix), during(SubsidyClaim.created_at, period))
        .group_by(Shop.region_code),
        ("claims", "claims_rejected", "reserved_fen", "approved_fen", "disbursed_fen"))
    program = SubsidyProgram
    programs = _rows(
        sa.select(program.region_code, sa.func.count(), sa.func.sum(program.budget_fen),
                  sa.func.sum(program.budget_fen - program.committed_fen))
        .where(program.region_code.startswith(prefix), program.starts_on <= period.last,
               program.ends_on >= period.first)
        .group_by(program.region_code), ("programs", "budget_fen", "remaining_fen"))
    return claims + programs


# ---- complaints -------------------------------------------------------------------------

def overdue():
    """SQL: past a deadline and still open. The rule of app.complaints.deadlines.flag_overdue,
    so a complaint counts even before the nightly job has flagged it."""
    day = today()
    return sa.and_(Complaint.status.in_(OPEN), sa.or_(
        Complaint.overdue.is_(True),
        sa.and_(Complaint.status == "submitted", Complaint.accept_due_on < day),
        sa.and_(Complaint.status != "submitted", Complaint.finish_due_on < day)))


def complaints(prefix: str, period: Period) -> Rows:
    in_region = Complaint.region_code.startswith(prefix)
    late = overdue()
    received = _rows(
        sa.select(Complaint.region_code, sa.func.count(),
                  _count_if(Complaint.status == "declined"), _count_if(late))
        .where(in_region, Complaint.submitted_on >= period.first,
               Complaint.submitted_on <= period.last)
        .group_by(Complaint.region_code), ("received", "declined", "overdue"))
    resolved_in = (in_region, during(Complaint.resolved_at, period))
    resolved = _rows(sa.select(Complaint.region_code, sa.func.count()).where(*resolved_in)
                     .group_by(Complaint.region_code), ("resolved",))
    rated = _rows(
        sa.select(Complaint.region_code, sa.func.count(), sa.func.sum(Complaint.satisfaction))
        .where(in_region, during(Complaint.closed_at, period),
               Complaint.satisfaction.is_not(None))
        .group_by(Complaint.region_code), ("rated", "rating_total"))
    return received + resolved + rated + _handling(resolved_in)


def _handling(resolved_in: tuple) -> Rows:
    """Working days from submission to resolution, summed per region code.

    With W(d) the number of working days up to day d, a complaint took W(resolved) -
    W(submitted) working days (the day of submission does not count, as for deadlines):
    the sums come from counts per day, never from one row per complaint.
    """
    resolved_on = china_date(Complaint.resolved_at)
    starts = db.session.execute(
        sa.select(Complaint.region_code, Complaint.submitted_on, sa.func.count())
        .where(*resolved_in).group_by(Complaint.region_code, Complaint.submitted_on)).all()
    ends = db.session.execute(
        sa.select(Complaint.region_code, resolved_on, sa.func.count())
        .where(*resolved_in).group_by(Complaint.region_code, resolved_on)).all()
    days = [row[1] for row in (*starts, *ends)]
    if not days:
        return []
    index = workday_index(min(days), max(days))
    total: dict[str, int] = defaultdict(int)
    for code, day, count in ends:
        total[code] += index[day] * count
    for code, day, count in starts:
        total[code] -= index[day] * count
    return [(code, {"handling_workdays": value}) for code, value in total.items()]


def workday_index(first: date, last: date) -> dict[date, int]:
    """{day: working days from `first` up to and including it}, on the calendar complaint
    deadlines are counted on (chinese-calendar and the admins' holiday entries)."""
    special = {d.day: d.is_workday for year in range(first.year, last.year + 1)
               for d in calendar.days_in(year)}
    index, count, day = {}, 0, first
    while day <= last:
        count += is_workday(day, special) and day != first
        index[day] = count
        day += timedelta(days=1)
    return index


# ---- notifications ------------------------------------------------------------------------

def notifications(prefix: str, period: Period) -> Rows:
    """How the period's notifications to the region's villagers ended: sent (by subscribe
    message, SMS or in the app only), failed with a reason, skipped, or still waiting."""
    note = Notification
    sent = note.status == "sent"
    return _rows(
        sa.select(User.region_code, sa.func.count(), _count_if(sent),
                  _count_if(sa.and_(sent, note.channel == "wechat")),
                  _count_if(sa.and_(sent, note.channel == "sms")),
                  _count_if(sa.and_(sent, note.channel == "inapp")),
                  _count_if(note.status == "failed"), _count_if(note.status == "skipped"),
                  _count_if(note.status.in_(("pending", "sending"))))
        .select_from(note).join(User, User.id == note.user_id)
        .where(User.region_code.startswith(prefix), during(note.created_at, period))
        .group_by(User.region_code),
        ("notifications", "sent", "sent_wechat", "sent_sms", "sent_inapp", "failed", "skipped",
         "pending"))
