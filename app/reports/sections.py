"""What the summary reports: its sections and their figures, with the Chinese headings."""

from __future__ import annotations

from dataclasses import dataclass

COUNT, FEN, AVERAGE = "count", "fen", "average"


@dataclass(frozen=True)
class Figure:
    name: str
    heading: str
    kind: str = COUNT  # COUNT and FEN add up over regions; AVERAGE is derived from sums


@dataclass(frozen=True)
class Section:
    name: str
    title: str  # also the name of its sheet in the workbook
    figures: tuple[Figure, ...]


SECTIONS: tuple[Section, ...] = (
    Section("expos", "展销会", (
        Figure("held", "举办展销会（场）"),
        Figure("registrations", "报名人数"),
        Figure("admissions", "入场人数"),
        Figure("waitlisted", "候补人数"),
    )),
    Section("merchants", "商家与商品", (
        Figure("shops_approved", "参与商家（家）"),
        Figure("products_listed", "上架商品（件）"),
        Figure("products_certified", "持有效认证"),
        Figure("products_local_list", "列入本地清单"),
        Figure("products_eligible", "符合活动条件"),
        Figure("products_negative_listed", "列入负面清单"),
    )),
    Section("promotions", "促销与优惠券", (
        Figure("promotions", "促销活动（个）"),
        Figure("coupon_templates", "优惠券（种）"),
        Figure("coupons_issued", "发放数量（张）"),
        Figure("coupons_claimed", "领取（张）"),
        Figure("coupons_redeemed", "核销（张）"),
        Figure("discount_fen", "让利金额（元）", FEN),
        Figure("order_amount_fen", "核销订单金额（元）", FEN),
    )),
    Section("subsidies", "财政补贴", (
        Figure("claims", "补贴申请（件）"),
        Figure("claims_rejected", "驳回（件）"),
        Figure("reserved_fen", "待审核预留金额（元）", FEN),
        Figure("approved_fen", "批准金额（元，含已发放）", FEN),
        Figure("disbursed_fen", "已发放金额（元）", FEN),
        Figure("programs", "补贴项目（个）"),
        Figure("budget_fen", "项目预算（元）", FEN),
        Figure("remaining_fen", "剩余预算（元）", FEN),
    )),
    Section("complaints", "投诉处理", (
        Figure("received", "收到投诉（件）"),
        Figure("declined", "不予受理"),
        Figure("overdue", "逾期未办结"),
        Figure("resolved", "办结（件）"),
        Figure("handling_workdays", "办结用时合计（工作日）"),
        Figure("avg_handling_workdays", "平均办结用时（工作日）", AVERAGE),
        Figure("rated", "评价（件）"),
        Figure("rating_total", "评分合计"),
        Figure("avg_satisfaction", "平均满意度（1-5）", AVERAGE),
    )),
    Section("notifications", "消息通知", (
        Figure("notifications", "通知（条）"),
        Figure("sent", "已送达"),
        Figure("sent_wechat", "其中订阅消息"),
        Figure("sent_sms", "其中短信"),
        Figure("sent_inapp", "其中仅站内"),
        Figure("failed", "发送失败"),
        Figure("skipped", "未发送（已跳过）"),
        Figure("pending", "待发送"),
    )),
)

# An average and the (sum, count) it is derived from; rounded to these decimals.
AVERAGES = {"avg_handling_workdays": ("handling_workdays", "resolved", 1),
            "avg_satisfaction": ("rating_total", "rated", 2)}


def empty() -> dict[str, dict[str, int | float | None]]:
    return {s.name: {f.name: (None if f.kind == AVERAGE else 0) for f in s.figures}
            for s in SECTIONS}
