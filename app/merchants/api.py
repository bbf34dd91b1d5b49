"""Shops for their merchants and for the admins of their region."""

from __future__ import annotations

from app.core import auth
from app.core.errors import not_found
from app.core.openapi import Blueprint
from app.extensions import db
from app.merchants.models import Shop
from app.merchants.schemas import ShopSchema

blp = Blueprint("shops", __name__, url_prefix="/api/v1", description="店铺")


@blp.route("/merchant/shops/<int:shop_id>")
@auth.auth_required(*auth.MERCHANT_ROLES)
@blp.response(200, ShopSchema)
def merchant_get_shop(shop_id):
    auth.require_shop(shop_id)
    return db.session.get(Shop, shop_id) or _missing()


@blp.route("/admin/shops/<int:shop_id>")
@auth.auth_required(auth.ADMIN)
@blp.response(200, ShopSchema)
def admin_get_shop(shop_id):
    shop = db.session.get(Shop, shop_id)
    if shop is None:
        _missing()
    auth.require_region(shop.region_code)
    return shop


def _missing():
    raise not_found("shop_not_found", "未找到该店铺")
