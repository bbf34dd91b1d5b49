"""Catalog administration: shop and product review, certificates, local and negative lists."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa

from app.catalog.cache import catalog_changed
from app.catalog.eligibility import today
from app.catalog.imports import normalise_code
from app.catalog.models import Certificate, Enterprise, LocalListEntry, NegativeListEntry, Product
from app.core import auth
from app.core.db import utcnow
from app.core.errors import conflict, forbidden, not_found, unprocessable
from app.core.regions import level_of, scope_prefix
from app.extensions import db
from app.merchants.models import Shop, ShopMember
from app.notifications.services import notify
from app.regions.models import Region

CATALOG_DUTY = "catalog"

# action: (from statuses, to status, note required)
SHOP_TRANSITIONS = {
    "approve": (("pending",), "approved", False),
    "reject": (("pending",), "rejected", True),
    "suspend": (("approved",), "suspended", True),
    "reinstate": (("suspended",), "approved", False),
}
PRODUCT_TRANSITIONS = {
    "approve": (("pending",), "listed", False),
    "reject": (("pending",), "rejected", True),
    "delist": (("listed",), "delisted", True),
}
SHOP_ACTIONS = tuple(SHOP_TRANSITIONS)
PRODUCT_ACTIONS = tuple(PRODUCT_TRANSITIONS)
STATUS_LABELS = {"pending": "待审核", "approved": "已通过", "rejected": "已驳回",
                 "suspended": "已暂停", "draft": "草稿", "listed": "已上架", "delisted": "已下架"}
ACTION_LABELS = {"approve": "审核通过", "reject": "驳回", "suspend": "暂停",
                 "reinstate": "恢复", "delist": "下架"}


# ---- who may act ------------------------------------------------------------------------

def require_catalog_officer(user: Any) -> None:
    """Admins given a list of duties need "catalog" in it; no list means every duty."""
    if user.admin_duties and CATALOG_DUTY not in user.admin_duties:
        raise forbidden("duty_not_assigned", "您的账号未分配商品目录管理职责")


def require_province_level(user: Any) -> None:
    if not user.region_code or level_of(user.region_code) != "province":
        raise forbidden("province_admin_required", "仅省级主管部门可进行此操作")


def scope_region(user: Any, region_code: str | None) -> str:
    """The region a list covers: the admin's own, or a sub-region of it (else 403)."""
    region = region_code or user.region_code
    auth.require_region(region, user)
    return region


def _inside(column, region_code: str):
    return column.startswith(scope_prefix(region_code))


def _note(note: str | None, *, required: bool) -> str | None:
    note = (note or "").strip() or None
    if required and note is None:
        raise unprocessable("note_required", "请填写原因",
                            {"note": ["驳回、暂停或下架时必须填写原因"]})
    return note


def _transition(obj: Shop | Product, action: str, transitions: dict, values: dict) -> None:
    """Move obj to the action's status only from an allowed one, atomically in the database."""
    allowed, to_status, _ = transitions[action]
    model = type(obj)
    result = db.session.execute(
        sa.update(model).where(model.id == obj.id, model.status.in_(allowed))
        .values(status=to_status, **values).execution_options(synchronize_session=False))
    db.session.refresh(obj)
    if result.rowcount != 1:
        raise conflict("invalid_transition", f"当前状态为「{STATUS_LABELS[obj.status]}」，"
                                             f"不能{ACTION_LABELS[action]}")


def _lock(model, row_id: int) -> None:
    """Serialise writes about one row (two officers listing the same product at once)."""
    db.session.execute(sa.select(model.id).where(model.id == row_id).with_for_update())


def _notify_owners(shop_id: int, kind: str, data: dict) -> None:
    owners = db.session.scalars(sa.select(ShopMember.user_id).where(
        ShopMember.shop_id == shop_id, ShopMember.role == auth.MERCHANT_OWNER))
    for user_id in owners:
        notify(user_id, kind, data)


# ---- shops ------------------------------------------------------------------------------

def shops_in_region(region_code: str, *, status: str | None = None) -> sa.Select:
    stmt = sa.select(Shop).where(_inside(Shop.region_code, region_code))
    return stmt.where(Shop.status == status) if status else stmt


def get_shop(shop_id: int) -> Shop:
    shop = db.session.get(Shop, shop_id)
    if shop is None:
        raise not_found("shop_not_found", "未找到该店铺")
    return shop


