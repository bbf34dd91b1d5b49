"""Coupons: templates, first-come-first-served claims, redemption in store, expiry."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import undefer

from app.catalog import eligibility
from app.catalog.cache import catalog_changed
from app.catalog.models import Category, Product
from app.catalog.services import category_ids_under, resolve_category_refs
from app.core import auth
from app.core.db import china_time, utcnow
from app.core.errors import conflict, forbidden, not_found, unprocessable
from app.expos.models import Expo, ExpoBooth, ExpoTicket
from app.extensions import db
from app.merchants.models import Shop
from app.notifications.services import notify
from app.promotions import codes
from app.promotions.models import Coupon, CouponTemplate, Redemption
from app.promotions.pricing import coupon_discount

log = logging.getLogger(__name__)

REVERSAL_WINDOW = timedelta(minutes=30)
TERMS = ("title", "kind", "amount_fen", "percent_off_bp", "cap_fen", "min_spend_fen", "scope",
         "category_id", "product_ids")


# ---- templates (merchant) ---------------------------------------------------------------

def _category_by_id(values: dict) -> dict:
    """`category_id` may name the category by slug (CategoryRef): the template holds its id."""
    if isinstance(values.get("category_id"), str):
        [category_id] = resolve_category_refs([values["category_id"]], field="category_id")
        values = {**values, "category_id": category_id}
    return values


def create_template(shop_id: int, **values) -> CouponTemplate:
    values = _category_by_id(values)
    _check_terms(shop_id, values)
    if values.get("expo_id"):
        _require_approved_booth(shop_id, values["expo_id"])
    template = CouponTemplate(shop_id=shop_id, **values)
    db.session.add(template)
    db.session.flush()
    catalog_changed()  # product pages list the coupons that cover them
    return template


def _check_terms(shop_id: int, values: dict, *, check_products: bool = True) -> None:
    errors: dict[str, list[str]] = {}
    if values["kind"] == "fixed" and not values.get("amount_fen"):
        errors["amount_fen"] = ["满减券须填写金额"]
    if values["kind"] == "percent" and not values.get("percent_off_bp"):
        errors["percent_off_bp"] = ["折扣券须填写折扣"]
    if values["validity_kind"] == "fixed" and not (
            values.get("valid_from") and values.get("valid_until")
            and values["valid_from"] < values["valid_until"]):
        errors["valid_until"] = ["固定有效期须填写起止时间"]
    if values["validity_kind"] == "relative" and not values.get("valid_days"):
        errors["valid_days"] = ["须填写领取后有效天数"]
    if not values["claim_starts_at"] < values["claim_ends_at"]:
        errors["claim_ends_at"] = ["须晚于领取开始时间"]
    elif (values["validity_kind"] == "fixed" and values.get("valid_until")
          and values["claim_ends_at"] > values["valid_until"]):
        # otherwise a villager could claim a coupon that is already dead
        errors["claim_ends_at"] = ["领取截止时间不能晚于有效期结束"]
    if values.get("scope") == "category":
        if not values.get("category_id"):
            errors["category_id"] = ["按分类使用时须选择分类"]
        elif db.session.get(Category, values["category_id"]) is None:
            errors["category_id"] = ["未知的分类"]
    if values.get("expo_id"):
        expo = db.session.get(Expo, values["expo_id"])
        if expo is None or expo.status == "draft":
            errors["expo_id"] = ["未找到该展会"]
    if values.get("scope") == "products" and check_products:
        if not values.get("product_ids"):
            errors["product_ids"] = ["须选择商品"]
        else:
            _check_own_eligible_products(shop_id, values["product_ids"], errors)
    if errors:
        raise unprocessable("invalid_coupon", "优惠券设置有误", errors)


def _check_own_eligible_products(shop_id: int, product_ids: list[int], errors: dict) -> None:
    shop = db.session.get(Shop, shop_id)
    products = {p.id: p for p in db.session.scalars(
        sa.select(Product).where(Product.id.in_(product_ids), Product.shop_id == shop_id))}
    bad = [pid for pid in product_ids if pid not in products or not eligibility.check(
        products[pid], region_code=shop.region_code).eligible]
    if bad:
        errors["product_ids"] = [f"商品 {pid} 不是本店的活动合格商品" for pid in bad]


def _require_approved_booth(shop_id: int, expo_id: int) -> None:
    """Expo-only coupons are handed out at the merchant's booth: no approved booth at that
    expo (none, still pending, or rejected), no such coupon."""
    if db.session.scalar(sa.select(ExpoBooth.id).where(
            ExpoBooth.expo_id == expo_id, ExpoBooth.shop_id == shop_id,
            ExpoBooth.status == "approved")) is None:
        raise conflict("no_approved_booth", "本店在该展会没有审核通过的展位，不能发放展会专享券。"
                                            "请先申请展位，待主办方审核通过后再发放")


def update_template(template: CouponTemplate, **changes) -> CouponTemplate:
    """Coupons already claimed keep their own copy of the terms."""
    changes = _category_by_id(changes)
    if "total_quantity" in changes and changes["total_quantity"] < template.claimed_count:
        raise conflict("quantity_below_claimed",
                       f"已领取 {template.claimed_count} 张，总量不能更少")
    merged = {**{c: getattr(template, c) for c in (
        "kind", "amount_fen", "percent_off_bp", "validity_kind", "valid_from", "valid_until",
        "valid_days", "claim_starts_at", "claim_ends_at", "scope", "category_id",
        "product_ids")}, **changes}
    # Products listed earlier may have lost eligibility since (negative list): that must not
    # stop the merchant pausing or editing the coupon, so they're checked only when changed.
    _check_terms(template.shop_id, merged,
                 check_products=bool({"scope", "product_ids"} & changes.keys()))
    if changes.get("expo_id") and changes["expo_id"] != template.expo_id:
        _require_approved_booth(template.shop_id, changes["expo_id"])
    try:
        with db.session.begin_nested():
            for key, value in changes.items():
                setattr(template, key, value)
    except sa.exc.IntegrityError:
        # never_over_issued: villagers claimed more in the meantime than the new quantity
        raise conflict("quantity_below_claimed", "已领取的数量超过新的总量") from None
    catalog_changed()
    return template


def get_shop_template(template_id: int, shop_id: int) -> CouponTemplate:
    template = db.session.get(CouponTemplate, template_id)
    if template is None or template.shop_id != shop_id:
        raise not_found("coupon_not_found", "未找到该优惠券")
    return template


# ---- claiming (villager) ----------------------------------------------------------------

def claimable(*, shop_id: int | None = None, expo_id: int | None = None,
              now: datetime | None = None) -> sa.Select:
    now = now or utcnow()
    stmt = (sa.select(CouponTemplate).join(Shop, Shop.id == CouponTemplate.shop_id)
            .where(CouponTemplate.status == "active", Shop.status == "approved",
                   CouponTemplate.claim_starts_at <= now, CouponTemplate.claim_ends_at >= now))
    if shop_id:
        stmt = stmt.where(CouponTemplate.shop_id == shop_id)
    if expo_id:
        stmt = stmt.where(CouponTemplate.expo_id == expo_id)
    return stmt


def claim(template_id: int, user, *, now: datetime | None = None) -> Coupon:
    """Claim one coupon. The database decides: the unique (template, user, seq) holds the
    per-person limit and the conditional UPDATE holds the quantity, whatever the load."""
    now = now or utcnow()
    template = db.session.get(CouponTemplate, template_id)
    if template is None or template.shop.status != "approved":
        raise not_found("coupon_not_found", "未找到该优惠券")
    if template.status != "active" or not template.claim_starts_at <= now <= template.claim_ends_at:
        raise conflict("coupon_not_claimable", "该优惠券当前不可领取")
    if template.expo_id and not _admitted(user.id, template.expo_id):
        raise forbidden("expo_admission_required", "该券仅限到场参加展会的村民领取")
    valid_from, valid_until = _validity(template, now)
    terms = {k: getattr(template, k) for k in TERMS}
    coupon = None
    # A villager's racing taps compete for the same seq: the loser's insert waits until the
    # winner commits, so counting again sees it, and the next seq is tried while allowed.
    for _ in range(template.per_person_limit):
        held = db.session.scalar(sa.select(sa.func.count()).select_from(Coupon).where(
            Coupon.template_id == template.id, Coupon.user_id == user.id))
        if held >= template.per_person_limit:
            break
        candidate = Coupon(template_id=template.id, user_id=user.id, shop_id=template.shop_id,
                           seq=held + 1, secret=codes.new_secret(), status="unused",
                           terms=terms, valid_from=valid_from, valid_until=valid_until,
                           claimed_at=now)
        try:
            with db.session.begin_nested():
                db.session.add(candidate)
        except sa.exc.IntegrityError:
            continue
        coupon = candidate
        break
    if coupon is None:
        raise conflict("coupon_limit_reached", "您已领取过该优惠券")
    taken = db.session.execute(
        sa.update(CouponTemplate)
        .where(CouponTemplate.id == template.id,
               CouponTemplate.claimed_count < CouponTemplate.total_quantity)
        .values(claimed_count=CouponTemplate.claimed_count + 1)
        .execution_options(synchronize_session=False)).rowcount
    if taken != 1:
        raise conflict("coupon_sold_out", "优惠券已领完")  # the request rolls back the insert
    return coupon


def _admitted(user_id: int, expo_id: int) -> bool:
    return db.session.scalar(sa.select(ExpoTicket.id).where(
        ExpoTicket.expo_id == expo_id, ExpoTicket.user_id == user_id,
        ExpoTicket.admitted_at.is_not(None))) is not None


def _validity(template: CouponTemplate, now: datetime) -> tuple[datetime, datetime]:
    if template.validity_kind == "fixed":
        return template.valid_from, template.valid_until
    return now, now + timedelta(days=template.valid_days)


def redemption_status(redemption: Redemption) -> str:
    return "reversed" if redemption.reversed_at is not None else "redeemed"


def display_status(coupon: Coupon, now: datetime | None = None) -> str:
    if coupon.status == "unused" and coupon.valid_until < (now or utcnow()):
        return "expired"
    return coupon.status


def my_coupons(user, *, status: str | None = None, now: datetime | None = None) -> sa.Select:
    """The villager's coupons; `status` as the villager sees it (see display_status)."""
    now = now or utcnow()
    stmt = sa.select(Coupon).where(Coupon.user_id == user.id)
    if status == "unused":
        stmt = stmt.where(Coupon.status == "unused", Coupon.valid_until >= now)
    elif status == "expired":  # marked by the job, or lapsed since it last ran
        stmt = stmt.where(sa.or_(Coupon.status == "expired",
                                 sa.and_(Coupon.status == "unused", Coupon.valid_until < now)))
    elif status is not None:
        stmt = stmt.where(Coupon.status == status)
    return stmt


