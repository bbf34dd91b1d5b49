"""The storefront: categories, products (search, filters, sorts), certificate check."""

from __future__ import annotations

from flask import Response
from flask_smorest import Blueprint

from app.catalog import services
from app.catalog.schemas import (
    CategorySchema,
    CertificateView,
    ProductDetail,
    ProductListArgs,
    ProductPage,
    RegionArgs,
)

blp = Blueprint("mp-catalog", __name__, url_prefix="/api/mp/v1",
                description="绿色建材商品与证书查询")


def _json(body: bytes) -> Response:
    return Response(body, mimetype="application/json")


@blp.route("/categories")
@blp.response(200, CategorySchema(many=True))
def categories():
    return services.category_tree()


@blp.route("/products")
@blp.arguments(ProductListArgs, location="query")
@blp.response(200, ProductPage)
def products(args):
    """Listed products; `eligible=true` keeps only campaign-eligible ones in `region`."""
    args["eligible_only"] = args.pop("eligible")
    return _json(services.list_products_json(**args))


@blp.route("/products/<int:product_id>")
@blp.arguments(RegionArgs, location="query")
@blp.response(200, ProductDetail)
def product(args, product_id):
    """One product with its certificate, merchant and campaign eligibility in `region`."""
    return _json(services.product_detail_json(product_id, region=args.get("region")))


@blp.route("/certificates/<number>")
@blp.response(200, CertificateView)
def certificate(number):
    """Is this certificate number real and valid, and what does it belong to?"""
    return services.check_certificate(number)
