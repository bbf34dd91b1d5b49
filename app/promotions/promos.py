"""Promotions: a shop's discount on its own eligible products; the storefront's promo price."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from app.catalog import eligibility
from app.catalog.cache import catalog_changed
from app.catalog.models import Category, Product
from app.core import auth
from app.core.db import utcnow
from app.core.errors import conflict, not_found, unprocessable
from app.core.regions import scope_prefix
from app.extensions import db
from app.merchants.models import Shop
from app.promotions.models import CouponTemplate, Promotion, PromotionItem
from app.promotions.pricing import promotional_price


def create_promotion(shop_id: int, *, title: str, kind: str, starts_at: datetime,
                     ends_at: datetime, items: list[dict],
                     percent_off_bp: int | None = None) -> Promotion:
    if not starts_at < ends_at:
        raise unprocessable("invalid_times", "结束时间须晚于开始时间", {"ends_at": ["须晚于开始"]})
    if kind == "percent" and not percent_off_bp:
        raise unprocessable("invalid_promotion", "请填写折扣", {"percent_off_bp": ["必填"]})
    shop = db.session.get(Shop, shop_id)
    products = {p.id: p for p in db.session.scalars(sa.select(Product).where(
        Product.id.in_([i["product_id"] for i in items]), Product.shop_id == shop_id))}
    errors, seen = {}, set()
    for item in items:
        product = products.get(item["product_id"])
        if item["product_id"] in seen:
            errors[str(item["product_id"])] = ["同一商品只能出现一次"]
        elif product is None or not eligibility.check(product,
                                                      region_code=shop.region_code).eligible:
            errors[str(item["product_id"])] = ["不是本店的活动合格商品"]
        elif kind == "fixed_price" and not (
                0 < (item.get("promo_price_fen") or 0) < product.price_fen):
            errors[str(item["product_id"])] = ["促销价须低于原价"]
        seen.add(item["product_id"])
    if errors:
        raise unprocessable("invalid_promotion", "部分商品不能参加促销", errors)
    promotion = Promotion(shop_id=shop_id, title=title, kind=kind, percent_off_bp=percent_off_bp,
                          starts_at=starts_at, ends_at=ends_at,
                          items=[PromotionItem(product_id=i["product_id"],
                                               promo_price_fen=i.get("promo_price_fen"))
                                 for i in items])
    db.session.add(promotion)
    db.session.flush()
    catalog_changed()
    return promotion


def shop_promotions(shop_id: int) -> sa.Select:
    return sa.select(Promotion).where(Promotion.shop_id == shop_id)


def region_promotions(admin, *, status: str | None = None,
                      shop_id: int | None = None) -> sa.Select:
    """Promotions of the shops inside the admin's region (prefix match on region codes)."""
    stmt = sa.select(Promotion).join(Shop, Shop.id == Promotion.shop_id).where(
        Shop.region_code.startswith(scope_prefix(admin.region_code)))
    if status:
        stmt = stmt.where(Promotion.status == status)
    if shop_id:
        stmt = stmt.where(Promotion.shop_id == shop_id)
    return stmt


def get_region_promotion(promotion_id: int, admin) -> Promotion:
    promotion = db.session.get(Promotion, promotion_id)
    if promotion is None:
        raise not_found("promotion_not_found", "未找到该促销活动")
    auth.require_region(promotion.shop.region_code, admin)
    return promotion


def get_shop_promotion(promotion_id: int, shop_id: int) -> Promotion:
    promotion = db.session.get(Promotion, promotion_id)
    if promotion is None or promotion.shop_id != shop_id:
        raise not_found("promotion_not_found", "未找到该促销活动")
    return promotion


def end_promotion(promotion: Promotion) -> Promotion:
    if promotion.status == "suspended":
        # the admin's decision stays visible; ending must not overwrite it
        raise conflict("invalid_transition", "该促销已被主管部门暂停")
    promotion.status = "ended"
    db.session.flush()
    catalog_changed()
    return promotion


def suspend_promotion(promotion: Promotion, *, by, reason: str) -> Promotion:
    if promotion.status != "active":
        raise conflict("invalid_transition", "只能暂停进行中的促销")
    promotion.status, promotion.suspended_by, promotion.suspended_reason = (
        "suspended", by.id, reason)
    db.session.flush()
    catalog_changed()
    return promotion


def promo_prices(products: list[Product], *, now: datetime | None = None) -> dict[int, int]:
    """The best running promotional price per product id (callers pass eligible products:
    a product on the negative list gets none, which is how its promotions stop)."""
    if not products:
        return {}
    now = now or utcnow()
    rows = db.session.execute(
        sa.select(PromotionItem.product_id, PromotionItem.promo_price_fen, Promotion.kind,
                  Promotion.percent_off_bp)
        .join(Promotion, Promotion.id == PromotionItem.promotion_id)
        .where(PromotionItem.product_id.in_([p.id for p in products]),
               Promotion.status == "active", Promotion.starts_at <= now,
               Promotion.ends_at >= now)).all()
    price_of = {p.id: p.price_fen for p in products}
    best: dict[int, int] = {}
    for product_id, promo_price_fen, kind, percent_off_bp in rows:
        price = promotional_price(price_of[product_id], kind=kind, percent_off_bp=percent_off_bp,
                                  promo_price_fen=promo_price_fen)
        best[product_id] = min(price, best.get(product_id, price))
    return best


def offers_for(product: Product, *, now: datetime | None = None) -> dict:
    """Running promotions and claimable coupons that apply to an (eligible) product."""
    now = now or utcnow()
    promotions = db.session.scalars(
        sa.select(Promotion).join(PromotionItem, PromotionItem.promotion_id == Promotion.id)
        .where(PromotionItem.product_id == product.id, Promotion.status == "active",
               Promotion.starts_at <= now, Promotion.ends_at >= now)).all()
    ancestors = _category_and_ancestors(product.category_id)
    templates = db.session.scalars(sa.select(CouponTemplate).where(
        CouponTemplate.shop_id == product.shop_id, CouponTemplate.status == "active",
        CouponTemplate.claim_starts_at <= now, CouponTemplate.claim_ends_at >= now)).all()
    covering = [t for t in templates if t.scope == "shop"
                or (t.scope == "category" and t.category_id in ancestors)
                or (t.scope == "products" and product.id in (t.product_ids or []))]
    return {
        "promotions": [{"id": p.id, "title": p.title, "ends_at": p.ends_at} for p in promotions],
        "coupons": [{"id": t.id, "title": t.title, "kind": t.kind, "amount_fen": t.amount_fen,
                     "percent_off_bp": t.percent_off_bp, "min_spend_fen": t.min_spend_fen,
                     "remaining": t.total_quantity - t.claimed_count,
                     "expo_only": t.expo_id is not None} for t in covering],
    }


def _category_and_ancestors(category_id: int) -> set[int]:
    ids, current = set(), db.session.get(Category, category_id)
    while current is not None:
        ids.add(current.id)
        current = db.session.get(Category, current.parent_id) if current.parent_id else None
    return ids
