"""Real gunicorn with gunicorn.conf.py: long requests reach the app, refusals are JSON."""

from __future__ import annotations

import http.client
import json
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from app.core.errors import DEFAULTS

ROOT = Path(__file__).resolve().parent.parent
SHAPE = {"code", "status", "error", "message"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, \
            response.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def gunicorn(app, tmp_path_factory):
    """gunicorn -c gunicorn.conf.py wsgi:app on a free loopback port, the test database and
    Redis (the `app` fixture has migrated it); stopped afterwards whatever happened."""
    port = _free_port()
    log_path = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    env = {**os.environ, "LVJIAN_ENV": "testing", "GUNICORN_ACCESS_LOG": "-"}
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-b",
             f"127.0.0.1:{port}", "-w", "1", "--threads", "2", "wsgi:app"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if _get(port, "/api/ping")[0] == 200:
                    break
            except OSError:
                pass
            assert proc.poll() is None, log_path.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "gunicorn did not answer within 30 s"
            time.sleep(0.1)
        yield port, log_path
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def _app_answer(status: int, headers: dict, body: bytes) -> dict:
    """An answer the app gave: JSON, with its request id, never a server error."""
    assert status < 500, body[:300]
    assert headers["content-type"].startswith("application/json")
    assert headers.get("x-request-id"), "answered by gunicorn, not the app"
    return json.loads(body)


def test_a_5000_character_q_reaches_the_app(gunicorn):
    port, _ = gunicorn
    status, headers, body = _get(port, "/api/mp/v1/products?q=" + "a" * 5000)
    answer = _app_answer(status, headers, body)
    if status >= 400:
        assert set(answer) >= SHAPE and answer["code"] == status


def test_a_10kb_header_reaches_the_app(gunicorn):
    port, _ = gunicorn
    status, headers, body = _get(port, "/api/ping", {"X-Client-Note": "x" * 10 * 1024})
    assert status == 200
    assert _app_answer(status, headers, body) == {"pong": True}


@pytest.mark.parametrize(("path", "headers", "status", "error"), [
    ("/api/mp/v1/products?q=" + quote("砖" * 3000), {}, 414, "uri_too_long"),  # 27 KB
    ("/api/ping", {"X-Client-Note": "x" * 20 * 1024}, 431, "headers_too_large"),
], ids=["request-line", "header"])
def test_what_gunicorn_refuses_is_in_the_json_shape(gunicorn, path, headers, status, error):
    port, _ = gunicorn
    got, response_headers, body = _get(port, path, headers)
    assert got == status
    assert response_headers["content-type"] == "application/json"
    answer = json.loads(body)
    assert set(answer) == SHAPE and (answer["code"], answer["error"]) == (status, error)


def test_the_access_log_leaves_out_query_strings(gunicorn):
    port, log_path = gunicorn
    _get(port, "/api/mp/v1/products?q=13712345678", {"X-Request-ID": "access-log-check"})
    deadline = time.monotonic() + 5
    while "access-log-check" not in (text := log_path.read_text(errors="replace")):
        assert time.monotonic() < deadline, text[-2000:]
        time.sleep(0.05)
    # the access line (the app's own log lines of that request carry its id too)
    [line] = [line for line in text.splitlines()
              if "access-log-check" in line and '"GET ' in line]
    assert '"GET /api/mp/v1/products"' in line
    assert "13712345678" not in text and "q=" not in text


def test_gunicorn_speaks_with_the_apps_messages():
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    for status, reason in settings["_GUNICORN_ERRORS"].items():
        if status in DEFAULTS:
            assert reason == DEFAULTS[status], status
    assert settings["limit_request_line"] == 8190
    assert settings["limit_request_field_size"] > 10 * 1024
