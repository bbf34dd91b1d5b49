"""Villager login with the mini-program code, phone binding, logout."""

from __future__ import annotations

from flask import current_app, request

from app.accounts import services, sms_login
from app.accounts.schemas import (
    SmsCodeArgs,
    SmsCodeSent,
    SmsLoginArgs,
    VillagerSchema,
    WechatCodeArgs,
    WechatLoginResult,
)
from app.core import auth
from app.core.openapi import Blueprint
from app.extensions import limiter

blp = Blueprint("mp-auth", __name__, url_prefix="/api/mp/v1/auth", description="村民登录")


def _login_code() -> str:
    body = request.get_json(silent=True)
    code = body.get("code") if isinstance(body, dict) else None
    return str(code or "")[:128]


@blp.route("/wechat-login", methods=["POST"])
@limiter.limit("2000 per minute")  # per address: a ceiling only, a whole township shares one
@limiter.limit("10 per minute", key_func=lambda: f"wx-code:{_login_code()}")
@blp.arguments(WechatCodeArgs)
@blp.response(200, WechatLoginResult)
def wechat_login(args):
    """Log in with the code from wx.login (dev mode: `dev-<name>`)."""
    user, token, is_new = services.wechat_login(args["code"])
    return {"token": token, "user": user, "is_new": is_new,
            "expires_in": current_app.config["TOKEN_TTL_SECONDS"]}


def _sms_phone() -> str:
    body = request.get_json(silent=True)
    phone = body.get("phone") if isinstance(body, dict) else None
    return f"sms-phone:{str(phone or '')[:20]}"


@blp.route("/sms-code", methods=["POST"])
@limiter.limit("60 per minute")  # per address: a ceiling only, a township shares one
@blp.arguments(SmsCodeArgs)
@blp.response(200, SmsCodeSent)
def sms_code(args):
    """Send a login code to the phone (H5 login); dev mode answers it as `dev_code`.

    One code per phone per minute and ten a day; a new code retires the earlier ones.
    """
    return sms_login.send_code(args["phone"])


@blp.route("/sms-login", methods=["POST"])
@limiter.limit("2000 per minute")
@limiter.limit("30 per 10 minutes", key_func=_sms_phone)
@blp.arguments(SmsLoginArgs)
@blp.response(200, WechatLoginResult)
def sms_login_(args):
    """Log in with the phone and its code: the villager with that phone (made on first login).

    Codes last five minutes, work once, and die after five wrong tries.
    """
    user, is_new = sms_login.login(args["phone"], args["code"])
    return {"token": services.issue_token(user), "user": user, "is_new": is_new,
            "expires_in": current_app.config["TOKEN_TTL_SECONDS"]}


@blp.route("/phone", methods=["POST"])
@auth.auth_required(auth.VILLAGER)
@blp.arguments(WechatCodeArgs)
@blp.response(200, VillagerSchema)
def bind_phone(args):
    """Bind the phone number from getPhoneNumber; it comes back masked."""
    return services.bind_phone(auth.current_user(), args["code"])


@blp.route("/logout", methods=["POST"])
@auth.auth_required()
@blp.response(204)
def logout():
    services.revoke_token(auth.bearer_token())