def shop_templates(shop_id: int) -> sa.Select:
    return (sa.select(CouponTemplate).where(CouponTemplate.shop_id == shop_id)
            .options(undefer(CouponTemplate.redeemed_count)))


def shop_redemptions(shop_id: int) -> sa.Select:
    return sa.select(Redemption).where(Redemption.shop_id == shop_id)


def get_my_coupon(coupon_id: int, user) -> Coupon:
    coupon = db.session.get(Coupon, coupon_id)
    if coupon is None or coupon.user_id != user.id:
        raise not_found("coupon_not_found", "未找到该优惠券")
    return coupon


def coupon_code(coupon: Coupon) -> str:
    return codes.sign(coupon.id, coupon.secret)


# ---- redemption (merchant) --------------------------------------------------------------

def _redeemable(code: str, order_amount_fen: int, cashier, product_id: int | None,
                now: datetime, *, lock: bool) -> tuple[Coupon, int]:
    """The coupon behind `code` if this till may redeem it for this order, and its discount;
    every refusal the villager and the cashier can act on, in that order."""
    claim_ = codes.verify(code)
    # Lock the coupon row only: it loads its template by a LEFT OUTER JOIN, and PostgreSQL
    # refuses FOR UPDATE on the nullable side of one.
    coupon = (db.session.get(Coupon, claim_.coupon_id,
                             with_for_update={"of": Coupon} if lock else None)
              if claim_ else None)
    if coupon is None or coupon.secret != claim_.secret:
        raise not_found("coupon_invalid", "无效的优惠券码")
    if coupon.shop_id != cashier.shop_id:
        raise forbidden("not_your_coupon", "该优惠券不是本店发放的，不能核销")
    if coupon.status == "used":
        raise conflict("coupon_already_used", "该优惠券已使用")
    if coupon.status == "expired" or now > coupon.valid_until:
        raise conflict("coupon_expired", "该优惠券已过期")
    if now < coupon.valid_from:
        raise conflict("coupon_not_yet_valid", "该优惠券尚未到使用时间")
    terms = coupon.terms
    _check_scope(terms, coupon.shop_id, product_id)
    if order_amount_fen < terms["min_spend_fen"]:
        raise unprocessable("min_spend_not_met",
                            f"未达到使用门槛（满 {terms['min_spend_fen'] / 100:.2f} 元可用）",
                            {"order_amount_fen": ["未达到最低消费"]})
    return coupon, coupon_discount(terms, order_amount_fen)


