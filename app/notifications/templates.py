"""What each event says: WeChat subscribe-message values (cut to WeChat's field rules), the
page it opens, and the SMS template parameters. Everything the villager reads is Chinese.

Field keys (thing1, time2, ...) are those of the templates picked from WeChat's public library
for each event; the template ids themselves come from config (WECHAT_TMPL_<KIND>).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from app.core.db import CHINA

# ---- WeChat's value rules (subscribeMessage.send) -----------------------------------------

_HAN = re.compile(r"[\u4e00-\u9fff]")
_NOT_ASCII_PRINTABLE = re.compile(r"[^\x21-\x7e]")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def thing(value) -> str:
    """thing: up to 20 characters of any kind."""
    return _cut(str(value or "").strip(), 20) or "—"


def phrase(value) -> str:
    """phrase: up to 5 Chinese characters, nothing else."""
    return "".join(_HAN.findall(str(value or "")))[:5] or "通知"


def character_string(value) -> str:
    """character_string: up to 32 letters, digits and symbols (no spaces, no Chinese)."""
    return _NOT_ASCII_PRINTABLE.sub("", str(value or ""))[:32] or "-"


def amount(fen: int | None) -> str:
    """amount: digits (10 at most) with decimals, may end in 元."""
    return f"{(fen or 0) / 100:.2f}元"


def time(value) -> str:
    """time: 24-hour China time, e.g. 2026年12月2日 09:00."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    moment = moment.astimezone(CHINA)
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


def sms_param(value, limit: int = 20) -> str:
    """An SMS template variable: plain text, short (providers cap variable length)."""
    return _cut(re.sub(r"\s+", " ", str(value or "")).strip(), limit) or "-"


def short_time(value) -> str:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    moment = moment.astimezone(CHINA)
    return f"{moment.month}月{moment.day}日{moment:%H:%M}"


# ---- the events ----------------------------------------------------------------------------

COMPLAINT_STATUS = {"submitted": "已提交", "accepted": "已受理", "awaiting_merchant": "商家处理",
                    "merchant_responded": "商家已答复", "mediated": "调解中",
                    "declined": "不予受理", "resolved": "已办结", "closed": "已关闭"}


@dataclass(frozen=True)
class Message:
    wechat: dict[str, str]  # field key → value, already cut to the rules
    page: str
    sms: list[str]


def render(kind: str, data: dict) -> Message | None:
    """The message for an event, or None for kinds that stay in the in-app list only."""
    fn = RENDERERS.get(kind)
    return fn(data) if fn else None


def _expo_reminder(d: dict) -> Message:
    # 活动开始提醒: 活动名称 / 开始时间 / 活动地点 / 温馨提示
    return Message(
        wechat={"thing1": thing(d.get("title")), "time2": time(d["starts_at"]),
                "thing3": thing(d.get("venue")), "thing4": thing("明天开展，请凭电子票按时入场")},
        page=f"pages/expo/ticket?id={d.get('ticket_id', '')}",
        sms=[sms_param(d.get("title")), short_time(d["starts_at"]), sms_param(d.get("venue"))])


def _waitlist_promoted(d: dict) -> Message:
    # 候补成功通知: 活动名称 / 候补结果 / 温馨提示
    return Message(
        wechat={"thing1": thing(d.get("title")), "phrase2": phrase("候补成功"),
                "thing3": thing("您已获得入场名额，请按时参加")},
        page=f"pages/expo/ticket?id={d.get('ticket_id', '')}",
        sms=[sms_param(d.get("title"))])


def _subsidy_decided(d: dict) -> Message:
    # 审核结果通知: 审核结果 / 补贴金额 / 备注
    result = "审核通过" if d.get("approved") else "未通过"
    note = d.get("note") or ("补贴将按批次发放" if d.get("approved") else "详情请在小程序中查看")
    return Message(
        wechat={"phrase1": phrase(result), "amount2": amount(d.get("amount_fen")),
                "thing3": thing(note)},
        page=f"pages/subsidy/claim?id={d.get('claim_id', '')}",
        sms=[result, f"{(d.get('amount_fen') or 0) / 100:.2f}"])


def _complaint_updated(d: dict) -> Message:
    # 投诉处理进度通知: 受理编号 / 处理状态 / 温馨提示
    status = COMPLAINT_STATUS.get(d.get("status"), "有新进展")
    return Message(
        wechat={"character_string1": character_string(d.get("tracking_no")),
                "phrase2": phrase(status), "thing3": thing("您的投诉有新进展，请查看详情")},
        page=f"pages/complaint/detail?id={d.get('complaint_id', '')}",
        sms=[sms_param(d.get("tracking_no"), 32), sms_param(status)])


def _coupon_expiring(d: dict) -> Message:
    # 优惠券到期提醒: 优惠券名称 / 到期时间 / 温馨提示
    return Message(
        wechat={"thing1": thing(d.get("title")), "time2": time(d["valid_until"]),
                "thing3": thing("优惠券明天到期，请尽快使用")},
        page=f"pages/coupon/detail?id={d.get('coupon_id', '')}",
        sms=[sms_param(d.get("title")), short_time(d["valid_until"])])


RENDERERS = {"expo_reminder": _expo_reminder, "waitlist_promoted": _waitlist_promoted,
             "subsidy_decided": _subsidy_decided, "complaint_updated": _complaint_updated,
             "coupon_expiring": _coupon_expiring}

# What the SMS templates say (to file with the provider; {n} are the parameters above).
SMS_TEXTS = {
    "login_code": "您的登录验证码为{1}，{2}分钟内有效。如非本人操作请忽略。",
    "expo_reminder": "您报名的{1}将于{2}在{3}开展，请凭电子票入场。回复TD退订",
    "waitlist_promoted": "您候补的{1}已获得入场名额，请在小程序查看电子票。回复TD退订",
    "subsidy_decided": "您的绿色建材补贴申请{1}，金额{2}元，详情请在小程序查看。回复TD退订",
    "complaint_updated": "您的投诉（编号{1}）当前状态：{2}，详情请在小程序查看。回复TD退订",
    "coupon_expiring": "您的优惠券{1}将于{2}到期，请尽快使用。回复TD退订",
}
