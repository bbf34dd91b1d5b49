"""The edge of the API: the argument parser and URL converters that bound what comes in."""

from __future__ import annotations

from typing import Any

from flask import Flask, Request
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.routing import IntegerConverter, PathConverter, UnicodeConverter

from app.core.errors import ApiError
from app.core.jsonio import JSONTooDeep, loads_bounded
from app.core.schemas import ID_MIN, INT_MAX


class IdConverter(IntegerConverter):
    """`<int:id>`: only ids a row can have (1..2^31-1) match; anything else is a 404."""

    def __init__(self, map, fixed_digits: int = 0, min: int = ID_MIN, max: int = INT_MAX,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class IndexConverter(IntegerConverter):
    """`<index:i>`: a position in a small list, from 0."""

    def __init__(self, map, min: int = 0, max: int = 1000) -> None:
        super().__init__(map, min=min, max=max)


class TextConverter(UnicodeConverter):
    """A path segment without NUL (no database column can hold one)."""

    def __init__(self, map, minlength: int = 1, maxlength: int | None = 200,
                 length: int | None = None) -> None:
        super().__init__(map, minlength=minlength, maxlength=maxlength, length=length)
        self.regex = self.regex.replace("[^/]", "[^/\x00]")


class SafePathConverter(PathConverter):
    regex = "[^/\x00][^\x00]*?"


def register_converters(app: Flask, api: Any) -> None:
    """Before any route: every `<int:...>` and `<...>` in the app is bounded."""
    app.url_map.converters.update(int=IdConverter, index=IndexConverter, default=TextConverter,
                                  string=TextConverter, path=SafePathConverter)
    api.register_converter(IdConverter, lambda c: {"type": "integer", "minimum": c.min,
                                                   "maximum": c.max})
    api.register_converter(IndexConverter, lambda c: {"type": "integer", "minimum": c.min,
                                                      "maximum": c.max})
    api.register_converter(TextConverter, lambda _c: {"type": "string", "maxLength": 200})


def _has_body(req: Request) -> bool:
    return bool(req.content_length) or req.headers.get("Transfer-Encoding") == "chunked"


class LvjianParser(FlaskParser):
    """webargs with our JSON rules: another content type is a 415, deep nesting a 400."""

    DEFAULT_VALIDATION_STATUS = 422

    def _raw_load_json(self, req: Request) -> Any:
        if not is_json_request(req):
            if _has_body(req):
                raise ApiError(415, "unsupported_media_type",
                               "请以 JSON 格式提交（Content-Type: application/json）")
            return core.missing
        data = req.get_data(cache=True)
        if not data:
            return core.missing
        try:
            return loads_bounded(data.decode("utf-8"))
        except JSONTooDeep:
            raise ApiError(400, "json_too_deep", "请求体嵌套层级过深") from None
        except (ValueError, UnicodeDecodeError):
            raise ApiError(400, "bad_request", "请求体不是有效的 JSON") from None
