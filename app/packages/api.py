"""Console endpoints of solution packages: merchants propose, admins review."""

from __future__ import annotations

from app.catalog.admin_services import require_catalog_officer, scope_region
from app.core import auth
from app.core.openapi import Blueprint
from app.core.pagination import paginate
from app.packages import services
from app.packages.models import SolutionPackage
from app.packages.schemas import (
    AdminPackageListArgs,
    PackageCreateArgs,
    PackageDecisionArgs,
    PackageListArgs,
    PackagePage,
    PackageSchema,
)

blp = Blueprint("packages", __name__, url_prefix="/api/v1", description="系统解决方案（套餐）")

MERCHANTS = auth.MERCHANT_ROLES


def _page(stmt, args: dict) -> dict:
    if args.get("status"):
        stmt = stmt.where(SolutionPackage.status == args["status"])
    return paginate(stmt, SolutionPackage.id, limit=args["limit"], cursor=args["cursor"])


@blp.route("/merchant/packages")
@auth.auth_required(*MERCHANTS)
@blp.arguments(PackageListArgs, location="query")
@blp.response(200, PackagePage)
def merchant_list(args):
    """The shop's packages (as lead provider), newest first."""
    return _page(services.merchant_packages(auth.current_user()), args)


@blp.route("/merchant/packages", methods=["POST"])
@auth.auth_required(*MERCHANTS)
@blp.arguments(PackageCreateArgs)
@blp.response(201, PackageSchema)
def merchant_create(args):
    """Propose a package: products (own or partner shops') with quantities, services, one
    price, the region it is valid in. It waits for an admin of the shop's region."""
    return services.create_package(auth.current_user(), **args)


@blp.route("/merchant/packages/<int:package_id>")
@auth.auth_required(*MERCHANTS)
@blp.response(200, PackageSchema)
def merchant_get(package_id):
    return services.merchant_package(auth.current_user(), package_id)


@blp.route("/merchant/packages/<int:package_id>/delist", methods=["POST"])
@auth.auth_required(*MERCHANTS)
@blp.response(200, PackageSchema)
def merchant_delist(package_id):
    """Take the package off the storefront (an admin's approval lists it again)."""
    return services.delist(auth.current_user(), package_id)


def _officer():
    user = auth.current_user()
    require_catalog_officer(user)
    return user


@blp.route("/admin/packages")
@auth.auth_required(auth.ADMIN)
@blp.arguments(AdminPackageListArgs, location="query")
@blp.response(200, PackagePage)
def admin_list(args):
    """Packages of shops in the admin's region (or a sub-region of it), newest first."""
    region = scope_region(_officer(), args.get("region_code"))
    return _page(services.governed_packages(region, None), args)


@blp.route("/admin/packages/<int:package_id>")
@auth.auth_required(auth.ADMIN)
@blp.response(200, PackageSchema)
def admin_get(package_id):
    return services.governed_package(_officer(), package_id)


@blp.route("/admin/packages/<int:package_id>/decision", methods=["POST"])
@auth.auth_required(auth.ADMIN)
@blp.arguments(PackageDecisionArgs)
@blp.response(200, PackageSchema)
def admin_decide(args, package_id):
    """approve (list) a pending, rejected or delisted package; reject (note) a pending one;
    delist (note) a listed one."""
    return services.decide(_officer(), package_id, action=args["action"], note=args["note"])
