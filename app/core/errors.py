"""One JSON error shape for every failure: {code, status, error, message, errors?}."""

from __future__ import annotations

import contextlib
import logging
from http import HTTPStatus
from typing import Any

from flask import Flask, current_app, g, jsonify
from werkzeug.exceptions import HTTPException

from app.core import outages
from app.core.logging import safe_traceback

log = logging.getLogger(__name__)

# A stable machine reason and a human (Chinese first) message per HTTP status.
DEFAULTS: dict[int, tuple[str, str]] = {
    400: ("bad_request", "请求格式有误"),
    401: ("unauthorized", "请先登录"),
    403: ("forbidden", "无权进行此操作"),
    404: ("not_found", "未找到"),
    405: ("method_not_allowed", "不支持该请求方法"),
    409: ("conflict", "与当前状态冲突"),
    413: ("payload_too_large", "上传内容过大"),
    414: ("uri_too_long", "请求地址过长"),
    415: ("unsupported_media_type", "不支持的内容类型"),
    422: ("validation_error", "提交的信息有误，请检查后重试"),
    429: ("rate_limited", "操作过于频繁，请稍后再试"),
    431: ("headers_too_large", "请求头过大"),
    500: ("internal_error", "服务器开小差了，请稍后再试"),
    502: ("upstream_error", "上游服务暂时不可用"),
    503: ("service_unavailable", "服务暂时不可用，请稍后再试"),
}


class ApiError(Exception):
    """An error with a status, a stable reason the client branches on, and a human message."""

    def __init__(self, status: int, error: str | None = None, message: str | None = None,
                 errors: dict[str, Any] | None = None, *, reason: str | None = None,
                 retry_after: int | None = None) -> None:
        default_error, default_message = DEFAULTS.get(status, ("error", HTTPStatus(status).phrase))
        self.status = status
        self.error = error or default_error
        self.message = message or default_message
        self.errors = errors
        self.reason = reason  # a finer machine code under `error` (e.g. why not_eligible)
        self.retry_after = retry_after  # seconds, sent as Retry-After
        super().__init__(f"{status} {self.error}: {self.message}")


def not_found(error: str = "not_found", message: str = "未找到") -> ApiError:
    return ApiError(404, error, message)


def forbidden(error: str = "forbidden", message: str = "无权进行此操作") -> ApiError:
    return ApiError(403, error, message)


def conflict(error: str, message: str) -> ApiError:
    return ApiError(409, error, message)


def unprocessable(error: str, message: str, errors: dict[str, Any] | None = None) -> ApiError:
    return ApiError(422, error, message, errors)


def error_response(status: int, error: str, message: str, errors: dict[str, Any] | None = None,
                   reason: str | None = None):
    body: dict[str, Any] = {
        "code": status,
        "status": HTTPStatus(status).phrase,
        "error": error,
        "message": message,
    }
    if reason:
        body["reason"] = reason
    if errors:
        body["errors"] = errors
    return jsonify(body), status


def _field_errors(exc: HTTPException) -> dict[str, Any] | None:
    """webargs puts messages per location ({"json": {...}, "query": {...}}); flatten them."""
    messages = (getattr(exc, "data", None) or {}).get("messages")
    if not isinstance(messages, dict):
        return None
    flat: dict[str, Any] = {}
    for location_messages in messages.values():
        if isinstance(location_messages, dict):
            flat.update(location_messages)
    return flat or None


def handle_api_error(exc: ApiError):
    response, status = error_response(exc.status, exc.error, exc.message, exc.errors, exc.reason)
    if exc.retry_after:
        response.headers["Retry-After"] = str(exc.retry_after)
    return response, status


def handle_http_exception(exc: HTTPException):
    status = exc.code or 500
    error, message = DEFAULTS.get(status, ("error", HTTPStatus(status).phrase))
    errors = _field_errors(exc) if status in (400, 422) else None
    if status == 400 and exc.description and "JSON" in str(exc.description):
        message = "请求体不是有效的 JSON"
    if status == 429 and exc.description and not str(exc.description).isascii():
        message = str(exc.description)  # a limit's own Chinese error_message
    response, status = error_response(status, error, message, errors)
    if status == 405 and getattr(exc, "valid_methods", None):
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    if status == 429 and (retry := _retry_after(exc)):
        response.headers["Retry-After"] = retry
    return response, status


def _retry_after(exc: HTTPException) -> str | None:
    headers = dict(exc.get_headers()) if hasattr(exc, "get_headers") else {}
    return headers.get("Retry-After")


def handle_unexpected(exc: Exception):
    if outages.is_outage(exc):
        return handle_outage(exc)
    # Neither the body nor the log carries the exception's own text where it may hold
    # personal data (a database error's DETAIL quotes the failing row); no exc_info, so
    # no handler, whatever its formatter, prints the raw traceback.
    log.error("unhandled error (request %s)\n%s", g.get("request_id", "-"), safe_traceback(exc))
    return error_response(500, *DEFAULTS[500])


def handle_outage(exc: Exception):
    """The database can't be reached: 503 with Retry-After, one log line per outage."""
    _discard_session()
    watcher = current_app.extensions.get("lvjian_outages")
    if watcher is not None:
        watcher.failed(exc)
    else:
        log.error("database unavailable: %s", outages.describe(exc))
    response, status = error_response(503, *DEFAULTS[503])
    response.headers["Retry-After"] = str(outages.RETRY_AFTER_SECONDS)
    return response, status


def _discard_session() -> None:
    """Drop the request's session and whatever connection it holds without talking to the
    database again (a rollback on a dead connection would fail and log a traceback), so the
    first request after recovery starts clean."""
    from app.extensions import db

    with contextlib.suppress(Exception):  # unusable either way: remove() resets it
        db.session.invalidate()
    db.session.remove()


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(ApiError, handle_api_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
