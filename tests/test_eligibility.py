"""Campaign eligibility as a table; the Python check and the SQL filter must agree."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.catalog import eligibility
from app.catalog.models import LocalListEntry, NegativeListEntry, Product
from app.core.db import utcnow
from app.extensions import db

TODAY = eligibility.today()
LAST_YEAR, NEXT_YEAR = TODAY - timedelta(days=365), TODAY + timedelta(days=365)


def _sql_says(product: Product, region: str | None, on: date) -> bool:
    stmt = sa.select(Product.id).where(Product.id == product.id,
                                       eligibility.eligible_clause(region_code=region, on=on))
    return db.session.scalar(stmt) is not None


def _local(product, region="410225", valid_from=LAST_YEAR, valid_until=NEXT_YEAR, removed=False):
    db.session.add(LocalListEntry(region_code=region, product_id=product.id,
                                  requirement="兰考县农房节能技术要求（试行）",
                                  valid_from=valid_from, valid_until=valid_until,
                                  removed_at=utcnow() if removed else None))
    db.session.commit()


def _negative(product=None, enterprise_id=None, lifted=False):
    entry = NegativeListEntry(product_id=product.id if product else None,
                              enterprise_id=enterprise_id, reason="虚假认证",
                              listed_at=utcnow() - timedelta(days=3))
    if lifted:
        entry.lifted_at = utcnow() - timedelta(days=1)
    db.session.add(entry)
    db.session.commit()


def _setup(make, case: str) -> tuple[Product, str | None, date]:
    uncert = {"certified": False}
    match case:
        case "valid":
            return make.product(), None, TODAY
        case "expired":
            cert = make.certificate(issued_on=TODAY - timedelta(days=800),
                                    expires_on=TODAY - timedelta(days=1))
            return make.product(certificate=cert), None, TODAY
        case "valid_on_an_earlier_date":
            cert = make.certificate(issued_on=TODAY - timedelta(days=800),
                                    expires_on=TODAY - timedelta(days=1))
            return make.product(certificate=cert), None, TODAY - timedelta(days=10)
        case "not_yet_valid":
            cert = make.certificate(issued_on=TODAY + timedelta(days=5))
            return make.product(certificate=cert), None, TODAY
        case "suspended" | "revoked":
            return make.product(certificate=make.certificate(status=case)), None, TODAY
        case "uncertified":
            return make.product(**uncert), "410225101", TODAY
        case "local_list_in_region":
            product = make.product(**uncert)
            _local(product)
            return product, "410225101", TODAY
        case "local_list_out_of_region":
            product = make.product(**uncert)
            _local(product)
            return product, "410105", TODAY
        case "local_list_expired":
            product = make.product(**uncert)
            _local(product, valid_until=TODAY - timedelta(days=1))
            return product, "410225", TODAY
        case "local_list_removed":
            product = make.product(**uncert)
            _local(product, removed=True)
            return product, "410225", TODAY
        case "local_list_of_the_city":
            product = make.product(**uncert)
            _local(product, region="410200")  # 开封市 covers 兰考县
            return product, "410225101201", TODAY
        case "negative_product":
            product = make.product()
            _negative(product)
            return product, None, TODAY
        case "negative_enterprise":
            product = make.product()
            _negative(enterprise_id=product.enterprise_id)
            return product, None, TODAY
        case "negative_beats_local_list":
            product = make.product(**uncert)
            _local(product)
            _negative(product)
            return product, "410225", TODAY
        case "negative_before_it_was_listed":
            product = make.product()
            _negative(product)
            return product, None, TODAY - timedelta(days=10)
        case "lifted":
            product = make.product()
            _negative(product, lifted=True)
            return product, None, TODAY
    raise AssertionError(case)


@pytest.mark.parametrize(("case", "eligible", "reason"), [
    ("valid", True, "certified"),
    ("expired", False, "certificate_expired"),
    ("valid_on_an_earlier_date", True, "certified"),
    ("not_yet_valid", False, "certificate_not_yet_valid"),
    ("suspended", False, "certificate_suspended"),
    ("revoked", False, "certificate_revoked"),
    ("uncertified", False, "not_certified"),
    ("local_list_in_region", True, "local_list"),
    ("local_list_out_of_region", False, "not_certified"),
    ("local_list_expired", False, "not_certified"),
    ("local_list_removed", False, "not_certified"),
    ("local_list_of_the_city", True, "local_list"),
    ("negative_product", False, "negative_list_product"),
    ("negative_enterprise", False, "negative_list_enterprise"),
    ("negative_beats_local_list", False, "negative_list_product"),
    ("negative_before_it_was_listed", True, "certified"),
    ("lifted", True, "certified"),
])
def test_eligibility_table(make, case, eligible, reason):
    product, region, on = _setup(make, case)
    verdict = eligibility.check(product, region_code=region, on=on)
    assert (verdict.eligible, verdict.reason) == (eligible, reason)
    assert verdict.message  # a Chinese sentence for the storefront
    assert _sql_says(product, region, on) is eligible


def test_enterprise_listing_hits_all_its_products(make):
    enterprise = make.enterprise()
    products = [make.product(enterprise=enterprise, certificate=make.certificate(enterprise))
                for _ in range(3)]
    other = make.product()
    _negative(enterprise_id=enterprise.id)
    assert [eligibility.check(p).eligible for p in products] == [False, False, False]
    assert eligibility.check(other).eligible
