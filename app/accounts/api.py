"""Console auth (merchant, expo staff, admin) and admins' user lists."""

from __future__ import annotations

from flask import current_app, request

from app.accounts import services
from app.accounts.models import User
from app.accounts.schemas import (
    AdminUserListArgs,
    AdminUserPage,
    AdminUserSchema,
    ConsoleLoginArgs,
    ConsoleLoginResult,
    ConsoleUserSchema,
)
from app.core import auth
from app.core.errors import not_found
from app.core.openapi import Blueprint
from app.core.pagination import paginate
from app.extensions import db, limiter

blp = Blueprint("console-auth", __name__, url_prefix="/api/v1",
                description="控制台登录：商家、工作人员、管理员")


def _login_username() -> str:
    body = request.get_json(silent=True)
    username = body.get("username") if isinstance(body, dict) else None
    return f"login:{str(username or '').strip().lower()[:64]}"


def _failed(response) -> bool:
    return response.status_code == 401


@blp.route("/auth/login", methods=["POST"])
@limiter.limit("5 per 15 minutes", key_func=_login_username, deduct_when=_failed,
               error_message="登录失败次数过多，请 15 分钟后再试")
@limiter.limit("30 per 15 minutes", deduct_when=_failed)
@blp.arguments(ConsoleLoginArgs)
@blp.response(200, ConsoleLoginResult)
def console_login(args):
    """Log in with username and password; repeated failures are throttled."""
    user, token = services.console_login(args["username"], args["password"])
    return {"token": token, "user": user, "expires_in": current_app.config["TOKEN_TTL_SECONDS"]}


@blp.route("/auth/logout", methods=["POST"])
@auth.auth_required()
@blp.response(204)
def console_logout():
    """Revoke the token this request carries."""
    services.revoke_token(auth.bearer_token())


@blp.route("/me")
@auth.auth_required(*auth.CONSOLE_ROLES)
@blp.response(200, ConsoleUserSchema)
def console_me():
    return auth.current_user()


@blp.route("/admin/users")
@auth.auth_required(auth.ADMIN)
@blp.arguments(AdminUserListArgs, location="query")
@blp.response(200, AdminUserPage)
def admin_list_users(args):
    """Users in the admin's region (or a sub-region of it)."""
    region = args.get("region_code") or auth.current_user().region_code
    auth.require_region(region)
    stmt = services.users_in_region(region, role=args.get("role"))
    return paginate(stmt, User.id, limit=args["limit"], cursor=args["cursor"])


@blp.route("/admin/users/<int:user_id>")
@auth.auth_required(auth.ADMIN)
@blp.response(200, AdminUserSchema)
def admin_get_user(user_id):
    user = db.session.get(User, user_id)
    if user is None or not auth.in_region(user.region_code):
        raise not_found()
    return user
