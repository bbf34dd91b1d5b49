"""Issue 16: notifications reach villagers by WeChat subscribe message, SMS or the in-app list.

WeChat's and Tencent Cloud SMS's HTTP APIs are mocked with `responses`: these tests check the
exact requests each receives, consent credits, fallbacks, refusals, quiet hours, opt-out,
the daily cap, retries and idempotency.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
import responses
import sqlalchemy as sa

from app.core.db import CHINA, utcnow
from app.extensions import db
from app.notifications import services
from app.notifications.models import Notification, SmsOptOut, WechatSubscription
from app.notifications.services import deliver_notification, notify

WX_TOKEN = "https://api.weixin.qq.com/cgi-bin/token"
WX_SEND = "https://api.weixin.qq.com/cgi-bin/message/subscribe/send"
SMS_URL = "https://sms.tencentcloudapi.com/"
PHONE = "13812345678"


# ---- fixtures ---------------------------------------------------------------------------------

class Clock:
    def __init__(self) -> None:
        # 10:00 China time, a few days ahead of today: outside quiet hours, in the future
        day = utcnow().astimezone(CHINA).date() + timedelta(days=3)
        self.now = datetime(day.year, day.month, day.day, 10, 0, tzinfo=CHINA)

    def set(self, hour: int, minute: int = 0, *, days: int = 0) -> None:
        base = self.now.astimezone(CHINA)
        self.now = datetime(base.year, base.month, base.day, hour, minute,
                            tzinfo=CHINA) + timedelta(days=days)

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(services, "utcnow", lambda: clock.now)
    return clock


@pytest.fixture
def inline(app, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_INLINE", True)


@pytest.fixture
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def live_wechat(app, monkeypatch, mocked):
    monkeypatch.setitem(app.config, "WECHAT_APP_ID", "wx0123456789abcdef")
    monkeypatch.setitem(app.config, "WECHAT_APP_SECRET", "0123456789abcdef0123456789abcdef")
    mocked.get(WX_TOKEN, json={"access_token": "TOKEN", "expires_in": 7200})
    return mocked


@pytest.fixture
def live_sms(app, monkeypatch, mocked):
    for name, value in {"TENCENT_SMS_SECRET_ID": "AKIDtest", "TENCENT_SMS_SECRET_KEY": "secret",
                        "TENCENT_SMS_SDK_APP_ID": "1400000000",
                        "TENCENT_SMS_SIGN_NAME": "绿建下乡"}.items():
        monkeypatch.setitem(app.config, name, value)
    return mocked


def sms_ok(mocked, times: int = 1) -> None:
    for _ in range(times):
        mocked.post(SMS_URL, json={"Response": {"SendStatusSet": [{
            "SerialNo": "2640:1234567890", "PhoneNumber": "+86" + PHONE, "Fee": 1,
            "SessionContext": "", "Code": "Ok", "Message": "send success", "IsoCode": "CN"}],
            "RequestId": "req-1"}})


def sms_status(mocked, code: str) -> None:
    mocked.post(SMS_URL, json={"Response": {"SendStatusSet": [{
        "SerialNo": "", "PhoneNumber": "+86" + PHONE, "Fee": 0, "SessionContext": "",
        "Code": code, "Message": code, "IsoCode": "CN"}], "RequestId": "req-2"}})


def sms_api_error(mocked, code: str) -> None:
    mocked.post(SMS_URL, json={"Response": {"Error": {"Code": code, "Message": code},
                                            "RequestId": "req-3"}})


def wx_answer(mocked, errcode: int = 0, errmsg: str = "ok") -> None:
    mocked.post(WX_SEND, json={"errcode": errcode, "errmsg": errmsg})


def calls(mocked, url: str) -> list:
    return [call for call in mocked.calls if call.request.url.split("?")[0] == url]


def body(call) -> dict:
    return json.loads(call.request.body)


def villager(make, *, phone: str | None = PHONE, name: str | None = None):
    user = make.villager(name, region_code="410105001")
    user.phone = phone
    db.session.commit()
    return user


def grant(user, kind: str, credits: int = 1) -> None:
    db.session.add(WechatSubscription(user_id=user.id, template_id=f"dev-tmpl-{kind}",
                                      credits=credits))
    db.session.commit()


def credits(user, kind: str) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(WechatSubscription.credits).where(
        WechatSubscription.user_id == user.id,
        WechatSubscription.template_id == f"dev-tmpl-{kind}")) or 0


def row(notification_id: int) -> Notification:
    db.session.expire_all()
    return db.session.get(Notification, notification_id)


def send(user, kind: str, data: dict) -> Notification:
    notification = notify(user, kind, data)
    db.session.commit()  # inline delivery runs after the commit
    return row(notification.id)


# ---- the events: exact requests ---------------------------------------------------------------

STARTS = "2026-12-05T09:00:00+08:00"
EVENTS = {
    "expo_reminder": (
        {"expo_id": 1, "ticket_id": 11, "title": "经八路街道绿色建材下乡展销会（冬季专场）活动",
         "starts_at": STARTS, "venue": "经八路街道文化广场"},
        {"thing1": "经八路街道绿色建材下乡展销会（冬季专场…", "time2": "2026年12月5日 09:00",
         "thing3": "经八路街道文化广场", "thing4": "明天开展，请凭电子票按时入场"},
        "pages/expo/ticket?id=11",
        ["经八路街道绿色建材下乡展销会（冬季专场…", "12月5日09:00", "经八路街道文化广场"]),
    "waitlist_promoted": (
        {"expo_id": 1, "ticket_id": 12, "title": "金水区展销会"},
        {"thing1": "金水区展销会", "phrase2": "候补成功", "thing3": "您已获得入场名额，请按时参加"},
        "pages/expo/ticket?id=12", ["金水区展销会"]),
    "subsidy_decided": (
        {"claim_id": 5, "approved": True, "amount_fen": 123456, "note": None},
        {"phrase1": "审核通过", "amount2": "1234.56元", "thing3": "补贴将按批次发放"},
        "pages/subsidy/claim?id=5", ["审核通过", "1234.56"]),
    "complaint_updated": (
        {"complaint_id": 9, "tracking_no": "TS20261201-0009", "status": "awaiting_merchant"},
        {"character_string1": "TS20261201-0009", "phrase2": "商家处理",
         "thing3": "您的投诉有新进展，请查看详情"},
        "pages/complaint/detail?id=9", ["TS20261201-0009", "商家处理"]),
    "coupon_expiring": (
        {"coupon_id": 77, "title": "瓷砖满1000减100", "valid_until": "2026-12-06T23:59:00+08:00"},
        {"thing1": "瓷砖满1000减100", "time2": "2026年12月6日 23:59",
         "thing3": "优惠券明天到期，请尽快使用"},
        "pages/coupon/detail?id=77", ["瓷砖满1000减100", "12月6日23:59"]),
}


@pytest.mark.parametrize("kind", list(EVENTS))
def test_each_event_as_a_subscribe_message(app, make, inline, clock, live_wechat, kind):
    data, values, page, _ = EVENTS[kind]
    user = villager(make)
    grant(user, kind)
    wx_answer(live_wechat)
    sent = send(user, kind, data)
    (call,) = calls(live_wechat, WX_SEND)
    assert call.request.url == WX_SEND + "?access_token=TOKEN"
    assert body(call) == {"touser": user.wechat_openid, "template_id": f"dev-tmpl-{kind}",
                          "page": page, "data": {k: {"value": v} for k, v in values.items()}}
    assert (sent.status, sent.channel, sent.attempts) == ("sent", "wechat", 1)
    assert credits(user, kind) == 0  # the acceptance is used up
    assert sent.payload["wechat"]["data"] == values and "dev" not in sent.payload


@pytest.mark.parametrize("kind", list(EVENTS))
def test_each_event_as_an_sms_without_consent(app, make, inline, clock, live_wechat, live_sms,
                                              kind):
    data, _, _, params = EVENTS[kind]
    user = villager(make)
    sms_ok(live_sms)
    sent = send(user, kind, data)
    assert calls(live_wechat, WX_SEND) == []  # no credit: no subscribe message
    (call,) = calls(live_sms, SMS_URL)
    assert call.request.headers["X-TC-Action"] == "SendSms"
    assert call.request.headers["X-TC-Version"] == "2021-01-11"
    assert call.request.headers["X-TC-Region"] == "ap-guangzhou"
    assert body(call) == {"PhoneNumberSet": ["+86" + PHONE], "SmsSdkAppId": "1400000000",
                          "SignName": "绿建下乡", "TemplateId": f"dev-sms-{kind}",
                          "TemplateParamSet": params, "SessionContext": f"n{sent.id}"}
    assert (sent.status, sent.channel) == ("sent", "sms")
    assert sent.last_error == "no_consent"
    assert sent.payload["sms"]["phone"] == "138****5678"  # never the full number


def test_values_are_cut_to_wechat_rules():
    from app.notifications import templates

    assert len(templates.thing("一" * 40)) == 20
    assert templates.phrase("已受理 ok 123 很好的") == "已受理很好"
    assert templates.character_string("编号 TS-1 二") == "TS-1"
    assert templates.amount(100) == "1.00元"
    assert templates.thing("") == "—"


# ---- consent credits --------------------------------------------------------------------------

def test_a_credit_is_used_once_then_sms(app, make, inline, clock, live_wechat, live_sms):
    user = villager(make)
    grant(user, "subsidy_decided")
    wx_answer(live_wechat)
    sms_ok(live_sms)
    first = send(user, "subsidy_decided", EVENTS["subsidy_decided"][0])
    second = send(user, "subsidy_decided", EVENTS["subsidy_decided"][0])
    assert (first.channel, second.channel) == ("wechat", "sms")
    assert len(calls(live_wechat, WX_SEND)) == 1 and len(calls(live_sms, SMS_URL)) == 1


def test_no_credit_no_phone_stays_in_app(app, make, inline, clock, live_wechat):
    user = villager(make, phone=None)
    sent = send(user, "waitlist_promoted", EVENTS["waitlist_promoted"][0])
    assert (sent.status, sent.channel, sent.last_error) == ("sent", "inapp", "no_consent,no_phone")
    assert live_wechat.calls == [] or calls(live_wechat, WX_SEND) == []


def test_subscriptions_endpoint_records_credits(client, make, live_wechat):
    user = villager(make)
    headers = make.headers(user)
    answer = client.post("/api/mp/v1/me/subscriptions", headers=headers,
                         json={"template_ids": ["dev-tmpl-expo_reminder",
                                                "dev-tmpl-coupon_expiring"]})
    assert answer.status_code == 200, answer.json
    held = {item["kind"]: item["credits"] for item in answer.json["items"]}
    assert held["expo_reminder"] == 1 and held["coupon_expiring"] == 1
    assert held["subsidy_decided"] == 0
    again = client.post("/api/mp/v1/me/subscriptions", headers=headers,
                        json={"template_ids": ["dev-tmpl-expo_reminder"]})
    assert {i["kind"]: i["credits"] for i in again.json["items"]}["expo_reminder"] == 2
    listed = client.get("/api/mp/v1/me/subscriptions", headers=headers)
    assert {i["kind"]: i["credits"] for i in listed.json["items"]}["expo_reminder"] == 2
    unknown = client.post("/api/mp/v1/me/subscriptions", headers=headers,
                          json={"template_ids": ["someone-elses"]})
    assert unknown.status_code == 422 and unknown.json["error"] == "unknown_template"
    assert client.post("/api/mp/v1/me/subscriptions", json={"template_ids": ["x"]}
                       ).status_code == 401


def test_subscriptions_post_is_idempotent(client, make):
    user = villager(make)
    headers = {**make.headers(user), "Idempotency-Key": "accept-1"}
    for _ in range(2):
        answer = client.post("/api/mp/v1/me/subscriptions", headers=headers,
                             json={"template_ids": ["dev-tmpl-expo_reminder"]})
        assert answer.status_code == 200
    assert credits(user, "expo_reminder") == 1  # one acceptance, one credit


# ---- WeChat's answers -------------------------------------------------------------------------

def test_refused_43101_drops_the_credits_and_falls_back_to_sms(app, make, inline, clock,
                                                               live_wechat, live_sms):
    user = villager(make)
    grant(user, "complaint_updated", credits=3)
    wx_answer(live_wechat, 43101, "user refuse to accept the msg")
    sms_ok(live_sms)
    sent = send(user, "complaint_updated", EVENTS["complaint_updated"][0])
    assert (sent.status, sent.channel) == ("sent", "sms")
    assert sent.last_error == "wechat_refused:43101"
    assert credits(user, "complaint_updated") == 0  # the acceptance is gone at WeChat
    # later messages of that kind go by SMS straight away
    sms_ok(live_sms)
    assert send(user, "complaint_updated", EVENTS["complaint_updated"][0]).channel == "sms"
    assert len(calls(live_wechat, WX_SEND)) == 1


def test_invalid_openid_40003_falls_back_to_sms(app, make, inline, clock, live_wechat,
                                                live_sms):
    user = villager(make)
    grant(user, "coupon_expiring")
    wx_answer(live_wechat, 40003, "invalid openid")
    sms_ok(live_sms)
    sent = send(user, "coupon_expiring", EVENTS["coupon_expiring"][0])
    assert (sent.channel, sent.last_error) == ("sms", "wechat_bad_user:40003")


def test_bad_data_47003_refunds_the_credit_and_fails_without_sms(app, make, inline, clock,
                                                                 live_wechat):
    user = villager(make, phone=None)
    grant(user, "expo_reminder")
    wx_answer(live_wechat, 47003, "argument invalid! data.thing1.value invalid")
    sent = send(user, "expo_reminder", EVENTS["expo_reminder"][0])
    assert sent.status == "failed" and sent.channel == "wechat"
    assert "wechat_bad_data:47003" in sent.last_error
    assert credits(user, "expo_reminder") == 1  # WeChat sent nothing: the consent stays


def test_rate_limit_is_retried_then_sent_once(app, make, inline, clock, live_wechat):
    user = villager(make, phone=None)
    grant(user, "waitlist_promoted")
    wx_answer(live_wechat, 45011, "api minute-quota reach limit")
    sent = send(user, "waitlist_promoted", EVENTS["waitlist_promoted"][0])
    assert (sent.status, sent.attempts, sent.last_error) == ("pending", 1, "wechat_retry:45011")
    assert sent.not_before == clock.now + timedelta(seconds=10)
    assert credits(user, "waitlist_promoted") == 1  # refunded for the next try
    assert deliver_notification(sent.id) == "skipped"  # not before the backoff
    live_wechat.replace(responses.POST, WX_SEND, json={"errcode": 0, "errmsg": "ok"})
    clock.advance(seconds=11)
    assert deliver_notification(sent.id) == "sent"
    done = row(sent.id)
    assert (done.status, done.channel, done.attempts) == ("sent", "wechat", 2)
    assert credits(user, "waitlist_promoted") == 0
    assert len(calls(live_wechat, WX_SEND)) == 2


# ---- SMS rules --------------------------------------------------------------------------------

def test_quiet_hours_a_reminder_at_22_waits_until_8(app, make, inline, clock, live_sms, runner):
    clock.set(22)
    user = villager(make)
    sms_ok(live_sms)
    waiting = send(user, "expo_reminder", EVENTS["expo_reminder"][0])
    assert calls(live_sms, SMS_URL) == []
    assert (waiting.status, waiting.last_error, waiting.attempts) == ("pending", "quiet_hours", 0)
    morning = clock.now.astimezone(CHINA).date() + timedelta(days=1)
    assert waiting.not_before == datetime(morning.year, morning.month, morning.day, 8,
                                          tzinfo=CHINA)
    clock.set(7, 50, days=1)
    assert "notifications due=0" in runner.invoke(args=["jobs", "tick"]).output
    assert calls(live_sms, SMS_URL) == []
    clock.set(8, 0)
    assert "notifications due=1" in runner.invoke(args=["jobs", "tick"]).output
    done = row(waiting.id)
    assert (done.status, done.channel, done.attempts) == ("sent", "sms", 1)
    assert len(calls(live_sms, SMS_URL)) == 1


def test_quiet_hours_do_not_hold_a_subscribe_message(app, make, inline, clock, live_wechat):
    clock.set(23)
    user = villager(make)
    grant(user, "subsidy_decided")
    wx_answer(live_wechat)
    assert send(user, "subsidy_decided", EVENTS["subsidy_decided"][0]).channel == "wechat"


def test_login_codes_are_urgent_and_go_through_tencent(app, client, make, clock, live_sms):
    clock.set(23, 30)  # quiet hours do not apply to login codes
    sms_ok(live_sms)
    answer = client.post("/api/mp/v1/auth/sms-code", json={"phone": PHONE})
    assert answer.status_code in (200, 201), answer.json
    assert "dev_code" not in answer.json and answer.json["phone"] == "138****5678"
    (call,) = calls(live_sms, SMS_URL)
    sent = body(call)
    assert sent["TemplateId"] == "dev-sms-login_code" and sent["SignName"] == "绿建下乡"
    assert sent["PhoneNumberSet"] == ["+86" + PHONE]
    assert len(sent["TemplateParamSet"][0]) == 6 and sent["TemplateParamSet"][1] == "5"


def test_login_code_refused_by_the_provider_is_503(app, client, make, live_sms):
    sms_api_error(live_sms, "FailedOperation.InsufficientBalanceInSmsPackage")
    answer = client.post("/api/mp/v1/auth/sms-code", json={"phone": PHONE})
    assert answer.status_code == 503 and answer.json["error"] == "sms_unavailable"


def test_profile_switch_opts_out_of_sms(app, client, make, inline, clock, live_sms):
    user = villager(make)
    headers = make.headers(user)
    off = client.put("/api/mp/v1/me/notification-settings", headers=headers,
                     json={"sms_enabled": False})
    assert off.status_code == 200 and off.json["sms_enabled"] is False
    assert off.json["phone"] == "138****5678"
    sent = send(user, "subsidy_decided", EVENTS["subsidy_decided"][0])
    assert (sent.channel, sent.last_error) == ("inapp", "no_consent,sms_opted_out")
    assert calls(live_sms, SMS_URL) == []
    on = client.put("/api/mp/v1/me/notification-settings", headers=headers,
                    json={"sms_enabled": True})
    assert on.json["sms_enabled"] is True
    sms_ok(live_sms)
    assert send(user, "subsidy_decided", EVENTS["subsidy_decided"][0]).channel == "sms"
    no_phone = make.villager()
    answer = client.put("/api/mp/v1/me/notification-settings", headers=make.headers(no_phone),
                        json={"sms_enabled": False})
    assert answer.status_code == 409 and answer.json["error"] == "phone_required"


def test_td_reply_opts_out(app, client, make, inline, clock, live_sms, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_CALLBACK_TOKEN", "cb-secret-123")
    user = villager(make)
    assert client.post("/api/v1/callbacks/tencent-sms/replies/wrong", json=[]).status_code == 404
    answer = client.post("/api/v1/callbacks/tencent-sms/replies/cb-secret-123", json=[
        {"extend": "", "mobile": PHONE, "nationcode": "86", "sign": "绿建下乡", "text": "TD",
         "time": 1764583200}])
    assert answer.status_code == 200 and answer.json == {"result": 0, "errmsg": "OK"}
    sent = send(user, "coupon_expiring", EVENTS["coupon_expiring"][0])
    assert sent.last_error == "no_consent,sms_opted_out" and calls(live_sms, SMS_URL) == []


def test_provider_blacklist_records_the_opt_out(app, make, inline, clock, live_sms):
    user = villager(make)
    sms_status(live_sms, "FailedOperation.PhoneNumberInBlacklist")
    sent = send(user, "coupon_expiring", EVENTS["coupon_expiring"][0])
    assert (sent.status, sent.channel) == ("sent", "inapp")
    assert "sms_opted_out:FailedOperation.PhoneNumberInBlacklist" in sent.last_error
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SmsOptOut)) == 1


def test_daily_cap_per_phone(app, make, inline, clock, live_sms, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_DAILY_CAP", 2)
    user = villager(make)
    sms_ok(live_sms, times=3)
    channels = [send(user, "complaint_updated", EVENTS["complaint_updated"][0]).channel
                for _ in range(3)]
    assert channels == ["sms", "sms", "inapp"]
    assert len(calls(live_sms, SMS_URL)) == 2
    capped = db.session.scalars(sa.select(Notification).order_by(Notification.id.desc())).first()
    assert capped.last_error == "no_consent,sms_daily_cap"
    clock.set(10, days=1)  # a new China day
    assert send(user, "complaint_updated", EVENTS["complaint_updated"][0]).channel == "sms"


# ---- retries and idempotency -----------------------------------------------------------------

def test_retry_then_success(app, make, inline, clock, live_sms):
    user = villager(make)
    sms_api_error(live_sms, "InternalError.Timeout")
    sent = send(user, "subsidy_decided", EVENTS["subsidy_decided"][0])
    assert (sent.status, sent.attempts) == ("pending", 1)
    assert sent.last_error == "sms_retry:InternalError.Timeout"
    live_sms.replace(responses.POST, SMS_URL, json={"Response": {"SendStatusSet": [{
        "SerialNo": "s", "PhoneNumber": "+86" + PHONE, "Fee": 1, "SessionContext": "",
        "Code": "Ok", "Message": "send success", "IsoCode": "CN"}], "RequestId": "r"}})
    clock.advance(seconds=10)
    assert deliver_notification(sent.id) == "sent"
    assert deliver_notification(sent.id) == "skipped"
    assert len(calls(live_sms, SMS_URL)) == 2
    assert (row(sent.id).status, row(sent.id).attempts) == ("sent", 2)


def test_retry_then_terminal_failure(app, make, inline, clock, live_sms, runner):
    user = villager(make)
    sms_api_error(live_sms, "RequestLimitExceeded")
    sent = send(user, "subsidy_decided", EVENTS["subsidy_decided"][0])
    waits = []
    for _ in range(3):
        waiting = row(sent.id)
        assert waiting.status == "pending"
        waits.append(waiting.not_before - clock.now)
        clock.now = waiting.not_before
        runner.invoke(args=["jobs", "tick"])  # sends what is due
    assert waits == [timedelta(seconds=10), timedelta(seconds=60), timedelta(seconds=300)]
    failed = row(sent.id)
    assert failed.status == "failed" and failed.attempts == 4
    assert failed.last_error == "sms_retry:RequestLimitExceeded after 4 attempts"
    assert len(calls(live_sms, SMS_URL)) == 4
    runner.invoke(args=["jobs", "retry"])
    assert len(calls(live_sms, SMS_URL)) == 4  # terminal: never again


def test_bad_template_fails_terminally(app, make, inline, clock, live_sms):
    user = villager(make)
    sms_status(live_sms, "FailedOperation.TemplateIncorrectOrUnapproved")
    sent = send(user, "subsidy_decided", EVENTS["subsidy_decided"][0])
    assert sent.status == "failed" and sent.channel == "sms"
    assert sent.last_error == ("no_consent,"
                               "sms_bad_template:FailedOperation.TemplateIncorrectOrUnapproved")


def test_a_job_run_twice_sends_once(app, make, clock, live_wechat):
    user = villager(make)
    grant(user, "subsidy_decided", credits=5)
    wx_answer(live_wechat)
    queued = Notification(user_id=user.id, kind="subsidy_decided",
                          data=EVENTS["subsidy_decided"][0])
    db.session.add(queued)
    db.session.commit()
    assert [deliver_notification(queued.id), deliver_notification(queued.id)] == ["sent",
                                                                                  "skipped"]
    assert len(calls(live_wechat, WX_SEND)) == 1
    assert credits(user, "subsidy_decided") == 4


def test_a_row_left_sending_is_never_sent_again(app, make, inline, clock, live_sms, runner):
    user = villager(make)
    stuck = Notification(user_id=user.id, kind="subsidy_decided",
                         data=EVENTS["subsidy_decided"][0], status="sending",
                         claimed_at=clock.now - timedelta(minutes=20), attempts=1)
    db.session.add(stuck)
    db.session.commit()
    assert deliver_notification(stuck.id) == "skipped"
    assert "stale=1" in runner.invoke(args=["jobs", "tick"]).output
    failed = row(stuck.id)
    assert failed.status == "failed" and failed.last_error.startswith("outcome_unknown")
    assert calls(live_sms, SMS_URL) == []


def test_closed_account_is_skipped(app, make, inline, clock, live_sms):
    user = villager(make)
    user.is_active = False
    db.session.commit()
    sent = send(user, "coupon_expiring", EVENTS["coupon_expiring"][0])
    assert (sent.status, sent.channel, sent.last_error) == ("skipped", "none", "user_inactive")
    assert calls(live_sms, SMS_URL) == []


# ---- dev mode ---------------------------------------------------------------------------------

def test_dev_mode_sends_nothing_and_shows_what_would_go(app, make, inline, clock, mocked,
                                                        caplog):
    caplog.set_level("INFO")
    user = villager(make)
    grant(user, "expo_reminder")
    by_wechat = send(user, "expo_reminder", EVENTS["expo_reminder"][0])
    by_sms = send(user, "coupon_expiring", EVENTS["coupon_expiring"][0])
    assert [call.request.url for call in mocked.calls] == []  # nothing reached any network
    assert by_wechat.channel == "wechat" and by_wechat.payload["dev"] is True
    assert by_wechat.payload["wechat"]["data"]["thing4"] == "明天开展，请凭电子票按时入场"
    assert by_sms.channel == "sms" and by_sms.payload["dev"] is True
    assert by_sms.payload["sms"] == {"template_id": "dev-sms-coupon_expiring",
                                     "params": ["瓷砖满1000减100", "12月6日23:59"],
                                     "phone": "138****5678"}
    assert "dev WeChat subscribe message" in caplog.text and "dev SMS to 138****5678" in caplog.text
    assert PHONE not in caplog.text


def test_a_bug_before_sending_gives_the_row_back(app, make, clock, live_sms, monkeypatch):
    user = villager(make)
    queued = Notification(user_id=user.id, kind="subsidy_decided",
                          data=EVENTS["subsidy_decided"][0])
    db.session.add(queued)
    db.session.commit()

    def broken(kind, data):
        raise RuntimeError("template bug")

    monkeypatch.setattr(services, "render", broken)
    with pytest.raises(RuntimeError):
        deliver_notification(queued.id)
    back = row(queued.id)
    assert (back.status, back.attempts, back.last_error) == ("pending", 1,
                                                             "internal:RuntimeError")
    assert calls(live_sms, SMS_URL) == []
