"""What a villager pays: the stacking rules, written down once.

1. At most one coupon per purchase.
2. A coupon applies on top of a promotion: the order amount the till enters is the
   promotional price actually charged, and the coupon's minimum spend and discount are
   computed on it.
3. A subsidy (issue 6) is computed on the price actually paid, after promotion and coupon.
"""

from __future__ import annotations

STACKING_RULES = (
    "每笔订单最多使用一张优惠券",
    "优惠券可与店铺促销同时使用（按促销价计算满减）",
    "财政补贴按实际支付金额计算",
)


def coupon_discount(terms: dict, order_amount_fen: int) -> int:
    """The discount a coupon gives on an order (never more than the order)."""
    if terms["kind"] == "fixed":
        discount = terms["amount_fen"]
    else:
        discount = order_amount_fen * terms["percent_off_bp"] // 10_000
        if terms.get("cap_fen"):
            discount = min(discount, terms["cap_fen"])
    return max(0, min(discount, order_amount_fen))


def promotional_price(price_fen: int, *, kind: str, percent_off_bp: int | None,
                      promo_price_fen: int | None) -> int:
    if kind == "percent":
        return price_fen - price_fen * (percent_off_bp or 0) // 10_000
    return min(price_fen, promo_price_fen if promo_price_fen is not None else price_fen)
