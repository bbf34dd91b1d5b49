"""The load generator: asyncio + aiohttp with keep-alive, run in a separate process."""

from __future__ import annotations

import asyncio
import math
import multiprocessing as mp
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import aiohttp

from bench.client import REQUEST_TIMEOUT, new_session, send
from bench.scenarios import SCENARIOS


@dataclass(frozen=True)
class LoadSpec:
    base_url: str
    scenario: str
    state: Any  # what the scenario's setup returned
    concurrency: int
    duration: float  # seconds measured, after the warm-up
    warmup: float  # seconds of load not counted
    max_requests: int  # measured requests, at most


@dataclass
class LoadResult:
    scenario: str
    requests: int = 0
    errors: int = 0
    elapsed: float = 0.0
    p50_ms: float = math.nan
    p99_ms: float = math.nan
    error_kinds: dict[str, int] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)  # measured responses by status

    @property
    def rps(self) -> float:
        return self.requests / self.elapsed if self.elapsed > 0 else 0.0


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile of an ascending list (NaN when empty)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


async def _drive(spec: LoadSpec) -> LoadResult:
    scenario = SCENARIOS[spec.scenario]
    ok = scenario.ok_statuses
    latencies: list[float] = []  # seconds, successful measured requests
    kinds: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    measured = 0
    index = 0  # request index handed to the factory, warm-up included
    last_done = 0.0
    t0 = time.perf_counter()
    start, stop = t0 + spec.warmup, t0 + spec.warmup + spec.duration

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal measured, index, last_done
        while (now := time.perf_counter()) < stop and measured < spec.max_requests:
            counted = now >= start
            measured += counted
            req = scenario.make_request(index, spec.state)
            index += 1
            error = None
            try:
                status, _ = await send(session, req)
                if now >= start:
                    statuses[status] += 1
                if status not in ok:
                    error = f"HTTP {status}"
            except (aiohttp.ClientError, TimeoutError, OSError) as exc:
                error = type(exc).__name__
            done = time.perf_counter()
            if not counted:
                continue
            last_done = max(last_done, done)
            if error:
                kinds[error] += 1
            else:
                latencies.append(done - now)

    async with new_session(spec.base_url, spec.concurrency) as session:
        await asyncio.gather(*(worker(session) for _ in range(spec.concurrency)))
    latencies.sort()
    return LoadResult(
        scenario=spec.scenario, requests=measured, errors=sum(kinds.values()),
        elapsed=max(0.0, last_done - start), error_kinds=dict(kinds), statuses=dict(statuses),
        p50_ms=percentile(latencies, 50) * 1000, p99_ms=percentile(latencies, 99) * 1000,
    )


def _child(spec: LoadSpec, conn: Connection) -> None:
    try:
        conn.send(asyncio.run(_drive(spec)))
    except BaseException as exc:  # report anything, including Ctrl-C, to the parent
        conn.send(RuntimeError(f"load generator failed: {exc!r}"))
    finally:
        conn.close()


def run_load(spec: LoadSpec) -> LoadResult:
    """Run one scenario's load in a fresh process; bounded by duration + request timeout."""
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(spec, child), name=f"bench-load-{spec.scenario}")
    proc.start()
    child.close()
    result: LoadResult | Exception | None = None
    try:
        deadline = spec.warmup + spec.duration + REQUEST_TIMEOUT + 30
        if not parent.poll(deadline):
            raise RuntimeError(f"load generator gave no result within {deadline:.0f} s")
        result = parent.recv()
    except EOFError:
        proc.join(5)
        raise RuntimeError(f"load generator died (exit code {proc.exitcode})") from None
    finally:
        proc.join(5 if result is not None else 0)  # interrupted or failed: stop it now
        if proc.is_alive():
            proc.terminate()
            proc.join(5)
    if isinstance(result, Exception):
        raise result
    return result
