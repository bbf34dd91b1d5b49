"""Cases (示范工程 / 典型案例): admins write and publish them for their region; villagers
see the published ones nearest their own village first, and go from a case to buying the
same products and packages."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.catalog import eligibility
from app.catalog.models import Enterprise, Product
from app.core import auth
from app.core.db import utcnow
from app.core.errors import ApiError, conflict, not_found
from app.core.governed import governed_row, governed_rows
from app.core.images import clean_image
from app.core.pagination import paginate_ordered
from app.core.schemas import INT_MAX
from app.extensions import db
from app.integrations import storage
from app.merchants.models import Shop
from app.packages import services as packages
from app.packages.models import SolutionPackage
from app.showcase.models import MAX_PHOTOS, ShowcaseCase

PHOTO_FOLDER = "cases"
LINKS = {"product_ids": Product, "package_ids": SolutionPackage,
         "enterprise_ids": Enterprise, "shop_ids": Shop}


def _refuse(field: str, message: str) -> ApiError:
    return ApiError(422, "validation_error", "提交的信息有误，请检查后重试", {field: [message]})


def _check_links(values: dict) -> None:
    for field, model in LINKS.items():
        ids = values.get(field)
        if not ids:
            continue
        if len(set(ids)) != len(ids):
            raise _refuse(field, "不能重复")
        found = set(db.session.scalars(sa.select(model.id).where(model.id.in_(ids))))
        if missing := [i for i in ids if i not in found]:
            raise _refuse(field, f"不存在：{missing[0]}")


def create_case(user: Any, **values: Any) -> ShowcaseCase:
    auth.require_region(values["region_code"], user)
    _check_links(values)
    case = ShowcaseCase(created_by=user.id, status="draft", **values)
    db.session.add(case)
    db.session.flush()
    return case


def governed_cases(region_code: str, status: str | None) -> sa.Select:
    return governed_rows(ShowcaseCase, region_code, status)


def governed_case(user: Any, case_id: int) -> ShowcaseCase:
    return governed_row(ShowcaseCase, case_id, user, "case_not_found", "案例不存在")


def edit_case(user: Any, case_id: int, **values: Any) -> ShowcaseCase:
    case = governed_case(user, case_id)
    if "region_code" in values:
        auth.require_region(values["region_code"], user)
    _check_links(values)
    for name, value in values.items():
        setattr(case, name, value)
    if case.status == "published" and not case.enterprise_consent:
        raise conflict("consent_required", "已发布的案例须保留企业同意")
    db.session.flush()
    return case


def add_photo(user: Any, case_id: int, data: bytes) -> ShowcaseCase:
    """Stored re-encoded, without EXIF, GPS or other metadata (app.core.images)."""
    case = governed_case(user, case_id)
    if len(case.photos) >= MAX_PHOTOS:
        raise conflict("too_many_images", f"每个案例最多 {MAX_PHOTOS} 张照片")
    clean = clean_image(data, field="image")
    case.photos = [*case.photos, storage.save(clean.data, clean.ext, PHOTO_FOLDER)]
    db.session.flush()
    return case


def publish(user: Any, case_id: int) -> ShowcaseCase:
    case = governed_case(user, case_id)
    if case.status == "published":
        raise conflict("invalid_transition", "案例已发布")
    if not case.enterprise_consent:
        raise conflict("consent_required", "须先取得相关企业同意后再发布")
    case.status = "published"
    case.published_at = utcnow()
    db.session.flush()
    return case


def withdraw(user: Any, case_id: int) -> ShowcaseCase:
    case = governed_case(user, case_id)
    if case.status != "published":
        raise conflict("invalid_transition", "只有已发布的案例可以撤回")
    case.status = "withdrawn"
    db.session.flush()
    return case


# ---- the storefront --------------------------------------------------------------------

def closeness(case_region: str, villager_region: str | None) -> int:
    """0 for the villager's own village, then township, county, city, province; 5 beyond."""
    if not villager_region:
        return 5
    for rank, length in enumerate((12, 9, 6, 4, 2)):
        if len(case_region) >= length and len(villager_region) >= length and \
                case_region[:length] == villager_region[:length]:
            return rank
    return 5


def storefront_cases(*, region: str | None, building_type: str | None, kind: str | None,
                     limit: int, cursor: str | None) -> dict:
    """Published cases, nearest the villager first, then newest."""
    stmt = sa.select(ShowcaseCase).where(ShowcaseCase.status == "published")
    if building_type:
        stmt = stmt.where(ShowcaseCase.building_type == building_type)
    if kind:
        stmt = stmt.where(ShowcaseCase.kind == kind)
    cases = db.session.scalars(stmt).all()

    def key(case: ShowcaseCase) -> str:
        return f"{closeness(case.region_code, region)}-{INT_MAX - case.id:010d}"

    page = paginate_ordered(sorted(cases, key=key), key, limit=limit, cursor=cursor)
    for case in page["items"]:
        case.nearness = closeness(case.region_code, region)
    return page


def storefront_case(case_id: int, *, region: str | None) -> dict:
    case = db.session.get(ShowcaseCase, case_id)
    if case is None or case.status != "published":
        raise not_found("case_not_found", "案例不存在")
    products = [db.session.get(Product, i) for i in case.product_ids]
    product_rows = []
    for product in filter(None, products):
        listed = product.status == "listed"
        ok = listed and eligibility.check(product, region_code=region).eligible
        product_rows.append({"id": product.id, "name": product.name, "brand": product.brand,
                             "price_fen": product.price_fen, "unit": product.unit,
                             "on_sale": listed, "eligible": ok})
    buyable = set()
    if case.package_ids:
        buyable = set(db.session.scalars(
            packages.storefront_packages(region=region)
            .where(SolutionPackage.id.in_(case.package_ids))
            .with_only_columns(SolutionPackage.id)))
    package_rows = [{"id": p.id, "name": p.name, "scenario": p.scenario,
                     "price_fen": p.price_fen, "on_sale": p.id in buyable}
                    for p in filter(None, (db.session.get(SolutionPackage, i)
                                           for i in case.package_ids))]
    enterprises = [{"id": e.id, "name": e.name} for e in filter(
        None, (db.session.get(Enterprise, i) for i in case.enterprise_ids))]
    shops = [{"id": s.id, "name": s.name} for s in filter(
        None, (db.session.get(Shop, i) for i in case.shop_ids))]
    case.nearness = closeness(case.region_code, region)
    return {"case": case, "products": product_rows, "packages": package_rows,
            "enterprises": enterprises, "shops": shops}
