"""`python -m bench`: seed PostgreSQL, start gunicorn, run the scenarios, print the table."""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import subprocess
import sys
import time
from datetime import datetime
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

from bench import database, report, server
from bench.load import LoadResult, LoadSpec, run_load
from bench.scenarios import BASELINE, FLOOR, SCENARIOS, SetupContext

CATALOG = {"products", "search", "detail"}

RESULTS = Path(__file__).resolve().parent / "results"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--scenarios", default=",".join(SCENARIOS),
                   help=f"comma-separated, from: {', '.join(SCENARIOS)} (baseline always runs)")
    p.add_argument("--duration", type=float, default=10.0, help="measured seconds per scenario")
    p.add_argument("--warmup", type=float, default=1.0, help="uncounted seconds per scenario")
    p.add_argument("--concurrency", type=int, default=50, help="concurrent connections")
    p.add_argument("--max-requests", type=int, default=200_000,
                   help="measured requests per scenario, at most")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    p.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    p.add_argument("--repeat", type=int, default=1,
                   help="run each scenario this many times (fresh setup each time); the table "
                        "shows the median with min and max")
    p.add_argument("--keep-db", action="store_true", help="leave the bench database afterwards")
    p.add_argument("--database", default="lvjian_bench", help="dropped and recreated!")
    p.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres",
                   help="maintenance connection used to create the bench database")
    p.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    p.add_argument("--products", type=int, default=100_000,
                   help="products generated for the catalog scenarios (0: demo data only)")
    args = p.parse_args(argv)
    names = [n.strip() for n in args.scenarios.split(",") if n.strip()]
    if unknown := [n for n in names if n not in SCENARIOS]:
        p.error(f"unknown scenarios {unknown}; choose from {list(SCENARIOS)}")
    args.scenarios = [BASELINE, *(n for n in dict.fromkeys(names) if n != BASELINE)]
    for url in (args.pg_url, args.redis_url):
        if urlsplit(url).hostname not in LOOPBACK:
            p.error(f"{url}: loopback only")
    if not args.database.startswith("lvjian_bench"):
        p.error("--database must start with lvjian_bench (it is dropped)")
    bounds = {"products": (0, 1_000_000), "repeat": (1, 20),
              "duration": (0.5, 600), "warmup": (0, 60), "concurrency": (1, 1000),
              "max_requests": (1, 2_000_000), "workers": (1, 32), "threads": (1, 64)}
    for name, (low, high) in bounds.items():
        if not low <= getattr(args, name) <= high:
            p.error(f"--{name.replace('_', '-')} must lie in [{low}, {high}]")
    return args


def _git_commit() -> str:
    def git(*cmd: str) -> str:
        return subprocess.run(["git", *cmd], cwd=database.ROOT, capture_output=True, text=True,
                              timeout=10, check=False).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "?"
    return commit + (" (uncommitted changes)" if git("status", "--porcelain") else "")


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def describe(args: argparse.Namespace, pg_version: str, load_before: str) -> dict[str, str]:
    return {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "commit": _git_commit(),
        "machine": f"{os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
        "load average": f"{load_before} before, {_load()} after (1/5/15 min; anything else "
                        "running shares the CPUs, so compare ratios more than absolute req/s)",
        "server": f"gunicorn {version('gunicorn')} with gunicorn.conf.py, {args.workers} "
                  f"workers x {args.threads} threads (gthread), 127.0.0.1, "
                  "LVJIAN_ENV=production, WeChat stubbed in-process",
        "rate limits": "disabled (RATELIMIT_ENABLED=false): all bench traffic comes from "
                       "127.0.0.1 and would hit the per-IP limits",
        "load": f"aiohttp {version('aiohttp')} in a separate process, keep-alive, "
                f"{args.concurrency} connections, {args.warmup:g} s warm-up (not counted) + "
                f"{args.duration:g} s measured, at most {args.max_requests} requests",
        "versions": f"Python {platform.python_version()}, PostgreSQL {pg_version}",
        "definitions": "req/s over all measured requests; p50/p99 over successful ones; "
                       "error = transport error or unexpected status; "
                       "ratio = req/s / baseline req/s (and / floor req/s: bench/floor.py); "
                       "with --repeat, req/s and the percentiles are the median of the runs, "
                       "with the runs' min-max beside req/s",
    }


