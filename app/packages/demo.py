"""Demo solution packages (demo_packages.json), on the demo catalog's shops and products."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

from app.accounts.models import User
from app.catalog.models import Product
from app.core.db import utcnow
from app.extensions import db
from app.merchants.models import Shop
from app.packages.models import PackageItem, SolutionPackage

DATA = Path(__file__).with_name("demo_packages.json")


def _shop(name: str) -> Shop:
    shop = db.session.scalar(sa.select(Shop).where(Shop.name == name))
    if shop is None:
        raise RuntimeError(f"demo shop {name} missing: seed the catalog first")
    return shop


def _product(name: str, shop_ids: list[int]) -> Product:
    product = db.session.scalar(sa.select(Product).where(
        Product.name == name, Product.shop_id.in_(shop_ids)).order_by(Product.id).limit(1))
    if product is None:
        raise RuntimeError(f"demo product {name} missing: seed the catalog first")
    return product


def seed_packages() -> int:
    """Listed packages, reviewed by the province's demo admin (idempotent, by name)."""
    admin = db.session.scalar(sa.select(User).where(User.username == "demo-admin"))
    added = 0
    for row in json.loads(DATA.read_text(encoding="utf-8")):
        if db.session.scalar(sa.select(SolutionPackage.id).where(
                SolutionPackage.name == row["name"])):
            continue
        lead = _shop(row["shop"])
        partners = {name: _shop(name) for name in row["partners"]}
        shop_ids = [lead.id, *(s.id for s in partners.values())]
        services = [{"kind": s["kind"], "name": s["name"],
                     "shop_id": partners[s["partner"]].id if s.get("partner") else lead.id}
                    for s in row["services"]]
        package = SolutionPackage(
            shop_id=lead.id, name=row["name"], scenario=row["scenario"],
            description=row["description"], price_fen=row["price_fen"],
            region_code=row["region_code"], services=services,
            partner_shop_ids=sorted(s.id for s in partners.values()), status="listed",
            reviewed_by=admin.id if admin else None, reviewed_at=utcnow())
        package.items = [PackageItem(product_id=_product(i["product"], shop_ids).id,
                                     quantity=i["quantity"]) for i in row["items"]]
        db.session.add(package)
        added += 1
    db.session.flush()
    return added
