"""Bench data made inside the app (so codes are signed with the server's own keys).

Run by scenario setups as `python -m bench.fixtures KIND N` with the server's environment;
prints one JSON document on stdout. Bulk rows go in with Core inserts: fast, no API.
"""

from __future__ import annotations

import json
import secrets
import sys
from datetime import date, timedelta

import sqlalchemy as sa

from app import create_app
from app.accounts.models import AuthToken, User
from app.accounts.services import _hash_token
from app.core import auth, crypto
from app.core.db import utcnow
from app.core.validators import id_card_check_char
from app.extensions import db


def villagers(n: int, tag: str, *, region_code: str = "410122101",
              with_identity: bool = False) -> tuple[list[int], list[str]]:
    """n villagers: their ids, and a bearer token for each."""
    now, expires = utcnow(), utcnow() + timedelta(days=1)
    rows = []
    for i in range(n):
        row = {"role": auth.VILLAGER, "nickname": f"{tag}{i}", "is_active": True,
               "wechat_openid": f"bench-{tag}-{i}-{secrets.token_hex(3)}",
               "region_code": region_code, "created_at": now, "updated_at": now}
        if with_identity:
            first17 = f"410122198{i // 10000 % 10}{(i // 100) % 100 % 12 + 1:02d}" \
                      f"{i % 28 + 1:02d}{i % 1000:03d}"
            number = first17 + id_card_check_char(first17)
            row |= {"real_name": f"村民{i}", "id_card_enc": crypto.encrypt(number),
                    "id_card_hash": crypto.lookup_hash(number)}
        rows.append(row)
    ids = db.session.scalars(sa.insert(User).returning(User.id), rows).all()
    tokens = ["lj_" + secrets.token_urlsafe(32) for _ in ids]
    db.session.execute(sa.insert(AuthToken), [
        {"token_hash": _hash_token(t), "user_id": uid, "created_at": now, "expires_at": expires}
        for t, uid in zip(tokens, ids, strict=True)])
    return ids, tokens


def expo_with_tickets(n: int) -> dict:
    """An expo open for admission now, n registered tickets, and a staff token."""
    from app.expos import codes, organiser
    from app.expos.models import Expo, ExpoTicket

    admin = db.session.scalar(sa.select(User).where(User.username == "demo-admin"))
    staff = db.session.scalar(sa.select(User).where(User.username == "demo-staff"))
    now = utcnow()
    expo = organiser.create_expo(admin, title=f"压测展会 {secrets.token_hex(2)}",
                                 township_code="410122101", venue="压测广场", capacity=n + 1000,
                                 starts_at=now - timedelta(minutes=30),
                                 ends_at=now + timedelta(hours=6),
                                 registration_opens_at=now - timedelta(days=1),
                                 registration_closes_at=now + timedelta(hours=5))
    organiser.publish(expo)
    organiser.assign_staff(expo, staff.id, by=admin)
    user_ids, _ = villagers(n, "gate")
    secrets_ = [codes.new_secret() for _ in user_ids]
    ticket_ids = db.session.scalars(sa.insert(ExpoTicket).returning(ExpoTicket.id), [
        {"expo_id": expo.id, "user_id": uid, "status": "registered", "secret": s,
         "changed_version": 1, "created_at": now, "updated_at": now}
        for uid, s in zip(user_ids, secrets_, strict=True)]).all()
    db.session.execute(sa.update(Expo).where(Expo.id == expo.id).values(registered_count=n))
    codes_ = [codes.sign(expo.signing_key_enc, expo_id=expo.id, ticket_id=t, secret=s)
              for t, s in zip(ticket_ids, secrets_, strict=True)]
    return {"expo_id": expo.id, "codes": codes_, "staff_token": token_for(staff),
            "ticket_ids": ticket_ids, "staff_id": staff.id}


def token_for(user: User) -> str:
    token = "lj_" + secrets.token_urlsafe(32)
    db.session.add(AuthToken(token_hash=_hash_token(token), user_id=user.id,
                             expires_at=utcnow() + timedelta(days=1)))
    return token


