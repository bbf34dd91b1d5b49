"""Scenario registry: what each benchmark sends, and what it prepares before the load."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.client import Request, fetch_all

DEMO_PASSWORD = "lvjian-demo"  # app/demo.py
VILLAGERS = 1000  # distinct dev villagers the login scenario cycles over


@dataclass(frozen=True)
class SetupContext:
    """What a setup step may use: the running app and the bench database."""

    base_url: str
    database_url: str  # postgresql://... for psycopg

    def fetch_all(self, reqs: Sequence[Request], concurrency: int = 8) -> list[tuple[int, Any]]:
        return fetch_all(self.base_url, reqs, concurrency)

    def console_token(self, username: str) -> str:
        """A bearer token for a demo console account (demo-admin, demo-merchant, ...)."""
        body = {"username": username, "password": DEMO_PASSWORD}
        [(status, reply)] = self.fetch_all([Request("POST", "/api/v1/auth/login", body)])
        if status != 200:
            raise RuntimeError(f"console login {username}: HTTP {status} {reply}")
        return reply["token"]


# (request index, state returned by setup) -> the request to send
RequestFactory = Callable[[int, Any], Request]


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    make_request: RequestFactory
    # Runs in the harness before the load; its result (picklable) reaches make_request.
    setup: Callable[[SetupContext], Any] | None = None
    ok_statuses: frozenset[int] = field(default_factory=lambda: frozenset({200}))


SCENARIOS: dict[str, Scenario] = {}
BASELINE = "baseline"


def register(scenario: Scenario) -> Scenario:
    """Add a scenario; call it at import time of this module, which the load process re-imports."""
    if scenario.name in SCENARIOS:
        raise ValueError(f"scenario {scenario.name!r} registered twice")
    SCENARIOS[scenario.name] = scenario
    return scenario


# --- baseline, health -------------------------------------------------------------------

register(Scenario(BASELINE, "GET /api/ping (no DB, no Redis)",
                  lambda i, state: Request("GET", "/api/ping")))

register(Scenario("healthz", "GET /healthz (SELECT 1 + Redis PING)",
                  lambda i, state: Request("GET", "/healthz")))


# --- villager login ---------------------------------------------------------------------

def _villager_login(i: int) -> Request:
    code = f"dev-bench-{i % VILLAGERS:04d}"
    return Request("POST", "/api/mp/v1/auth/wechat-login", {"code": code})


def _create_villagers(ctx: SetupContext) -> None:
    """First logins create the accounts, so the measured logins are returning villagers."""
    replies = ctx.fetch_all([_villager_login(i) for i in range(VILLAGERS)])
    failed = [status for status, _ in replies if status != 200]
    if failed:
        raise RuntimeError(f"creating villagers: {len(failed)} failed, e.g. HTTP {failed[0]}")


register(Scenario("login",
                  f"POST /api/mp/v1/auth/wechat-login, {VILLAGERS} returning dev villagers",
                  lambda i, state: _villager_login(i), setup=_create_villagers))
