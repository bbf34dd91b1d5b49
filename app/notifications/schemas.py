"""Notification output; consent, settings and the officers' delivery view."""

from marshmallow import Schema, fields, validate

from app.core.schemas import PageArgs, PageSchema, StrictSchema, label
from config import NOTIFY_KINDS

STATUS_LABELS = {"pending": "待发送", "sending": "发送中", "sent": "已发送",
                 "failed": "发送失败", "skipped": "未发送"}
CHANNEL_LABELS = {"auto": "待定", "wechat": "微信订阅消息", "sms": "短信", "inapp": "小程序内",
                  "none": "无", "log": "小程序内"}


class NotificationSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    data = fields.Dict()
    status = fields.String(metadata={"enum": list(STATUS_LABELS)})
    status_label = label(STATUS_LABELS)
    created_at = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True)


class NotificationPage(PageSchema):
    items = fields.List(fields.Nested(NotificationSchema))


class SubscriptionArgs(StrictSchema):
    template_ids = fields.List(fields.String(validate=validate.Length(min=1, max=64)),
                               required=True, validate=validate.Length(min=1, max=10),
                               metadata={"description": "wx.requestSubscribeMessage 中用户"
                                                        "选择“允许”(accept) 的模板 ID"})


class SubscriptionSchema(Schema):
    kind = fields.String(metadata={"enum": list(NOTIFY_KINDS)})
    template_id = fields.String()
    credits = fields.Integer(metadata={"description": "还可发送的订阅消息条数"})


class SubscriptionList(Schema):
    items = fields.List(fields.Nested(SubscriptionSchema))


class SettingsArgs(StrictSchema):
    sms_enabled = fields.Boolean(required=True)


class SettingsSchema(Schema):
    sms_enabled = fields.Boolean()
    phone = fields.String(allow_none=True, metadata={"description": "已脱敏"})
    subscriptions = fields.List(fields.Nested(SubscriptionSchema))


class AdminNotificationArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(list(STATUS_LABELS)))
    kind = fields.String(validate=validate.Length(max=40))
    user_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))


class AdminNotificationSchema(NotificationSchema):
    user_id = fields.Integer()
    channel = fields.String()
    channel_label = label(CHANNEL_LABELS, lambda n: n.channel)
    attempts = fields.Integer()
    reason = fields.String(attribute="last_error", allow_none=True)
    not_before = fields.DateTime(allow_none=True)
    payload = fields.Dict(allow_none=True, metadata={"description": "发送内容（手机号已脱敏）"})


class AdminNotificationPage(PageSchema):
    items = fields.List(fields.Nested(AdminNotificationSchema))


class DeliverySummarySchema(Schema):
    by_status = fields.Dict(keys=fields.String(), values=fields.Integer())
    sent_by_channel = fields.Dict(keys=fields.String(), values=fields.Integer())

