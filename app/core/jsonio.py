"""JSON in and out: UTF-8 as-is, ISO 8601 times, bounded nesting on the way in."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from flask.json.provider import DefaultJSONProvider

from app.core.db import CHINA

# No request of ours nests deeper than a few levels; a deep one is an attack on the parser.
MAX_DEPTH = 32


class JSONTooDeep(ValueError):
    """Raised for JSON nested deeper than MAX_DEPTH (a ValueError, as bad JSON is)."""


def loads_bounded(text: str | bytes) -> Any:
    """json.loads that refuses nesting deeper than MAX_DEPTH instead of recursing away."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise JSONTooDeep(f"JSON nested deeper than {MAX_DEPTH}") from None
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > MAX_DEPTH:
            raise JSONTooDeep(f"JSON nested deeper than {MAX_DEPTH}")
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return value


class LvjianJSONProvider(DefaultJSONProvider):
    ensure_ascii = False
    sort_keys = False

    @staticmethod
    def default(o: Any) -> Any:
        if isinstance(o, datetime):
            return (o.astimezone(CHINA) if o.tzinfo else o).isoformat()
        if isinstance(o, date):
            return o.isoformat()
        return DefaultJSONProvider.default(o)

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads_bounded(s)
