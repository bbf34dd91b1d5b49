"""WeChat mini-program calls through wechatpy (live) or a network-free dev mode."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass

import requests
from flask import current_app
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session.memorystorage import MemoryStorage
from wechatpy.session.redisstorage import RedisStorage

from app.integrations.redis import redis_gateway

log = logging.getLogger(__name__)

# WeChat's error codes we tell apart; everything else is "unavailable".
INVALID_CODE = {40029, 40163, 40125}
RATE_LIMITED = {45011}
USER_BLOCKED = {40226}

# subscribeMessage.send answers, by what they mean for the message:
SUBSCRIBE_REFUSED = {43101}  # the villager has no (more) acceptance for this template
SUBSCRIBE_BAD_USER = {40003}  # the openid is not a user of this mini-program
# the message itself is wrong (values, template, page, sensitive words): WeChat won't take it
SUBSCRIBE_BAD_DATA = {47003, 40037, 41030, 45168, 43107}
# busy or over a quota (daily 45009, per minute 45011, same user at once 43108): later
SUBSCRIBE_RETRY_LATER = {-1, 45009, 45011, 43108}

WECHAT_API_HOST = "https://api.weixin.qq.com/"


class WeChatError(Exception):
    def __init__(self, errcode: int | None, errmsg: str | None) -> None:
        self.errcode = errcode
        self.errmsg = errmsg
        super().__init__(f"wechat error {errcode}: {errmsg}")

    @property
    def kind(self) -> str:
        if self.errcode in INVALID_CODE:
            return "invalid_code"
        if self.errcode in RATE_LIMITED:
            return "rate_limited"
        if self.errcode in USER_BLOCKED:
            return "user_blocked"
        return "unavailable"

    @property
    def subscribe_kind(self) -> str:
        """refused | bad_user | bad_data | retry (transient: busy, rate limits, network)."""
        if self.errcode in SUBSCRIBE_REFUSED:
            return "refused"
        if self.errcode in SUBSCRIBE_BAD_USER:
            return "bad_user"
        if self.errcode in SUBSCRIBE_BAD_DATA:
            return "bad_data"
        return "retry"


@dataclass(frozen=True)
class WxSession:
    openid: str
    session_key: str
    unionid: str | None = None


class DevMiniProgram:
    """No network: `dev-<name>` logs in the stable test villager <name>. Never in production."""

    live = False
    _name = re.compile(r"^dev-([A-Za-z0-9_.-]{1,40})$")
    _phone = re.compile(r"^dev-(1[3-9]\d{9})$")

    def __init__(self) -> None:
        # Production refuses to start without WeChat credentials (config.py); should this
        # still be reached there, it answers as an unavailable WeChat, never logs anyone in.
        if current_app.config.get("LVJIAN_ENV") == "production":
            log.error("dev-mode WeChat login refused: LVJIAN_ENV is production")
            raise WeChatError(None, "dev mode refused in production")

    def code_to_session(self, code: str) -> WxSession:
        match = self._name.match(code)
        if not match:
            raise WeChatError(40029, "invalid code (dev mode expects dev-<name>)")
        return WxSession(openid=f"dev-openid-{match.group(1)}", session_key=secrets.token_hex(12))

    def phone_number(self, code: str) -> str:
        if match := self._phone.match(code):
            return match.group(1)
        if self._name.match(code):
            # A stable made-up number per code, so demos look real.
            digits = int(hashlib.sha256(code.encode()).hexdigest(), 16) % 10**8
            return f"138{digits:08d}"
        raise WeChatError(40029, "invalid code (dev mode expects dev-<phone or name>)")

    def send_subscribe(self, openid: str, template_id: str, data: dict, page: str) -> dict:
        """Sends nothing: logs what would have gone to WeChat (the openid is no contact)."""
        log.info("dev WeChat subscribe message to %s: template %s page %s data %s", openid,
                 template_id, page, data)
        return {"errcode": 0, "errmsg": "ok", "dev": True}

    def warm_up(self) -> None:
        pass


class LiveMiniProgram:
    """The real thing, through wechatpy; the access token is shared through Redis when up."""

    live = True

    def __init__(self, app_id: str, secret: str) -> None:
        client = redis_gateway.client
        storage = RedisStorage(client, prefix="lvjian:wechatpy") if client else MemoryStorage()
        self.client = WeChatClient(app_id, secret, session=storage, timeout=5)
        adapter = _RedirectAdapter(current_app.config.get("WECHAT_API_BASE_URL"),
                                   pool_maxsize=64)
        self.client._http.mount(WECHAT_API_HOST, adapter)

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except WeChatClientException as exc:
            log.warning("wechat call failed: errcode=%s errmsg=%s", exc.errcode, exc.errmsg)
            raise WeChatError(exc.errcode, exc.errmsg) from exc
        except requests.RequestException as exc:
            log.warning("wechat unreachable: %s", exc.__class__.__name__)
            raise WeChatError(None, "network error") from exc

    def code_to_session(self, code: str) -> WxSession:
        data = self._call(self.client.wxa.code_to_session, code)
        return WxSession(openid=data["openid"], session_key=data["session_key"],
                         unionid=data.get("unionid"))

    def phone_number(self, code: str) -> str:
        # wechatpy 1.8 has no wrapper for the phone-number API; its client still does
        # the access-token handling and error mapping.
        data = self._call(self.client.post, "wxa/business/getuserphonenumber",
                          data={"code": code}, api_base_url="https://api.weixin.qq.com/")
        return data["phone_info"]["purePhoneNumber"]

    def send_subscribe(self, openid: str, template_id: str, data: dict, page: str) -> dict:
        """subscribeMessage.send; raises WeChatError (see WeChatError.subscribe_kind)."""
        values = {key: {"value": value} for key, value in data.items()}
        return self._call(self.client.wxa.send_subscribe_message, openid, template_id, values,
                          page=page)

    def warm_up(self) -> None:
        """Fetch the access token once, before many threads would each ask for it."""
        self._call(lambda: self.client.access_token)


class _RedirectAdapter(requests.adapters.HTTPAdapter):
    """Sends api.weixin.qq.com calls to WECHAT_API_BASE_URL when set: bench/fanout.py's
    loopback stand-in (never set in production, config.py). Without it, a pooled adapter."""

    def __init__(self, base_url: str | None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/") + "/" if base_url else None

    def send(self, request, **kwargs):
        if self.base_url and request.url.startswith(WECHAT_API_HOST):
            request.url = self.base_url + request.url[len(WECHAT_API_HOST):]
        return super().send(request, **kwargs)


def wxa_code_unlimited(scene: str, page: str) -> bytes:
    """The mini-program code (小程序码) image for a poster; live mode only."""
    cfg = current_app.config
    program = LiveMiniProgram(cfg["WECHAT_APP_ID"], cfg["WECHAT_APP_SECRET"])
    response = program._call(program.client.wxa.get_wxa_code_unlimited, scene, page=page,
                             width=430)
    content = getattr(response, "content", response)
    if not isinstance(content, bytes) or not content.startswith(b"\x89PNG"):
        raise WeChatError(None, "no image in the answer")
    return content


def mini_program() -> DevMiniProgram | LiveMiniProgram:
    cfg = current_app.config
    if cfg.get("WECHAT_APP_ID") and cfg.get("WECHAT_APP_SECRET"):
        return LiveMiniProgram(cfg["WECHAT_APP_ID"], cfg["WECHAT_APP_SECRET"])
    return DevMiniProgram()
