"""`python -m bench.pages`: the storefront on a township's 3G, in real Chromium.

Seeds the demo campaign into PostgreSQL, starts gunicorn (production config, as `python -m
bench`), then opens each page in Debian's chromium with the network throttled through the
DevTools protocol (default 1.6 Mbit/s down, 750 kbit/s up, 300 ms round trip) and reports, per
page, first visit (empty cache) and repeat visit (same browser): bytes transferred (what the
network carried, headers included, gzip as sent), requests, and the time until the page shows
what a villager came for (the first product card, the certificate verdict, the expo title).

The floor beside each time is what the bytes alone cost on that link: bytes / bandwidth plus
one round trip per request wave that cannot overlap (document, then its scripts, then the API
call: 3 round trips on a first visit). A ratio near 1 means the page waits only for the
network; a big ratio points at work in the browser or serial requests.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

from bench import database, report, server

RESULTS = Path(__file__).resolve().parent / "results"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
SERIAL_ROUND_TRIPS = 3  # the document, the scripts it names, the API call the page makes


@dataclass
class Visit:
    page: str
    kind: str  # "first" or "repeat"
    requests: int
    bytes: int
    ready_ms: float
    floor_ms: float

    @property
    def ratio(self) -> float:
        return self.ready_ms / self.floor_ms if self.floor_ms else 0.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--down-kbit", type=float, default=1600, help="download kbit/s")
    p.add_argument("--up-kbit", type=float, default=750, help="upload kbit/s")
    p.add_argument("--rtt-ms", type=float, default=300, help="round-trip time added per request")
    p.add_argument("--database", default="lvjian_bench_pages", help="dropped and recreated!")
    p.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    p.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    p.add_argument("--keep-db", action="store_true")
    args = p.parse_args(argv)
    if not args.database.startswith("lvjian_bench"):
        p.error("--database must start with lvjian_bench (it is dropped)")
    return args


def _throttle(page, args: argparse.Namespace):
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": args.rtt_ms,
        "downloadThroughput": args.down_kbit * 1000 / 8,
        "uploadThroughput": args.up_kbit * 1000 / 8})
    carried: dict[str, float] = {}
    cdp.on("Network.loadingFinished",
           lambda e: carried.__setitem__(e["requestId"], e["encodedDataLength"]))
    return carried


def _visit(page, carried: dict, url: str, ready: str, name: str, kind: str,
           args: argparse.Namespace) -> Visit:
    carried.clear()
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.locator(ready).first.wait_for(timeout=120_000)
    ready_ms = (time.perf_counter() - started) * 1000
    page.wait_for_load_state("networkidle")
    total = int(sum(carried.values()))
    waves = SERIAL_ROUND_TRIPS if kind == "first" else 2
    floor = total * 8 / (args.down_kbit * 1000) * 1000 + waves * args.rtt_ms
    return Visit(name, kind, len(carried), total, ready_ms, floor)


def measure(base_url: str, args: argparse.Namespace) -> list[Visit]:
    import json
    import urllib.request

    from playwright.sync_api import sync_playwright

    def get(path: str) -> dict:
        with urllib.request.urlopen(base_url + path, timeout=10) as resp:
            return json.load(resp)

    product = get("/api/mp/v1/products?q=%E7%93%B7%E7%A0%96&limit=1")["items"][0]
    expo = get("/api/mp/v1/expos")["items"][0]
    pages = [
        ("home", "/h5/", ".category-grid .van-grid-item"),
        ("search 瓷砖", "/h5/products?q=" + quote("瓷砖"), ".product-card"),
        ("product", f"/h5/products/{product['id']}", ".product-title"),
        ("certificate", "/h5/certificates/" + quote(product["certificate"]["number"]),
         ".verdict"),
        ("expo (poster)", f"/h5/expos/{expo['id']}", ".product-title"),
    ]
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise RuntimeError("needs Debian's chromium (apt-get install chromium)")
    visits = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True,
                                     args=CHROMIUM_ARGS)
        for name, path, ready in pages:
            # A fresh phone per page: its first visit starts from an empty cache.
            context = browser.new_context(locale="zh-CN", is_mobile=True, has_touch=True,
                                          viewport={"width": 390, "height": 844},
                                          device_scale_factor=2, service_workers="block")
            page = context.new_page()
            carried = _throttle(page, args)
            for kind in ("first", "repeat"):
                visits.append(_visit(page, carried, base_url + path, ready, name, kind, args))
            context.close()
        browser.close()
    return visits


def render(visits: list[Visit], setup: dict[str, str]) -> str:
    lines = ["| page | visit | requests | KB transferred | ready (ms) | floor (ms) | ratio |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for v in visits:
        lines.append(f"| {v.page} | {v.kind} | {v.requests} | {v.bytes / 1024:.1f} | "
                     f"{v.ready_ms:.0f} | {v.floor_ms:.0f} | {v.ratio:.2f} |")
    head = [f"# Pages on a slow network {datetime.now():%Y-%m-%d %H:%M}", ""]
    head += [f"- {k}: {v}" for k, v in setup.items()] + [""]
    return "\n".join(head + lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    db_url = urlsplit(args.pg_url)._replace(path="/" + args.database).geturl()
    print(f"[bench.pages] recreating {args.database}, migrating, seeding", file=sys.stderr)
    database.recreate(args.pg_url, args.database)
    try:
        database.migrate_and_seed(db_url, args.redis_url)
        env = server.production_env(db_url, args.redis_url)
        with server.gunicorn(env, workers=2, threads=4,
                             log_path=RESULTS / f"{stamp}-pages-gunicorn.log") as base_url:
            visits = measure(base_url, args)
    finally:
        if not args.keep_db:
            database.drop(args.pg_url, args.database)
    setup = {"network": f"{args.down_kbit:g} kbit/s down, {args.up_kbit:g} kbit/s up, "
                        f"{args.rtt_ms:g} ms round trip (Chromium DevTools emulation)",
             "browser": "Debian chromium, headless, phone viewport 390x844 @2x, "
                        "service worker blocked (a first visit has none yet)",
             "server": "gunicorn, 2 workers x 4 threads, LVJIAN_ENV=production, "
                       "demo data on PostgreSQL",
             "ready": "the first product card / verdict / title visible",
             "floor": f"bytes / bandwidth + {SERIAL_ROUND_TRIPS} round trips (first) or 2 "
                      "(repeat)"}
    text = render(visits, setup)
    print(text)
    out = report.write(text, RESULTS / f"{stamp}-pages.md")
    print(f"[bench.pages] written to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
