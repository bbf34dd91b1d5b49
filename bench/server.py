"""Gunicorn on 127.0.0.1 with the production config, started and always stopped by us."""

from __future__ import annotations

import base64
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.database import ROOT

HOST = "127.0.0.1"
START_TIMEOUT = 60.0  # seconds until /healthz must answer (boot is slow on a busy box)
STOP_TIMEOUT = 15.0  # seconds for a graceful stop before SIGKILL


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def production_env(database_url: str, redis_url: str) -> dict[str, str]:
    """Production config with fresh random secrets and made-up WeChat credentials (WeChat
    itself is answered in-process, bench/wsgi.py); rate limits off."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("WECHAT_", "LVJIAN_", "GUNICORN_", "WEB_CONCURRENCY"))}
    env.update(
        LVJIAN_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(48),
        DATA_ENCRYPTION_KEY=base64.b64encode(os.urandom(32)).decode(),
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        WECHAT_APP_ID="wx" + secrets.token_hex(8),
        WECHAT_APP_SECRET=secrets.token_hex(16),
        # All bench traffic comes from 127.0.0.1, so per-IP limits would answer 429.
        RATELIMIT_ENABLED="false",
        GUNICORN_ACCESS_LOG="",  # a line per request would be measured too
    )
    return env


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as resp:
            return resp.status == 200
    except OSError:
        return False


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int, threads: int, log_path: Path,
             target: str = "bench.wsgi:app") -> Iterator[str]:
    """Yield the base URL once /healthz answers; stop gunicorn on exit, whatever happened.

    The project's gunicorn.conf.py (limits, timeouts, JSON refusals), as in production;
    the command line sets what the run varies. `target`: the app, or bench/floor.py's."""
    port = free_port()
    cmd = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
           "-w", str(workers), "--threads", str(threads), "-b", f"{HOST}:{port}",
           "--graceful-timeout", "10", "--log-level", "warning", target]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:
        # Own session: a Ctrl-C reaches only the harness, which then stops gunicorn itself.
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        base_url = f"http://{HOST}:{port}"
        deadline = time.monotonic() + START_TIMEOUT
        while not _healthy(base_url + "/healthz"):
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({proc.returncode}):\n{_tail(log_path)}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn not healthy after {START_TIMEOUT:.0f} s:\n"
                                   f"{_tail(log_path)}")
            time.sleep(0.1)
        yield base_url
    finally:
        _stop(proc)


def _tail(path: Path, lines: int = 15) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the session we created for it
        proc.wait(5)
