"""Catalog read cache in Redis, invalidated wholesale by a version number.

Every change that can alter what the catalog shows calls `catalog_changed()`; after the
commit the version is bumped and every cached page and detail is stale at once, on every
worker. With Redis down the catalog is read from the database (the gateway's breaker keeps
that to milliseconds); entries expire after TTL seconds regardless.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from app.core.hooks import after_commit
from app.core.jsonio import LvjianJSONProvider
from app.integrations.redis import REDIS_ERRORS, key, redis_gateway

TTL = 120
_VERSION_KEY = key("catalog", "version")


# The current version and the entry under it, in one round trip instead of two.
_LOOKUP = """
local version = redis.call('GET', KEYS[1]) or '0'
return {version, redis.call('GET', ARGV[1] .. version .. ARGV[2])}
"""


def _bump() -> None:
    client = redis_gateway.client
    if client is None:
        return
    try:
        client.incr(_VERSION_KEY)
    except REDIS_ERRORS as exc:
        redis_gateway.mark_down(exc)


def catalog_changed() -> None:
    """Call inside any transaction that changes products, certificates, lists or shops."""
    after_commit(_bump)


def _encode(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"),
                      default=LvjianJSONProvider.default).encode()


def cached_json(kind: str, params: Any, build: Callable[[], Any]) -> bytes:
    """`build()`'s result as JSON bytes, straight from Redis when a current copy is there.

    Bytes, not objects: a hit is served without decoding and encoding it again.
    """
    client = redis_gateway.client
    if client is None:
        return _encode(build())
    digest = hashlib.sha1(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()
    try:
        version, hit = client.register_script(_LOOKUP)(
            keys=[_VERSION_KEY], args=[key("catalog", kind, ""), ":" + digest])
        if hit is not None:
            return hit
        entry_key = key("catalog", kind, version.decode(), digest)
    except REDIS_ERRORS as exc:
        redis_gateway.mark_down(exc)
        return _encode(build())
    body = _encode(build())
    try:
        client.set(entry_key, body, ex=TTL)
    except REDIS_ERRORS as exc:
        redis_gateway.mark_down(exc)
    return body
