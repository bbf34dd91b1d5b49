"""Phone + SMS code login for the H5 storefront: codes expire, are single-use, rate-limited per
phone (enforced by the database, also under concurrent requests) and die after a few wrong tries.

Codes are stored only as keyed hashes, phones only as keyed lookup hashes: a database leak gives
neither. The villager logged in is the one whose account has this phone (the same person as in
the mini-program once they bound it there); a new phone makes a new villager.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

import sqlalchemy as sa

from app.accounts.models import SmsLoginCode, User
from app.core import auth, crypto
from app.core.db import utcnow
from app.core.errors import ApiError
from app.core.hooks import keep_even_if_refused
from app.extensions import db
from app.integrations.sms import SmsUnavailable, sms_gateway

CODE_TTL = timedelta(minutes=5)
RESEND_AFTER = timedelta(seconds=60)
DAILY_LIMIT = 10  # codes per phone in any 24 hours
MAX_ATTEMPTS = 5  # wrong tries before a code dies


def _code_hash(phone: str, code: str) -> str:
    return crypto.lookup_hash(f"sms-login:{phone}:{code}")


def _too_soon(seconds: int) -> ApiError:
    return ApiError(429, "sms_rate_limited", f"验证码发送太频繁，请 {seconds} 秒后再试",
                    retry_after=seconds)


def send_code(phone: str) -> dict:
    """Send a fresh code; earlier unused codes for the phone stop working."""
    try:
        gateway = sms_gateway()
    except SmsUnavailable as exc:
        raise ApiError(503, "sms_unavailable", "短信服务暂未开通，请使用微信小程序登录") from exc
    phone_hash = crypto.lookup_hash(phone)
    now = utcnow()
    recent = db.session.scalars(
        sa.select(SmsLoginCode.created_at).where(SmsLoginCode.phone_hash == phone_hash,
                                                 SmsLoginCode.created_at > now - timedelta(days=1))
        .order_by(SmsLoginCode.created_at.desc())).all()
    if recent and now - recent[0] < RESEND_AFTER:
        raise _too_soon(max(1, int((RESEND_AFTER - (now - recent[0])).total_seconds())))
    if len(recent) >= DAILY_LIMIT:
        raise ApiError(429, "sms_rate_limited", "今天获取验证码的次数已用完，请明天再试",
                       retry_after=int((recent[-1] + timedelta(days=1) - now).total_seconds()) + 1)
    code = f"{secrets.randbelow(10**6):06d}"
    try:
        with db.session.begin_nested():
            db.session.execute(
                sa.update(SmsLoginCode)
                .where(SmsLoginCode.phone_hash == phone_hash, SmsLoginCode.used_at.is_(None))
                .values(used_at=now))
            db.session.add(SmsLoginCode(phone_hash=phone_hash, slot=int(now.timestamp()) // 60,
                                        code_hash=_code_hash(phone, code), created_at=now,
                                        expires_at=now + CODE_TTL))
    except sa.exc.IntegrityError:
        raise _too_soon(int(RESEND_AFTER.total_seconds())) from None
    try:
        gateway.send_login_code(phone, code, int(CODE_TTL.total_seconds()) // 60)
    except SmsUnavailable as exc:  # the provider refused: the code row rolls back with this
        raise ApiError(503, "sms_unavailable",
                       "短信发送失败，请稍后再试或使用微信小程序登录") from exc
    answer = {"sent": True, "phone": crypto.mask_phone(phone),
              "expires_in": int(CODE_TTL.total_seconds()),
              "resend_after": int(RESEND_AFTER.total_seconds())}
    if not gateway.live:
        answer["dev_code"] = code
    return answer


def _refuse(error: ApiError) -> ApiError:
    # A wrong try must count even though the request fails: the boundary commits it.
    keep_even_if_refused()
    return error


def login(phone: str, code: str) -> tuple[User, bool]:
    """Check the code (once), then the villager with this phone, made on first login."""
    invalid = ApiError(401, "sms_code_invalid", "验证码不正确或已过期，请重新获取")
    phone_hash = crypto.lookup_hash(phone)
    now = utcnow()
    current = db.session.scalars(
        sa.select(SmsLoginCode).where(SmsLoginCode.phone_hash == phone_hash,
                                      SmsLoginCode.used_at.is_(None),
                                      SmsLoginCode.expires_at > now)
        .order_by(SmsLoginCode.id.desc()).limit(1)).first()
    if current is None:
        raise invalid
    if not hmac.compare_digest(current.code_hash, _code_hash(phone, code)):
        tries = db.session.execute(
            sa.update(SmsLoginCode).where(SmsLoginCode.id == current.id)
            .values(attempts=SmsLoginCode.attempts + 1)
            .returning(SmsLoginCode.attempts)).scalar_one()
        if tries >= MAX_ATTEMPTS:
            db.session.execute(sa.update(SmsLoginCode).where(SmsLoginCode.id == current.id)
                               .values(used_at=now))
            raise _refuse(ApiError(429, "sms_code_attempts", "验证码错误次数太多，请重新获取"))
        raise _refuse(invalid)
    # Single use: of simultaneous logins with the same code, one wins.
    won = db.session.execute(
        sa.update(SmsLoginCode)
        .where(SmsLoginCode.id == current.id, SmsLoginCode.used_at.is_(None))
        .values(used_at=now)).rowcount
    if won != 1:
        raise invalid
    return _villager_with_phone(phone)


def _villager_with_phone(phone: str) -> tuple[User, bool]:
    user = db.session.scalars(
        sa.select(User).where(User.phone == phone, User.role == auth.VILLAGER)
        .order_by(User.id).limit(1)).first()
    if user is not None:
        if not user.is_active:
            raise ApiError(401, "account_disabled", "账号已停用")
        return user, False
    user = User(role=auth.VILLAGER, phone=phone, nickname="村民" + phone[-4:], is_active=True)
    db.session.add(user)
    db.session.flush()
    return user, True
