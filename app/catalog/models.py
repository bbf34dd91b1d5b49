"""Catalog models: what is sold, who makes it, and what certifies it."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import TimestampMixin, utcnow
from app.extensions import db

PRODUCT_STATUSES = ("draft", "pending", "listed", "rejected", "delisted")
PRODUCT_STATUS_LABELS = {"draft": "草稿", "pending": "待审核", "listed": "已上架",
                         "rejected": "已驳回", "delisted": "已下架"}
CERTIFICATE_STATUSES = ("valid", "suspended", "revoked")
AUTHORISATION_STATUSES = ("applied", "approved", "rejected", "revoked")
# Why a product may not carry its certificate (products.certificate_flag), set by
# app.catalog.binding: the holder is neither the shop's enterprise nor an enterprise it is an
# approved dealer of; or the product's category is outside the certified one.
CERTIFICATE_FLAGS = ("other_enterprise", "other_category")


class Category(db.Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(40))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("categories.id"), default=None)
    sort_order: Mapped[int] = mapped_column(default=0)

    children: Mapped[list[Category]] = relationship(order_by="Category.sort_order")


class Enterprise(TimestampMixin, db.Model):
    """A manufacturer (the brand behind a product), identified by its credit code."""

    __tablename__ = "enterprises"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    credit_code: Mapped[str] = mapped_column(sa.String(18), unique=True)
    region_code: Mapped[str | None] = mapped_column(sa.ForeignKey("regions.code"), default=None)


class Certificate(TimestampMixin, db.Model):
    """A green building material certificate (绿色建材产品认证证书)."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(64), unique=True)
    issuer: Mapped[str] = mapped_column(sa.String(120))
    enterprise_id: Mapped[int] = mapped_column(sa.ForeignKey("enterprises.id"), index=True)
    product_name: Mapped[str] = mapped_column(sa.String(200))  # as printed on the certificate
    star: Mapped[int]
    issued_on: Mapped[date]
    expires_on: Mapped[date]
    status: Mapped[str] = mapped_column(sa.String(12), default="valid")  # expiry is derived
    # The certified product category (a leaf, or a parent covering its sub-categories);
    # None for certificates imported before the list carried it: nothing new binds to those.
    category_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("categories.id"), index=True, default=None)

    enterprise: Mapped[Enterprise] = relationship(lazy="joined")
    category: Mapped[Category | None] = relationship(lazy="joined")

    def status_on(self, day: date) -> str:
        if self.status != "valid":
            return self.status
        return "valid" if self.issued_on <= day <= self.expires_on else "expired"


class Product(TimestampMixin, db.Model):
    __tablename__ = "products"
    __table_args__ = (sa.Index("ix_products_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(sa.ForeignKey("shops.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("enterprises.id"), index=True, default=None)
    certificate_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("certificates.id"), index=True, default=None)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("categories.id"), index=True)
    brand: Mapped[str] = mapped_column(sa.String(60), default="")
    name: Mapped[str] = mapped_column(sa.String(120))
    model_spec: Mapped[str] = mapped_column(sa.String(120), default="")
    unit: Mapped[str] = mapped_column(sa.String(16), default="件")
    price_fen: Mapped[int]
    images: Mapped[list] = mapped_column(sa.JSON, default=list)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(12), default="draft")
    review_note: Mapped[str | None] = mapped_column(sa.String(255), default=None)
    reviewed_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), default=None)
    reviewed_at: Mapped[datetime | None] = mapped_column(default=None)
    listed_at: Mapped[datetime | None] = mapped_column(default=None)
    # Set when the product may not carry its certificate (CERTIFICATE_FLAGS): such a product
    # is not certified, waits in the admins' review queue, and is kept out of the check.
    certificate_flag: Mapped[str | None] = mapped_column(sa.String(24), default=None)
    # Space-separated search tokens: CJK uni/bigrams, pinyin, initials, latin words.
    search_terms: Mapped[str] = mapped_column(sa.Text, default="")
    # The same tokens of the name and brand only: the first relevance tier of a search.
    name_terms: Mapped[str] = mapped_column(sa.Text, default="")

    shop = relationship("Shop", lazy="joined")
    category: Mapped[Category] = relationship(lazy="joined")
    enterprise: Mapped[Enterprise | None] = relationship(lazy="joined")
    certificate: Mapped[Certificate | None] = relationship(lazy="joined")


class DealerAuthorisation(TimestampMixin, db.Model):
    """A shop's dealer authorisation (经销授权) from an enterprise, decided by an admin of the
    shop's region: approved, it lets the shop list products under the enterprise's
    certificates. At most one applied or approved per shop and enterprise; the rest is history."""

    __tablename__ = "dealer_authorisations"
    __table_args__ = (
        sa.Index("uq_dealer_authorisations_open", "shop_id", "enterprise_id", unique=True,
                 postgresql_where=sa.text("status IN ('applied', 'approved')"),
                 sqlite_where=sa.text("status IN ('applied', 'approved')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(sa.ForeignKey("shops.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(sa.ForeignKey("enterprises.id"), index=True)
    document_no: Mapped[str | None] = mapped_column(sa.String(64), default=None)  # 授权书编号
    note: Mapped[str] = mapped_column(sa.String(255), default="")  # the merchant's words
    status: Mapped[str] = mapped_column(sa.String(12), default="applied")
    applied_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), default=None)
    decided_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    decision_note: Mapped[str | None] = mapped_column(sa.String(255), default=None)

    shop = relationship("Shop", lazy="joined")
    enterprise: Mapped[Enterprise] = relationship(lazy="joined")


class LocalListEntry(db.Model):
    """A product on a county's or city's local list (本地清单) for a period."""

    __tablename__ = "local_list_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"), index=True)
    requirement: Mapped[str] = mapped_column(sa.String(255))  # the technical requirement met
    valid_from: Mapped[date]
    valid_until: Mapped[date]
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(default=None)


class NegativeListEntry(db.Model):
    """A product or an enterprise on the negative list (负面清单); lifting keeps the row."""

    __tablename__ = "negative_list_entries"
    __table_args__ = (
        sa.CheckConstraint("(product_id IS NULL) <> (enterprise_id IS NULL)",
                           name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("products.id"), index=True, default=None)
    enterprise_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("enterprises.id"), index=True, default=None)
    reason: Mapped[str] = mapped_column(sa.String(255))
    source_complaint_id: Mapped[int | None] = mapped_column(default=None)
    listed_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), default=None)
    listed_at: Mapped[datetime] = mapped_column(default=utcnow)
    lifted_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), default=None)
    lifted_at: Mapped[datetime | None] = mapped_column(default=None)
    lift_reason: Mapped[str | None] = mapped_column(sa.String(255), default=None)


class SearchSynonym(db.Model):
    """A word villagers type and the word the catalogue uses for it: 马桶 → 坐便器."""

    __tablename__ = "search_synonyms"

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(sa.String(20), unique=True)
    canonical: Mapped[str] = mapped_column(sa.String(20))
    # Reference data, like categories: who added a word is in the audit log, not a foreign
    # key (emptying the users table must not empty this one).
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
