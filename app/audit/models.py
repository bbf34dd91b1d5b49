"""The audit log's one table, append-only: the ORM refuses to change or delete its rows."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.core.db import utcnow
from app.extensions import db


class AuditEntry(db.Model):
    """One officer action, or one access to full personal data.

    No foreign keys: the log outlives what it speaks of, and writing it never fails on them.
    Actor and subject are copied in as they were at the time (name, region).
    """

    __tablename__ = "audit_entries"
    __table_args__ = (
        sa.Index("ix_audit_entries_subject", "subject_type", "subject_id"),
        sa.Index("ix_audit_entries_actor_id", "actor_id", "id"),
        sa.Index("ix_audit_entries_action", "action", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(default=None)
    actor_role: Mapped[str] = mapped_column(sa.String(20))
    actor_name: Mapped[str] = mapped_column(sa.String(64), default="")
    actor_region_code: Mapped[str | None] = mapped_column(sa.String(12), default=None)
    # A stable code: <subject>.<what happened>, e.g. product.approved (capture.ACTION_LABELS)
    action: Mapped[str] = mapped_column(sa.String(48))
    subject_type: Mapped[str] = mapped_column(sa.String(32))
    # Text: most subjects have integer ids, a holiday has its day.
    subject_id: Mapped[str | None] = mapped_column(sa.String(64), default=None)
    subject_region_code: Mapped[str | None] = mapped_column(sa.String(12), default=None)
    summary: Mapped[str] = mapped_column(sa.String(500))  # Chinese, personal data masked
    detail: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # personal data masked
    request_id: Mapped[str | None] = mapped_column(sa.String(64), default=None)


class AppendOnlyError(RuntimeError):
    """Someone tried to change or delete an audit entry."""


def _refuse(what: str) -> None:
    raise AppendOnlyError(f"audit_entries is append-only: {what} refused")


@event.listens_for(Session, "before_flush")
def _guard_flush(session: Session, _context, _instances) -> None:
    for obj in session.deleted:
        if isinstance(obj, AuditEntry):
            _refuse("DELETE")
    for obj in session.dirty:
        if isinstance(obj, AuditEntry) and session.is_modified(obj):
            _refuse("UPDATE")


@event.listens_for(Session, "do_orm_execute")
def _guard_statements(state) -> None:
    table = getattr(state.statement, "table", None)  # an annotated copy: compare names
    if (state.is_update or state.is_delete) and getattr(table, "name", None) == (
            AuditEntry.__tablename__):
        _refuse("UPDATE" if state.is_update else "DELETE")
