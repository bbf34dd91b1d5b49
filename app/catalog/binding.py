"""Which products may carry a certificate: its holder's or approved dealers', of its category."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import g, has_request_context

from app.catalog.cache import catalog_changed
from app.catalog.eligibility import negative_listed_products
from app.catalog.models import (
    Category,
    Certificate,
    DealerAuthorisation,
    NegativeListEntry,
    Product,
)
from app.core.db import china_time
from app.core.errors import unprocessable
from app.extensions import db
from app.merchants.models import Shop

FLAG_LABELS = {
    "other_enterprise": "证书持有企业不是本店所属企业，本店也没有该企业经核准的经销授权",
    "other_category": "商品类别不在证书认证的产品类别范围内",
}
# A product's certificate block: the certificate's own status, unless the product may not
# carry it (flagged): `not_applicable`, or `misused` once it is on the negative list too.
STATUS_LABELS = {"valid": "有效", "suspended": "已暂停", "revoked": "已撤销", "expired": "已过期",
                 "not_applicable": "不适用于本商品", "misused": "冒用证书"}
BLOCK_STATUSES = tuple(STATUS_LABELS)
AUTHORISATION_LABELS = {"applied": "待审核", "approved": "已核准", "rejected": "已驳回",
                        "revoked": "已撤销"}
MAX_CHECK_ROWS = 20
BATCH = 1000

# Plain tables, not the models: migration 0011 runs flag_mismatches on the schema of its day.
_products = sa.table("products", sa.column("id", sa.Integer), sa.column("shop_id", sa.Integer),
                     sa.column("category_id", sa.Integer), sa.column("certificate_id", sa.Integer),
                     sa.column("certificate_flag", sa.String))
_certificates = sa.table("certificates", sa.column("id", sa.Integer),
                         sa.column("enterprise_id", sa.Integer),
                         sa.column("category_id", sa.Integer))
_shops = sa.table("shops", sa.column("id", sa.Integer), sa.column("enterprise_id", sa.Integer))
_authorisations = sa.table("dealer_authorisations", sa.column("shop_id", sa.Integer),
                           sa.column("enterprise_id", sa.Integer), sa.column("status", sa.String))
_categories = sa.table("categories", sa.column("id", sa.Integer),
                       sa.column("parent_id", sa.Integer))


# ---- the rule -----------------------------------------------------------------------------

def covers(certified_id: int, category_id: int, parents: dict[int, int | None]) -> bool:
    """Is `category_id` the certified category or one under it (e.g. 砌体材料 covers 砖)?"""
    node: int | None = category_id
    for _ in range(len(parents) + 1):  # a cycle in the data can't loop forever
        if node is None:
            return False
        if node == certified_id:
            return True
        node = parents.get(node)
    return False


def flag_for(*, holder_id: int, certified_category_id: int | None, category_id: int,
             shop_enterprise_id: int | None, authorised: bool,
             parents: dict[int, int | None]) -> str | None:
    """The first reason the product may not carry the certificate, or None.

    A certificate without a category (imported before the list carried one) is not judged on
    category: nothing new binds to it, and its existing products are judged when the
    category arrives (the import rechecks them)."""
    if holder_id != shop_enterprise_id and not authorised:
        return "other_enterprise"
    if certified_category_id is not None and not covers(certified_category_id, category_id,
                                                        parents):
        return "other_category"
    return None


def category_parents(bind: Any = None) -> dict[int, int | None]:
    bind = bind if bind is not None else db.session
    return dict(bind.execute(sa.select(_categories.c.id, _categories.c.parent_id)).all())


def _parents_for_request() -> dict[int, int | None]:
    """The category tree, read once per request (review screens list up to 100 products)."""
    if not has_request_context():
        return category_parents()
    if "category_parents" not in g:
        g.category_parents = category_parents()
    return g.category_parents


def is_authorised(shop_id: int, enterprise_id: int) -> bool:
    return db.session.scalar(sa.select(DealerAuthorisation.id).where(
        DealerAuthorisation.shop_id == shop_id, DealerAuthorisation.enterprise_id == enterprise_id,
        DealerAuthorisation.status == "approved").limit(1)) is not None


def require_may_carry(shop: Shop, category: Category, cert: Certificate) -> None:
    """422 certificate_mismatch, saying why, unless the shop may list a product of
    `category` under `cert` (DOMAIN.md: anything else is fake certification)."""
    field = "certificate_number"
    if cert.category_id is None:
        message = "该证书尚未登记认证的产品类别，暂不能关联；请联系主管部门补录证书类别后再试"
        raise unprocessable("certificate_mismatch", message, {field: [message]})
    reasons = []
    if cert.enterprise_id != shop.enterprise_id and not is_authorised(shop.id, cert.enterprise_id):
        reasons.append(f"该证书属于「{cert.enterprise.name}」，本店不是该企业，也没有经主管部门"
                       "核准的该企业经销授权（可先申请经销授权）")
    if not covers(cert.category_id, category.id, category_parents()):
        reasons.append(f"该证书认证的产品类别为「{cert.category.name}」，"
                       f"与本商品的类别「{category.name}」不符")
    if reasons:
        raise unprocessable("certificate_mismatch", "不能使用该证书：" + "；".join(reasons),
                            {field: reasons})


# ---- flags: kept in step with authorisations and certificate categories ----------------------

def flag_mismatches(bind: Any, *,
                    product_ids: Iterable[int] | None = None) -> dict[int, str | None]:
    """Set or clear products.certificate_flag by the rule; returns {product id: new flag} for
    the products whose flag changed. `bind`: a Connection (migration 0011) or the session.
    None for product_ids means every product."""
    parents = category_parents(bind)
    approved = set(bind.execute(sa.select(_authorisations.c.shop_id,
                                          _authorisations.c.enterprise_id)
                                .where(_authorisations.c.status == "approved")).all())
    p, c, s = _products, _certificates, _shops
    stmt = (sa.select(p.c.id, p.c.shop_id, p.c.category_id, p.c.certificate_flag,
                      c.c.id.label("cert_id"), c.c.enterprise_id.label("holder_id"),
                      c.c.category_id.label("certified_id"),
                      s.c.enterprise_id.label("shop_enterprise_id"))
            .select_from(p.join(s, s.c.id == p.c.shop_id)
                         .outerjoin(c, c.c.id == p.c.certificate_id))
            .where(sa.or_(p.c.certificate_id.is_not(None), p.c.certificate_flag.is_not(None))))
    changes: dict[int, str | None] = {}
    for rows in _batches(bind, stmt, product_ids):
        for row in rows:
            flag = None if row.cert_id is None else flag_for(
                holder_id=row.holder_id, certified_category_id=row.certified_id,
                category_id=row.category_id, shop_enterprise_id=row.shop_enterprise_id,
                authorised=(row.shop_id, row.holder_id) in approved, parents=parents)
            if flag != row.certificate_flag:
                changes[row.id] = flag
    for flag in {*changes.values()}:
        ids = sorted(i for i, f in changes.items() if f == flag)
        for start in range(0, len(ids), BATCH):
            bind.execute(sa.update(p).where(p.c.id.in_(ids[start:start + BATCH]))
                         .values(certificate_flag=flag))
    return changes


def _batches(bind: Any, stmt: sa.Select, product_ids: Iterable[int] | None):
    if product_ids is not None:
        ids = sorted(set(product_ids))
        for start in range(0, len(ids), BATCH):
            yield bind.execute(stmt.where(_products.c.id.in_(ids[start:start + BATCH]))).all()
        return
    last = 0
    while rows := bind.execute(stmt.where(_products.c.id > last)
                               .order_by(_products.c.id).limit(BATCH)).all():
        yield rows
        last = rows[-1].id


def recheck(product_ids: Iterable[int] | None = None) -> dict[int, str | None]:
    """flag_mismatches in the request's transaction; the storefront sees it at commit."""
    db.session.flush()
    changes = flag_mismatches(db.session, product_ids=product_ids)
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, Product) and obj.id in changes:
            db.session.expire(obj, ["certificate_flag"])
    if changes:
        catalog_changed()
    return changes


