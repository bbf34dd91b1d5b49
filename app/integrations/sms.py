"""Text messages to phones: a network-free dev mode now, a real provider with notifications.

`sms_gateway()` answers the gateway for this app. In development and tests it is `DevSms`: the
message goes to the log (phone masked) and the login code back to the caller, so the H5 login
works with no provider. A real provider (Aliyun/Tencent SMS) plugs in behind the same two
methods; until one is configured, production refuses to send (the caller answers 503).
"""

from __future__ import annotations

import logging

from flask import current_app

from app.core.crypto import mask_phone

log = logging.getLogger(__name__)


class SmsUnavailable(Exception):
    """No provider configured, or the provider refused: nothing was sent."""


class DevSms:
    """No network: the message is logged with the phone masked. Never used in production."""

    live = False

    def send_login_code(self, phone: str, code: str, minutes: int) -> None:
        log.info("dev SMS to %s: login code %s, valid %d minutes", mask_phone(phone), code,
                 minutes)


def sms_gateway() -> DevSms:
    if current_app.config.get("LVJIAN_ENV") == "production":
        # The provider arrives with the notifications issue (16); never the dev mode here.
        raise SmsUnavailable("no SMS provider configured")
    return DevSms()
