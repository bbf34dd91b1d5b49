"""Text messages to phones: Tencent Cloud SMS (tencentcloud-sdk-python-sms) or a dev mode.

`sms_gateway()` answers the gateway for this app:
- `TencentSms` when the TENCENT_SMS_* settings and the templates are configured: the signature
  (签名) and one approved template per message come from config, numbers go out as +86…;
- `DevSms` in development and tests: nothing goes to the network, the message (phone masked)
  goes to the log and back to the caller, so the H5 login and notifications work without one;
- production without a provider raises SmsUnavailable (the login answers 503 sms_unavailable,
  notifications fall back to the in-app list).

Both send login codes (urgent, always) and notification templates; the caller decides about
quiet hours, opt-outs and caps (app/notifications/services.py). Phones are never logged in full.
"""

from __future__ import annotations

import logging

from flask import current_app

from app.core.crypto import mask_phone

log = logging.getLogger(__name__)


class SmsUnavailable(Exception):
    """No provider configured, or the provider refused: nothing was sent."""


class SmsError(Exception):
    """The provider refused one message. `kind` says what it means for the message:
    opted_out (the number replied TD: the provider's blacklist), bad_phone, capped (the
    provider's per-number limits), bad_template (signature, template or values refused:
    needs an operator), retry (busy, rate limited, network: try again later)."""

    def __init__(self, kind: str, code: str, message: str = "") -> None:
        self.kind = kind
        self.code = code
        super().__init__(f"sms {kind}: {code} {message}".strip())


# Tencent Cloud SMS error codes (SendStatusSet[].Code or the API error), by meaning.
_OPTED_OUT = {"FailedOperation.PhoneNumberInBlacklist"}
_BAD_PHONE = {"InvalidParameterValue.IncorrectPhoneNumber", "FailedOperation.PhoneNumberParseFail",
              "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber"}
_CAPPED = {"LimitExceeded.PhoneNumberDailyLimit", "LimitExceeded.PhoneNumberSameContentDailyLimit",
           "LimitExceeded.DailyLimit"}
_RETRY_PREFIXES = ("InternalError", "RequestLimitExceeded", "LimitExceeded.PhoneNumberOneHourLimit",
                   "LimitExceeded.PhoneNumberThirtySecondLimit", "ClientNetworkError",
                   "ServerNetworkError", "ConnectionError", "ReadTimeout", "ConnectTimeout",
                   "Timeout", "ProxyError", "SSLError")


def classify(code: str) -> str:
    if code in _OPTED_OUT:
        return "opted_out"
    if code in _BAD_PHONE:
        return "bad_phone"
    if code in _CAPPED:
        return "capped"
    if code.startswith(_RETRY_PREFIXES):
        return "retry"
    return "bad_template"


class DevSms:
    """No network: the message is logged with the phone masked. Never used in production."""

    live = False

    def send_login_code(self, phone: str, code: str, minutes: int) -> None:
        log.info("dev SMS to %s: login code %s, valid %d minutes", mask_phone(phone), code,
                 minutes)

    def send_template(self, phone: str, template_id: str, params: list[str], *,
                      context: str = "") -> dict:
        log.info("dev SMS to %s: template %s params %s", mask_phone(phone), template_id, params)
        return {"serial_no": None, "dev": True}


class TencentSms:
    """Tencent Cloud SMS API 2021-01-11 (SendSms) through the official SDK."""

    live = True

    def __init__(self, cfg) -> None:
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import sms_client

        http = HttpProfile(endpoint="sms.tencentcloudapi.com", reqTimeout=10)
        cred = credential.Credential(cfg["TENCENT_SMS_SECRET_ID"], cfg["TENCENT_SMS_SECRET_KEY"])
        self.client = sms_client.SmsClient(cred, cfg["TENCENT_SMS_REGION"],
                                           ClientProfile(httpProfile=http))
        self.app_id = cfg["TENCENT_SMS_SDK_APP_ID"]
        self.sign_name = cfg["TENCENT_SMS_SIGN_NAME"]
        self.templates = cfg["SMS_TEMPLATES"]

    def send_login_code(self, phone: str, code: str, minutes: int) -> None:
        try:
            self.send_template(phone, self.templates["login_code"], [code, str(minutes)])
        except SmsError as exc:
            raise SmsUnavailable(str(exc)) from exc

    def send_template(self, phone: str, template_id: str, params: list[str], *,
                      context: str = "") -> dict:
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
            TencentCloudSDKException,
        )
        from tencentcloud.sms.v20210111 import models

        request = models.SendSmsRequest()
        request.SmsSdkAppId = self.app_id
        request.SignName = self.sign_name
        request.TemplateId = template_id
        request.TemplateParamSet = list(params)
        request.PhoneNumberSet = ["+86" + phone]
        request.SessionContext = context
        try:
            response = self.client.SendSms(request)
        except TencentCloudSDKException as exc:
            code = exc.get_code() or "ClientNetworkError"
            log.warning("sms to %s refused: %s", mask_phone(phone), code)
            raise SmsError(classify(code), code) from None
        status = (response.SendStatusSet or [None])[0]
        if status is None or status.Code != "Ok":
            code = getattr(status, "Code", None) or "InternalError.EmptyAnswer"
            log.warning("sms to %s refused: %s", mask_phone(phone), code)
            raise SmsError(classify(code), code)
        return {"serial_no": status.SerialNo}


def sms_configured(cfg) -> bool:
    return all(cfg.get(name) for name in ("TENCENT_SMS_SECRET_ID", "TENCENT_SMS_SECRET_KEY",
                                          "TENCENT_SMS_SDK_APP_ID", "TENCENT_SMS_SIGN_NAME"))


def sms_gateway() -> DevSms | TencentSms:
    cfg = current_app.config
    if sms_configured(cfg) and (cfg.get("SMS_TEMPLATES") or {}).get("login_code"):
        return TencentSms(cfg)
    if cfg.get("LVJIAN_ENV") == "production":
        # Never the dev mode in production: no provider means nothing is sent.
        raise SmsUnavailable("no SMS provider configured")
    return DevSms()
