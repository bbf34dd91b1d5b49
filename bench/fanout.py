"""`python -m bench.fanout`: a province-wide expo reminder to N ticket holders (issue 16).

One command: recreates the PostgreSQL database `lvjian_fanout` (127.0.0.1), migrates it,
seeds one expo starting tomorrow (China time) with N registered tickets whose holders each
accepted the reminder template once (a consent credit), starts a stand-in for WeChat's API on
a free loopback port (answers /cgi-bin/token and /cgi-bin/message/subscribe/send after
`--latency` ms, counts what it receives), starts `--workers` RQ workers (`flask worker`),
runs `flask jobs tick` once and times until every reminder is out of pending/sending. Then
it prints the counts: rows sent, messages the stand-in received, openids that got two.

The stand-in is test tooling on loopback: the app talks to it through its real wechatpy
client (WECHAT_API_BASE_URL, refused by the production config), not through a fake client.

    .venv/bin/python -m bench.fanout                   # 10,000 tickets, 2 workers, 50 ms
    .venv/bin/python -m bench.fanout --tickets 2000 --keep-db

Redis: `--redis-url` (default db 15 of 127.0.0.1:6379, pick one nobody else uses) is flushed
at the start.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from bench import database

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DB_NAME = "lvjian_fanout"
RESULTS = ROOT / "bench" / "results"


# ---- the stand-in for api.weixin.qq.com ----------------------------------------------------

def serve_stand_in(port: int, latency: float) -> None:
    """aiohttp on 127.0.0.1:port, in its own process: answers like WeChat after `latency`
    seconds, counts the messages per (openid, template, page); GET /__stats reports."""
    import asyncio

    from aiohttp import web

    sends: Counter = Counter()
    tokens = 0

    async def token(request: web.Request) -> web.Response:
        nonlocal tokens
        await asyncio.sleep(latency)
        tokens += 1
        return web.json_response({"access_token": "stand-in-token", "expires_in": 7200})

    async def send(request: web.Request) -> web.Response:
        data = await request.json()
        await asyncio.sleep(latency)
        if request.query.get("access_token") != "stand-in-token":
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
        if not data.get("touser") or not data.get("template_id") or not data.get("data"):
            return web.json_response({"errcode": 47003, "errmsg": "argument invalid!"})
        sends[(data["touser"], data["template_id"], data.get("page"))] += 1
        return web.json_response({"errcode": 0, "errmsg": "ok", "msgid": len(sends)})

    async def stats(request: web.Request) -> web.Response:
        return web.json_response({"received": sum(sends.values()), "openids": len(sends),
                                  "twice": sum(1 for c in sends.values() if c > 1),
                                  "tokens": tokens})

    app = web.Application()
    app.router.add_get("/cgi-bin/token", token)
    app.router.add_post("/cgi-bin/message/subscribe/send", send)
    app.router.add_get("/__stats", stats)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None, backlog=1024)


class StandIn:
    """The stand-in's process, seen from the bench."""

    def __init__(self, latency: float) -> None:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.fanout", "--serve", str(self.port), str(latency)],
            cwd=ROOT)
        deadline = time.monotonic() + 60
        while True:
            try:
                self.stats()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def stats(self) -> dict:
        from urllib.request import urlopen

        with urlopen(self.url + "__stats", timeout=5) as answer:
            return json.loads(answer.read())

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


# ---- seeding ----------------------------------------------------------------------------------

SEED = r'''
import sys
from datetime import datetime, time, timedelta
import sqlalchemy as sa
from app import create_app
from app.core.db import CHINA, utcnow
from app.expos import codes
from app.expos.models import Expo, ExpoTicket
from app.extensions import db
from app.accounts.models import User
from app.notifications.models import WechatSubscription
from app.regions.services import seed_builtin

n = int(sys.argv[1])
app = create_app()
with app.app_context():
    seed_builtin()
    tomorrow = utcnow().astimezone(CHINA).date() + timedelta(days=1)
    starts = datetime.combine(tomorrow, time(9), CHINA)
    key_enc, public = codes.new_keypair()
    expo = Expo(title="河南省绿色建材下乡全省联合展销会", venue="郑州国际会展中心",
                township_code="410105001", organiser_region_code="410000", starts_at=starts,
                ends_at=starts + timedelta(hours=8),
                registration_opens_at=utcnow() - timedelta(days=7),
                registration_closes_at=starts, capacity=n, status="published",
                registered_count=n, signing_key_enc=key_enc, public_key=public)
    db.session.add(expo)
    db.session.flush()
    now = utcnow()
    template = app.config["WECHAT_SUBSCRIBE_TEMPLATES"]["expo_reminder"]
    for start in range(0, n, 1000):
        users = [{"role": "villager", "nickname": f"村民{i}", "is_active": True,
                  "wechat_openid": f"fanout-openid-{i:06d}", "region_code": "410105001",
                  "created_at": now, "updated_at": now}
                 for i in range(start, min(n, start + 1000))]
        ids = db.session.scalars(sa.insert(User).returning(User.id), users).all()
        db.session.execute(sa.insert(ExpoTicket), [
            {"expo_id": expo.id, "user_id": uid, "status": "registered",
             "secret": f"s{uid:015d}"[-16:], "changed_version": 1, "created_at": now,
             "updated_at": now} for uid in ids])
        db.session.execute(sa.insert(WechatSubscription), [
            {"user_id": uid, "template_id": template, "credits": 1, "updated_at": now}
            for uid in ids])
    db.session.commit()
    print(expo.id)
'''

