"""The storefront's solution packages: only those whose every product is eligible."""

from __future__ import annotations

from app.catalog import eligibility
from app.core import auth
from app.core.openapi import Blueprint
from app.core.pagination import paginate
from app.packages import services
from app.packages.models import SolutionPackage
from app.packages.schemas import (
    PackageDetailSchema,
    PackagePage,
    RegionArgs,
    StorefrontPackageArgs,
)

blp = Blueprint("mp-packages", __name__, url_prefix="/api/mp/v1",
                description="系统解决方案（套餐）")


def _viewer():
    return auth.current_user() if auth.bearer_token() else None


@blp.route("/packages")
@blp.arguments(StorefrontPackageArgs, location="query")
@blp.response(200, PackagePage)
def packages(args):
    """Listed packages valid in `region` (by default the signed-in villager's own) whose
    every product is campaign-eligible there today; `scenario` and `q` narrow the list."""
    region = eligibility.judged_in(args.get("region"), _viewer())
    stmt = services.storefront_packages(region=region, scenario=args.get("scenario"),
                                        q=args.get("q"))
    return paginate(stmt, SolutionPackage.id, limit=args["limit"], cursor=args["cursor"])


@blp.route("/packages/<int:package_id>")
@blp.arguments(RegionArgs, location="query")
@blp.response(200, PackageDetailSchema)
def package(args, package_id):
    """One package: each product with its quantity, the part of the package price paid for
    it, its eligibility and subsidy estimate in `region`."""
    user = _viewer()
    region = eligibility.judged_in(args.get("region"), user)
    return services.storefront_detail(package_id, region=region, user=user)
