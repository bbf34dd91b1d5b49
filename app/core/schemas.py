"""Base marshmallow schemas: strict input, pagination arguments and pages."""

from __future__ import annotations

from typing import ClassVar

from flask import request
from marshmallow import RAISE, Schema, ValidationError, fields, validate

from app.core.errors import ApiError

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




def load_json_or_form(schema: Schema) -> dict:
    """Load a body sent as JSON or as multipart form fields (when files come with it)."""
    if request.mimetype == "multipart/form-data":
        data = request.form.to_dict()
    else:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise ApiError(400, "bad_request", "请求体不是有效的 JSON")
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise ApiError(422, "validation_error", "提交的信息有误，请检查后重试",
                       exc.normalized_messages()) from None


def json_or_form_doc(schema: type[Schema], files: tuple[str, ...]) -> dict:
    """The OpenAPI requestBody for such an endpoint."""
    fields_ = {name: {"type": "string"} for name in schema._declared_fields}
    fields_.update({name: {"type": "string", "format": "binary"} for name in files})
    return {"requestBody": {"required": True, "content": {
        "application/json": {"schema": schema},
        "multipart/form-data": {"schema": {"type": "object", "properties": fields_}}}}}
