"""The shop's redemptions as rows for its CSV and Excel exports (month-end reconciliation)."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from app.accounts.models import User
from app.catalog.models import Product
from app.core.db import china_time
from app.extensions import db
from app.promotions.coupons import redemption_status
from app.promotions.models import REDEMPTION_STATUS_LABELS, Coupon, Redemption

COLUMNS = ("核销编号", "核销时间", "优惠券编号", "优惠券", "商品编号", "商品",
           "订单金额（元）", "优惠金额（元）", "实付金额（元）", "状态", "收银员",
           "撤销时间", "撤销原因")


def _yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))  # a number in Excel, exact


def _when(moment) -> str:
    return china_time(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def redemption_rows(shop_id: int) -> list[tuple]:
    """Every redemption of the shop, newest first, as the cells of one export row."""
    stmt = (sa.select(Redemption, Coupon.terms, Product.name, User.nickname, User.username)
            .select_from(Redemption)
            .join(Coupon, Coupon.id == Redemption.coupon_id)
            .outerjoin(Product, Product.id == Redemption.product_id)
            .join(User, User.id == Redemption.cashier_id)
            .where(Redemption.shop_id == shop_id)
            .order_by(Redemption.id.desc()))
    rows = []
    for redemption, terms, product, nickname, username in db.session.execute(stmt):
        status = redemption_status(redemption)
        rows.append((redemption.id, _when(redemption.created_at), redemption.coupon_id,
                     (terms or {}).get("title", ""), redemption.product_id, product or "",
                     _yuan(redemption.order_amount_fen), _yuan(redemption.discount_fen),
                     _yuan(redemption.paid_fen), REDEMPTION_STATUS_LABELS[status],
                     nickname or username or "", _when(redemption.reversed_at),
                     redemption.reverse_reason or ""))
    return rows
