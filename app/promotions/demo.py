"""Demo promotions and coupons on demo shops, including one expo-only coupon."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.catalog import eligibility
from app.catalog.models import Product
from app.core.db import utcnow
from app.expos.models import Expo, ExpoBooth
from app.extensions import db
from app.merchants.models import Shop
from app.promotions import coupons, promos
from app.promotions.models import CouponTemplate, Promotion

DEMO_SHOP = "金水绿色建材店"


def _eligible_products(shop: Shop, limit: int) -> list[Product]:
    products = db.session.scalars(sa.select(Product).where(
        Product.shop_id == shop.id, Product.status == "listed").order_by(Product.id)).all()
    return [p for p in products
            if eligibility.check(p, region_code=shop.region_code).eligible][:limit]


def seed_promotions() -> int:
    """Idempotent: keyed on titles. Needs the catalog and expo demo data first."""
    now = utcnow()
    created = 0
    shops = db.session.scalars(sa.select(Shop).where(Shop.status == "approved")
                               .order_by(Shop.id).limit(4)).all()
    expo = db.session.scalar(sa.select(Expo).where(Expo.status == "published")
                             .order_by(Expo.starts_at))
    for shop in shops:
        products = _eligible_products(shop, 3)
        if not products:
            continue
        title = f"{shop.name}冬季让利"
        if db.session.scalar(sa.select(Promotion.id).where(Promotion.title == title)) is None:
            promos.create_promotion(shop.id, title=title, kind="percent", percent_off_bp=1000,
                                    starts_at=now - timedelta(days=1),
                                    ends_at=now + timedelta(days=30),
                                    items=[{"product_id": p.id} for p in products[:2]])
            created += 1
        for spec in _coupon_specs(shop, products, expo, now):
            if db.session.scalar(sa.select(CouponTemplate.id).where(
                    CouponTemplate.shop_id == shop.id,
                    CouponTemplate.title == spec["title"])) is None:
                coupons.create_template(shop.id, **spec)
                created += 1
    db.session.flush()
    return created


def _coupon_specs(shop: Shop, products: list[Product], expo: Expo | None, now) -> list[dict]:
    window = {"claim_starts_at": now - timedelta(days=1), "claim_ends_at": now + timedelta(days=30)}
    specs = [
        {"title": "满1000减100", "kind": "fixed", "amount_fen": 10_000, "min_spend_fen": 100_000,
         "total_quantity": 200, "per_person_limit": 1, "validity_kind": "relative",
         "valid_days": 30, "scope": "shop", **window},
        {"title": "指定商品95折（最高减200）", "kind": "percent", "percent_off_bp": 500,
         "cap_fen": 20_000, "min_spend_fen": 0, "total_quantity": 100, "per_person_limit": 2,
         "validity_kind": "fixed", "valid_from": now - timedelta(days=1),
         "valid_until": now + timedelta(days=45), "scope": "products",
         "product_ids": [p.id for p in products], **window},
    ]
    if expo is not None and shop.name == DEMO_SHOP and _has_approved_booth(shop, expo):
        specs.append({"title": "展会到场专享券 减50", "kind": "fixed", "amount_fen": 5_000,
                      "min_spend_fen": 30_000, "total_quantity": 100, "per_person_limit": 1,
                      "validity_kind": "relative", "valid_days": 14, "scope": "shop",
                      "expo_id": expo.id, **window})
    return specs


def _has_approved_booth(shop: Shop, expo: Expo) -> bool:
    """Only a merchant with an approved booth may offer an expo-only coupon."""
    return db.session.scalar(sa.select(ExpoBooth.id).where(
        ExpoBooth.expo_id == expo.id, ExpoBooth.shop_id == shop.id,
        ExpoBooth.status == "approved")) is not None
