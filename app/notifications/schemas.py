"""Notification output."""

from marshmallow import Schema, fields

from app.core.schemas import PageSchema, label

STATUS_LABELS = {"pending": "待发送", "sent": "已发送", "failed": "发送失败"}


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
