"""Base marshmallow schemas: strict input, pagination arguments and pages."""

from __future__ import annotations

from typing import ClassVar

from marshmallow import RAISE, Schema, fields, validate

# Chinese for the messages a villager's form most often meets.
fields.Field.default_error_messages.update(
    {"required": "此项必填", "null": "不能为空", "validator_failed": "取值无效"}
)
fields.String.default_error_messages.update({"invalid": "应为文本"})
fields.Integer.default_error_messages.update({"invalid": "应为整数"})
fields.Boolean.default_error_messages.update({"invalid": "应为 true 或 false"})


class StrictSchema(Schema):
    """Input schema: unknown fields are an error, not silently dropped."""

    error_messages: ClassVar[dict[str, str]] = {"unknown": "不支持的字段", "type": "格式有误"}

    class Meta:
        unknown = RAISE


class PageArgs(StrictSchema):
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    cursor = fields.String(load_default=None)


class PageSchema(Schema):
    next_cursor = fields.String(allow_none=True)


