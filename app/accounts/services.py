"""Logins, tokens and profiles."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from app.accounts import personal_data
from app.accounts.models import AuthToken, User
from app.core import auth, crypto
from app.core.db import utcnow
from app.core.errors import ApiError, unprocessable
from app.core.regions import scope_prefix
from app.core.validators import is_valid_id_card
from app.extensions import db
from app.integrations.wechat import WeChatError, mini_program
from app.regions.models import Region

TOKEN_PREFIX = "lj_"


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(user: User) -> str:
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ttl = timedelta(seconds=current_app.config["TOKEN_TTL_SECONDS"])
    db.session.add(AuthToken(token_hash=_hash_token(raw), user_id=user.id,
                             expires_at=utcnow() + ttl))
    user.last_login_at = utcnow()
    db.session.flush()
    return raw


@auth.token_resolver
def resolve_token(raw: str) -> User:
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        raise ApiError(401, "token_invalid", "登录凭证无效，请重新登录")
    token = db.session.get(AuthToken, _hash_token(raw))
    if token is None or token.revoked_at is not None:
        raise ApiError(401, "token_invalid", "登录凭证无效，请重新登录")
    if token.expires_at <= utcnow():
        raise ApiError(401, "token_expired", "登录已过期，请重新登录")
    if not token.user.is_active:
        raise ApiError(401, "account_disabled", "账号已停用")
    return token.user


def revoke_token(raw: str) -> None:
    db.session.execute(
        sa.update(AuthToken)
        .where(AuthToken.token_hash == _hash_token(raw), AuthToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def _wechat_failure(exc: WeChatError) -> ApiError:
    if exc.kind == "invalid_code":
        return ApiError(401, "wechat_code_invalid", "微信登录凭证无效或已使用，请重新进入小程序")
    if exc.kind == "rate_limited":
        return ApiError(429, "wechat_rate_limited", "微信接口调用过于频繁，请稍后再试")
    if exc.kind == "user_blocked":
        return ApiError(403, "wechat_user_blocked", "该微信账号存在风险，暂时无法登录")
    return ApiError(502, "wechat_unavailable", "微信服务暂时不可用，请稍后再试")


def wechat_login(code: str) -> tuple[User, str, bool]:
    """Log a villager in with a wx.login code; creates the account on first visit."""
    try:
        session = mini_program().code_to_session(code)
    except WeChatError as exc:
        raise _wechat_failure(exc) from exc
    user = db.session.scalar(sa.select(User).where(User.wechat_openid == session.openid))
    is_new = user is None
    if user is None:
        user, is_new = _create_villager(session.openid)
    if not user.is_active:
        raise ApiError(401, "account_disabled", "账号已停用")
    user.wechat_unionid = session.unionid or user.wechat_unionid
    user.session_key_enc = crypto.encrypt(session.session_key)
    return user, issue_token(user), is_new  # one flush for the user and its token


def _create_villager(openid: str) -> tuple[User, bool]:
    """Insert the villager; a simultaneous first login (double tap) may win the race."""
    nickname = openid.removeprefix("dev-openid-") if openid.startswith("dev-openid-") \
        else "村民" + openid[-4:]
    try:
        with db.session.begin_nested():
            user = User(role=auth.VILLAGER, wechat_openid=openid, nickname=nickname,
                        is_active=True)
            db.session.add(user)
        return user, True
    except sa.exc.IntegrityError:
        return db.session.scalars(sa.select(User).where(User.wechat_openid == openid)).one(), False


def bind_phone(user: User, code: str) -> User:
    try:
        user.phone = mini_program().phone_number(code)
    except WeChatError as exc:
        raise _wechat_failure(exc) from exc
    db.session.flush()
    return user


# A real hash to compare against when the username is unknown, so timing tells nothing.
_DUMMY_HASH = generate_password_hash("not-a-password", method="pbkdf2:sha256:1000")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def console_login(username: str, password: str) -> tuple[User, str]:
    user = db.session.scalar(sa.select(User).where(User.username == username.strip().lower()))
    if user is None or user.password_hash is None:
        check_password_hash(_DUMMY_HASH, password)
        raise ApiError(401, "bad_credentials", "用户名或密码错误")
    if not check_password_hash(user.password_hash, password):
        raise ApiError(401, "bad_credentials", "用户名或密码错误")
    if not user.is_active:
        raise ApiError(401, "account_disabled", "账号已停用")
    return user, issue_token(user)


def create_console_user(*, username: str, password: str, role: str, nickname: str = "",
                        region_code: str | None = None, duties: list[str] | None = None) -> User:
    if role not in auth.CONSOLE_ROLES:
        raise unprocessable("invalid_role", "无效的角色", {"role": ["无效的角色"]})
    if role == auth.ADMIN and not region_code:
        raise unprocessable("region_required", "管理员必须指定管辖区域", {"region_code": ["必填"]})
    username = username.strip().lower()
    if db.session.scalar(sa.select(User.id).where(User.username == username)):
        raise ApiError(409, "username_taken", "用户名已被使用")
    user = User(username=username, password_hash=hash_password(password), role=role,
                nickname=nickname or username, region_code=region_code, admin_duties=duties)
    db.session.add(user)
    db.session.flush()
    return user


UNSET = object()  # a field not sent, as against one sent as null


def update_profile(user: User, *, nickname: str | None = None, real_name: str | None = None,
                   id_card_no: str | None = None, region_code: str | None = None,
                   bank_account: str | object | None = UNSET,
                   bank_name: str | None = None) -> User:
    """Everything is checked before anything changes. `bank_account: null` removes the
    account and its bank; an account needs its bank's name (sent or kept)."""
    if id_card_no is not None:
        id_card_no = id_card_no.strip().upper()
        if not is_valid_id_card(id_card_no):
            raise unprocessable("invalid_id_card", "身份证号码有误，请核对",
                                {"id_card_no": ["身份证号码校验未通过"]})
    if region_code is not None and db.session.get(Region, region_code) is None:
        raise unprocessable("unknown_region", "未知的行政区划",
                            {"region_code": ["未知的行政区划代码"]})
    if isinstance(bank_account, str):
        bank_account = personal_data.normalise_bank_account(bank_account)
    bank_name = " ".join(bank_name.split()) if bank_name is not None else None
    keeps_account = bank_account is UNSET and user.bank_account_enc is not None
    if (isinstance(bank_account, str) or keeps_account) and not (bank_name or user.bank_name):
        raise unprocessable("bank_name_required", "请填写开户银行", {"bank_name": ["必填"]})
    if bank_name is not None and bank_account is None:
        raise unprocessable("validation_error", "删除银行账号时请勿同时填写开户银行",
                            {"bank_name": ["删除银行账号时不能填写"]})

    if nickname is not None:
        user.nickname = nickname
    if real_name is not None:
        user.real_name = real_name
    if id_card_no is not None:
        user.id_card_enc = crypto.encrypt(id_card_no)
        user.id_card_hash = crypto.lookup_hash(id_card_no)
    if region_code is not None:
        user.region_code = region_code
    if bank_account is None:
        user.bank_account_enc = user.bank_name = None
    elif bank_account is not UNSET:
        user.bank_account_enc = crypto.encrypt(bank_account)
    if bank_name is not None:
        user.bank_name = bank_name
    db.session.flush()
    return user


def masked_id_card(user: User) -> str | None:
    return crypto.mask_id_card(crypto.decrypt(user.id_card_enc)) if user.id_card_enc else None


def users_in_region(region_code: str, *, role: str | None = None) -> sa.Select:
    """Users whose region lies inside region_code (admins' own lists)."""
    stmt = sa.select(User).where(User.region_code.startswith(scope_prefix(region_code)))
    return stmt.where(User.role == role) if role else stmt
