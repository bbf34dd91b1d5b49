"""Demo cases (demo_cases.json): three published cases linked to demo products, packages,
enterprises and shops, each with a drawn photo stored as an uploaded one would be."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from app.accounts.models import User
from app.catalog.demo_images import picture
from app.catalog.eligibility import today
from app.catalog.models import Enterprise, Product
from app.core.db import utcnow
from app.core.images import clean_image
from app.extensions import db
from app.integrations import storage
from app.merchants.models import Shop
from app.packages.models import SolutionPackage
from app.showcase.models import ShowcaseCase
from app.showcase.services import PHOTO_FOLDER

DATA = Path(__file__).with_name("demo_cases.json")


def _ids(model, column, names) -> list[int]:
    found = dict(db.session.execute(sa.select(column, model.id).where(column.in_(names))).all())
    return [found[name] for name in names if name in found]


def seed_cases() -> int:
    admin = db.session.scalar(sa.select(User).where(User.username == "demo-admin"))
    added = 0
    for row in json.loads(DATA.read_text(encoding="utf-8")):
        if db.session.scalar(sa.select(ShowcaseCase.id).where(ShowcaseCase.title == row["title"])):
            continue
        shops = dict(db.session.execute(sa.select(Shop.name, Shop.id)).all())
        products = []
        for name, shop in row["products"]:
            product_id = db.session.scalar(sa.select(Product.id).where(
                Product.name == name, Product.shop_id == shops.get(shop)).limit(1))
            if product_id:
                products.append(product_id)
        photo = clean_image(picture(row["photo"], row["title"]), field="image")
        db.session.add(ShowcaseCase(
            kind=row["kind"], title=row["title"], region_code=row["region_code"],
            place=row["place"], building_type=row["building_type"], summary=row["summary"],
            photos=[storage.save(photo.data, photo.ext, PHOTO_FOLDER)],
            product_ids=products,
            package_ids=_ids(SolutionPackage, SolutionPackage.name, row["packages"]),
            enterprise_ids=_ids(Enterprise, Enterprise.name, row["enterprises"]),
            shop_ids=[shops[name] for name in row["shops"] if name in shops],
            energy_saving_rate_bp=row["energy_saving_rate_bp"],
            energy_saved_kwh_per_year=row["energy_saved_kwh_per_year"],
            cost_fen=row["cost_fen"], construction_days=row["construction_days"],
            completed_on=today() - timedelta(days=row["completed_days_ago"]),
            enterprise_consent=True, consent_note=row["consent_note"], status="published",
            published_at=utcnow(), created_by=admin.id if admin else None))
        added += 1
    db.session.flush()
    return added