COUNT = r'''
import sys
import sqlalchemy as sa
from app import create_app
from app.extensions import db
from app.notifications.models import Notification, WechatSubscription
app = create_app()
with app.app_context():
    rows = dict(db.session.execute(sa.select(Notification.status, sa.func.count())
                .where(Notification.kind == "expo_reminder").group_by(Notification.status)).all())
    channels = dict(db.session.execute(sa.select(Notification.channel, sa.func.count())
                    .where(Notification.kind == "expo_reminder")
                    .group_by(Notification.channel)).all())
    attempts = db.session.scalar(sa.select(sa.func.max(Notification.attempts)))
    credits = db.session.scalar(sa.select(sa.func.sum(WechatSubscription.credits)))
    print({"status": rows, "channel": channels, "max_attempts": attempts,
           "credits_left": credits})
'''


def _env(args, stand_in: StandIn) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("WECHAT_", "LVJIAN_", "TENCENT_", "SMS_"))}
    env.update(LVJIAN_ENV="development",
               DATABASE_URL=f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}",
               REDIS_URL=args.redis_url, WECHAT_APP_ID="wx00000000000fa000",
               WECHAT_APP_SECRET="0" * 32, WECHAT_API_BASE_URL=stand_in.url,
               EXPO_REMINDER_HOUR="0",  # whatever the hour the bench runs at
               NOTIFY_SEND_THREADS=str(args.threads), NOTIFY_BATCH_SIZE=str(args.batch),
               LOG_LEVEL="WARNING", PYTHONUNBUFFERED="1")
    return env


def _python(code: str, env: dict, *argv: str) -> str:
    done = subprocess.run([sys.executable, "-c", code, *argv], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    return done.stdout.strip()


def _flask(env: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    return done.stdout.strip()


def _wait_for_workers(args) -> None:
    import redis
    import rq

    connection = redis.Redis.from_url(args.redis_url)
    deadline = time.monotonic() + 180
    while len(rq.Worker.all(connection=connection)) < args.workers:
        if time.monotonic() > deadline:
            raise RuntimeError("the RQ workers did not start; see bench/results/fanout-*.log")
        time.sleep(0.5)


def _app(env: dict):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    from app import create_app

    return create_app()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.fanout", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tickets", type=int, default=10_000)
    p.add_argument("--workers", type=int, default=2, help="RQ worker processes")
    p.add_argument("--latency", type=float, default=50.0, help="stand-in answer time, ms")
    p.add_argument("--threads", type=int, default=50, help="NOTIFY_SEND_THREADS per job")
    p.add_argument("--batch", type=int, default=200, help="NOTIFY_BATCH_SIZE")
    p.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    p.add_argument("--limit", type=float, default=60.0, help="seconds allowed (pass/fail)")
    p.add_argument("--keep-db", action="store_true")
    p.add_argument("--serve", nargs=2, metavar=("PORT", "LATENCY_S"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.serve:
        serve_stand_in(int(args.serve[0]), float(args.serve[1]))
        return 0

    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    stand_in = StandIn(args.latency / 1000)
    env = _env(args, stand_in)
    database.recreate(ADMIN_URL, DB_NAME)
    workers: list[subprocess.Popen] = []
    try:
        print(f"migrating {DB_NAME} and seeding {args.tickets} tickets...", flush=True)
        _flask(env, "db", "upgrade")
        _python(SEED, env, str(args.tickets))
        RESULTS.mkdir(exist_ok=True)
        logs = [open(RESULTS / f"fanout-worker-{i}.log", "w")  # noqa: SIM115
                for i in range(args.workers)]
        workers = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "worker"],
                                    cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
                   for log in logs]
        _wait_for_workers(args)
        # The clock starts when `jobs tick` starts its work: in this process, with the app
        # already built (starting a Python process with the whole app is not the fan-out).
        app = _app(env)
        started = time.monotonic()
        with app.app_context():
            tick = app.test_cli_runner().invoke(args=["jobs", "tick"]).output.strip()
        queued_after = time.monotonic() - started
        import psycopg

        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
            while True:
                open_rows = conn.execute(
                    "SELECT count(*) FROM notifications WHERE kind = 'expo_reminder' "
                    "AND status IN ('pending', 'sending')").fetchone()[0]
                total = conn.execute("SELECT count(*) FROM notifications "
                                     "WHERE kind = 'expo_reminder'").fetchone()[0]
                if total >= args.tickets and open_rows == 0:
                    break
                if time.monotonic() - started > max(300.0, args.limit * 3):
                    print("giving up: still open", open_rows, flush=True)
                    break
                time.sleep(0.2)
        elapsed = time.monotonic() - started
        counts = _python(COUNT, env)
        stats = stand_in.stats()
        received, twice = stats["received"], stats["twice"]
        print(f"tick: {tick}")
        print(f"rows: {counts}")
        print(f"tickets={args.tickets} workers={args.workers} latency={args.latency:.0f}ms "
              f"threads/job={args.threads} batch={args.batch}")
        print(f"tick (insert + queue) took {queued_after:.1f}s; all delivered after "
              f"{elapsed:.1f}s")
        print(f"stand-in received {received} subscribe messages for {stats['openids']} "
              f"openids, {twice} received twice; token fetches {stats['tokens']}")
        ok = (elapsed < args.limit and received == args.tickets == stats["openids"]
              and twice == 0)
        print("PASS" if ok else "FAIL", f"(limit {args.limit:.0f}s, exactly once each)")
        return 0 if ok else 1
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
        stand_in.stop()
        if not args.keep_db:
            database.drop(ADMIN_URL, DB_NAME)


if __name__ == "__main__":
    sys.exit(main())
