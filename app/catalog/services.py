"""Catalog reads for the storefront, and the shared helpers other catalog code uses."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date

import sqlalchemy as sa

from app.catalog import binding, eligibility, search, synonyms
from app.catalog.cache import cached_json
from app.catalog.data import CATEGORIES
from app.catalog.models import Category, Certificate, Product
from app.core.errors import ApiError, not_found
from app.core.pagination import invalid_cursor
from app.core.regions import scope_prefix
from app.extensions import db
from app.integrations import storage
from app.merchants.models import Shop
from app.promotions import promos

SORTS = ("relevance", "newest", "price_asc", "price_desc", "star")
MAX_OFFSET = 10_000


# ---- categories --------------------------------------------------------------------------

def seed_categories() -> int:
    existing = {c.slug: c for c in db.session.scalars(sa.select(Category))}
    added = 0
    for order, (slug, name, parent) in enumerate(CATEGORIES):
        if slug in existing:
            continue
        category = Category(slug=slug, name=name, sort_order=order,
                            parent_id=existing[parent].id if parent else None)
        db.session.add(category)
        db.session.flush()
        existing[slug] = category
        added += 1
    return added


def category_tree() -> list[dict]:
    rows = db.session.scalars(sa.select(Category).order_by(Category.sort_order)).all()
    nodes = {c.id: {"id": c.id, "slug": c.slug, "name": c.name, "children": []} for c in rows}
    roots = []
    for c in rows:
        (nodes[c.parent_id]["children"] if c.parent_id else roots).append(nodes[c.id])
    return roots


def resolve_category_refs(refs: list[int | str], *, field: str) -> list[int]:
    """Category ids for ids or slugs, mixed (CategoryRef); 422 unknown_category names the
    unknown ones under `field`."""
    ids = {ref for ref in refs if isinstance(ref, int)}
    slugs = {ref for ref in refs if isinstance(ref, str)}
    found = db.session.execute(sa.select(Category.id, Category.slug).where(
        sa.or_(Category.id.in_(ids), Category.slug.in_(slugs)))).all()
    known = {id_ for id_, _ in found} | {slug for _, slug in found}
    if unknown := [ref for ref in refs if ref not in known]:
        raise ApiError(422, "unknown_category", "未知的商品分类", {
            field: [f"未知的分类：{'、'.join(map(str, dict.fromkeys(unknown)))}"]})
    by_ref = {**{id_: id_ for id_, _ in found}, **{slug: id_ for id_, slug in found}}
    return list(dict.fromkeys(by_ref[ref] for ref in refs))


def category_ids_under(slug: str) -> list[int]:
    rows = db.session.execute(sa.select(Category.id, Category.slug, Category.parent_id)).all()
    start = next((r.id for r in rows if r.slug == slug), None)
    if start is None:
        raise ApiError(422, "unknown_category", "未知的商品分类", {"category": ["未知的分类"]})
    ids, frontier = {start}, {start}
    while frontier:
        frontier = {r.id for r in rows if r.parent_id in frontier} - ids
        ids |= frontier
    return sorted(ids)


def category_by_slug(slug: str) -> Category:
    category = db.session.scalar(sa.select(Category).where(Category.slug == slug))
    if category is None:
        raise ApiError(422, "unknown_category", "未知的商品分类", {"category": ["未知的分类"]})
    return category


# ---- products ----------------------------------------------------------------------------

def refresh_search_terms(product: Product) -> None:
    """Call after changing a product's name, brand, spec, category or enterprise."""
    category = product.category or db.session.get(Category, product.category_id)
    # The brand stands for the maker; the enterprise's full legal name would only add
    # dozens of tokens per row that villagers never type.
    product.search_terms = search.terms_for(
        product.name, product.brand, product.model_spec, category.name if category else "")
    product.name_terms = search.terms_for(product.name, product.brand)


def storefront_products() -> sa.Select:
    """Products a villager may see: listed, in an approved shop."""
    return (sa.select(Product).join(Shop, Shop.id == Product.shop_id)
            .where(Product.status == "listed", Shop.status == "approved"))


def _decode_offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        offset = int(data["o"])
    except (ValueError, KeyError, TypeError, binascii.Error, json.JSONDecodeError):
        raise invalid_cursor() from None
    if not 0 <= offset <= MAX_OFFSET:
        raise invalid_cursor("超出范围")
    return offset


