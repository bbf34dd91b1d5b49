"""Demo data for `flask seed-demo`: each domain adds its part here."""

from __future__ import annotations

import sqlalchemy as sa

from app.accounts.models import User
from app.accounts.services import create_console_user
from app.catalog.demo import seed_catalog
from app.catalog.services import seed_categories
from app.complaints.demo import seed_complaints
from app.core import auth
from app.expos.demo import seed_expos
from app.extensions import db
from app.merchants.models import Shop, ShopMember
from app.offers.demo import seed_offers
from app.packages.demo import seed_packages
from app.promotions.demo import seed_promotions
from app.regions.services import seed_builtin
from app.showcase.demo import seed_cases
from app.subsidies.demo import seed_subsidies
from app.zones.demo import seed_zones

DEMO_PASSWORD = "lvjian-demo"


def _console_user(username: str, role: str, *, nickname: str, region_code: str | None = None,
                  duties: list[str] | None = None) -> tuple[User, bool]:
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user:
        return user, False
    return create_console_user(username=username, password=DEMO_PASSWORD, role=role,
                               nickname=nickname, region_code=region_code, duties=duties), True


def _shop(name: str, region_code: str, owner: User) -> Shop:
    shop = db.session.scalar(sa.select(Shop).where(Shop.name == name))
    if shop is None:
        shop = Shop(name=name, region_code=region_code, status="approved")
        db.session.add(shop)
        db.session.flush()
    if db.session.scalar(sa.select(ShopMember).where(ShopMember.user_id == owner.id)) is None:
        db.session.add(ShopMember(shop_id=shop.id, user_id=owner.id, role=auth.MERCHANT_OWNER))
        db.session.flush()
    return shop


def seed_accounts() -> int:
    created = 0
    for username, role, nickname, region in (
        ("demo-admin", auth.ADMIN, "河南省住建厅（演示）", "410000"),
        ("demo-county", auth.ADMIN, "金水区市场监管局（演示）", "410105"),
        ("demo-merchant", auth.MERCHANT_OWNER, "金水绿色建材店（演示）", "410105"),
        ("demo-staff", auth.EXPO_STAFF, "展会工作人员（演示）", "410105"),
    ):
        _, new = _console_user(username, role, nickname=nickname, region_code=region)
        created += new
    merchant = db.session.scalar(sa.select(User).where(User.username == "demo-merchant"))
    _shop("金水绿色建材店", "410105", merchant)
    return created


def seed_all() -> dict[str, int]:
    """Each step may use what the steps before it made (expos need accounts and shops)."""
    report = {}
    report["regions added"] = seed_builtin()["added"]
    report["categories added"] = seed_categories()
    report["demo accounts added"] = seed_accounts()
    report.update(seed_catalog())
    report["expos added"] = seed_expos()
    report["promotions and coupons added"] = seed_promotions()
    report["complaints added"] = seed_complaints()
    report["subsidy claims added"] = seed_subsidies()
    report["solution packages added"] = seed_packages()
    report["service offers and bookings added"] = seed_offers()
    report["cases added"] = seed_cases()
    report["zones and live sessions added"] = seed_zones()
    return report
