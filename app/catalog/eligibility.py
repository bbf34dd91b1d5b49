"""Is a product campaign-eligible in region R on day D, and if not, why (DOMAIN.md).

Eligible = (certificate valid on D and the product may carry it, or on the local list of a
region containing R on D) and neither the product nor its enterprise on the negative list on D.
"May carry" is products.certificate_flag being empty (kept by app.catalog.binding). `check`
answers for one product; `eligible_clause` is the same rule as SQL, for listings and filters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from app.catalog.models import Certificate, LocalListEntry, NegativeListEntry, Product
from app.core.db import CHINA
from app.core.regions import is_region_code, parent_candidates
from app.extensions import db

MESSAGES = {
    "certified": "持有效绿色建材认证",
    "local_list": "列入本地绿色建材清单",
    "negative_list_product": "该产品已列入负面清单",
    "negative_list_enterprise": "该生产企业已列入负面清单",
    "certificate_expired": "认证证书已过期",
    "certificate_suspended": "认证证书已暂停",
    "certificate_revoked": "认证证书已撤销",
    "certificate_not_yet_valid": "认证证书尚未生效",
    "certificate_not_applicable": "所标注的认证证书不适用于本商品（非证书企业或其授权经销商的产品，"
                                  "或不属于证书认证的产品类别）",
    "not_certified": "未取得绿色建材认证，也未列入本地清单",
}


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reason: str

    @property
    def message(self) -> str:
        return MESSAGES[self.reason]


def judged_in(region: str | None, user=None) -> str | None:
    """The region eligibility is judged in: the one asked for, else a signed-in villager's
    own (a county's local list applies to its villagers)."""
    if region or user is None:
        return region
    return user.region_code if user.role == "villager" else None


def today() -> date:
    return datetime.now(CHINA).date()


def _end_of(day: date) -> datetime:
    """Negative-list entries count on day D if listed by its end (China time)."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=CHINA)


def region_and_ancestors(region_code: str | None) -> list[str]:
    if not region_code or not is_region_code(region_code):
        return []
    return [region_code, *parent_candidates(region_code)]


def _negative_filter(product_id, enterprise_id, at: datetime):
    target = NegativeListEntry.product_id == product_id
    if enterprise_id is not None:
        target = sa.or_(target, NegativeListEntry.enterprise_id == enterprise_id)
    return sa.and_(target, NegativeListEntry.listed_at < at,
                   sa.or_(NegativeListEntry.lifted_at.is_(None), NegativeListEntry.lifted_at >= at))


def _local_filter(product_id, regions: list[str], day: date):
    return sa.and_(LocalListEntry.product_id == product_id, LocalListEntry.removed_at.is_(None),
                   LocalListEntry.valid_from <= day, LocalListEntry.valid_until >= day,
                   LocalListEntry.region_code.in_(regions))


def negative_listed_products(product_ids: list[int], day: date | None = None) -> dict[int, str]:
    """{product id: reason} of the given products on the negative list themselves on `day`."""
    if not product_ids:
        return {}
    at = _end_of(day or today())
    return dict(db.session.execute(
        sa.select(NegativeListEntry.product_id, NegativeListEntry.reason)
        .where(NegativeListEntry.product_id.in_(product_ids), NegativeListEntry.listed_at < at,
               sa.or_(NegativeListEntry.lifted_at.is_(None), NegativeListEntry.lifted_at >= at))
        .order_by(NegativeListEntry.id)).all())


def check(product: Product, *, region_code: str | None = None,
          on: date | None = None) -> Eligibility:
    day = on or today()
    at = _end_of(day)
    negative = db.session.scalars(
        sa.select(NegativeListEntry)
        .where(_negative_filter(product.id, product.enterprise_id, at)).limit(2)).all()
    if any(entry.product_id == product.id for entry in negative):
        return Eligibility(False, "negative_list_product")
    if negative:
        return Eligibility(False, "negative_list_enterprise")
    cert_reason = _certificate_reason(product.certificate, day)
    if cert_reason == "certified" and product.certificate_flag:
        cert_reason = "certificate_not_applicable"
    if cert_reason == "certified":
        return Eligibility(True, "certified")
    regions = region_and_ancestors(region_code)
    if regions and db.session.scalar(
            sa.select(sa.literal(1)).where(_local_filter(product.id, regions, day)).limit(1)):
        return Eligibility(True, "local_list")
    return Eligibility(False, cert_reason)


def _certificate_reason(certificate: Certificate | None, day: date) -> str:
    if certificate is None:
        return "not_certified"
    if certificate.status != "valid":
        return f"certificate_{certificate.status}"
    if day < certificate.issued_on:
        return "certificate_not_yet_valid"
    if day > certificate.expires_on:
        return "certificate_expired"
    return "certified"


def eligible_clause(*, region_code: str | None = None, on: date | None = None):
    """SQL: products (the Product entity in the query) eligible in region_code on `on`."""
    day = on or today()
    certified = sa.and_(Product.certificate_flag.is_(None), sa.exists().where(
        Certificate.id == Product.certificate_id, Certificate.status == "valid",
        Certificate.issued_on <= day, Certificate.expires_on >= day,
    ).correlate_except(Certificate))
    regions = region_and_ancestors(region_code)
    local = (sa.exists().where(_local_filter(Product.id, regions, day))
             .correlate_except(LocalListEntry) if regions else sa.false())
    negative = (sa.exists().where(_negative_filter(Product.id, Product.enterprise_id,
                                                   _end_of(day)))
                .correlate_except(NegativeListEntry))
    return sa.and_(sa.or_(certified, local), sa.not_(negative))
