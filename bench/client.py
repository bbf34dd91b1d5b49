"""HTTP request description and aiohttp helpers shared by setup steps and the load generator."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp

REQUEST_TIMEOUT = 10.0  # seconds, per request


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    json: Any = None
    headers: Mapping[str, str] | None = None


def new_session(base_url: str, concurrency: int) -> aiohttp.ClientSession:
    """A keep-alive session with one pooled connection per concurrent worker."""
    connector = aiohttp.TCPConnector(limit=concurrency, keepalive_timeout=1.0)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    return aiohttp.ClientSession(base_url, connector=connector, timeout=timeout)


async def send(session: aiohttp.ClientSession, req: Request) -> tuple[int, bytes]:
    async with session.request(req.method, req.path, json=req.json,
                               headers=dict(req.headers or {})) as resp:
        return resp.status, await resp.read()


async def _fetch_all(base_url: str, reqs: Sequence[Request],
                     concurrency: int) -> list[tuple[int, Any]]:
    results: list[tuple[int, Any]] = [(0, None)] * len(reqs)
    gate = asyncio.Semaphore(concurrency)

    async def one(i: int, session: aiohttp.ClientSession) -> None:
        async with gate, session.request(reqs[i].method, reqs[i].path, json=reqs[i].json,
                                         headers=dict(reqs[i].headers or {})) as resp:
            body = await resp.json(content_type=None) if resp.content_length != 0 else None
            results[i] = (resp.status, body)

    async with new_session(base_url, concurrency) as session:
        await asyncio.gather(*(one(i, session) for i in range(len(reqs))))
    return results


def fetch_all(base_url: str, reqs: Sequence[Request],
              concurrency: int = 8) -> list[tuple[int, Any]]:
    """Send reqs (at most `concurrency` at a time); (status, decoded JSON body) for each."""
    return asyncio.run(_fetch_all(base_url, reqs, concurrency))
