"""Log lines carry the request id; no personal data: masked numbers, no SQL values."""

from __future__ import annotations

import logging
import re
import traceback

from flask import Flask, g, has_request_context

_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_ID_CARD = re.compile(r"(?<![\dA-Za-z])(\d{4})\d{10}(\d{3}[\dXx])(?![\dA-Za-z])")

# Libraries that log URLs or request arguments at DEBUG (WeChat's carry the AppSecret and
# the login code; SQLAlchemy's engine log carries SQL parameters): never below WARNING.
_QUIET = ("sqlalchemy.engine", "urllib3", "wechatpy", "requests")


def mask_text(text: str) -> str:
    text = _ID_CARD.sub(lambda m: m.group(1) + "*" * 10 + m.group(2), text)
    return _PHONE.sub(lambda m: m.group(1) + "****" + m.group(2), text)


def safe_exception_text(exc: BaseException) -> str:
    """What an exception says, minus what a database quotes from the data.

    PostgreSQL's DETAIL repeats the failing row or key ("Failing row contains (..., 张三,
    ...)"), and data errors quote the input; SQLAlchemy appends the parameters unless
    hide_parameters. Database errors are therefore reduced to their kind, SQLSTATE,
    constraint, table and column, and the SQL text (which holds placeholders, not values).
    """
    import sqlalchemy as sa

    if isinstance(exc, sa.exc.StatementError):
        orig = exc.orig
        inner = (f"({type(orig).__module__}.{type(orig).__name__}) {safe_exception_text(orig)}"
                 if orig is not None else "")
        statement = (exc.statement or "").strip()
        if len(statement) > 1000:
            statement = statement[:1000] + " ..."
        return f"{inner}\n[SQL: {statement}]" if statement else inner
    diag = getattr(exc, "diag", None)  # psycopg
    if diag is not None and getattr(exc, "sqlstate", None):
        state = exc.sqlstate
        parts = [f"sqlstate={state}"]
        # class 22 (data exception) quotes the offending input in its primary message
        if not state.startswith("22") and diag.message_primary:
            parts.append(diag.message_primary)
        for name in ("constraint_name", "table_name", "column_name"):
            if value := getattr(diag, name, None):
                parts.append(f"{name.removesuffix('_name')}={value}")
        return mask_text("; ".join(parts))
    if diag is not None:  # psycopg without a server answer: connection trouble, no data
        return mask_text(str(exc).strip().splitlines()[0] if str(exc).strip() else "")
    return mask_text(str(exc))


def safe_traceback(exc: BaseException) -> str:
    """A traceback like Python's, each exception's text through safe_exception_text."""
    lines: list[str] = []
    seen: set[int] = set()

    def walk(current: BaseException) -> None:
        seen.add(id(current))
        cause, context = current.__cause__, current.__context__
        if cause is not None and id(cause) not in seen:
            walk(cause)
            lines.append("\nThe above exception was the direct cause of the following "
                         "exception:\n\n")
        elif (context is not None and id(context) not in seen
              and not current.__suppress_context__):
            walk(context)
            lines.append("\nDuring handling of the above exception, another exception "
                         "occurred:\n\n")
        if current.__traceback__ is not None:
            lines.append("Traceback (most recent call last):\n")
            lines.extend(traceback.format_tb(current.__traceback__))
        kind = type(current)
        lines.append(f"{kind.__module__}.{kind.__qualname__}: {safe_exception_text(current)}\n")

    walk(exc)
    return "".join(lines).rstrip("\n")


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        if isinstance(record.args, tuple) and any(
                isinstance(arg, BaseException) for arg in record.args):
            record.args = tuple(safe_exception_text(arg) if isinstance(arg, BaseException)
                                else arg for arg in record.args)
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class MaskingFormatter(logging.Formatter):
    """Masks the whole formatted line; tracebacks are told through safe_traceback (the
    parameters or DETAIL of a database error can carry a name, phone or ID number)."""

    def formatException(self, ei) -> str:
        _kind, value, _tb = ei
        if value is None:
            return super().formatException(ei)
        return safe_traceback(value)

    def format(self, record: logging.LogRecord) -> str:
        return mask_text(super().format(record))


def configure_logging(app: Flask) -> None:
    root = logging.getLogger()
    if not any(getattr(h, "_lvjian", False) for h in root.handlers):
        handler = logging.StreamHandler()
        handler._lvjian = True
        handler.addFilter(RequestContextFilter())
        handler.setFormatter(MaskingFormatter(
            "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    logging.getLogger("alembic").setLevel(logging.WARNING)
    for name in _QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
