"""Audit log filters (China-time dates or datetimes) and the entries as read back."""

from __future__ import annotations

from datetime import date, datetime

from marshmallow import Schema, ValidationError, fields, validate

from app.audit.capture import SUBJECT_LABELS, action_label
from app.core.db import CHINA
from app.core.schemas import EARLIEST, LATEST, PageArgs, StrictSchema, page_of


class ChinaMoment(fields.Field):
    """A day ("2026-12-01") or a moment ("2026-12-01T09:30", China time unless it says
    otherwise); loads as a date or an aware datetime. Bounded here: not a String, whose
    validators would see the date."""

    def __init__(self, **kwargs) -> None:
        kwargs["metadata"] = {"type": "string", **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> date | datetime:
        if not isinstance(value, str) or len(value) > 40:
            raise ValidationError("应为日期（如 2026-12-01）或时间（如 2026-12-01T09:30:00+08:00）")
        text = value.strip()
        try:
            moment = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
        except ValueError:
            raise ValidationError("应为日期（如 2026-12-01）或时间（如 2026-12-01T09:30:00+08:00）"
                                  ) from None
        day = moment.date() if isinstance(moment, datetime) else moment
        if not EARLIEST <= day <= LATEST:
            raise ValidationError(f"日期应在 {EARLIEST.year} 至 {LATEST.year} 年之间")
        if isinstance(moment, datetime) and moment.tzinfo is None:
            moment = moment.replace(tzinfo=CHINA)
        return moment


ACTION_FILTER = r"^[a-z0-9_]+(\.[a-z0-9_]+|\.\*)?$"


class AuditFilterArgs(StrictSchema):
    actor = fields.Integer(validate=validate.Range(min=1, error="应为用户编号"),
                           metadata={"description": "操作人（后台账号）编号"})
    subject_type = fields.String(validate=validate.Length(max=32),
                                 metadata={"description": "对象类型，如 product、complaint"})
    subject_id = fields.String(validate=validate.Length(max=64),
                               metadata={"description": "对象编号（节假日为日期）"})
    action = fields.String(validate=[validate.Length(max=48), validate.Regexp(
        ACTION_FILTER, error="应为操作代码（如 product.approved），或 product.* 表示一类")],
        metadata={"description": "操作代码，如 negative_list.added；product.* 表示商品的全部操作"})
    from_ = ChinaMoment(data_key="from", metadata={
        "description": "起（含）：日期按北京时间当天 0 点，或带时区的时间",
        "example": "2026-12-01"})
    to = ChinaMoment(metadata={
        "description": "止：日期含当天全天，时间含该时刻", "example": "2026-12-31"})


class AuditLogArgs(PageArgs, AuditFilterArgs):
    pass


class AuditEntrySchema(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    actor_id = fields.Integer(allow_none=True)
    actor_role = fields.String()
    actor_name = fields.String()
    actor_region_code = fields.String(allow_none=True)
    action = fields.String(metadata={"example": "product.approved"})
    action_label = fields.Function(lambda e: action_label(e.action),
                                   metadata={"example": "通过商品审核（上架）"})
    subject_type = fields.String()
    subject_label = fields.Function(lambda e: SUBJECT_LABELS.get(e.subject_type, e.subject_type))
    subject_id = fields.String(allow_none=True)
    subject_region_code = fields.String(allow_none=True)
    summary = fields.String(metadata={"description": "中文摘要；手机号、身份证号已打码"})
    detail = fields.Dict(metadata={"description": "操作要素；个人信息已打码"})
    request_id = fields.String(allow_none=True)


AuditEntryPage = page_of(AuditEntrySchema)
