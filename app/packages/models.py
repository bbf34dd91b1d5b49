"""Solution packages (系统解决方案): a scenario of products and services at one price."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import TimestampMixin
from app.extensions import db

PACKAGE_STATUSES = ("pending", "listed", "rejected", "delisted")
PACKAGE_STATUS_LABELS = {"pending": "待审核", "listed": "已上架", "rejected": "已驳回",
                         "delisted": "已下架"}
SERVICE_KINDS = ("measure", "design", "installation", "construction")
SERVICE_KIND_LABELS = {"measure": "上门测量", "design": "设计", "installation": "安装",
                       "construction": "施工"}


class SolutionPackage(TimestampMixin, db.Model):
    """Provided by one shop (the lead), optionally with partner shops of an alliance; valid in
    the regions under `region_code` (prefix match, like admin scope)."""

    __tablename__ = "solution_packages"
    __table_args__ = (sa.Index("ix_solution_packages_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(sa.ForeignKey("shops.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    scenario: Mapped[str] = mapped_column(sa.String(60))  # 农房节能改造 / 抗震加固 / 厨卫改造
    description: Mapped[str] = mapped_column(sa.Text, default="")
    price_fen: Mapped[int]
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    # [{"kind": "design", "name": "...", "shop_id": 3}] — services included in the price
    services: Mapped[list] = mapped_column(sa.JSON, default=list)
    partner_shop_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    status: Mapped[str] = mapped_column(sa.String(12), default="pending")
    review_note: Mapped[str | None] = mapped_column(sa.String(255), default=None)
    reviewed_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), default=None)
    reviewed_at: Mapped[datetime | None] = mapped_column(default=None)

    shop = relationship("Shop", lazy="joined")
    items: Mapped[list[PackageItem]] = relationship(
        order_by="PackageItem.id", cascade="all, delete-orphan", lazy="selectin")


class PackageItem(db.Model):
    __tablename__ = "package_items"
    __table_args__ = (sa.UniqueConstraint("package_id", "product_id",
                                          name="uq_package_items_product"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(sa.ForeignKey("solution_packages.id"), index=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"), index=True)
    quantity: Mapped[int]

    product = relationship("Product", lazy="joined")