def products_carrying(*, shop_id: int | None = None, enterprise_id: int | None = None,
                      certificate_ids: Iterable[int] | None = None) -> list[int]:
    """Ids of the products whose certificate matches the filters (to recheck them)."""
    stmt = (sa.select(Product.id).join(Certificate, Certificate.id == Product.certificate_id))
    if shop_id is not None:
        stmt = stmt.where(Product.shop_id == shop_id)
    if enterprise_id is not None:
        stmt = stmt.where(Certificate.enterprise_id == enterprise_id)
    if certificate_ids is not None:
        stmt = stmt.where(Certificate.id.in_(list(certificate_ids)))
    return list(db.session.scalars(stmt))


# ---- what people see ------------------------------------------------------------------------

def block_status(product: Product, day: date, *, negative_listed: bool) -> str:
    """The status a product's certificate block shows (never `valid` for a flagged one)."""
    if product.certificate_flag:
        return "misused" if negative_listed else "not_applicable"
    return product.certificate.status_on(day)


def review(product: Product) -> dict | None:
    """For the admins' review screens: the certificate holder against the merchant."""
    cert = product.certificate
    if cert is None:
        return None
    shop = product.shop
    own = shop.enterprise_id is not None and shop.enterprise_id == cert.enterprise_id
    authorisation = db.session.scalar(
        sa.select(DealerAuthorisation)
        .where(DealerAuthorisation.shop_id == shop.id,
               DealerAuthorisation.enterprise_id == cert.enterprise_id)
        .order_by((DealerAuthorisation.status == "approved").desc(),
                  DealerAuthorisation.id.desc()).limit(1))
    approved = authorisation is not None and authorisation.status == "approved"
    matches = (None if cert.category_id is None
               else covers(cert.category_id, product.category_id, _parents_for_request()))
    problems = []
    if not own and not approved:
        problems.append(FLAG_LABELS["other_enterprise"])
    if matches is False:
        problems.append(FLAG_LABELS["other_category"])
    if matches is None:
        problems.append("证书尚未登记认证的产品类别，无法核对类别")
    return {
        "holder": {"id": cert.enterprise.id, "name": cert.enterprise.name,
                   "credit_code": cert.enterprise.credit_code},
        "merchant": {"shop_id": shop.id, "shop_name": shop.name,
                     "enterprise_id": shop.enterprise_id},
        "holder_is_merchant": own,
        "authorisation": None if authorisation is None else {
            "id": authorisation.id, "status": authorisation.status,
            "status_label": AUTHORISATION_LABELS[authorisation.status],
            "document_no": authorisation.document_no,
            "decided_at": (china_time(authorisation.decided_at).isoformat()
                           if authorisation.decided_at else None)},
        "approved_authorisation": approved,
        "certificate_category": (None if cert.category is None
                                 else {"slug": cert.category.slug, "name": cert.category.name}),
        "category_matches": matches,
        "may_carry": (own or approved) and matches is not False,
        "message": "；".join(problems) if problems else "证书持有企业与类别核对无误",
    }


