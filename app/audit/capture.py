"""What the audit trail records: a declarative table of the models officers act on."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

# An action: a static code, or one computed from the row ({column: value}); None skips the row.
Action = str | Callable[[Mapping[str, Any]], str | None]


@dataclass(frozen=True)
class Watch:
    """How one table's rows become audit entries.

    Paths (`region`, subject ids) read a column of the row, then follow ids into other
    tables: "shop_id>shops.region_code" is the region of the shop the row points at.
    """

    subject: str  # subject_type
    label: str  # the subject in the summary, formatted with the row's columns
    region: tuple[str, ...] = ()  # the subject's region: the first path with a value
    inserted: Action | None = None
    # column → action on any change, or {new value: action}; "old>new" keys win over "new"
    changed: Mapping[str, str | Mapping[str, str]] = field(default_factory=dict)
    deleted: str | None = None  # by the ORM, or a statement that pins its rows by equality
    subject_id: str = "id"  # the column holding the subject's id
    note: tuple[str, ...] = ()  # columns whose text (a reason) ends the summary
    note_label: str = "说明"  # what that text is called there
    detail: tuple[str, ...] = ()  # columns copied into the detail (never secrets)
    # The column naming the officer who acted: such rows are recorded whoever's request (or
    # command) wrote them. Without it, only what an officer's request writes is recorded.
    actor: str | None = None
    collapse: bool = False  # one entry per flush and action, with the count (imports)
    words: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # codes → Chinese


def _purpose_action(row: Mapping[str, Any]) -> str:
    # Exports log a fixed purpose code ("subsidy_payment_export"); reveals the officer's words.
    purpose = str(row.get("purpose") or "")
    return "personal_data.exported" if purpose.endswith("_export") else "personal_data.revealed"


COMPLAINT_ACTIONS = {
    "accept": "complaint.accepted", "decline": "complaint.declined",
    "ask_merchant": "complaint.forwarded", "mediate": "complaint.mediated",
    "resolve": "complaint.resolved", "close": "complaint.closed",
    "transfer": "complaint.transferred", "negative_list": "complaint.negative_listed",
}
CLAIM_ACTIONS = {"approved": "subsidy_claim.approved", "rejected": "subsidy_claim.rejected",
                 "disbursed": "subsidy_claim.disbursed"}

EXPO_EDITABLE = ("title", "description", "venue", "latitude", "longitude", "starts_at",
                 "ends_at", "registration_opens_at", "registration_closes_at", "capacity")
PROGRAM_EDITABLE = ("title", "category_ids", "rate_bp", "cap_per_item_fen",
                    "cap_per_person_fen", "starts_on", "ends_on")
EXPO_REGION = "expo_id>expos.organiser_region_code"
SHOP_REGION = "shop_id>shops.region_code"

# Keyed by table name, so a model may move between modules without this table changing.
WATCHES: dict[str, Watch] = {
    "shops": Watch(
        "shop", "店铺「{name}」", ("region_code",),
        changed={"status": {"approved": "shop.approved", "suspended>approved": "shop.reinstated",
                            "rejected": "shop.rejected", "suspended": "shop.suspended"}},
        note=("decision_note",), detail=("status", "decision_note")),
    "products": Watch(
        "product", "商品「{name}」", (SHOP_REGION,),
        changed={"status": {"listed": "product.approved", "rejected": "product.rejected",
                            "delisted": "product.delisted"}},
        note=("review_note",), detail=("shop_id", "status", "review_note", "certificate_id")),
    "dealer_authorisations": Watch(
        "dealer_authorisation", "经销授权 #{id}（店铺 #{shop_id}，企业 #{enterprise_id}）",
        (SHOP_REGION,),
        changed={"status": {"approved": "dealer_authorisation.approved",
                            "rejected": "dealer_authorisation.rejected",
                            "revoked": "dealer_authorisation.revoked"}},
        note=("decision_note",),
        detail=("shop_id", "enterprise_id", "document_no", "status", "decision_note")),
    "certificates": Watch(
        "certificate", "证书 {number}", ("enterprise_id>enterprises.region_code",),
        inserted="certificate.imported",
        changed={c: "certificate.updated" for c in ("status", "category_id", "expires_on",
                                                    "issued_on", "star", "product_name")},
        detail=("number", "status"), collapse=True),
    "local_list_entries": Watch(
        "local_list_entry", "本地清单记录 #{id}（商品 #{product_id}）", ("region_code",),
        inserted="local_list.added", changed={"removed_at": "local_list.removed"},
        detail=("product_id", "region_code", "requirement", "valid_from", "valid_until")),
    "negative_list_entries": Watch(
        "negative_list_entry", "负面清单记录 #{id}",
        ("product_id>products.shop_id>shops.region_code", "enterprise_id>enterprises.region_code"),
        inserted="negative_list.added", changed={"lifted_at": "negative_list.lifted"},
        note=("lift_reason", "reason"), note_label="原因",
        detail=("product_id", "enterprise_id", "reason", "source_complaint_id", "lift_reason")),
    "expos": Watch(
        "expo", "展会「{title}」", ("organiser_region_code",), inserted="expo.created",
        changed={"status": {"published": "expo.published", "cancelled": "expo.cancelled"},
                 **{c: "expo.updated" for c in EXPO_EDITABLE}},
        detail=("township_code", "status", "starts_at", "capacity")),
    "expo_staff": Watch(
        "expo", "展会 #{expo_id} 的工作人员 #{user_id}", (EXPO_REGION,),
        inserted="expo_staff.assigned", deleted="expo_staff.removed", subject_id="expo_id",
        detail=("user_id",)),
    "expo_booths": Watch(
        "expo_booth", "展位申请 #{id}（展会 #{expo_id}，店铺 #{shop_id}）", (EXPO_REGION,),
        changed={"status": {"approved": "expo_booth.approved", "rejected": "expo_booth.rejected"}},
        note=("note",), detail=("expo_id", "shop_id", "booth_no", "note")),
    "expo_tickets": Watch(
        "expo_ticket", "门票 #{id}（展会 #{expo_id}）", (EXPO_REGION,),
        changed={"status": {"revoked": "expo_ticket.revoked"}}, detail=("expo_id", "user_id")),
    "promotions": Watch(
        "promotion", "促销「{title}」", (SHOP_REGION,),
        changed={"status": {"suspended": "promotion.suspended"}},
        note=("suspended_reason",), note_label="原因", detail=("shop_id", "suspended_reason")),
    "subsidy_programs": Watch(
        "subsidy_program", "补贴项目「{title}」", ("region_code",),
        inserted="subsidy_program.created",
        changed={"status": {"closed": "subsidy_program.closed",
                            "open": "subsidy_program.reopened"},
                 **{c: "subsidy_program.updated" for c in PROGRAM_EDITABLE}},
        detail=("region_code", "budget_fen", "rate_bp", "cap_per_item_fen",
                "cap_per_person_fen", "starts_on", "ends_on")),
    # The ledger's top-ups; its other movements follow claims, recorded as claim events.
    "budget_movements": Watch(
        "subsidy_program", "补贴项目 #{program_id}", ("program_id>subsidy_programs.region_code",),
        inserted=lambda row: "subsidy_program.topped_up" if row["kind"] == "top_up" else None,
        subject_id="program_id", note=("note",), detail=("amount_fen", "note")),
    "subsidy_claim_events": Watch(
        "subsidy_claim", "补贴申请 #{claim_id}",
        ("claim_id>subsidy_claims.program_id>subsidy_programs.region_code",),
        inserted=lambda row: CLAIM_ACTIONS.get(row["status"]), subject_id="claim_id",
        note=("note",), detail=("status", "note")),
    "complaint_events": Watch(
        "complaint", "投诉 #{complaint_id}", ("complaint_id>complaints.region_code",),
        inserted=lambda row: COMPLAINT_ACTIONS.get(row["action"], f"complaint.{row['action']}"),
        subject_id="complaint_id", note=("note",),
        detail=("action", "from_status", "to_status", "note")),
    "open311_keys": Watch(
        "open311_key", "Open311 密钥「{name}」", ("region_code",), inserted="open311_key.issued",
        changed={"revoked_at": "open311_key.revoked"},
        detail=("name", "key_prefix", "region_code")),
    "search_synonyms": Watch(
        "search_synonym", "搜索同义词「{term}」→「{canonical}」", inserted="search_synonym.added",
        deleted="search_synonym.removed", detail=("term", "canonical")),
    "holidays": Watch(
        "holiday", "{day}（{name}）", inserted="holiday.set", deleted="holiday.removed",
        changed={"name": "holiday.set", "is_workday": "holiday.set"}, subject_id="day",
        detail=("name", "is_workday")),
    "users": Watch(
        "user", "账号 #{id}（{username}）", ("region_code",),
        inserted=lambda row: None if row["role"] == "villager" else "user.created",
        changed={"role": "user.updated", "is_active": "user.updated",
                 "admin_duties": "user.updated", "region_code": "user.updated",
                 "password_hash": "user.password_changed"},
        detail=("username", "role", "region_code", "is_active", "admin_duties")),
    "personal_data_access": Watch(
        "user", "用户 #{subject_user_id} 的{field}", ("subject_user_id>users.region_code",),
        inserted=_purpose_action, subject_id="subject_user_id", actor="officer_id",
        note=("purpose",), note_label="用途", detail=("field", "purpose", "detail"),
        words={"field": {"phone": "手机号", "id_card_no": "身份证号", "bank_account": "银行账号"}}),
}


@dataclass(frozen=True)
class Export:
    """A download by an officer (a response sent as an attachment), keyed by its URL rule."""

    action: str
    subject: str
    subject_arg: str | None = None  # the view argument naming the subject
    region: str | None = None  # path from the subject's id: "expos.organiser_region_code"
    headers: Mapping[str, str] = field(default_factory=dict)  # detail key → response header
    region_arg: str | None = None  # the query argument naming the region (default: the officer's)


EXPORTS: dict[str, Export] = {
    "/api/v1/admin/expos/<int:expo_id>/attendees.csv": Export(
        "expo_attendees.exported", "expo", "expo_id", "expos.organiser_region_code"),
    "/api/v1/admin/expos/<int:expo_id>/attendees.xlsx": Export(
        "expo_attendees.exported", "expo", "expo_id", "expos.organiser_region_code"),
    "/api/v1/admin/subsidy-programs/<int:program_id>/payment-batches": Export(
        "subsidy_batch.exported", "subsidy_program", "program_id",
        "subsidy_programs.region_code", {"batch_no": "X-Batch-No", "count": "X-Claim-Count"}),
    "/api/v1/admin/reports/summary.xlsx": Export("report.exported", "report",
                                                 region_arg="region"),
    "/api/v1/admin/audit-log.csv": Export("audit_log.exported", "audit_log",
                                          headers={"count": "X-Row-Count"}),
    "/api/v1/admin/audit-log.xlsx": Export("audit_log.exported", "audit_log",
                                           headers={"count": "X-Row-Count"}),
}
# Any other attachment an officer downloads.
OTHER_EXPORT = Export("file.exported", "download")

ACTION_LABELS = {
    "shop.approved": "通过店铺审核", "shop.rejected": "驳回店铺", "shop.suspended": "暂停店铺",
    "shop.reinstated": "恢复店铺",
    "product.approved": "通过商品审核（上架）", "product.rejected": "驳回商品",
    "product.delisted": "下架商品",
    "dealer_authorisation.approved": "核准经销授权",
    "dealer_authorisation.rejected": "驳回经销授权",
    "dealer_authorisation.revoked": "撤销经销授权",
    "certificate.imported": "导入认证证书", "certificate.updated": "更新认证证书",
    "local_list.added": "列入本地清单", "local_list.removed": "移出本地清单",
    "negative_list.added": "列入负面清单", "negative_list.lifted": "解除负面清单",
    "expo.created": "创建展会", "expo.updated": "修改展会", "expo.published": "发布展会",
    "expo.cancelled": "取消展会",
    "expo_staff.assigned": "指派展会工作人员", "expo_staff.removed": "撤回展会工作人员",
    "expo_booth.approved": "通过展位申请", "expo_booth.rejected": "驳回展位申请",
    "expo_ticket.revoked": "作废门票", "expo_attendees.exported": "导出展会名单",
    "promotion.suspended": "暂停促销活动",
    "subsidy_program.created": "创建补贴项目", "subsidy_program.updated": "修改补贴项目",
    "subsidy_program.closed": "关闭补贴项目", "subsidy_program.reopened": "重新开放补贴项目",
    "subsidy_program.topped_up": "追加补贴预算",
    "subsidy_claim.approved": "通过补贴申请", "subsidy_claim.rejected": "驳回补贴申请",
    "subsidy_claim.disbursed": "发放补贴", "subsidy_batch.exported": "导出补贴发放批次",
    "complaint.accepted": "受理投诉", "complaint.declined": "不予受理投诉",
    "complaint.forwarded": "转商家处理投诉", "complaint.mediated": "调解投诉",
    "complaint.resolved": "办结投诉", "complaint.closed": "关闭投诉",
    "complaint.transferred": "转交投诉", "complaint.negative_listed": "投诉转负面清单",
    "open311_key.issued": "签发 Open311 密钥", "open311_key.revoked": "吊销 Open311 密钥",
    "holiday.set": "设置节假日", "holiday.removed": "删除节假日设置",
    "search_synonym.added": "添加搜索同义词", "search_synonym.removed": "删除搜索同义词",
    "user.created": "创建后台账号", "user.updated": "修改后台账号",
    "user.password_changed": "修改账号密码",
    "personal_data.revealed": "查看完整个人信息", "personal_data.exported": "导出完整个人信息",
    "audit_log.exported": "导出审计日志", "report.exported": "导出活动总结",
    "file.exported": "导出文件",
}
SUBJECT_LABELS = {
    "shop": "店铺", "product": "商品", "dealer_authorisation": "经销授权",
    "certificate": "认证证书", "local_list_entry": "本地清单", "negative_list_entry": "负面清单",
    "expo": "展会", "expo_booth": "展位", "expo_ticket": "门票", "promotion": "促销活动",
    "subsidy_program": "补贴项目", "subsidy_claim": "补贴申请", "complaint": "投诉",
    "open311_key": "Open311 密钥", "holiday": "节假日", "user": "用户",
    "search_synonym": "搜索同义词",
    "audit_log": "审计日志", "report": "活动总结", "download": "下载",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)