def preview(*, code: str, order_amount_fen: int, cashier, product_id: int | None = None,
            now: datetime | None = None) -> dict:
    """What redeeming would give, before the cashier commits: nothing is changed."""
    coupon, discount = _redeemable(code, order_amount_fen, cashier, product_id,
                                   now or utcnow(), lock=False)
    return {"coupon_id": coupon.id, "title": coupon.terms.get("title", ""),
            "scope": coupon.terms["scope"], "valid_until": coupon.valid_until,
            "order_amount_fen": order_amount_fen, "discount_fen": discount,
            "paid_fen": order_amount_fen - discount}


def redeem(*, code: str, order_amount_fen: int, cashier, product_id: int | None = None,
           now: datetime | None = None) -> Redemption:
    now = now or utcnow()
    coupon, discount = _redeemable(code, order_amount_fen, cashier, product_id, now, lock=True)
    used = db.session.execute(
        sa.update(Coupon).where(Coupon.id == coupon.id, Coupon.status == "unused")
        .values(status="used", used_at=now).execution_options(synchronize_session=False))
    if used.rowcount != 1:
        raise conflict("coupon_already_used", "该优惠券已使用")
    redemption = Redemption(coupon_id=coupon.id, shop_id=coupon.shop_id, cashier_id=cashier.id,
                            product_id=product_id, order_amount_fen=order_amount_fen,
                            discount_fen=discount, paid_fen=order_amount_fen - discount,
                            created_at=now)
    db.session.add(redemption)
    db.session.flush()
    return redemption


