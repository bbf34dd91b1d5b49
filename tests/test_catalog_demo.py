"""Catalog demo data (seed_catalog) and the bulk benchmark generator (generate_products)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.accounts.services import console_login
from app.catalog import binding, eligibility, search
from app.catalog.data import CATEGORIES
from app.catalog.demo import DEMO_PASSWORD, LEAF_CATEGORIES, generate_products, seed_catalog
from app.catalog.models import (
    Category,
    Certificate,
    DealerAuthorisation,
    Enterprise,
    LocalListEntry,
    NegativeListEntry,
    Product,
)
from app.catalog.services import check_certificate, search_products, seed_categories
from app.core.validators import is_valid_credit_code
from app.demo import seed_accounts
from app.extensions import db
from app.merchants.models import Shop, ShopMember


@pytest.fixture
def seeded(db_session) -> dict[str, int]:
    seed_accounts()
    seed_categories()
    report = seed_catalog()
    db.session.flush()
    return report


def _counts() -> dict[str, int]:
    return {model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Shop, ShopMember, User, Enterprise, Certificate, Product,
                          LocalListEntry, NegativeListEntry)}


def _by_name(name: str) -> Product:
    return db.session.scalars(sa.select(Product).where(Product.name == name)).one()


def test_seed_catalog_twice_adds_nothing(seeded):
    assert seeded["products added"] >= 60
    assert seeded["enterprises added"] >= 12
    before = _counts()
    again = seed_catalog()
    db.session.flush()
    assert set(again.values()) == {0}
    assert _counts() == before


def test_listed_products_cover_every_leaf_category(seeded):
    listed = db.session.scalars(
        sa.select(Product).join(Shop, Shop.id == Product.shop_id)
        .where(Product.status == "listed", Shop.status == "approved")).all()
    assert len(listed) >= 60
    leaves = {slug for slug, _, _ in CATEGORIES} - {p for _, _, p in CATEGORIES if p}
    assert set(LEAF_CATEGORIES) == leaves
    assert {p.category.slug for p in listed} == leaves
    for product in listed:
        assert product.price_fen > 0 and product.unit and product.brand and product.description
        category = db.session.get(Category, product.category_id)
        assert product.search_terms == search.terms_for(
            product.name, product.brand, product.model_spec, category.name)
    assert any(p.certificate_id is None for p in listed)  # some rely on the local list


def test_shops_and_their_owners(seeded):
    approved = db.session.scalars(sa.select(Shop).where(Shop.status == "approved")).all()
    assert len(approved) >= 8
    assert len({s.region_code for s in approved}) >= 5
    assert all(s.region_code.startswith("41") for s in approved)
    for shop in approved:
        roles = {m.role for m in shop.members}
        assert "merchant_owner" in roles, shop.name
    user, token = console_login("demo-shop-zhongmou", DEMO_PASSWORD)
    assert token and user.role == "merchant_owner"
    member = db.session.scalar(sa.select(ShopMember).where(ShopMember.user_id == user.id))
    assert member.shop.region_code == "410122"


def test_demo_merchant_shop_has_listed_products(seeded):
    merchant = db.session.scalar(sa.select(User).where(User.username == "demo-merchant"))
    member = db.session.scalar(sa.select(ShopMember).where(ShopMember.user_id == merchant.id))
    assert member.shop.name == "金水绿色建材店"
    listed = db.session.scalar(sa.select(sa.func.count()).select_from(Product).where(
        Product.shop_id == member.shop_id, Product.status == "listed"))
    assert listed >= 10


def test_enterprises_and_certificates_look_real(seeded):
    for enterprise in db.session.scalars(sa.select(Enterprise)):
        assert is_valid_credit_code(enterprise.credit_code), enterprise.name
    today = eligibility.today()
    certs = db.session.scalars(sa.select(Certificate)).all()
    statuses = [c.status_on(today) for c in certs]
    assert statuses.count("expired") >= 2
    assert {"valid", "suspended", "revoked"} <= set(statuses)
    assert {c.star for c in certs} == {1, 2, 3}
    for cert in certs:
        assert cert.number == cert.number.upper() and cert.issued_on < cert.expires_on
    view = check_certificate(certs[0].number.lower())
    assert view["enterprise"]["name"] and view["listed_products"]


def test_lists_and_eligibility(seeded):
    local = _by_name("黄河淤泥烧结多孔砖")
    assert local.certificate_id is None
    assert eligibility.check(local, region_code="410225").reason == "local_list"
    assert eligibility.check(local, region_code="410225101201").eligible  # a village there
    assert eligibility.check(local, region_code="410105").reason == "not_certified"

    fake = _by_name("页岩烧结实心砖（绿色建材三星）")
    assert fake.certificate.enterprise_id != fake.enterprise_id  # someone else's certificate
    assert eligibility.check(fake).reason == "negative_list_product"
    entry = db.session.scalar(sa.select(NegativeListEntry).where(
        NegativeListEntry.product_id == fake.id))
    assert entry.lifted_at is None and "冒用" in entry.reason

    lifted = db.session.scalars(sa.select(NegativeListEntry).where(
        NegativeListEntry.lifted_at.is_not(None))).all()
    assert lifted and lifted[0].lift_reason
    interior = _by_name("净味全效内墙乳胶漆")  # its enterprise was listed, then lifted
    assert eligibility.check(interior).reason == "certified"
    assert eligibility.check(_by_name("外墙真石漆")).reason == "certificate_suspended"
    assert eligibility.check(
        _by_name("JS聚合物水泥防水涂料（卫生间）")).reason == "certificate_revoked"
    assert eligibility.check(_by_name("再生骨料预拌混凝土")).reason == "certificate_expired"


def test_demo_products_carry_only_their_own_certificates(seeded):
    certs = db.session.scalars(sa.select(Certificate)).all()
    assert all(c.category_id is not None for c in certs)
    fake = _by_name("页岩烧结实心砖（绿色建材三星）")
    flagged = db.session.scalars(sa.select(Product).where(
        Product.certificate_flag.is_not(None))).all()
    assert [p.id for p in flagged] == [fake.id]
    assert fake.certificate_flag == "other_enterprise"
    assert binding.flag_mismatches(db.session.connection()) == {}  # all consistent
    statuses = {a.status for a in db.session.scalars(sa.select(DealerAuthorisation))}
    assert statuses == {"approved", "applied", "rejected"}
    # the certificate the fake names: the check lists the real ones and warns about the fake
    view = check_certificate(fake.certificate.number)
    assert fake.id not in {p["id"] for p in view["listed_products"]}
    assert len(view["listed_products"]) >= 3
    assert [(w["product"]["id"], w["kind"]) for w in view["warnings"]] == [(fake.id, "misused")]
    item = next(i for i in search_products(limit=100, q="页岩烧结实心砖")["items"]
                if i["id"] == fake.id)
    assert item["certificate"]["status"] == "misused" and not item["eligible"]


def test_storefront_search_finds_seeded_products(seeded):
    for q in ("瓷砖", "cizhuan", "防水", "砖"):
        items = search_products(q=q, limit=50)["items"]
        assert items, q
    tiles = search_products(q="瓷砖", limit=50)["items"]
    assert any(i["name"] == "全抛釉瓷砖 客厅地砖" for i in tiles)
    eligible = search_products(eligible_only=True, region="410225", limit=100)["items"]
    assert "黄河淤泥烧结多孔砖" in {i["name"] for i in eligible}
    assert "页岩烧结实心砖（绿色建材三星）" not in {i["name"] for i in eligible}


def _generated(after_id: int) -> list[Product]:
    return db.session.scalars(
        sa.select(Product).where(Product.id > after_id).order_by(Product.id)).all()


def test_generate_products(seeded):
    last = db.session.scalar(sa.select(sa.func.max(Product.id)))
    assert generate_products(500) == 500
    rows = _generated(last)
    assert len(rows) == 500
    assert all(p.search_terms for p in rows)
    for p in rows[:60]:  # the per-text cache gives exactly what terms_for gives
        assert p.search_terms == search.terms_for(
            p.name, p.brand, p.model_spec, p.category.name)
    assert len({p.category_id for p in rows}) == len(LEAF_CATEGORIES)
    assert len({p.shop_id for p in rows}) >= 8
    assert len({p.name for p in rows}) >= 200
    assert sum(p.status == "listed" for p in rows) > 400
    assert 20 < sum(p.certificate_id is None for p in rows) < 120
    for q in ("砖", "瓷砖", "cizhuan", "cz", "防水"):
        hits = db.session.scalar(sa.select(sa.func.count()).select_from(Product).where(
            Product.id > last, search.match_clause(q, db.engine.dialect.name)))
        assert 5 <= hits <= 300, (q, hits)
    assert set(seed_catalog().values()) == {0}  # namesakes of seeded products don't confuse it
    # generated products go to shops that may carry their certificates
    assert binding.flag_mismatches(db.session.connection(),
                                   product_ids=[p.id for p in rows]) == {}


def test_generate_products_is_deterministic(seeded):
    def batch(seed: int) -> list[tuple]:
        last = db.session.scalar(sa.select(sa.func.max(Product.id)))
        generate_products(100, seed=seed)
        return [(p.name, p.model_spec, p.price_fen, p.certificate_id, p.shop_id, p.status)
                for p in _generated(last)]

    first = batch(7)
    assert batch(7) == first
    assert batch(8) != first
    assert generate_products(0) == 0


def test_every_demo_product_has_a_picture_drawn_locally(seeded, client):
    from io import BytesIO

    from PIL import Image

    from app.integrations import storage

    assert seeded["product pictures added"] > 0
    products = db.session.scalars(sa.select(Product)).all()
    assert products and all(p.images for p in products)
    for product in products[:5]:
        path = storage.path_for(product.images[0])
        assert path is not None and path.is_file()
        assert Image.open(BytesIO(path.read_bytes())).format == "JPEG"
        shown = client.get(product.images[0])  # public and cacheable, like any product image
        assert shown.status_code == 200 and "max-age" in shown.headers["Cache-Control"]
    assert seed_catalog()["product pictures added"] == 0  # seeding again draws nothing
