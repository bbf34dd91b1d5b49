"""JSON out: UTF-8 as-is, datetimes and dates in ISO 8601 (never HTTP-date strings)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask.json.provider import DefaultJSONProvider


class LvjianJSONProvider(DefaultJSONProvider):
    ensure_ascii = False
    sort_keys = False

    @staticmethod
    def default(o: Any) -> Any:
        if isinstance(o, datetime | date):
            return o.isoformat()
        return DefaultJSONProvider.default(o)
