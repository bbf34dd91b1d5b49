"""Merchant console: shop application, staff, products and their images."""

from __future__ import annotations

from flask import current_app

from app.accounts.models import User
from app.accounts.schemas import ConsoleLoginResult
from app.catalog import dealers
from app.catalog.dealer_schemas import (
    DealerAuthorisationArgs,
    DealerAuthorisationListArgs,
    DealerAuthorisationPage,
    DealerAuthorisationSchema,
)
from app.catalog.models import DealerAuthorisation, Product
from app.core import auth
from app.core.idempotency import idempotent
from app.core.images import MAX_IMAGE_BYTES
from app.core.openapi import Blueprint
from app.core.pagination import paginate
from app.core.schemas import PageArgs
from app.extensions import limiter
from app.merchants import services
from app.merchants.schemas import (
    ImageUploadArgs,
    MerchantProductDetailSchema,
    MerchantProductPage,
    MerchantShopSchema,
    MerchantSignupArgs,
    ProductCreateArgs,
    ProductEditArgs,
    ProductListArgs,
    ShopApplicationArgs,
    ShopEditArgs,
    StaffCreateArgs,
    StaffPage,
    StaffSchema,
)

blp = Blueprint("merchant-console", __name__, url_prefix="/api/v1/merchant",
                description="商家后台：店铺、员工、经销授权、商品")

OWNER = auth.MERCHANT_OWNER
MERCHANTS = auth.MERCHANT_ROLES


# ---- sign-up and the shop -------------------------------------------------------------

@blp.route("/signup", methods=["POST"])
@limiter.limit("5 per hour;20 per day", error_message="注册过于频繁，请稍后再试")
@blp.arguments(MerchantSignupArgs)
@blp.response(201, ConsoleLoginResult)
def sign_up(args):
    """Create a merchant owner's console account and log it in; then apply for a shop."""
    user, token = services.sign_up(**args)
    return {"token": token, "user": user, "expires_in": current_app.config["TOKEN_TTL_SECONDS"]}


@blp.route("/shops", methods=["POST"])
@auth.auth_required(OWNER)
@blp.arguments(ShopApplicationArgs)
@blp.response(201, MerchantShopSchema)
def apply_for_shop(args):
    """Apply for a shop (one per owner); it stays pending until an admin of the region decides."""
    return services.apply_for_shop(auth.current_user(), **args)


@blp.route("/shop")
@auth.auth_required(*MERCHANTS)
@blp.response(200, MerchantShopSchema)
def get_my_shop():
    """The caller's shop, its status and the admin's decision note."""
    return services.shop_of(auth.current_user())


@blp.route("/shop", methods=["PATCH"])
@auth.auth_required(OWNER)
@blp.arguments(ShopEditArgs)
@blp.response(200, MerchantShopSchema)
def edit_my_shop(args):
    """Edit the application (a rejected one is resubmitted), or an approved shop's contacts."""
    user = auth.current_user()
    return services.edit_shop(services.shop_of(user), user, **args)


# ---- staff ----------------------------------------------------------------------------

@blp.route("/staff")
@auth.auth_required(OWNER)
@blp.arguments(PageArgs, location="query")
@blp.response(200, StaffPage)
def list_staff(args):
    shop = services.working_shop(auth.current_user())
    return paginate(services.staff_of(shop), User.id, limit=args["limit"], cursor=args["cursor"])


@blp.route("/staff", methods=["POST"])
@auth.auth_required(OWNER)
@blp.arguments(StaffCreateArgs)
@blp.response(201, StaffSchema)
def add_staff(args):
    """Create a staff account of the owner's shop; staff manage products, not staff."""
    return services.add_staff(services.working_shop(auth.current_user()), **args)


@blp.route("/staff/<int:user_id>", methods=["DELETE"])
@auth.auth_required(OWNER)
@blp.response(204)
def remove_staff(user_id):
    """Disable a staff account of the owner's shop and end its sessions."""
    staff = services.get_staff(services.working_shop(auth.current_user()), user_id)
    services.remove_staff(staff)


# ---- dealer authorisations (经销授权) ------------------------------------------------------

