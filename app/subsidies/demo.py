"""Demo subsidies: a programme open in 金水区 with claims in every state, by demo residents."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from app.accounts.models import User
from app.accounts.services import update_profile
from app.catalog import eligibility
from app.catalog.models import Category, Product
from app.core import auth
from app.core.validators import id_card_check_char
from app.extensions import db
from app.merchants.models import Shop
from app.subsidies import claims, programs, review
from app.subsidies.models import SubsidyProgram

TITLE = "金水区绿色建材下乡消费补贴（演示）"
SHOP = "金水绿色建材店"
CATEGORIES = ("decoration", "doors-windows", "insulation")  # 装修类 and 农房节能改造

# Fictional people. Their ID numbers are built with the GB 11643 check digit on the area
# code 410199, which GB/T 2260 gives to no place: no one holds them. The bank accounts are
# Luhn-valid card numbers under 620000, an issuer prefix of no Chinese bank.
# (login name: dev-<key>, real name, residence, birth date, sequence code, bank)
RESIDENTS = {
    "demo-jinshui1": ("张桂兰", "410105001", date(1962, 3, 14), 22, "中国农业银行郑州花园路支行"),
    "demo-jinshui2": ("李建国", "410105002", date(1958, 11, 2), 13, "中国邮政储蓄银行金水区支行"),
    "demo-jinshui3": ("王秀英", "410105001", date(1971, 6, 28), 44, "郑州农商银行经八路支行"),
    "demo-jinshui4": ("刘志强", "410105002", date(1980, 1, 9), 57, "中国工商银行郑州文化路支行"),
}

# (resident, category, quantity, days before today it was bought, what happens to it)
CLAIMS = [
    ("demo-jinshui1", "sanitary-ceramics", 1, 40, "disbursed"),
    ("demo-jinshui2", "doors-windows", 1, 30, "approved"),
    ("demo-jinshui3", "furniture", 1, 25, "rejected"),
    ("demo-jinshui4", "ceramic-tiles", 60, 12, "reserved"),
    ("demo-jinshui1", "coatings", 4, 6, "reserved"),
]
REJECTION = "发票金额与商家销售记录不一致，请补充购物清单后重新申请"


def demo_id_number(born: date, sequence: int) -> str:
    first17 = f"410199{born:%Y%m%d}{sequence:03d}"
    return first17 + id_card_check_char(first17)


def demo_card_number(n: int) -> str:
    """16 digits, 620000..., with its Luhn check digit."""
    body = f"620000{n:09d}"
    total = 0
    for position, char in enumerate(reversed(body)):  # positions of the body's digits,
        value = int(char) * (1 if position % 2 else 2)  # counted once the check is added
        total += value - 9 if value > 9 else value
    return body + str((10 - total % 10) % 10)


def _resident(key: str, n: int) -> User:
    real_name, region_code, born, sequence, bank = RESIDENTS[key]
    user = db.session.scalar(sa.select(User).where(User.wechat_openid == f"dev-openid-{key}"))
    if user is None:
        user = User(role=auth.VILLAGER, wechat_openid=f"dev-openid-{key}",
                    nickname=f"金水村民{n}", is_active=True)
        db.session.add(user)
        db.session.flush()
    if not user.id_card_enc:
        update_profile(user, real_name=real_name, region_code=region_code,
                       id_card_no=demo_id_number(born, sequence),
                       bank_account=demo_card_number(n), bank_name=bank)
    return user


def _product(shop: Shop, program: SubsidyProgram, slug: str, on: date) -> Product | None:
    """The demo shop's first listed product of that category eligible that day."""
    category = db.session.scalar(sa.select(Category).where(Category.slug == slug))
    if category is None:
        return None
    for product in db.session.scalars(sa.select(Product).where(
            Product.shop_id == shop.id, Product.category_id == category.id,
            Product.status == "listed").order_by(Product.id)):
        if eligibility.check(product, region_code=program.region_code, on=on).eligible:
            return product
    return None


def seed_subsidies() -> int:
    """The programme and its claims, once; returns the claims made (0 when already there)."""
    if db.session.scalar(sa.select(SubsidyProgram.id).where(SubsidyProgram.title == TITLE)):
        return 0
    officer = db.session.scalar(sa.select(User).where(User.username == "demo-county"))
    shop = db.session.scalar(sa.select(Shop).where(Shop.name == SHOP))
    if officer is None or shop is None:
        return 0
    today = eligibility.today()
    program = programs.create_program(
        officer, region_code="410105", title=TITLE, category_ids=list(CATEGORIES), rate_bp=1500,
        cap_per_item_fen=200_000, cap_per_person_fen=500_000, budget_fen=50_000_000,
        starts_on=today - timedelta(days=60), ends_on=today + timedelta(days=120))
    residents = {key: _resident(key, n) for n, key in enumerate(RESIDENTS, start=1)}
    made = 0
    # In this order: the batch exported for payment takes every approved claim of the
    # programme, so the claim to be paid is approved and paid before the next is approved.
    for n, (key, slug, quantity, days_ago, fate) in enumerate(CLAIMS, start=1):
        bought = today - timedelta(days=days_ago)
        product = _product(shop, program, slug, bought)
        if product is None:
            continue
        claim = claims.submit_claim(
            residents[key], program_id=program.id, merchant_id=shop.id, product_id=product.id,
            price_paid_fen=product.price_fen * quantity, purchase_date=bought,
            invoice_no=f"2641{bought:%y%m%d}{n:010d}")
        if fate in ("approved", "disbursed"):
            review.decide(claim, approve=True, note="材料齐全，同意补贴", by=officer)
        elif fate == "rejected":
            review.decide(claim, approve=False, note=REJECTION, by=officer)
        if fate == "disbursed":
            batch_no, _, _ = review.export_batch(program, by=officer)
            review.mark_disbursed(program, batch_no, by=officer)
        made += 1
    db.session.flush()
    return made
