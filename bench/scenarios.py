"""Scenario registry: what each benchmark sends, and what it prepares before the load."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bench.client import Request, fetch_all

DEMO_PASSWORD = "lvjian-demo"  # app/demo.py
VILLAGERS = 1000  # distinct dev villagers the login scenario cycles over


@dataclass(frozen=True)
class SetupContext:
    """What a setup step may use: the running app and the bench database."""

    base_url: str
    database_url: str  # postgresql://... for psycopg
    env: Mapping[str, str] = field(default_factory=dict)  # the server's environment

    def fetch_all(self, reqs: Sequence[Request], concurrency: int = 8) -> list[tuple[int, Any]]:
        return fetch_all(self.base_url, reqs, concurrency)

    def console_token(self, username: str) -> str:
        """A bearer token for a demo console account (demo-admin, demo-merchant, ...)."""
        body = {"username": username, "password": DEMO_PASSWORD}
        [(status, reply)] = self.fetch_all([Request("POST", "/api/v1/auth/login", body)])
        if status != 200:
            raise RuntimeError(f"console login {username}: HTTP {status} {reply}")
        return reply["token"]

    def fixture(self, *args: object) -> Any:
        """Make data inside the app with the server's keys (bench/fixtures.py)."""
        done = subprocess.run([sys.executable, "-m", "bench.fixtures", *map(str, args)],
                              cwd=Path(__file__).resolve().parent.parent, env=dict(self.env),
                              capture_output=True, text=True, timeout=600, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"fixture {args}: {done.stderr[-2000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])


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
    # Per-scenario load shape, where the issue prescribes one (None: the command's options).
    concurrency: int | None = None
    max_requests: int | None = None
    warmup: float | None = None
    # After the load: what the database says (e.g. the exact count granted), for the report.
    verify: Callable[[SetupContext, Any], str] | None = None
    # Which server answers: the app ("app") or the bare floor (bench/floor.py, "floor").
    server: str = "app"


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
    code = f"bench-{i % VILLAGERS:04d}"  # answered by bench/wsgi.py's stand-in for WeChat
    return Request("POST", "/api/mp/v1/auth/wechat-login", {"code": code})


def _create_villagers(ctx: SetupContext) -> None:
    """First logins create the accounts, so the measured logins are returning villagers."""
    replies = ctx.fetch_all([_villager_login(i) for i in range(VILLAGERS)])
    failed = [status for status, _ in replies if status != 200]
    if failed:
        raise RuntimeError(f"creating villagers: {len(failed)} failed, e.g. HTTP {failed[0]}")


register(Scenario("login",
                  f"POST /api/mp/v1/auth/wechat-login, {VILLAGERS} returning villagers "
                  "(WeChat stubbed in-process)",
                  lambda i, state: _villager_login(i), setup=_create_villagers))


# --- catalog (issue 3) ------------------------------------------------------------------

CATEGORIES = ("ceramic-tiles", "coatings", "bricks", "insulation", "doors-windows",
              "waterproofing", "furniture", "blocks", "sanitary-ceramics", "basic")
QUERIES = ("砖", "瓷砖", "cizhuan", "cz", "防水", "涂料", "保温板", "窗", "jieneng", "地板",
           "砂浆", "fs", "卫浴", "混凝土", "岩棉")


def _product_ids(ctx: SetupContext) -> list[int]:
    [(status, page)] = ctx.fetch_all([Request("GET", "/api/mp/v1/products?limit=100")])
    if status != 200 or not page["items"]:
        raise RuntimeError("no products to benchmark")
    return [item["id"] for item in page["items"]]


register(Scenario(
    "products", "GET /api/mp/v1/products?eligible=true (cached pages, 10 categories)",
    lambda i, state: Request("GET", f"/api/mp/v1/products?eligible=true&region=410122"
                                    f"&category={CATEGORIES[i % len(CATEGORIES)]}")))

def _search(i: int, state) -> Request:
    return Request("GET", f"/api/mp/v1/products?q={QUERIES[i % len(QUERIES)]}"
                          f"&max_price_fen={10_000_000 + i}")


register(Scenario(
    "search", "GET /api/mp/v1/products?q=... uncached (a distinct price bound per request)",
    _search))

# The same at 4 connections: a search's own latency, below the point where requests queue.
register(Scenario("search_c4", "the search scenario with 4 connections", _search,
                  concurrency=4))

register(Scenario(
    "detail", "GET /api/mp/v1/products/<id> (cached, 100 products)",
    lambda i, state: Request("GET", f"/api/mp/v1/products/{state[i % len(state)]}"),
    setup=_product_ids))


# --- the expo gate (issue 4) -------------------------------------------------------------

GATE_TICKETS = 10_000


def _gate_setup(ctx: SetupContext) -> dict:
    return ctx.fixture("expo", GATE_TICKETS)


def _scan(i: int, state: dict) -> Request:
    return Request("POST", f"/api/v1/expos/{state['expo_id']}/checkins",
                   {"code": state["codes"][i % len(state["codes"])], "nonce": f"bench-{i:08d}"},
                   {"Authorization": f"Bearer {state['staff_token']}"})


def _admitted_verify(ctx: SetupContext, state: dict) -> str:
    counts = ctx.fixture("count", "admitted", state["expo_id"])
    return (f"tickets admitted in the database: {counts['admitted']} of {GATE_TICKETS}, "
            f"scans that admitted: {counts['admitting_scans']} (one admission per ticket)")


register(Scenario(
    "scan", f"POST /api/v1/expos/<id>/checkins, {GATE_TICKETS} tickets, each scanned once",
    _scan, setup=_gate_setup, concurrency=50, max_requests=GATE_TICKETS, warmup=0,
    verify=_admitted_verify))

# The machine's floor for the same work (issue 18): a bare WSGI function on the same gunicorn
# settings doing only the conditional UPDATE of the ticket, the INSERT of the scan row and the
# COMMIT through psycopg (bench/floor.py), on tickets of its own expo.
FLOOR = "floor"


def _floor_scan(i: int, state: dict) -> Request:
    return Request("POST", "/floor/scan", {
        "expo": state["expo_id"], "ticket": state["ticket_ids"][i % len(state["ticket_ids"])],
        "staff": state["staff_id"], "code": state["codes"][i % len(state["codes"])],
        "nonce": f"floor-{i:08d}"})


register(Scenario(
    FLOOR, f"bare WSGI + psycopg: UPDATE the ticket, INSERT the scan, COMMIT ({GATE_TICKETS} "
    "tickets, each once; bench/floor.py, not the app)",
    _floor_scan, setup=_gate_setup, concurrency=50, max_requests=GATE_TICKETS, warmup=0,
    verify=_admitted_verify, server=FLOOR))


def _storm_setup(ctx: SetupContext) -> dict:
    return ctx.fixture("storm", 1000, 3000)


register(Scenario(
    "register", "POST /api/mp/v1/expos/<id>/registrations: 3,000 villagers, capacity 1,000",
    lambda i, state: Request("POST", f"/api/mp/v1/expos/{state['expo_id']}/registrations",
                             None, {"Authorization": f"Bearer {state['tokens'][i]}"}),
    setup=_storm_setup, ok_statuses=frozenset({200, 201}), concurrency=100,
    max_requests=3000, warmup=0))


# --- coupons (issue 5) -------------------------------------------------------------------

def _coupon_setup(ctx: SetupContext) -> dict:
    return ctx.fixture("coupon", 1000, 5000)


def _coupon_verify(ctx: SetupContext, state: dict) -> str:
    counts = ctx.fixture("count", "coupon", state["template_id"])
    return f"coupons granted in the database: {counts['coupons']} (quantity 1,000)"


register(Scenario(
    "claim", "POST /api/mp/v1/coupons/<id>/claim: one hot coupon of 1,000, 5,000 villagers",
    lambda i, state: Request("POST", f"/api/mp/v1/coupons/{state['template_id']}/claim", None,
                             {"Authorization": f"Bearer {state['tokens'][i]}"}),
    setup=_coupon_setup, ok_statuses=frozenset({201, 409}), concurrency=100,
    max_requests=5000, warmup=0, verify=_coupon_verify))


# --- subsidies (issue 6) -----------------------------------------------------------------

def _subsidy_setup(ctx: SetupContext) -> dict:
    return ctx.fixture("subsidy", 1000, 3000)


def _subsidy_claim(i: int, state: dict) -> Request:
    body = {"program_id": state["program_id"], "merchant_id": state["shop_id"],
            "product_id": state["product_id"], "price_paid_fen": state["price_paid_fen"],
            "invoice_no": f"BENCH{i:08d}", "purchase_date": date.today().isoformat()}
    return Request("POST", "/api/mp/v1/subsidy-claims", body,
                   {"Authorization": f"Bearer {state['tokens'][i]}"})


def _subsidy_verify(ctx: SetupContext, state: dict) -> str:
    ledger = ctx.fixture("count", "subsidy", state["program_id"])
    return (f"claims reserved in the database: {ledger['claim_rows']} (budget covers 1,000); "
            f"committed {ledger['committed_fen']} of {ledger['budget_fen']} fen; "
            f"ledger reconciles: {ledger['reconciles']}")


register(Scenario(
    "subsidy", "POST /api/mp/v1/subsidy-claims: 3,000 villagers, budget for 1,000",
    _subsidy_claim, setup=_subsidy_setup, ok_statuses=frozenset({201, 409}),
    concurrency=100, max_requests=3000, warmup=0, verify=_subsidy_verify))


# --- the campaign summary report (issue 15) ----------------------------------------------

REPORT = "report-province"
# In a run of every scenario (no --scenarios naming this one), a hundredth of the province,
# so that default runs stay quick; generating the whole of it takes minutes.
REPORT_SMALL = {"expos": 200, "tickets": 10_000, "villagers": 1_000, "shops": 100,
                "coupons": 2_000, "claims": 500, "complaints": 100}


def _report_setup(ctx: SetupContext) -> dict:
    """Province-scale data under Henan (bench/database.py REPORT_SCALE), generated here so
    that only runs with this scenario pay for it, and in full only when it is named."""
    from bench.database import generate_report_data

    named = any(REPORT in arg.replace("=", ",").split(",") for arg in sys.argv)
    scale = generate_report_data(ctx.database_url, **({} if named else REPORT_SMALL))
    token = ctx.console_token("demo-admin")
    [(status, body)] = ctx.fetch_all([Request(
        "GET", "/api/v1/admin/reports/summary?region=410000",
        headers={"Authorization": f"Bearer {token}"})])
    if status != 200 or body["total"]["expos"]["registrations"] < scale["tickets"] // 2:
        raise RuntimeError(f"report setup: HTTP {status}, {str(body)[:300]}")
    return {"token": token}


register(Scenario(
    REPORT,
    "GET /api/v1/admin/reports/summary?region=410000 as demo-admin (province 410000: 100 "
    "counties, 1,000,000 tickets, 200,000 coupons, 50,000 subsidy claims, 10,000 complaints)",
    lambda i, state: Request("GET", "/api/v1/admin/reports/summary?region=410000",
                             headers={"Authorization": f"Bearer {state['token']}"}),
    setup=_report_setup, concurrency=2))
