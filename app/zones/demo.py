"""Demo zone and live sessions (demo_zones.json): a zone running now, a merchant's session
live at seeding time (today) and an officer's tomorrow evening; seeding again moves the
times along, as the expos' demo does."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from pathlib import Path

import sqlalchemy as sa

from app.accounts.models import User
from app.catalog.eligibility import today
from app.catalog.models import Product
from app.core.db import CHINA, utcnow
from app.extensions import db
from app.merchants.models import Shop
from app.packages.models import SolutionPackage
from app.promotions.models import CouponTemplate
from app.zones.models import CampaignZone, LiveSession

DATA = Path(__file__).with_name("demo_zones.json")


def _start(when: str) -> datetime:
    """"now": half an hour ago, but today (China time); "tomorrow HH:MM"."""
    if when == "now":
        midnight = datetime.combine(today(), time.min, tzinfo=CHINA)
        return max(utcnow().replace(second=0, microsecond=0) - timedelta(minutes=30), midnight)
    hour, minute = map(int, when.removeprefix("tomorrow ").split(":"))
    return datetime.combine(today() + timedelta(days=1), time(hour, minute), tzinfo=CHINA)


def seed_zones() -> int:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    admin = db.session.scalar(sa.select(User).where(User.username == "demo-admin"))
    shops = dict(db.session.execute(sa.select(Shop.name, Shop.id)).all())
    added = 0
    zones: dict[str, CampaignZone] = {}
    for row in data["zones"]:
        starts = datetime.combine(today() - timedelta(days=row["starts_days_ago"]), time.min,
                                  tzinfo=CHINA)
        times = {"starts_at": starts, "ends_at": starts + timedelta(days=row["days"])}
        zone = db.session.scalar(sa.select(CampaignZone).where(
            CampaignZone.title == row["title"]))
        if zone is None:
            products = [pid for name, shop in row["products"] if (pid := db.session.scalar(
                sa.select(Product.id).where(Product.name == name,
                                            Product.shop_id == shops.get(shop)).limit(1)))]
            packages = list(db.session.scalars(sa.select(SolutionPackage.id).where(
                SolutionPackage.name.in_(row["packages"])).order_by(SolutionPackage.id)))
            coupons = list(db.session.scalars(sa.select(CouponTemplate.id).where(
                CouponTemplate.shop_id == shops.get(row["coupon_shop"])).order_by(
                CouponTemplate.id)))
            zone = CampaignZone(title=row["title"], description=row["description"],
                                region_code=row["region_code"], product_ids=products,
                                package_ids=packages, coupon_template_ids=coupons,
                                status="published", created_by=admin.id if admin else None,
                                **times)
            db.session.add(zone)
            added += 1
        elif zone.ends_at <= utcnow():
            zone.starts_at, zone.ends_at = times["starts_at"], times["ends_at"]
        zones[row["title"]] = zone
    db.session.flush()
    for row in data["sessions"]:
        starts = _start(row["when"])
        times = {"starts_at": starts, "ends_at": starts + timedelta(minutes=row["minutes"])}
        session = db.session.scalar(sa.select(LiveSession).where(
            LiveSession.title == row["title"]))
        if session is not None:
            if session.ends_at <= utcnow():
                session.starts_at, session.ends_at = times["starts_at"], times["ends_at"]
            continue
        shop = db.session.get(Shop, shops[row["shop"]]) if row.get("shop") in shops else None
        if row["host_kind"] == "merchant" and shop is None:
            continue
        products = [pid for name in row["products"] if (pid := db.session.scalar(
            sa.select(Product.id).where(Product.name == name,
                                        Product.shop_id == shop.id).limit(1)))]
        zone = zones.get(row.get("zone"))
        db.session.add(LiveSession(
            zone_id=zone.id if zone else None, host_kind=row["host_kind"],
            shop_id=shop.id if shop else None,
            host_name=shop.name if shop else row["host_name"],
            region_code=shop.region_code if shop else row["region_code"],
            title=row["title"], platform=row["platform"], room_id=row["room_id"],
            product_ids=products, created_by=admin.id if admin else None, **times))
        added += 1
    db.session.flush()
    return added
