"""The app under benchmark: wsgi:app (production config) with WeChat answered in-process."""

from __future__ import annotations

import secrets

from app.accounts import services
from app.integrations.wechat import WeChatError, WxSession
from wsgi import app

CODE_PREFIX = "bench-"


class StubMiniProgram:
    """What code2session answers for the bench's login codes, without the network.

    Production never runs the dev login (`dev-<name>`), so the login scenario goes through
    the live path with this in WeChat's place: the app's own work is what is measured.
    """

    live = True

    def code_to_session(self, code: str) -> WxSession:
        if not code.startswith(CODE_PREFIX):
            raise WeChatError(40029, "invalid code")
        return WxSession(openid=f"bench-openid-{code.removeprefix(CODE_PREFIX)}",
                         session_key=secrets.token_hex(12))

    def phone_number(self, code: str) -> str:
        raise WeChatError(40029, "no phone numbers in the benchmarks")


services.mini_program = StubMiniProgram

__all__ = ["app"]
