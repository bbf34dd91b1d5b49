"""Programmes, their budget ledger, per-person totals, claims and their history."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import TimestampMixin, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.catalog.models import Product
    from app.merchants.models import Shop

CLAIM_STATUSES = ("reserved", "approved", "rejected", "disbursed")
CLAIM_STATUS_LABELS = {"reserved": "已预留", "approved": "已批准", "rejected": "已驳回",
                       "disbursed": "已发放"}
PROGRAM_STATUSES = ("open", "closed")
PROGRAM_STATUS_LABELS = {"open": "开放中", "closed": "已关闭"}
MOVEMENTS = ("top_up", "reserved", "released", "approved", "disbursed")


class SubsidyProgram(TimestampMixin, db.Model):
    __tablename__ = "subsidy_programs"
    __table_args__ = (
        sa.CheckConstraint("committed_fen >= 0 AND committed_fen <= budget_fen",
                           name="budget_never_overspent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    category_ids: Mapped[list] = mapped_column(sa.JSON, default=list)  # covers sub-categories
    rate_bp: Mapped[int]  # 1500 = 15 % of the price paid
    cap_per_item_fen: Mapped[int]
    cap_per_person_fen: Mapped[int]
    budget_fen: Mapped[int] = mapped_column(default=0)
    # Reserved + approved + disbursed: money no longer available. Moved only by
    # conditional UPDATEs and checked by the constraint above.
    committed_fen: Mapped[int] = mapped_column(default=0)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    status: Mapped[str] = mapped_column(sa.String(10), default="open")  # PROGRAM_STATUSES
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), default=None)


class BudgetMovement(db.Model):
    """The ledger: every movement of a programme's money, with who and when."""

    __tablename__ = "budget_movements"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(sa.ForeignKey("subsidy_programs.id"), index=True)
    claim_id: Mapped[int | None] = mapped_column(sa.ForeignKey("subsidy_claims.id"), index=True,
                                                 default=None)
    kind: Mapped[str] = mapped_column(sa.String(12))
    amount_fen: Mapped[int]
    by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), default=None)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str | None] = mapped_column(sa.String(255), default=None)


class PersonTotal(db.Model):
    """What one person (by ID-number hash, across accounts) has committed in a programme."""

    __tablename__ = "subsidy_person_totals"
    __table_args__ = (sa.UniqueConstraint("program_id", "person_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(sa.ForeignKey("subsidy_programs.id"))
    person_hash: Mapped[str] = mapped_column(sa.String(64))
    committed_fen: Mapped[int] = mapped_column(default=0)


class SubsidyClaim(TimestampMixin, db.Model):
    __tablename__ = "subsidy_claims"
    __table_args__ = (
        # One invoice (shop + normalised number) can be claimed once, by anyone, ever.
        sa.UniqueConstraint("shop_id", "invoice_key"),
        sa.Index("ix_subsidy_claims_program_status", "program_id", "status"),
        # The summary report: claims per shop in a period.
        sa.Index("ix_subsidy_claims_shop_created", "shop_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(sa.ForeignKey("subsidy_programs.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    person_hash: Mapped[str] = mapped_column(sa.String(64), index=True)
    shop_id: Mapped[int] = mapped_column(sa.ForeignKey("shops.id"), index=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"), index=True)
    price_paid_fen: Mapped[int]
    invoice_no: Mapped[str] = mapped_column(sa.String(64))
    invoice_key: Mapped[str] = mapped_column(sa.String(64))
    purchase_date: Mapped[date]
    invoice_photo_url: Mapped[str | None] = mapped_column(sa.String(255), default=None)
    amount_fen: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(10), default="reserved")
    flagged: Mapped[bool] = mapped_column(default=False)
    flag_reason: Mapped[str | None] = mapped_column(sa.String(255), default=None)
    decided_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    decision_note: Mapped[str | None] = mapped_column(sa.String(255), default=None)
    disbursed_at: Mapped[datetime | None] = mapped_column(default=None)
    batch_no: Mapped[str | None] = mapped_column(sa.String(32), index=True, default=None)

    program: Mapped[SubsidyProgram] = relationship(lazy="joined")
    events: Mapped[list[ClaimEvent]] = relationship(order_by="ClaimEvent.id", lazy="selectin")
    # for the names shown beside the claim; lists load them with selectinload (WITH_NAMES)
    product: Mapped[Product] = relationship(viewonly=True)
    shop: Mapped[Shop] = relationship(viewonly=True)


class ClaimEvent(db.Model):
    """A claim's history: every transition with who, when and a note."""

    __tablename__ = "subsidy_claim_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(sa.ForeignKey("subsidy_claims.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(10))
    by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), default=None)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str | None] = mapped_column(sa.String(255), default=None)

    # Who acted, for the name the history shows (accounts.display).
    by_user: Mapped[User | None] = relationship(lazy="selectin", viewonly=True)