def open_expo(capacity: int, n: int) -> dict:
    """An expo open for registration, and n villagers to storm it."""
    from app.expos import organiser

    admin = db.session.scalar(sa.select(User).where(User.username == "demo-admin"))
    now = utcnow()
    expo = organiser.create_expo(admin, title=f"报名压测 {secrets.token_hex(2)}",
                                 township_code="410122101", venue="压测广场", capacity=capacity,
                                 starts_at=now + timedelta(days=3),
                                 ends_at=now + timedelta(days=3, hours=8),
                                 registration_opens_at=now - timedelta(hours=1),
                                 registration_closes_at=now + timedelta(days=2))
    organiser.publish(expo)
    return {"expo_id": expo.id, "tokens": villagers(n, "storm")[1]}


def hot_coupon(quantity: int, n: int) -> dict:
    from app.merchants.models import Shop
    from app.promotions import coupons

    shop = db.session.scalar(sa.select(Shop).where(Shop.name == "金水绿色建材店"))
    now = utcnow()
    template = coupons.create_template(
        shop.id, title=f"秒杀券 {secrets.token_hex(2)}", kind="fixed", amount_fen=5000,
        min_spend_fen=0, total_quantity=quantity, per_person_limit=1, validity_kind="relative",
        valid_days=7, scope="shop", claim_starts_at=now - timedelta(hours=1),
        claim_ends_at=now + timedelta(days=1))
    return {"template_id": template.id, "tokens": villagers(n, "coupon")[1]}


def subsidy_program(claims_covered: int, n: int) -> dict:
    """A programme whose budget covers exactly `claims_covered` claims of the bench price."""
    from app.catalog import eligibility
    from app.catalog.models import Product
    from app.catalog.services import category_by_slug
    from app.merchants.models import Shop
    from app.subsidies import programs

    admin = db.session.scalar(sa.select(User).where(User.username == "demo-admin"))
    shop_products = db.session.execute(
        sa.select(Product, Shop).join(Shop, Shop.id == Product.shop_id)
        .where(Product.status == "listed", Shop.status == "approved")).all()
    product, shop = next((p, s) for p, s in shop_products
                         if eligibility.check(p, region_code="410122101").eligible)
    amount = 100_000 * 1500 // 10_000  # 15 % of ¥1,000
    program = programs.create_program(
        admin, region_code="410000", title=f"压测补贴 {secrets.token_hex(2)}",
        category_ids=[category_by_slug("decoration").id, category_by_slug("basic").id],
        rate_bp=1500, cap_per_item_fen=200_000, cap_per_person_fen=500_000,
        budget_fen=amount * claims_covered, starts_on=date.today() - timedelta(days=30),
        ends_on=date.today() + timedelta(days=30))
    return {"program_id": program.id, "shop_id": shop.id, "product_id": product.id,
            "price_paid_fen": 100_000,
            "tokens": villagers(n, "subsidy", with_identity=True)[1]}


def count(kind: str, ident: int) -> dict:
    """After the load: what the database says."""
    from app.promotions.models import Coupon
    from app.subsidies import programs
    from app.subsidies.models import SubsidyClaim

    if kind == "admitted":
        from app.expos.models import ExpoScan, ExpoTicket
        return {"admitted": db.session.scalar(
                    sa.select(sa.func.count()).select_from(ExpoTicket)
                    .where(ExpoTicket.expo_id == ident, ExpoTicket.admitted_at.is_not(None))),
                "admitting_scans": db.session.scalar(
                    sa.select(sa.func.count()).select_from(ExpoScan)
                    .where(ExpoScan.expo_id == ident, ExpoScan.result == "admitted"))}
    if kind == "coupon":
        return {"coupons": db.session.scalar(sa.select(sa.func.count()).select_from(Coupon)
                                             .where(Coupon.template_id == ident))}
    program = programs.get_program(ident)
    claims = db.session.scalar(sa.select(sa.func.count()).select_from(SubsidyClaim)
                               .where(SubsidyClaim.program_id == ident))
    return {**programs.ledger(program), "claim_rows": claims}


MAKERS = {"expo": lambda a: expo_with_tickets(int(a[0])),
          "storm": lambda a: open_expo(int(a[0]), int(a[1])),
          "coupon": lambda a: hot_coupon(int(a[0]), int(a[1])),
          "subsidy": lambda a: subsidy_program(int(a[0]), int(a[1])),
          "count": lambda a: count(a[0], int(a[1]))}


def main(argv: list[str]) -> None:
    app = create_app()
    with app.app_context():
        result = MAKERS[argv[0]](argv[1:])
        db.session.commit()
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main(sys.argv[1:])
