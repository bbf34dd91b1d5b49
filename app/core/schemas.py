"""Base marshmallow schemas: strict input, bounded at the edge, pagination arguments and pages."""

from __future__ import annotations

import functools
import re
from datetime import date, datetime
from typing import Any, ClassVar

from flask import request
from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate
from webargs.multidictproxy import MultiDictProxy

from app.core.db import china_time
from app.core.errors import ApiError

# Chinese for the messages a villager's form most often meets.
fields.Field.default_error_messages.update(
    {"required": "此项必填", "null": "不能为空", "validator_failed": "取值无效"}
)
fields.String.default_error_messages.update({"invalid": "应为文本"})
fields.Integer.default_error_messages.update({"invalid": "应为整数", "too_large": "数值过大"})
fields.Boolean.default_error_messages.update({"invalid": "应为 true 或 false"})
fields.Number.default_error_messages.update({"invalid": "应为数字", "too_large": "数值过大"})
fields.Float.default_error_messages.update({"special": "应为有效数字"})
fields.Date.default_error_messages.update({"invalid": "日期格式有误（如 2026-12-01）"})
fields.DateTime.__mro__[1].default_error_messages.update(  # marshmallow's _TemporalField
    {"invalid": "时间格式有误（如 2026-12-01T09:30:00+08:00）",
     "invalid_awareness": "时间须带时区（如 +08:00）", "format": "无法格式化该时间"})
fields.List.default_error_messages.update({"invalid": "应为列表"})
fields.Nested.default_error_messages.update({"type": "应为对象"})
fields.Mapping.default_error_messages.update({"invalid": "应为对象"})
fields.Enum.default_error_messages.update({"unknown": "应为以下之一：{choices}"})
fields.Url.default_error_messages.update({"invalid": "网址格式有误"})
fields.Email.default_error_messages.update({"invalid": "邮箱格式有误"})
fields.UUID.default_error_messages.update({"invalid_uuid": "格式有误"})
# Times go out in China time, whatever offset they were computed in (API.md).
fields.DateTime.SERIALIZATION_FUNCS = {
    **fields.DateTime.SERIALIZATION_FUNCS,
    "iso": lambda value: china_time(value).isoformat() if value.tzinfo else value.isoformat()}
validate.Range.message_min = "应{min_op} {{min}}"
validate.Range.message_max = "应{max_op} {{max}}"
validate.Range.message_all = "应{min_op} {{min}} 且{max_op} {{max}}"
validate.Range.message_gte, validate.Range.message_gt = "不小于", "大于"
validate.Range.message_lte, validate.Range.message_lt = "不大于", "小于"
validate.Length.message_min = "长度至少为 {min}"
validate.Length.message_max = "长度最多为 {max}"
validate.Length.message_all = "长度应在 {min} 到 {max} 之间"
validate.Length.message_equal = "长度应为 {equal}"
validate.OneOf.default_message = "应为以下之一：{choices}"
validate.ContainsOnly.default_message = "只能从以下选项中选择：{choices}"
validate.Regexp.default_message = "格式有误"
validate.Email.default_message = "邮箱格式有误"
validate.URL.default_message = "网址格式有误"
validate.Equal.default_message = "应等于 {other}"
validate.NoneOf.default_message = "取值无效"

# What every column can hold: ids are positive 32-bit integers, other integers signed 32-bit.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
ID_MIN = 1
# A date or time outside this span is a typo or an attack, never campaign data.
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
# Text without a stated maximum still has one: no field of ours needs more.
TEXT_MAX = 10_000
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")
_INT_TEXT = re.compile(r"^[+-]?\d{1,19}$")


def _is_id(name: str) -> bool:
    return name == "id" or name.endswith(("_id", "_ids"))


def _clean_text(value: str) -> None:
    if _BAD_TEXT.search(value):
        raise ValidationError("含有不允许的字符")


def _sane_date(value: date) -> None:
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(f"日期应在 {EARLIEST.year} 至 {LATEST.year} 年之间")


def harden(name: str, field: fields.Field) -> None:
    """Bound one input field so that nothing it lets through can break the database.

    Integers are integers (no "100", no 1.5, no true) within 32 bits, ids from 1; text
    has no NUL or lone surrogate and a length; dates fall in a sane span.
    """
    if isinstance(field, fields.List):
        harden(name, field.inner)
    elif isinstance(field, fields.Integer):
        field.strict = True
        low = ID_MIN if _is_id(name) else INT_MIN
        _add(field, validate.Range(min=low, max=INT_MAX,
                                   error=f"应为 {low} 到 {INT_MAX} 之间的整数"))
    elif isinstance(field, fields.String):
        _add(field, _clean_text)
        if not any(isinstance(v, validate.Length) and v.max is not None
                   for v in field.validators):
            _add(field, validate.Length(max=TEXT_MAX, error=f"最多 {TEXT_MAX} 个字符"))
    elif isinstance(field, fields.Date | fields.DateTime):
        _add(field, _sane_date)


def _add(field: fields.Field, validator: Any) -> None:
    # A new list: marshmallow's field copies share the declared field's list.
    field.validators = [*field.validators, validator]


class TextSource(dict):
    """Input whose values are text by nature (query strings, form fields)."""


class StrictSchema(Schema):
    """Input schema: unknown fields are an error, every field bounded (see `harden`)."""

    error_messages: ClassVar[dict[str, str]] = {"unknown": "不支持的字段", "type": "格式有误"}

    class Meta:
        unknown = RAISE

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        harden(field_name, field_obj)

    @pre_load
    def _numbers_from_text(self, data: Any, **_kwargs: Any) -> Any:
        """Query strings and form fields carry numbers as text; JSON must not."""
        if isinstance(data, TextSource | MultiDictProxy):
            data = {key: data[key] for key in data}
            for name, value in data.items():
                field = self.fields.get(name)
                if isinstance(field, fields.List):
                    field = field.inner
                    if isinstance(value, list) and isinstance(field, fields.Integer):
                        data[name] = [_int_or_text(v) for v in value]
                elif isinstance(field, fields.Integer):
                    data[name] = _int_or_text(value)
        return data


def _int_or_text(value: Any) -> Any:
    return int(value) if isinstance(value, str) and _INT_TEXT.match(value.strip()) else value


class PageArgs(StrictSchema):
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    cursor = fields.String(load_default=None, validate=validate.Length(max=200))


class PageSchema(Schema):
    next_cursor = fields.String(allow_none=True)


def label(labels: dict[str, str], value=lambda obj: obj.status) -> fields.Function:
    """The Chinese name beside a stable code (API.md: `status` with `status_label`), from the
    domain's label table; `value` picks the code (by default the object's status)."""
    return fields.Function(lambda obj: labels.get(value(obj), value(obj)),
                           metadata={"type": "string", "description": "中文名称"})


@functools.cache
def page_of(item: type[Schema]) -> type[Schema]:
    """The page envelope {"items": [item...], "next_cursor"} of a collection that grows
    (one class per item schema, named after it: TicketSchema → TicketPage)."""
    name = item.__name__.removesuffix("Schema") + "Page"
    return PageSchema.from_dict({"items": fields.List(fields.Nested(item))}, name=name)


def load_json_or_form(schema: Schema) -> dict:
    """Load a body sent as JSON or as multipart form fields (when files come with it)."""
    if request.mimetype == "multipart/form-data":
        data = TextSource(request.form.to_dict())
    elif not request.is_json:
        raise ApiError(415, "unsupported_media_type", "请以 JSON 或表单提交")
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
