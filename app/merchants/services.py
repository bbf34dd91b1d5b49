"""Merchant console rules: sign-up, shop applications, staff, and the shop's own products."""

from __future__ import annotations

import sqlalchemy as sa

from app.accounts.models import AuthToken, User
from app.accounts.services import create_console_user, issue_token
from app.catalog import binding, eligibility
from app.catalog.cache import catalog_changed
from app.catalog.models import PRODUCT_STATUS_LABELS, Category, Certificate, Enterprise, Product
from app.catalog.services import category_by_slug, refresh_search_terms
from app.core import auth
from app.core.db import utcnow
from app.core.errors import ApiError, conflict, forbidden, not_found, unprocessable
from app.core.hooks import after_commit
from app.core.images import clean_image
from app.core.regions import level_of
from app.extensions import db
from app.integrations import storage
from app.merchants.models import Shop, ShopMember
from app.regions.models import Region

MAX_STAFF = 20
MAX_IMAGES = 9
IMAGE_FOLDER = "products"
# Changing what a product *is* needs a new review; price, unit, description and photos don't.
IDENTITY_FIELDS = ("name", "brand", "model_spec", "category", "certificate")
SEARCHED_FIELDS = ("name", "brand", "model_spec", "category", "enterprise")
STATUS_LABELS = PRODUCT_STATUS_LABELS
CERTIFICATE_LABELS = {"suspended": "已暂停", "revoked": "已撤销", "expired": "已过期"}


def _lock(obj: Shop | Product) -> None:
    """Serialise changes to one shop or product (an admin's decision, an edit, two uploads)
    with a row lock, and read its current state."""
    model = type(obj)
    db.session.execute(sa.select(model.id).where(model.id == obj.id).with_for_update())
    db.session.refresh(obj)


# ---- sign-up and the shop -------------------------------------------------------------

def _username_taken() -> ApiError:
    return conflict("username_taken", "用户名已被使用")


def _shop_exists() -> ApiError:
    return conflict("shop_exists", "您已经有店铺了，每个账号只能开一家店")


def _new_console_user(**kwargs) -> User:
    """create_console_user, also when a simultaneous request takes the name first."""
    try:
        with db.session.begin_nested():
            return create_console_user(**kwargs)
    except sa.exc.IntegrityError:
        raise _username_taken() from None


def sign_up(*, username: str, password: str, phone: str,
            nickname: str | None = None) -> tuple[User, str]:
    """A merchant owner's console account; the shop is applied for next."""
    user = _new_console_user(username=username, password=password, role=auth.MERCHANT_OWNER,
                             nickname=nickname or "")
    user.phone = phone
    return user, issue_token(user)


def shop_of(user: User) -> Shop:
    """The caller's shop, whatever its status."""
    shop = db.session.get(Shop, user.shop_id) if user.shop_id else None
    if shop is None:
        raise not_found("shop_not_found", "您还没有店铺，请先提交开店申请")
    return shop


def working_shop(user: User) -> Shop:
    """The shop a merchant manages staff and products for."""
    if not user.shop_id:
        raise forbidden("shop_required", "请先提交开店申请")
    return shop_of(user)


def _check_region(code: str) -> None:
    if db.session.get(Region, code) is None:
        raise unprocessable("unknown_region", "未知的行政区划",
                            {"region_code": ["未知的行政区划代码"]})
    if level_of(code) in ("province", "city"):
        raise unprocessable("region_too_broad", "店铺所在地请选择到区县",
                            {"region_code": ["请选择到区县、乡镇或村"]})


def apply_for_shop(owner: User, *, name: str, region_code: str, address: str,
                   contact_phone: str, description: str = "") -> Shop:
    """An owner without a shop applies for one; an admin of the region decides."""
    if owner.shop_id:
        raise _shop_exists()
    _check_region(region_code)
    try:
        with db.session.begin_nested():
            shop = Shop(name=name, region_code=region_code, address=address,
                        contact_phone=contact_phone, description=description, status="pending")
            db.session.add(shop)
            db.session.flush()
            db.session.add(ShopMember(shop_id=shop.id, user_id=owner.id,
                                      role=auth.MERCHANT_OWNER))
            db.session.flush()
    except sa.exc.IntegrityError:  # a double submit: the other request made the shop
        raise _shop_exists() from None
    owner.region_code = region_code
    db.session.expire(owner, ["membership"])  # view-only: it doesn't see the new member
    return shop