def decide_shop(shop: Shop, *, action: str, note: str | None, by: Any) -> Shop:
    """Approve, reject, suspend or reinstate; a suspended shop's products leave the storefront."""
    note = _note(note, required=SHOP_TRANSITIONS[action][2])
    _transition(shop, action, SHOP_TRANSITIONS,
                {"decision_note": note, "decided_by": by.id, "decided_at": utcnow()})
    catalog_changed()
    _notify_owners(shop.id, "shop_decision", {"shop_id": shop.id, "status": shop.status,
                                              "note": note})
    return shop


# ---- products ---------------------------------------------------------------------------

def products_in_region(region_code: str, *, status: str = "review",
                       shop_id: int | None = None) -> sa.Select:
    stmt = (sa.select(Product).join(Shop, Shop.id == Product.shop_id)
            .where(_inside(Shop.region_code, region_code)))
    if status == "review":  # pending, and listed ones whose certificate needs a look
        stmt = stmt.where(sa.or_(Product.status == "pending", sa.and_(
            Product.status == "listed", Product.certificate_flag.is_not(None))))
    elif status != "all":
        stmt = stmt.where(Product.status == status)
    return stmt.where(Product.shop_id == shop_id) if shop_id else stmt


def get_product(product_id: int) -> Product:
    product = db.session.get(Product, product_id)
    if product is None:
        raise not_found("product_not_found", "未找到该商品")
    return product


def get_governed_product(product_id: int, user) -> Product:
    """A product of a shop inside the admin's region."""
    product = get_product(product_id)
    auth.require_region(product.shop.region_code, user)
    return product


def decide_product(product: Product, *, action: str, note: str | None, by: Any) -> Product:
    """Approve (list), reject or delist a product, recording who, when and why."""
    note = _note(note, required=PRODUCT_TRANSITIONS[action][2])
    now = utcnow()
    values = {"review_note": note, "reviewed_by": by.id, "reviewed_at": now}
    if action == "approve":
        values["listed_at"] = now
    _transition(product, action, PRODUCT_TRANSITIONS, values)
    catalog_changed()
    _notify_owners(product.shop_id, "product_review", {"product_id": product.id,
                                                       "status": product.status, "note": note})
    return product


# ---- certificates and enterprises (national data: every catalog officer may look) ---------

def find_certificates(*, number: str | None = None, credit_code: str | None = None,
                      status: str | None = None) -> sa.Select:
    stmt = sa.select(Certificate)
    if number:
        stmt = stmt.where(sa.func.upper(Certificate.number).contains(normalise_code(number),
                                                                     autoescape=True))
    if credit_code:
        stmt = stmt.join(Enterprise, Enterprise.id == Certificate.enterprise_id).where(
            Enterprise.credit_code == normalise_code(credit_code))
    day = today()
    if status == "expired":
        stmt = stmt.where(Certificate.status == "valid", Certificate.expires_on < day)
    elif status == "valid":
        stmt = stmt.where(Certificate.status == "valid", Certificate.issued_on <= day,
                          Certificate.expires_on >= day)
    elif status:
        stmt = stmt.where(Certificate.status == status)
    return stmt


def find_enterprises(*, q: str | None = None, credit_code: str | None = None) -> sa.Select:
    stmt = sa.select(Enterprise)
    if q:
        stmt = stmt.where(Enterprise.name.contains(q.strip(), autoescape=True))
    if credit_code:
        stmt = stmt.where(Enterprise.credit_code == normalise_code(credit_code))
    return stmt


# ---- output rows for models without relationships ----------------------------------------

class Loaded:
    """A list row with the records it points to, for output; other attributes pass through."""

    def __init__(self, row: Any, **related: Any) -> None:
        self.row = row
        vars(self).update(related)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.row, name)


def _by_id(model, ids: Iterable[int | None]) -> dict[int, Any]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {row.id: row for row in db.session.scalars(sa.select(model).where(model.id.in_(wanted)))}


# ---- local list -------------------------------------------------------------------------

def _local_active(day: date):
    return sa.and_(LocalListEntry.removed_at.is_(None), LocalListEntry.valid_from <= day,
                   LocalListEntry.valid_until >= day)


