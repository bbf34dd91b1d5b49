"""Administrative divisions, for pickers and filters."""

from __future__ import annotations

from app.core.errors import not_found
from app.core.openapi import Blueprint
from app.extensions import db
from app.regions import services
from app.regions.models import Region
from app.regions.schemas import RegionListArgs, RegionSchema

blp = Blueprint("mp-regions", __name__, url_prefix="/api/mp/v1/regions", description="行政区划")


@blp.route("")
@blp.arguments(RegionListArgs, location="query")
@blp.response(200, RegionSchema(many=True))
def list_regions(args):
    """Provinces, or the children of `parent`."""
    return services.children(args["parent"])


@blp.route("/<code>")
@blp.response(200, RegionSchema)
def get_region(code):
    region = db.session.get(Region, code)
    if region is None:
        raise not_found("region_not_found", "未找到该行政区划")
    return region