@blp.route("/dealer-authorisations")
@auth.auth_required(*MERCHANTS)
@blp.arguments(DealerAuthorisationListArgs, location="query")
@blp.response(200, DealerAuthorisationPage)
def list_dealer_authorisations(args):
    """The shop's dealer authorisations and applications, newest first."""
    stmt = dealers.of_shop(services.working_shop(auth.current_user()), status=args.get("status"))
    return paginate(stmt, DealerAuthorisation.id, limit=args["limit"], cursor=args["cursor"])


@blp.route("/dealer-authorisations", methods=["POST"])
@auth.auth_required(OWNER)
@blp.arguments(DealerAuthorisationArgs)
@blp.response(201, DealerAuthorisationSchema)
def apply_for_dealer_authorisation(args):
    """Apply for an enterprise's dealer authorisation, to list products under its
    certificates; an admin of the shop's region approves or rejects it."""
    user = auth.current_user()
    return dealers.apply(services.working_shop(user), user, **args)


# ---- products ---------------------------------------------------------------------------

@blp.route("/products")
@auth.auth_required(*MERCHANTS)
@blp.arguments(ProductListArgs, location="query")
@blp.response(200, MerchantProductPage)
def list_products(args):
    """The shop's own products in every status, newest first."""
    stmt = services.own_products(services.working_shop(auth.current_user()),
                                 status=args.get("status"))
    return paginate(stmt, Product.id, limit=args["limit"], cursor=args["cursor"])


@blp.route("/products", methods=["POST"])
@auth.auth_required(*MERCHANTS)
@idempotent
@blp.arguments(ProductCreateArgs)
@blp.response(201, MerchantProductDetailSchema)
def create_product(args):
    """Create a draft; a certificate number links the certificate and its enterprise, when
    the holder is the shop's own enterprise or one it holds an approved dealer authorisation
    of, and the category is the certified one (else 422 `certificate_mismatch`, saying why).
    A retry with the same Idempotency-Key returns the first answer."""
    return services.create_product(services.working_shop(auth.current_user()), **args)


@blp.route("/products/<int:product_id>")
@auth.auth_required(*MERCHANTS)
@blp.response(200, MerchantProductDetailSchema)
def get_product(product_id):
    return services.own_product(auth.current_user(), product_id)


@blp.route("/products/<int:product_id>", methods=["PATCH"])
@auth.auth_required(*MERCHANTS)
@blp.arguments(ProductEditArgs)
@blp.response(200, MerchantProductDetailSchema)
def edit_product(args, product_id):
    """Edit; on a listed product, a new name, brand, spec, category or certificate sends it
    back to review, while price, unit, description and photos keep it listed."""
    return services.edit_product(services.own_product(auth.current_user(), product_id), **args)


@blp.route("/products/<int:product_id>/submit", methods=["POST"])
@auth.auth_required(*MERCHANTS)
@blp.response(200, MerchantProductDetailSchema)
def submit_product(product_id):
    """Submit a draft, rejected or delisted product for review (the shop must be approved)."""
    return services.submit_product(services.own_product(auth.current_user(), product_id))


@blp.route("/products/<int:product_id>/delist", methods=["POST"])
@auth.auth_required(*MERCHANTS)
@blp.response(200, MerchantProductDetailSchema)
def delist_product(product_id):
    """Take a listed product off the storefront, or withdraw a pending one."""
    return services.delist_product(services.own_product(auth.current_user(), product_id))


@blp.route("/products/<int:product_id>/images", methods=["POST"])
@auth.auth_required(*MERCHANTS)
@idempotent
@blp.arguments(ImageUploadArgs, location="files")
@blp.response(201, MerchantProductDetailSchema)
def add_product_image(args, product_id):
    """Upload a photo (multipart field `image`): JPEG, PNG or WebP up to 5 MB, at most 9.
    It is stored re-encoded, without EXIF or other metadata. Accepts Idempotency-Key."""
    product = services.own_product(auth.current_user(), product_id)
    return services.add_image(product, args["image"].read(MAX_IMAGE_BYTES + 1))


@blp.route("/products/<int:product_id>/images/<index:index>", methods=["DELETE"])
@auth.auth_required(*MERCHANTS)
@blp.response(200, MerchantProductDetailSchema)
def remove_product_image(product_id, index):
    """Remove the photo at `index` (0-based); the others move up."""
    return services.remove_image(services.own_product(auth.current_user(), product_id), index)