def _encode_offset(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


_ORDERS = {
    "relevance": [Product.id.desc()],  # without a query: newest first
    "newest": [Product.id.desc()],
    "price_asc": [Product.price_fen.asc(), Product.id.desc()],
    "price_desc": [Product.price_fen.desc(), Product.id.desc()],
    "star": [sa.select(sa.func.coalesce(sa.func.max(Certificate.star), 0))
             .where(Certificate.id == Product.certificate_id,
                    Product.certificate_flag.is_(None))
             .correlate_except(Certificate).scalar_subquery().desc(),
             Product.id.desc()],
}


def _relevance_page(stmt: sa.Select, q: str, dialect: str, offset: int, size: int) -> list:
    """Ids of one page by relevance: name or brand matches first, then matches elsewhere."""
    def first(in_name, anywhere):
        return in_name

    def rest(in_name, anywhere):
        return sa.and_(anywhere, sa.not_(in_name))

    ids = _tier(stmt, first, q, dialect, offset, size)
    if len(ids) == size:
        return ids
    # The page runs past the first tier: where does it start in the second?
    skip = 0 if ids else offset - db.session.scalar(sa.select(sa.func.count()).select_from(
        _tier_matches(stmt, first, q, dialect).subquery()))
    return ids + _tier(stmt, rest, q, dialect, max(skip, 0), size - len(ids))


# Rows of the newest the probe tests before the indexes are asked.
PROBE_ROWS = 1000


def _tier(stmt: sa.Select, tier, q: str, dialect: str, offset: int, size: int) -> list:
    """Ids of a tier's products, newest first.

    The newest PROBE_ROWS products that pass the other filters are tested first with plain
    LIKEs, about a millisecond: a common token (砖 is in a fifth of the catalogue) fills its
    page there. Otherwise the GIN indexes find the matches, few enough then to sort. Left to
    itself PostgreSQL would walk the id index for a LIMIT and parse every row's tokens on
    the way, seconds when a token turns out rarer than its statistics say.
    """
    recent = (stmt.with_only_columns(Product.id, Product.name_terms, Product.search_terms)
              .order_by(Product.id.desc()).limit(PROBE_ROWS).subquery())
    probed = db.session.scalars(
        sa.select(recent.c.id)
        .where(tier(search.like_clause(q, recent.c.name_terms),
                    search.like_clause(q, recent.c.search_terms)))
        .order_by(recent.c.id.desc()).offset(offset).limit(size)).all()
    if len(probed) == size:
        return probed
    # id + 0: sort the matches instead of walking the id index (see above).
    return db.session.scalars(_tier_matches(stmt, tier, q, dialect)
                              .order_by((Product.id + 0).desc()).offset(offset).limit(size)).all()


def _tier_matches(stmt: sa.Select, tier, q: str, dialect: str) -> sa.Select:
    """The tier's product ids as the indexes find them."""
    return stmt.with_only_columns(Product.id).where(tier(
        search.match_clause(q, dialect, Product.name_terms),
        search.match_clause(q, dialect, Product.search_terms)))


def search_products(*, q: str | None = None, category: str | None = None,
                    region: str | None = None, star: int | None = None,
                    min_price_fen: int | None = None, max_price_fen: int | None = None,
                    eligible_only: bool = False, sort: str = "relevance", limit: int = 20,
                    cursor: str | None = None, on: date | None = None) -> dict:
    """One page of the storefront, as plain data (cacheable)."""
    day = on or eligibility.today()
    dialect = db.engine.dialect.name
    eligible = eligibility.eligible_clause(region_code=region, on=day)
    stmt = storefront_products()
    q = synonyms.rewrite(q.strip()) if q else None
    if category:
        stmt = stmt.where(Product.category_id.in_(category_ids_under(category)))
    if region:
        # sold in the region: the shop lies in it, or in a region containing it
        stmt = stmt.where(sa.or_(Shop.region_code.startswith(scope_prefix(region)),
                                 Shop.region_code.in_(eligibility.region_and_ancestors(region))))
    if star:
        stmt = stmt.join(Certificate, Certificate.id == Product.certificate_id).where(
            Certificate.star >= star, Certificate.status == "valid",
            Certificate.expires_on >= day, Product.certificate_flag.is_(None))
    if min_price_fen is not None:
        stmt = stmt.where(Product.price_fen >= min_price_fen)
    if max_price_fen is not None:
        stmt = stmt.where(Product.price_fen <= max_price_fen)
    if eligible_only:
        stmt = stmt.where(eligible)
    offset = _decode_offset(cursor)
    if q and sort == "relevance":
        ids = _relevance_page(stmt, q, dialect, offset, limit + 1)
    else:
        if q:
            stmt = stmt.where(search.match_clause(q, dialect))
        ids = db.session.scalars(stmt.with_only_columns(Product.id).order_by(*_ORDERS[sort])
                                 .offset(offset).limit(limit + 1)).all()
    more, ids = len(ids) > limit, ids[:limit]
    loaded = {p.id: p for p in db.session.scalars(sa.select(Product).where(Product.id.in_(ids)))}
    page = [loaded[i] for i in ids]
    # Eligibility (three correlated EXISTS) for the page only, never for every match.
    ok = set(db.session.scalars(sa.select(Product.id).where(
        Product.id.in_([p.id for p in page]), eligible))) if page else set()
    prices = promos.promo_prices([p for p in page if p.id in ok])
    misused = eligibility.negative_listed_products(
        [p.id for p in page if p.certificate_flag], day)
    items = [product_summary(p, eligible=p.id in ok, day=day, promo_price_fen=prices.get(p.id),
                             negative_listed=p.id in misused)
             for p in page]
    return {"items": items,
            "next_cursor": _encode_offset(offset + limit) if more and offset + limit <= MAX_OFFSET
            else None}


def list_products_json(**args) -> bytes:
    """The storefront page as JSON bytes (served from the cache when current)."""
    return cached_json("products", args, lambda: search_products(**args))


def certificate_summary(product: Product, day: date, *,
                        negative_listed: bool = False) -> dict | None:
    """The product's certificate block: never `valid` when the product may not carry it."""
    cert = product.certificate
    if cert is None:
        return None
    status = binding.block_status(product, day, negative_listed=negative_listed)
    return {"number": cert.number, "star": cert.star, "status": status,
            "status_label": binding.STATUS_LABELS[status]}


def product_summary(product: Product, *, eligible: bool, day: date,
                    promo_price_fen: int | None = None, negative_listed: bool = False) -> dict:
    return {
        "id": product.id,
        "name": product.name,
        "brand": product.brand,
        "category": {"slug": product.category.slug, "name": product.category.name},
        "price_fen": product.price_fen,
        "promo_price_fen": promo_price_fen,  # only eligible products are promoted
        "unit": product.unit,
        "image_url": product.images[0] if product.images else None,
        "thumbnail_url": storage.thumbnail_url(product.images[0]) if product.images else None,
        "merchant": {"id": product.shop.id, "name": product.shop.name},
        "certificate": certificate_summary(product, day, negative_listed=negative_listed),
        "eligible": eligible,
    }


def get_listed_product(product_id: int) -> Product:
    product = db.session.scalar(storefront_products().where(Product.id == product_id))
    if product is None:
        raise not_found("product_not_found", "未找到该商品")
    return product


def product_detail_json(product_id: int, *, region: str | None = None) -> bytes:
    def build() -> dict:
        product = get_listed_product(product_id)
        day = eligibility.today()
        verdict = eligibility.check(product, region_code=region, on=day)
        cert = product.certificate
        offers = (promos.offers_for(product) if verdict.eligible
                  else {"promotions": [], "coupons": []})
        price = promos.promo_prices([product]).get(product.id) if verdict.eligible else None
        negative = verdict.reason == "negative_list_product"
        return {
            **product_summary(product, eligible=verdict.eligible, day=day,
                              promo_price_fen=price, negative_listed=negative),
            "model_spec": product.model_spec,
            "description": product.description,
            "images": product.images,
            "eligibility": {"eligible": verdict.eligible, "reason": verdict.reason,
                            "message": verdict.message},
            "enterprise": ({"id": product.enterprise.id, "name": product.enterprise.name}
                           if product.enterprise else None),
            "certificate": ({**certificate_view(cert, day),
                             **certificate_summary(product, day, negative_listed=negative),
                             "certificate_status": cert.status_on(day)} if cert else None),
            "merchant": {"id": product.shop.id, "name": product.shop.name,
                         "region_code": product.shop.region_code,
                         "address": product.shop.address},
            **offers,
        }

    return cached_json("product", {"id": product_id, "region": region}, build)


# ---- certificates ------------------------------------------------------------------------

def certificate_view(cert: Certificate, day: date) -> dict:
    """The public check: only products that may carry it are listed; the others are warned
    about (binding.carriers)."""
    listed, warnings = binding.carriers(cert, storefront_products(), day)
    status = cert.status_on(day)
    return {
        "number": cert.number,
        "status": status,
        "status_label": binding.STATUS_LABELS[status],
        "star": cert.star,
        "issuer": cert.issuer,
        "issued_on": cert.issued_on,
        "valid_until": cert.expires_on,
        "product": cert.product_name,
        "category": ({"slug": cert.category.slug, "name": cert.category.name}
                     if cert.category else None),
        "enterprise": {"name": cert.enterprise.name,
                       "credit_code": cert.enterprise.credit_code},
        "listed_products": listed,
        "warnings": warnings,
    }


def check_certificate(number: str) -> dict:
    number = number.strip()
    cert = db.session.scalar(sa.select(Certificate).where(
        Certificate.number.in_({number, number.upper()})).limit(1))
    if cert is None:
        raise not_found("certificate_not_found",
                        "查无此证书编号，请核对；如怀疑虚假认证，可拨打 12315 投诉")
    return certificate_view(cert, eligibility.today())