def carriers(cert: Certificate, storefront: sa.Select, day: date) -> tuple[list[dict], list[dict]]:
    """The public check's two lists: storefront products that legitimately carry `cert`, and
    plain warnings about those that name it without the right to (or are negative-listed)."""
    in_store = db.session.scalars(storefront.where(Product.certificate_id == cert.id)
                                  .order_by(Product.id).limit(MAX_CHECK_ROWS * 5)).all()
    # negative-listed ones, in the storefront or not: the negative list is public
    listed_ids = set(db.session.scalars(sa.select(NegativeListEntry.product_id).join(
        Product, Product.id == NegativeListEntry.product_id).where(
        Product.certificate_id == cert.id, NegativeListEntry.lifted_at.is_(None))))
    others = db.session.scalars(sa.select(Product).where(
        Product.id.in_(listed_ids - {p.id for p in in_store})).order_by(Product.id)).all()
    negative = negative_listed_products([p.id for p in [*in_store, *others]], day)
    legit, warnings = [], []
    for product in [*in_store, *others]:
        where = f"「{product.name}」（{product.shop.name}）"
        if product.id in negative:
            reason = negative[product.id]
            if product.certificate_flag:
                kind, text = "misused", f"{where}冒用本证书，已列入负面清单：{reason}"
            else:
                kind, text = "negative_listed", f"{where}已列入负面清单：{reason}"
            text += "。请勿购买；已购买的可拨打 12315 投诉"
        elif product.certificate_flag:
            kind = "unverified"
            text = (f"{where}标注了本证书，但未核实其使用资格"
                    f"（{FLAG_LABELS[product.certificate_flag]}），不属于本证书的认证产品")
        else:
            legit.append({"id": product.id, "name": product.name, "merchant": product.shop.name})
            continue
        warnings.append({"kind": kind, "message": text, "product": {
            "id": product.id, "name": product.name, "merchant": product.shop.name}})
    return legit[:MAX_CHECK_ROWS], warnings[:MAX_CHECK_ROWS]