def _note(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace, stamp: str,
        notes: list[str]) -> tuple[list[LoadResult], Path]:
    db_url = urlsplit(args.pg_url)._replace(path="/" + args.database).geturl()
    log_path = RESULTS / f"{stamp}-gunicorn.log"
    _note(f"recreating database {args.database}, migrating, seeding")
    database.recreate(args.pg_url, args.database)
    results: list[LoadResult] = []
    try:
        database.migrate_and_seed(db_url, args.redis_url)
        if args.products and CATALOG & set(args.scenarios):
            _note(f"generating {args.products} products (takes a minute or two)")
            database.generate_products(db_url, args.redis_url, args.products)
        env = server.production_env(db_url, args.redis_url)
        with contextlib.ExitStack() as servers:
            base_url = servers.enter_context(server.gunicorn(
                env, workers=args.workers, threads=args.threads, log_path=log_path))
            _note(f"gunicorn up at {base_url}")
            urls = {"app": base_url}
            if any(SCENARIOS[name].server == FLOOR for name in args.scenarios):
                urls[FLOOR] = servers.enter_context(server.gunicorn(
                    env, workers=args.workers, threads=args.threads, target="bench.floor:app",
                    log_path=RESULTS / f"{stamp}-floor.log"))
                _note(f"the floor (bench/floor.py) up at {urls[FLOOR]}")
            ctx = SetupContext(base_url=base_url, database_url=db_url, env=env)
            for name in args.scenarios:
                for attempt in range(1, args.repeat + 1):
                    results.append(_run_scenario(args, ctx, urls, name, attempt, notes))
    finally:
        if not args.keep_db:
            database.drop(args.pg_url, args.database)
    return results, log_path


def _run_scenario(args: argparse.Namespace, ctx: SetupContext, urls: dict[str, str], name: str,
                  attempt: int, notes: list[str]) -> LoadResult:
    scenario = SCENARIOS[name]
    state = scenario.setup(ctx) if scenario.setup else None
    spec = LoadSpec(urls[scenario.server], name, state,
                    scenario.concurrency or args.concurrency,
                    args.duration if scenario.max_requests is None
                    else max(args.duration, 120.0),
                    args.warmup if scenario.warmup is None else scenario.warmup,
                    scenario.max_requests or args.max_requests)
    result = run_load(spec)
    shape = f"concurrency {spec.concurrency}, {result.requests} requests"
    statuses = ", ".join(f"{s} x{n}" for s, n in sorted(result.statuses.items()))
    check = f"; {scenario.verify(ctx, state)}" if scenario.verify else ""
    run_no = f" (run {attempt})" if args.repeat > 1 else ""
    notes.append(f"- {name}{run_no}: {shape}; statuses {statuses}{check}")
    _note(f"{name}{run_no}: {result.requests} requests, {result.rps:.0f} req/s, "
          f"{result.errors} errors")
    return result


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    started, load_before = time.monotonic(), _load()
    try:
        per_scenario: list[str] = []
        results, log_path = run(args, stamp, per_scenario)
    except KeyboardInterrupt:
        _note("interrupted; gunicorn stopped")
        return 130
    except (RuntimeError, OSError, psycopg.Error, subprocess.SubprocessError) as exc:
        _note(f"failed: {exc}")
        return 2
    tracebacks = log_path.read_text(errors="replace").count("Traceback")
    notes = ["Per scenario:", *per_scenario, "",
             f"Server log: {log_path.relative_to(database.ROOT)} "
             f"({tracebacks} tracebacks). Run took {time.monotonic() - started:.0f} s."]
    setup = describe(args, database.server_version(args.pg_url), load_before)
    text = report.render("Benchmark " + stamp, setup, results, notes)
    print(text)
    _note(f"written to {report.write(text, RESULTS / f'{stamp}.md')}")
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
