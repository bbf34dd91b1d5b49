"""Bearer-token authentication, roles, region scope and ownership checks."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import g, request
from flask_smorest.utils import deepupdate

from app.core import regions
from app.core.errors import ApiError, forbidden, not_found

VILLAGER = "villager"
MERCHANT_OWNER = "merchant_owner"
MERCHANT_STAFF = "merchant_staff"
EXPO_STAFF = "expo_staff"
ADMIN = "admin"
ROLES = (VILLAGER, MERCHANT_OWNER, MERCHANT_STAFF, EXPO_STAFF, ADMIN)
CONSOLE_ROLES = (MERCHANT_OWNER, MERCHANT_STAFF, EXPO_STAFF, ADMIN)
MERCHANT_ROLES = (MERCHANT_OWNER, MERCHANT_STAFF)

# Resolves a raw bearer token to a user, or raises ApiError(401). Set by app.accounts.
_token_resolver: Callable[[str], Any] | None = None


def token_resolver(fn: Callable[[str], Any]) -> Callable[[str], Any]:
    global _token_resolver
    _token_resolver = fn
    return fn


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def current_user() -> Any:
    """The authenticated user of this request (auth_required guarantees one)."""
    if "current_user" not in g:
        token = bearer_token()
        if token is None:
            raise ApiError(401, "token_missing", "请先登录")
        assert _token_resolver is not None, "no token resolver registered"
        g.current_user = _token_resolver(token)
    return g.current_user


def rate_limit_key() -> str:
    """Whom a rate limit counts: the signed-in user, else the client address.

    Hundreds of villagers at a township expo share one carrier address (CGNAT): once
    signed in, each has a budget of their own.
    """
    token = bearer_token()
    if token is not None and _token_resolver is not None:
        try:  # not current_user(): limits are checked before the request's own auth
            return f"user:{_token_resolver(token).id}"
        except ApiError:
            pass
    return f"ip:{request.remote_addr or '-'}"


def auth_required(*roles: str) -> Callable:
    """Authenticate the request and check the role; documents bearer auth in OpenAPI."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = current_user()
            if roles and user.role not in roles:
                raise forbidden("role_not_allowed", "当前账号无权使用此功能")
            return view(*args, **kwargs)

        wrapper._apidoc = deepupdate(
            dict(getattr(wrapper, "_apidoc", {})),
            {"manual_doc": {"security": [{"bearerAuth": []}]}},
        )
        return wrapper

    return decorator


def require_region(code: str | None, user: Any = None) -> None:
    """An admin may act only inside its region (prefix match on codes)."""
    user = user or current_user()
    if user.role != ADMIN or not user.region_code or not regions.within(user.region_code, code):
        raise forbidden("region_out_of_scope", "不在您的管辖区域内")


def in_region(code: str | None, user: Any = None) -> bool:
    user = user or current_user()
    return user.role == ADMIN and bool(user.region_code) and regions.within(user.region_code, code)


def require_shop(shop_id: int, user: Any = None) -> None:
    """A merchant owner or staff may act only for its own shop."""
    user = user or current_user()
    if user.role not in MERCHANT_ROLES or user.shop_id != shop_id:
        raise forbidden("not_your_shop", "只能管理本店铺的数据")


def require_owner(owner_id: int, user: Any = None) -> None:
    """A villager sees only its own records; others get 404 so nothing leaks."""
    user = user or current_user()
    if user.id != owner_id:
        raise not_found()
