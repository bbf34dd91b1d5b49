"""Demo one-stop shops: types, service offers and a home-visit request (demo_offers.json)."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from pathlib import Path

import sqlalchemy as sa

from app.accounts.models import User
from app.catalog.eligibility import today
from app.core.db import CHINA
from app.extensions import db
from app.merchants.models import Shop
from app.offers.models import HomeVisitBooking, ServiceOffer

DATA = Path(__file__).with_name("demo_offers.json")


def seed_offers() -> int:
    """Shop types, offers and bookings (idempotent: by shop and name). Returns rows added."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    added = 0
    offers: dict[tuple[str, str], ServiceOffer] = {}
    for spec in data["shops"]:
        shop = db.session.scalar(sa.select(Shop).where(Shop.name == spec["shop"]))
        if shop is None:
            continue
        shop.shop_type = shop.shop_type or spec["shop_type"]
        for row in spec["offers"]:
            offer = db.session.scalar(sa.select(ServiceOffer).where(
                ServiceOffer.shop_id == shop.id, ServiceOffer.name == row["name"]))
            if offer is None:
                offer = ServiceOffer(shop_id=shop.id, **row)
                db.session.add(offer)
                added += 1
            offers[spec["shop"], row["name"]] = offer
    db.session.flush()
    for row in data["bookings"]:
        villager = db.session.scalar(sa.select(User).where(
            User.wechat_openid == f"dev-openid-{row['villager']}"))
        offer = offers.get((row["shop"], row["offer"]))
        if villager is None or offer is None or db.session.scalar(
                sa.select(HomeVisitBooking.id).where(HomeVisitBooking.user_id == villager.id,
                                                     HomeVisitBooking.offer_id == offer.id)):
            continue
        when = datetime.combine(today() + timedelta(days=row["days_ahead"]),
                                time(row["hour"]), tzinfo=CHINA)
        db.session.add(HomeVisitBooking(user_id=villager.id, shop_id=offer.shop_id,
                                        offer_id=offer.id, address=row["address"],
                                        phone=row["phone"], preferred_at=when, note=row["note"]))
        added += 1
    db.session.flush()
    return added