def add_to_local_list(product: Product, *, region_code: str, requirement: str,
                      valid_from: date, valid_until: date, by: Any) -> Loaded:
    """Put a product on a county's or city's local list (本地清单) for a period."""
    if db.session.get(Region, region_code) is None:
        raise unprocessable("unknown_region", "未知的行政区划",
                            {"region_code": ["未知的行政区划代码"]})
    if level_of(region_code) not in ("city", "county"):
        raise unprocessable("local_list_region_level", "本地清单由市或县（区）发布",
                            {"region_code": ["应为市或县（区）的代码"]})
    _lock(Product, product.id)
    clash = db.session.scalar(sa.select(LocalListEntry.id).where(
        LocalListEntry.product_id == product.id, LocalListEntry.region_code == region_code,
        LocalListEntry.removed_at.is_(None), LocalListEntry.valid_from <= valid_until,
        LocalListEntry.valid_until >= valid_from).limit(1))
    if clash:
        raise conflict("already_on_local_list", "该产品在此期间已列入该地区的本地清单")
    entry = LocalListEntry(region_code=region_code, product_id=product.id,
                           requirement=requirement.strip(), valid_from=valid_from,
                           valid_until=valid_until, created_by=by.id)
    db.session.add(entry)
    db.session.flush()
    catalog_changed()
    return describe_local([entry])[0]


def local_list(region_code: str, *, product_id: int | None = None,
               active: bool | None = None) -> sa.Select:
    stmt = sa.select(LocalListEntry).where(_inside(LocalListEntry.region_code, region_code))
    if product_id:
        stmt = stmt.where(LocalListEntry.product_id == product_id)
    if active is not None:
        in_force = _local_active(today())
        stmt = stmt.where(in_force if active else sa.not_(in_force))
    return stmt


def get_local_entry(entry_id: int) -> LocalListEntry:
    entry = db.session.get(LocalListEntry, entry_id)
    if entry is None:
        raise not_found("local_list_entry_not_found", "未找到该本地清单记录")
    return entry


def remove_from_local_list(entry: LocalListEntry) -> Loaded:
    """Take an entry off the list; the row stays as history. Removing twice changes nothing."""
    if entry.removed_at is None:
        entry.removed_at = utcnow()
        db.session.flush()
        catalog_changed()
    return describe_local([entry])[0]


def describe_local(entries: list[LocalListEntry]) -> list[Loaded]:
    products = _by_id(Product, (e.product_id for e in entries))
    day = today()
    return [Loaded(e, product=products.get(e.product_id),
                   active=e.removed_at is None and e.valid_from <= day <= e.valid_until)
            for e in entries]


# ---- negative list ----------------------------------------------------------------------
# Other domains react through hooks registered here rather than being called from here, so
# the catalog imports neither promotions nor subsidies. E.g. in app/subsidies/services.py:
#
#     from app.catalog.admin_services import on_negative_listed
#
#     @on_negative_listed
#     def flag_pending_claims(entry: NegativeListEntry, product_ids: list[int]) -> None: ...
#
# Hooks run inside the listing's (or lifting's) transaction, after the entry is flushed, with
# the ids of every product the entry hits: their writes commit or roll back with it, and an
# exception aborts the listing. Keep them quick and push slow work to jobs
# (app.integrations.queue.enqueue_after_commit). The registering module must be imported at
# start-up (e.g. by its blueprint), or it will miss listings.

NegativeListHook = Callable[[NegativeListEntry, list[int]], None]
_listed_hooks: list[NegativeListHook] = []
_lifted_hooks: list[NegativeListHook] = []


def on_negative_listed(fn: NegativeListHook) -> NegativeListHook:
    _listed_hooks.append(fn)
    return fn


def on_negative_lifted(fn: NegativeListHook) -> NegativeListHook:
    _lifted_hooks.append(fn)
    return fn


def negative_target(*, product_id: int | None = None,
                    enterprise_id: int | None = None) -> Product | Enterprise:
    if product_id is not None:
        return get_product(product_id)
    enterprise = db.session.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise not_found("enterprise_not_found", "未找到该企业")
    return enterprise


def entry_target(entry: NegativeListEntry) -> Product | Enterprise:
    return negative_target(product_id=entry.product_id, enterprise_id=entry.enterprise_id)


def require_target_scope(target: Product | Enterprise, user: Any) -> None:
    """A product: admins of its shop's region; an enterprise: of its region, or province-level
    admins when its region is unknown."""
    region = target.shop.region_code if isinstance(target, Product) else target.region_code
    if region is None:
        require_province_level(user)
    else:
        auth.require_region(region, user)


def _affected_products(entry: NegativeListEntry) -> list[tuple[int, int]]:
    """(product id, shop id) of every product the entry hits (as eligibility sees it)."""
    column = Product.id if entry.product_id else Product.enterprise_id
    target = entry.product_id or entry.enterprise_id
    return list(db.session.execute(
        sa.select(Product.id, Product.shop_id).where(column == target).order_by(Product.id)))