def edit_shop(shop: Shop, owner: User, **changes) -> Shop:
    """Pending and rejected applications are editable (a rejected one goes back to pending);
    an approved shop may change its address, phone and description, not its name or region."""
    _lock(shop)
    if shop.status == "suspended":
        raise conflict("shop_suspended", "店铺已被暂停，无法修改")
    if shop.status == "approved":
        if any(f in changes and changes[f] != getattr(shop, f) for f in ("name", "region_code")):
            raise conflict("shop_field_locked", "店铺已通过审核，名称和所在地区请联系主管部门修改")
        catalog_changed()  # the storefront shows the shop's address with its products
    if "region_code" in changes:
        _check_region(changes["region_code"])
        owner.region_code = changes["region_code"]
    for field, value in changes.items():
        setattr(shop, field, value)
    if shop.status == "rejected":
        shop.status = "pending"
    db.session.flush()
    return shop


# ---- staff ----------------------------------------------------------------------------

def staff_of(shop: Shop) -> sa.Select:
    return (sa.select(User).join(ShopMember, ShopMember.user_id == User.id)
            .where(ShopMember.shop_id == shop.id, ShopMember.role == auth.MERCHANT_STAFF,
                   User.is_active.is_(True)))


def add_staff(shop: Shop, *, username: str, password: str, nickname: str | None = None) -> User:
    count = db.session.scalar(sa.select(sa.func.count()).select_from(staff_of(shop).subquery()))
    if count >= MAX_STAFF:
        raise conflict("staff_limit_reached", f"每家店铺最多 {MAX_STAFF} 名员工")
    user = _new_console_user(username=username, password=password, role=auth.MERCHANT_STAFF,
                             nickname=nickname or "", region_code=shop.region_code)
    db.session.add(ShopMember(shop_id=shop.id, user_id=user.id, role=auth.MERCHANT_STAFF))
    db.session.flush()
    return user


def get_staff(shop: Shop, user_id: int) -> User:
    user = db.session.scalar(staff_of(shop).where(User.id == user_id))
    if user is None:
        raise not_found("staff_not_found", "未找到该员工")
    return user


def remove_staff(staff: User) -> None:
    """The account is disabled and its tokens revoked; the record stays for the history."""
    staff.is_active = False
    db.session.execute(sa.update(AuthToken)
                       .where(AuthToken.user_id == staff.id, AuthToken.revoked_at.is_(None))
                       .values(revoked_at=utcnow()))
    db.session.flush()


# ---- products ---------------------------------------------------------------------------

def own_products(shop: Shop, *, status: str | None = None) -> sa.Select:
    stmt = sa.select(Product).where(Product.shop_id == shop.id)
    return stmt.where(Product.status == status) if status else stmt


def own_product(user: User, product_id: int) -> Product:
    """Another shop's product is answered exactly like a missing one."""
    product = db.session.get(Product, product_id)
    if product is None or not user.shop_id or product.shop_id != user.shop_id:
        raise not_found("product_not_found", "未找到该商品")
    return product


def _leaf_category(slug: str) -> Category:
    category = category_by_slug(slug)
    if db.session.scalar(sa.select(Category.id).where(Category.parent_id == category.id)
                         .limit(1)) is not None:
        raise unprocessable("category_not_leaf", "请选择具体的小类",
                            {"category": ["请选择末级分类"]})
    return category


def _certificate(number: str) -> Certificate:
    number = number.strip()  # looked up as the storefront's certificate check does
    cert = db.session.scalar(sa.select(Certificate)
                             .where(Certificate.number.in_({number, number.upper()})).limit(1))
    if cert is None:
        raise unprocessable("certificate_not_found", "查无此证书编号，请核对",
                            {"certificate_number": ["查无此证书编号"]})
    status = cert.status_on(eligibility.today())
    if status != "valid":
        message = f"该证书{CERTIFICATE_LABELS.get(status, '无效')}，不能关联"
        raise unprocessable("certificate_not_valid", message, {"certificate_number": [message]})
    return cert


def _link_certificate(product: Product, shop: Shop, cert: Certificate | None) -> None:
    """The certificate names the manufacturer (the shop's own enterprise, or one it is an
    approved dealer of: binding.require_may_carry was asked first); without one, the shop's
    own enterprise."""
    product.certificate = cert
    product.certificate_flag = None
    if cert is not None:
        product.enterprise = cert.enterprise
    else:
        product.enterprise = (db.session.get(Enterprise, shop.enterprise_id)
                              if shop.enterprise_id else None)