def _check_scope(terms: dict, shop_id: int, product_id: int | None) -> None:
    if product_id is None:
        if terms["scope"] != "shop":
            raise unprocessable("product_required", "该券限定商品使用，请选择购买的商品",
                                {"product_id": ["必填"]})
        return
    product = db.session.get(Product, product_id)
    if product is None or product.shop_id != shop_id:
        raise unprocessable("product_not_in_shop", "该商品不是本店商品", {"product_id": ["无效"]})
    shop = db.session.get(Shop, shop_id)
    if not eligibility.check(product, region_code=shop.region_code).eligible:
        raise unprocessable("product_not_eligible", "该商品目前不是活动合格商品，不能用券",
                            {"product_id": ["不符合活动条件"]})
    in_scope = (terms["scope"] == "shop"
                or (terms["scope"] == "category" and _in_category(product, terms["category_id"]))
                or (terms["scope"] == "products" and product.id in terms["product_ids"]))
    if not in_scope:
        raise unprocessable("coupon_out_of_scope", "该商品不在优惠券适用范围内",
                            {"product_id": ["不在适用范围"]})


def _in_category(product: Product, category_id: int) -> bool:
    slug = db.session.get(Category, category_id).slug
    return product.category_id in category_ids_under(slug)


def reverse(redemption_id: int, *, owner, reason: str, now: datetime | None = None) -> Redemption:
    """Undo a mistaken redemption: the shop owner, within 30 minutes."""
    now = now or utcnow()
    redemption = db.session.get(Redemption, redemption_id, with_for_update=True)
    if redemption is None or redemption.shop_id != owner.shop_id:
        raise not_found("redemption_not_found", "未找到该核销记录")
    if owner.role != auth.MERCHANT_OWNER:
        raise forbidden("owner_only", "只有店主可以撤销核销")
    if redemption.reversed_at is not None:
        raise conflict("already_reversed", "该核销已撤销")
    if now - redemption.created_at > REVERSAL_WINDOW:
        raise conflict("reversal_window_passed", "核销超过 30 分钟，不能撤销")
    redemption.reversed_at, redemption.reversed_by = now, owner.id
    redemption.reverse_reason = reason
    db.session.execute(sa.update(Coupon).where(Coupon.id == redemption.coupon_id,
                                               Coupon.status == "used")
                       .values(status="unused", used_at=None)
                       .execution_options(synchronize_session=False))
    db.session.flush()
    log.info("redemption %s reversed by user %s", redemption.id, owner.id)
    return redemption


# ---- expiry (scheduled) -----------------------------------------------------------------

def expire_and_remind(now: datetime | None = None) -> dict[str, int]:
    """Mark lapsed coupons expired; tell holders a day before theirs lapse (once)."""
    now = now or utcnow()
    expired = db.session.execute(
        sa.update(Coupon).where(Coupon.status == "unused", Coupon.valid_until < now)
        .values(status="expired").execution_options(synchronize_session=False)).rowcount
    due = db.session.scalars(sa.select(Coupon).where(
        Coupon.status == "unused", Coupon.reminded_at.is_(None),
        Coupon.valid_until >= now, Coupon.valid_until < now + timedelta(days=1))).all()
    for coupon in due:
        coupon.reminded_at = now
        notify(coupon.user_id, "coupon_expiring",
               {"coupon_id": coupon.id, "title": coupon.terms["title"],
                "valid_until": china_time(coupon.valid_until).isoformat()},
               dedupe_key=f"coupon_expiring:{coupon.id}")
    db.session.flush()
    return {"expired": expired, "reminded": len(due)}
