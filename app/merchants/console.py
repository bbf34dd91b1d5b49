"""Merchant console: shop application, staff, products and their images."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("merchant-console", __name__, url_prefix="/api/v1/merchant",
                description="商家后台：店铺、员工、商品")
