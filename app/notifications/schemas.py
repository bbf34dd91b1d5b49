"""Notification output."""

from marshmallow import Schema, fields

from app.core.schemas import PageSchema


class NotificationSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    data = fields.Dict()
    status = fields.String()
    created_at = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True)


class NotificationPage(PageSchema):
    items = fields.List(fields.Nested(NotificationSchema))
