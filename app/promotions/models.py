"""Promotions, coupon templates, claimed coupons and in-store redemptions."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from app.core.db import TimestampMixin, utcnow
from app.extensions import db

# The Chinese beside each status code (API.md: `status_label`).
PROMOTION_STATUS_LABELS = {"active": "进行中", "suspended": "已叫停", "ended": "已结束"}
TEMPLATE_STATUS_LABELS = {"active": "发放中", "paused": "已暂停", "suspended": "已叫停"}
COUPON_STATUS_LABELS = {"unused": "未使用", "used": "已使用", "expired": "已过期"}
REDEMPTION_STATUS_LABELS = {"redeemed": "已核销", "reversed": "已撤销"}


class Promotion(TimestampMixin, db.Model):
    """A shop's discount on some of its own eligible products for a period."""

    __tablename__ = "promotions"

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(sa.ForeignKey("shops.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[str] = mapped_column(sa.String(12))  # percent | fixed_price
    percent_off_bp: Mapped[int | None] = mapped_column(default=None)  # 1500 = 15 % off
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(sa.String(12), default="active")  # active|suspended|ended
    suspended_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), default=None)
    suspended_reason: Mapped[str | None] = mapped_column(sa.String(255), default=None)

    items: Mapped[list[PromotionItem]] = relationship(cascade="all, delete-orphan",
                                                      lazy="selectin")
    shop = relationship("Shop", lazy="joined")


class PromotionItem(db.Model):
    __tablename__ = "promotion_items"
    __table_args__ = (sa.UniqueConstraint("promotion_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    promotion_id: Mapped[int] = mapped_column(sa.ForeignKey("promotions.id"))
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"), index=True)
    promo_price_fen: Mapped[int | None] = mapped_column(default=None)  # for fixed_price


class CouponTemplate(TimestampMixin, db.Model):
    """What a merchant offers; claimed coupons copy its terms, so edits never touch them."""

    __tablename__ = "coupon_templates"
    __table_args__ = (
        sa.CheckConstraint("claimed_count >= 0 AND claimed_count <= total_quantity",
                           name="never_over_issued"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(sa.ForeignKey("shops.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[str] = mapped_column(sa.String(12))  # fixed | percent
    amount_fen: Mapped[int | None] = mapped_column(default=None)
    percent_off_bp: Mapped[int | None] = mapped_column(default=None)
    cap_fen: Mapped[int | None] = mapped_column(default=None)
    min_spend_fen: Mapped[int] = mapped_column(default=0)
    total_quantity: Mapped[int]
    claimed_count: Mapped[int] = mapped_column(default=0)
    per_person_limit: Mapped[int] = mapped_column(default=1)
    validity_kind: Mapped[str] = mapped_column(sa.String(10))  # fixed | relative
    valid_from: Mapped[datetime | None] = mapped_column(default=None)
    valid_until: Mapped[datetime | None] = mapped_column(default=None)
    valid_days: Mapped[int | None] = mapped_column(default=None)
    claim_starts_at: Mapped[datetime]
    claim_ends_at: Mapped[datetime]
    scope: Mapped[str] = mapped_column(sa.String(10), default="shop")  # shop|category|products
    category_id: Mapped[int | None] = mapped_column(sa.ForeignKey("categories.id"), default=None)
    product_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    expo_id: Mapped[int | None] = mapped_column(sa.ForeignKey("expos.id"), index=True,
                                                default=None)
    status: Mapped[str] = mapped_column(sa.String(12), default="active")  # active|paused|suspended

    shop = relationship("Shop", lazy="joined")


class Coupon(db.Model):
    """A claimed coupon. `seq` numbers one villager's coupons of a template, and the unique
    (template, user, seq) is what makes the per-person limit hold under any contention."""

    __tablename__ = "coupons"
    __table_args__ = (
        sa.UniqueConstraint("template_id", "user_id", "seq"),
        sa.Index("ix_coupons_user_status", "user_id", "status"),
        sa.Index("ix_coupons_status_valid_until", "status", "valid_until"),
        # The summary report: coupons claimed per shop in a period.
        sa.Index("ix_coupons_shop_claimed", "shop_id", "claimed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("coupon_templates.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    shop_id: Mapped[int] = mapped_column(sa.ForeignKey("shops.id"), index=True)
    seq: Mapped[int]
    secret: Mapped[str] = mapped_column(sa.String(16))
    status: Mapped[str] = mapped_column(sa.String(10), default="unused")  # unused|used|expired
    terms: Mapped[dict] = mapped_column(sa.JSON)  # the template's terms when claimed
    valid_from: Mapped[datetime]
    valid_until: Mapped[datetime]
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    reminded_at: Mapped[datetime | None] = mapped_column(default=None)

    template: Mapped[CouponTemplate] = relationship(lazy="joined")


# How many of a template's coupons were used at the till: loaded only where asked for
# (the merchant's list undefers it: one correlated count per row, on coupons' template index).
CouponTemplate.redeemed_count = column_property(
    sa.select(sa.func.count(Coupon.id))
    .where(Coupon.template_id == CouponTemplate.id, Coupon.status == "used")
    .correlate_except(Coupon).scalar_subquery(),
    deferred=True)


class Redemption(db.Model):
    """A coupon used in store: the order, the discount, and a reversal if it was a mistake."""

    __tablename__ = "redemptions"
    # The summary report: redemptions per shop in a period.
    __table_args__ = (sa.Index("ix_redemptions_shop_created", "shop_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coupon_id: Mapped[int] = mapped_column(sa.ForeignKey("coupons.id"), index=True)
    shop_id: Mapped[int] = mapped_column(sa.ForeignKey("shops.id"), index=True)
    cashier_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    product_id: Mapped[int | None] = mapped_column(sa.ForeignKey("products.id"), default=None)
    order_amount_fen: Mapped[int]
    discount_fen: Mapped[int]
    paid_fen: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reversed_at: Mapped[datetime | None] = mapped_column(default=None)
    reversed_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), default=None)
    reverse_reason: Mapped[str | None] = mapped_column(sa.String(255), default=None)