def create_product(shop: Shop, *, category: str, name: str, price_fen: int, brand: str = "",
                   model_spec: str = "", unit: str = "件", description: str = "",
                   certificate_number: str | None = None) -> Product:
    product = Product(shop_id=shop.id, name=name, brand=brand, model_spec=model_spec, unit=unit,
                      price_fen=price_fen, description=description, images=[], status="draft")
    product.category = _leaf_category(category)
    cert = _certificate(certificate_number) if certificate_number else None
    if cert is not None:
        binding.require_may_carry(shop, product.category, cert)
    _link_certificate(product, shop, cert)
    db.session.add(product)
    refresh_search_terms(product)
    db.session.flush()
    return product


def edit_product(product: Product, **changes) -> Product:
    """Apply the given fields. A listed product whose identity changes goes back to review
    (and off the storefront until approved); other edits keep its status."""
    new: dict = {k: v for k, v in changes.items() if k not in ("category", "certificate_number")}
    if "category" in changes:
        new["category"] = _leaf_category(changes["category"])
    if "certificate_number" in changes:
        number = changes["certificate_number"]
        new["certificate"] = _certificate(number) if number else None
    _lock(product)
    changed = {f for f, v in new.items() if getattr(product, f) != v}
    cert = new["certificate"] if "certificate" in changed else product.certificate
    if cert is not None and changed & {"certificate", "category"}:
        # what the certificate is said to certify changes: the rule is asked again
        binding.require_may_carry(product.shop, new.get("category", product.category), cert)
        product.certificate_flag = None
    for field in changed - {"certificate"}:
        setattr(product, field, new[field])
    if "certificate" in changed:
        before = product.enterprise
        _link_certificate(product, product.shop, new["certificate"])
        if product.enterprise != before:
            changed.add("enterprise")
    if changed & set(SEARCHED_FIELDS):
        refresh_search_terms(product)
    if product.status == "listed" and changed:
        catalog_changed()
        if changed & set(IDENTITY_FIELDS):
            product.status = "pending"
    db.session.flush()
    return product


def _wrong_status(product: Product, action: str) -> ApiError:
    return conflict("invalid_product_status",
                    f"商品当前状态为“{STATUS_LABELS[product.status]}”，不能{action}")


def submit_product(product: Product) -> Product:
    """Draft, rejected or delisted → pending, for the admins of the shop's region."""
    _lock(product)
    if product.shop.status != "approved":
        raise conflict("shop_not_approved", "店铺通过审核后才能提交商品")
    if product.status not in ("draft", "rejected", "delisted"):
        raise _wrong_status(product, "提交审核")
    if not product.images:
        raise unprocessable("product_incomplete", "请至少上传一张商品图片后再提交",
                            {"images": ["请至少上传一张商品图片"]})
    product.status = "pending"
    db.session.flush()
    return product


def delist_product(product: Product) -> Product:
    """Take a listed product off the storefront, or withdraw one from review."""
    _lock(product)
    if product.status not in ("listed", "pending"):
        raise _wrong_status(product, "下架")
    if product.status == "listed":
        catalog_changed()
    product.status = "delisted"
    db.session.flush()
    return product


def _too_many_images() -> ApiError:
    return conflict("too_many_images", f"每个商品最多 {MAX_IMAGES} 张图片")


def add_image(product: Product, data: bytes) -> Product:
    if len(product.images) >= MAX_IMAGES:  # before the costly decode
        raise _too_many_images()
    clean = clean_image(data, field="image")
    _lock(product)
    if len(product.images) >= MAX_IMAGES:
        raise _too_many_images()
    product.images = [*product.images, storage.save(clean.data, clean.ext, IMAGE_FOLDER)]
    if product.status == "listed":
        catalog_changed()
    db.session.flush()
    return product


def remove_image(product: Product, index: int) -> Product:
    _lock(product)
    if not 0 <= index < len(product.images):
        raise not_found("image_not_found", "未找到该图片")
    if len(product.images) == 1 and product.status in ("pending", "listed"):
        raise conflict("image_required", "审核中或已上架的商品至少保留一张图片")
    url = product.images[index]
    product.images = [u for i, u in enumerate(product.images) if i != index]
    if product.status == "listed":
        catalog_changed()
    after_commit(storage.delete, url)  # a rolled-back removal keeps its file
    db.session.flush()
    return product
