"""Solution packages: merchants propose, the region's admins review, villagers buy.

A package is eligible in region R on day D only while it is listed, valid in R, and every
product in it is listed and eligible (app.catalog.eligibility): the negative list cascades at
once because eligibility is evaluated when asked, never stored.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.catalog import eligibility
from app.catalog.models import Product
from app.core import auth, regions
from app.core.db import utcnow
from app.core.errors import ApiError, conflict, not_found
from app.extensions import db
from app.merchants.models import Shop
from app.merchants.services import working_shop
from app.packages.models import PackageItem, SolutionPackage
from app.regions.models import Region


def _refuse(field: str, message: str) -> ApiError:
    return ApiError(422, "validation_error", "提交的信息有误，请检查后重试", {field: [message]})


def _products(items: list[dict]) -> dict[int, Product]:
    ids = [item["product_id"] for item in items]
    if len(set(ids)) != len(ids):
        raise _refuse("items", "同一商品只能出现一次")
    found = {p.id: p for p in db.session.scalars(sa.select(Product).where(Product.id.in_(ids)))}
    missing = [i for i in ids if i not in found or found[i].status != "listed"]
    if missing:
        raise _refuse("items", f"商品不存在或未上架：{missing[0]}")
    return found


def create_package(user: Any, *, name: str, scenario: str, price_fen: int, region_code: str,
                   items: list[dict], services: list[dict] | None = None,
                   description: str = "", partner_shop_ids: list[int] | None = None
                   ) -> SolutionPackage:
    """A merchant's proposal: waits for an admin of the shop's region. Products may come
    from partner shops of the alliance (named in partner_shop_ids) or from the own shop."""
    shop = working_shop(user)
    if shop.status != "approved":
        raise conflict("shop_not_approved", "店铺审核通过后才能发布套餐")
    if db.session.get(Region, region_code) is None:
        raise _refuse("region_code", "未知的行政区划")
    if not regions.within(shop.region_code[:2] + "0000", region_code):
        raise _refuse("region_code", "适用地区须在店铺所在省份内")
    partners = sorted(set(partner_shop_ids or []) - {shop.id})
    if partners:
        approved = set(db.session.scalars(sa.select(Shop.id).where(
            Shop.id.in_(partners), Shop.status == "approved")))
        if approved != set(partners):
            raise _refuse("partner_shop_ids", "合作店铺不存在或未通过审核")
    products = _products(items)
    allowed = {shop.id, *partners}
    if any(p.shop_id not in allowed for p in products.values()):
        raise _refuse("items", "套餐商品须来自本店或合作店铺")
    for service in services or []:
        if service.get("shop_id") is not None and service["shop_id"] not in allowed:
            raise _refuse("services", "服务须由本店或合作店铺提供")
    package = SolutionPackage(shop_id=shop.id, name=name, scenario=scenario,
                              description=description, price_fen=price_fen,
                              region_code=region_code, services=list(services or []),
                              partner_shop_ids=partners, status="pending")
    package.items = [PackageItem(product_id=i["product_id"], quantity=i["quantity"])
                     for i in items]
    db.session.add(package)
    db.session.flush()
    return package


def merchant_packages(user: Any) -> sa.Select:
    shop = working_shop(user)
    return sa.select(SolutionPackage).where(SolutionPackage.shop_id == shop.id)


def merchant_package(user: Any, package_id: int) -> SolutionPackage:
    shop = working_shop(user)
    package = db.session.get(SolutionPackage, package_id)
    if package is None or package.shop_id != shop.id:
        raise not_found("package_not_found", "套餐不存在")
    return package


def delist(user: Any, package_id: int) -> SolutionPackage:
    package = merchant_package(user, package_id)
    package.status = "delisted"
    db.session.flush()
    return package


# ---- admin review ----------------------------------------------------------------------

def governed_packages(region_code: str, status: str | None) -> sa.Select:
    """Packages of shops inside `region_code` (the admin's scope, checked by the caller)."""
    stmt = sa.select(SolutionPackage).join(Shop, Shop.id == SolutionPackage.shop_id).where(
        Shop.region_code.startswith(regions.scope_prefix(region_code)))
    if status:
        stmt = stmt.where(SolutionPackage.status == status)
    return stmt


def governed_package(user: Any, package_id: int) -> SolutionPackage:
    """A package of a shop inside the admin's region (403 outside, as for products)."""
    package = db.session.get(SolutionPackage, package_id)
    if package is None:
        raise not_found("package_not_found", "套餐不存在")
    auth.require_region(package.shop.region_code, user)
    return package


TRANSITIONS = {"approve": ({"pending", "rejected", "delisted"}, "listed"),
               "reject": ({"pending"}, "rejected"),
               "delist": ({"listed"}, "delisted")}


def decide(user: Any, package_id: int, *, action: str, note: str | None) -> SolutionPackage:
    package = governed_package(user, package_id)
    sources, target = TRANSITIONS[action]
    if package.status not in sources:
        raise conflict("invalid_transition", "套餐当前状态不能执行此操作")
    if action != "approve" and not note:
        raise _refuse("note", "请填写原因")
    package.status = target
    package.review_note = note
    package.reviewed_by = user.id
    package.reviewed_at = utcnow()
    db.session.flush()
    return package


# ---- the storefront --------------------------------------------------------------------

def _valid_in(region_code: str | None):
    """Packages valid in `region_code`: their region contains it (a code's prefix)."""
    if not region_code:
        return sa.true()
    candidates = eligibility.region_and_ancestors(region_code)
    return SolutionPackage.region_code.in_(candidates) if candidates else sa.false()


def all_items_eligible(region_code: str | None, on=None):
    """SQL: no product of the package is unlisted or ineligible (the cascade)."""
    bad = (sa.select(PackageItem.id).join(Product, Product.id == PackageItem.product_id)
           .where(PackageItem.package_id == SolutionPackage.id,
                  sa.or_(Product.status != "listed",
                         sa.not_(eligibility.eligible_clause(region_code=region_code, on=on))))
           .correlate(SolutionPackage))
    return sa.not_(sa.exists(bad))


def storefront_packages(*, region: str | None, scenario: str | None = None,
                        q: str | None = None) -> sa.Select:
    stmt = sa.select(SolutionPackage).where(
        SolutionPackage.status == "listed", _valid_in(region), all_items_eligible(region))
    if scenario:
        stmt = stmt.where(SolutionPackage.scenario == scenario)
    if q:
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(sa.or_(SolutionPackage.name.like(like, escape="\\"),
                                 SolutionPackage.scenario.like(like, escape="\\")))
    return stmt


def allocate(package: SolutionPackage) -> dict[int, int]:
    """{product id: the part of the package price paid for it}: the package price shared by
    list value (price × quantity); services are included in the price and take no share.
    Whole fen, the remainder to the last item, so the parts add up to the price."""
    values = [(i.product_id, i.product.price_fen * i.quantity) for i in package.items]
    total = sum(v for _, v in values)
    if not values or total <= 0:
        return {pid: 0 for pid, _ in values}
    shares, given = {}, 0
    for n, (pid, value) in enumerate(values):
        part = package.price_fen - given if n == len(values) - 1 else \
            package.price_fen * value // total
        shares[pid] = part
        given += part
    return shares


def storefront_detail(package_id: int, *, region: str | None, user=None) -> dict:
    """The package with each product's eligibility, price share and subsidy estimate."""
    from app.subsidies.claims import estimate

    package = db.session.get(SolutionPackage, package_id)
    if package is None or package.status != "listed":
        raise not_found("package_not_found", "套餐不存在")
    shares = allocate(package)
    lines, all_eligible, subsidy = [], True, 0
    for item in package.items:
        product = item.product
        verdict = eligibility.check(product, region_code=region)
        ok = verdict.eligible and product.status == "listed"
        all_eligible &= ok
        found = estimate(product, shares[product.id], region, user) if ok else None
        subsidy += found["amount_fen"] if found else 0
        lines.append({"product_id": product.id, "name": product.name, "brand": product.brand,
                      "unit": product.unit, "quantity": item.quantity,
                      "list_price_fen": product.price_fen, "paid_fen": shares[product.id],
                      "eligible": ok, "eligibility_message": verdict.message,
                      "subsidy_estimate_fen": found["amount_fen"] if found else 0})
    valid_here = region is None or package.region_code in eligibility.region_and_ancestors(region)
    return {"package": package, "items": lines, "eligible": all_eligible and valid_here,
            "valid_in_region": valid_here, "subsidy_estimate_fen": subsidy if all_eligible else 0,
            "region": region}
