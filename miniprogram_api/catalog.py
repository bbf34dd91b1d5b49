"""The storefront: categories, products (search, filters, sorts), certificate check."""

from __future__ import annotations

from flask import Response

from app.catalog import eligibility, services
from app.catalog.schemas import (
    CategorySchema,
    CertificateView,
    ProductDetail,
    ProductListArgs,
    ProductPage,
    RegionArgs,
)
from app.core import auth
from app.core.openapi import Blueprint

blp = Blueprint("mp-catalog", __name__, url_prefix="/api/mp/v1",
                description="绿色建材商品与证书查询")


def _json(body: bytes) -> Response:
    return Response(body, mimetype="application/json")


def _region(args: dict) -> str | None:
    user = auth.current_user() if not args.get("region") and auth.bearer_token() else None
    return eligibility.judged_in(args.get("region"), user)


@blp.route("/categories")
@blp.response(200, CategorySchema(many=True))
def categories():
    return services.category_tree()


@blp.route("/products")
@blp.arguments(ProductListArgs, location="query")
@blp.response(200, ProductPage)
def products(args):
    """Listed products; `eligible=true` keeps only campaign-eligible ones in `region` (by
    default the signed-in villager's own region)."""
    args["eligible_only"] = args.pop("eligible")
    args["region"] = _region(args)
    return _json(services.list_products_json(**args))


@blp.route("/products/<int:product_id>")
@blp.arguments(RegionArgs, location="query")
@blp.response(200, ProductDetail)
def product(args, product_id):
    """One product with its certificate, merchant and campaign eligibility in `region`."""
    return _json(services.product_detail_json(product_id, region=_region(args)))


@blp.route("/certificates/<number>")
@blp.response(200, CertificateView)
def certificate(number):
    """Is this certificate number real and valid, and what does it belong to? Lists only the
    products that may carry it (its holder's, or an approved dealer's, of its category) and
    warns plainly (`warnings`) about the others that name it: `misused` (negative-listed),
    `negative_listed`, `unverified`."""
    return services.check_certificate(number)
