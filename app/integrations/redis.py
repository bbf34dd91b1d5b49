"""Redis behind a narrow wrapper: short timeouts, no retry loops, a breaker when it is down."""

from __future__ import annotations

import logging
import time

import redis
from flask import Flask, current_app
from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger(__name__)

KEY_PREFIX = "lvjian"
REDIS_ERRORS = (redis.ConnectionError, redis.TimeoutError)


def key(*parts: object) -> str:
    """Build every Redis key through here, so the namespace stays in one place."""
    return ":".join((KEY_PREFIX, *(str(p) for p in parts)))


class _RedisState:
    def __init__(self, url: str | None, *, connect_timeout: float, socket_timeout: float,
                 retry_after: float) -> None:
        self.url = url
        self.retry_after = retry_after
        self.down_until = 0.0
        self.warned = False
        self.client: redis.Redis | None = None
        if url:
            self.client = redis.Redis.from_url(
                url,
                socket_connect_timeout=connect_timeout,
                socket_timeout=socket_timeout,
                retry=Retry(NoBackoff(), 0),
                retry_on_timeout=False,
                health_check_interval=30,
            )


class RedisGateway:
    """Access to the app's Redis, or None while it is unconfigured or known to be down.

    After a connection error the gateway reports Redis as down for a few seconds instead of
    letting every request wait for its own timeout.
    """

    def init_app(self, app: Flask) -> None:
        cfg = app.config
        app.extensions["lvjian_redis"] = _RedisState(
            cfg.get("REDIS_URL"),
            connect_timeout=cfg["REDIS_CONNECT_TIMEOUT"],
            socket_timeout=cfg["REDIS_SOCKET_TIMEOUT"],
            retry_after=cfg["REDIS_RETRY_AFTER_SECONDS"],
        )

    @staticmethod
    def _state() -> _RedisState:
        return current_app.extensions["lvjian_redis"]

    @property
    def configured(self) -> bool:
        return self._state().client is not None

    @property
    def client(self) -> redis.Redis | None:
        state = self._state()
        if state.client is None or time.monotonic() < state.down_until:
            return None
        return state.client

    def mark_down(self, exc: Exception) -> None:
        state = self._state()
        state.down_until = time.monotonic() + state.retry_after
        if not state.warned:
            log.warning("Redis at %s unreachable (%s); carrying on without it",
                        _safe(state.url), exc)
            state.warned = True

    def ping(self) -> bool:
        client = self.client
        if client is None:
            return False
        try:
            client.ping()
        except REDIS_ERRORS as exc:
            self.mark_down(exc)
            return False
        state = self._state()
        if state.warned:
            log.info("Redis at %s is back", _safe(state.url))
            state.warned = False
        return True


def probe(url: str, timeout: float = 0.2) -> bool:
    """Is a Redis answering at url? Used once at startup to pick the limiter's storage."""
    try:
        redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout,
                             retry=Retry(NoBackoff(), 0)).ping()
    except (redis.RedisError, OSError):
        return False
    return True


def _safe(url: str | None) -> str:
    """The URL without its password, for logs."""
    if not url or "@" not in url:
        return url or "-"
    scheme, rest = url.split("://", 1)
    return f"{scheme}://***@{rest.split('@', 1)[1]}"


redis_gateway = RedisGateway()
