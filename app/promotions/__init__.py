"""Merchant promotions and coupons (让利于民): claims that never over-issue, redemption."""
