"""Demonstration projects and typical cases near the villager, linked to what to buy."""

from __future__ import annotations

from app.catalog import eligibility
from app.core import auth
from app.core.openapi import Blueprint
from app.showcase import services
from app.showcase.schemas import CaseDetailSchema, CasePage, RegionArgs, StorefrontCaseArgs

blp = Blueprint("mp-cases", __name__, url_prefix="/api/mp/v1",
                description="示范工程与典型案例")


def _region(args: dict) -> str | None:
    user = auth.current_user() if auth.bearer_token() else None
    return eligibility.judged_in(args.get("region"), user)


@blp.route("/cases")
@blp.arguments(StorefrontCaseArgs, location="query")
@blp.response(200, CasePage)
def cases(args):
    """Published cases, those nearest `region` (by default the signed-in villager's own)
    first: the same village, township, county, city, province; then the newest."""
    return services.storefront_cases(region=_region(args), building_type=args.get(
        "building_type"), kind=args.get("kind"), limit=args["limit"], cursor=args["cursor"])


@blp.route("/cases/<int:case_id>")
@blp.arguments(RegionArgs, location="query")
@blp.response(200, CaseDetailSchema)
def case(args, case_id):
    """One case with its products and packages (whether on sale and eligible in `region`,
    to buy the same), and the enterprises and shops involved."""
    return services.storefront_case(case_id, region=_region(args))