def _run_hooks(hooks: list[NegativeListHook], entry: NegativeListEntry,
               affected: list[tuple[int, int]]) -> None:
    product_ids = [product_id for product_id, _ in affected]
    for hook in hooks:
        hook(entry, product_ids)


def put_on_negative_list(target: Product | Enterprise, *, reason: str,
                         source_complaint_id: int | None, by: Any) -> Loaded:
    """List a product or an enterprise; it loses eligibility at once, nothing is deleted."""
    is_product = isinstance(target, Product)
    model = Product if is_product else Enterprise
    column = NegativeListEntry.product_id if is_product else NegativeListEntry.enterprise_id
    _lock(model, target.id)
    if db.session.scalar(sa.select(NegativeListEntry.id).where(
            column == target.id, NegativeListEntry.lifted_at.is_(None)).limit(1)):
        what = "该产品" if is_product else "该企业"
        raise conflict("already_on_negative_list", f"{what}已在负面清单中")
    entry = NegativeListEntry(product_id=target.id if is_product else None,
                              enterprise_id=None if is_product else target.id,
                              reason=reason.strip(), source_complaint_id=source_complaint_id,
                              listed_by=by.id, listed_at=utcnow())
    db.session.add(entry)
    db.session.flush()
    affected = _affected_products(entry)
    _run_hooks(_listed_hooks, entry, affected)
    catalog_changed()
    by_shop: dict[int, list[int]] = defaultdict(list)
    for product_id, shop_id in affected:
        by_shop[shop_id].append(product_id)
    for shop_id, product_ids in by_shop.items():
        _notify_owners(shop_id, "negative_listed", {"entry_id": entry.id, "reason": entry.reason,
                                                    "product_ids": product_ids[:50]})
    return describe_negative([entry])[0]


def lift_from_negative_list(entry: NegativeListEntry, *, reason: str, by: Any) -> Loaded:
    """Lift an entry; the row keeps who listed and who lifted, when and why."""
    result = db.session.execute(
        sa.update(NegativeListEntry)
        .where(NegativeListEntry.id == entry.id, NegativeListEntry.lifted_at.is_(None))
        .values(lifted_at=utcnow(), lifted_by=by.id, lift_reason=reason.strip())
        .execution_options(synchronize_session=False))
    db.session.refresh(entry)
    if result.rowcount != 1:
        raise conflict("already_lifted", "该记录已解除，无需重复操作")
    _run_hooks(_lifted_hooks, entry, _affected_products(entry))
    catalog_changed()
    return describe_negative([entry])[0]


def get_negative_entry(entry_id: int) -> NegativeListEntry:
    entry = db.session.get(NegativeListEntry, entry_id)
    if entry is None:
        raise not_found("negative_list_entry_not_found", "未找到该负面清单记录")
    return entry


def negative_list(user: Any, *, active: bool | None = None) -> sa.Select:
    """Entries an admin may see: its region's products and enterprises, and enterprises
    whose products are sold in its region."""
    region = user.region_code
    product_here = sa.exists().where(Product.id == NegativeListEntry.product_id,
                                     Shop.id == Product.shop_id,
                                     _inside(Shop.region_code, region))
    enterprise_home = _inside(Enterprise.region_code, region)
    if level_of(region) == "province":
        enterprise_home = sa.or_(enterprise_home, Enterprise.region_code.is_(None))
    enterprise_here = sa.exists().where(Enterprise.id == NegativeListEntry.enterprise_id,
                                        enterprise_home)
    enterprise_sold_here = sa.exists().where(
        Product.enterprise_id == NegativeListEntry.enterprise_id, Shop.id == Product.shop_id,
        _inside(Shop.region_code, region))
    stmt = sa.select(NegativeListEntry).where(
        sa.or_(product_here, enterprise_here, enterprise_sold_here))
    if active is not None:
        lifted = NegativeListEntry.lifted_at.is_(None)
        stmt = stmt.where(lifted if active else sa.not_(lifted))
    return stmt


def describe_negative(entries: list[NegativeListEntry]) -> list[Loaded]:
    products = _by_id(Product, (e.product_id for e in entries))
    enterprises = _by_id(Enterprise, (e.enterprise_id for e in entries))
    return [Loaded(e, product=products.get(e.product_id),
                   enterprise=enterprises.get(e.enterprise_id),
                   target="product" if e.product_id else "enterprise",
                   active=e.lifted_at is None)
            for e in entries]
