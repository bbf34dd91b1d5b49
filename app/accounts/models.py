"""Users, their bearer tokens, and the log of every showing of their full personal data."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import TimestampMixin, utcnow
from app.extensions import db


class User(TimestampMixin, db.Model):
    """Every person: villagers log in with WeChat, console users with a password."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(20), index=True)
    nickname: Mapped[str] = mapped_column(sa.String(64), default="")
    is_active: Mapped[bool] = mapped_column(default=True)

    # console users
    username: Mapped[str | None] = mapped_column(sa.String(64), unique=True, default=None)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255), default=None)
    admin_duties: Mapped[list | None] = mapped_column(sa.JSON, default=None)

    # villagers
    wechat_openid: Mapped[str | None] = mapped_column(sa.String(64), unique=True, default=None)
    wechat_unionid: Mapped[str | None] = mapped_column(sa.String(64), default=None)
    session_key_enc: Mapped[str | None] = mapped_column(sa.String(255), default=None)
    phone: Mapped[str | None] = mapped_column(sa.String(20), default=None)
    real_name: Mapped[str | None] = mapped_column(sa.String(64), default=None)
    id_card_enc: Mapped[str | None] = mapped_column(sa.String(255), default=None)
    # keyed hash of the ID number: one person across several accounts
    id_card_hash: Mapped[str | None] = mapped_column(sa.String(64), index=True, default=None)
    # where subsidies are paid: the account number encrypted like the ID number
    bank_account_enc: Mapped[str | None] = mapped_column(sa.String(255), default=None)
    bank_name: Mapped[str | None] = mapped_column(sa.String(64), default=None)

    # admins: the region they govern; villagers: where they live
    region_code: Mapped[str | None] = mapped_column(
        sa.ForeignKey("regions.code"), index=True, default=None
    )
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)

    membership = relationship("ShopMember", uselist=False, lazy="joined", viewonly=True)

    @property
    def shop_id(self) -> int | None:
        return self.membership.shop_id if self.membership else None


class AuthToken(db.Model):
    """A bearer token, stored only as its SHA-256 so a database leak yields no sessions."""

    __tablename__ = "auth_tokens"

    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class SmsLoginCode(db.Model):
    """One login code sent to one phone; `slot` (the minute it was sent in) is unique per phone,
    so simultaneous requests for the same phone send one message, not many."""

    __tablename__ = "sms_login_codes"
    __table_args__ = (sa.UniqueConstraint("phone_hash", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phone_hash: Mapped[str] = mapped_column(sa.String(64))  # led by the unique constraint
    slot: Mapped[int] = mapped_column(sa.BigInteger)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    used_at: Mapped[datetime | None] = mapped_column(default=None)


# What an officer may see in full, each showing logged: personal_data_access.field
PERSONAL_FIELDS = ("phone", "id_card_no", "bank_account")


class PersonalDataAccess(db.Model):
    """Every time an officer sees a person's full phone, ID number or bank account: who,
    whose, which, why and when (PIPL). Written in the same transaction as the showing."""

    __tablename__ = "personal_data_access"

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    subject_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), default=None)
    field: Mapped[str] = mapped_column(sa.String(20))  # one of PERSONAL_FIELDS
    # the officer's stated purpose (reveals), or the fixed one of an export
    purpose: Mapped[str] = mapped_column(sa.String(200))
    detail: Mapped[str | None] = mapped_column(sa.String(255), default=None)  # the record
    at: Mapped[datetime] = mapped_column(default=utcnow)
