"""The machine's floor for a gate scan: a bare WSGI function doing only the scan's essential
work through psycopg (conditional UPDATE of the ticket, INSERT of the scan row, COMMIT).

Test tooling for `python -m bench` (scenario `floor`), served by its own gunicorn beside the
app's, with the same workers and threads; never part of the app. The hot paths' rates are
shown as ratios to this one, measured in the same run on the same CPUs.
"""

from __future__ import annotations

import json
import os
import threading

import psycopg

URL = os.environ["DATABASE_URL"]
_local = threading.local()

ADMIT = ("UPDATE expo_tickets SET admitted_at = now(), admitted_by = %(staff)s, "
         "updated_at = now() WHERE id = %(ticket)s AND expo_id = %(expo)s "
         "AND status = 'registered' AND admitted_at IS NULL RETURNING id")
SCAN = ("INSERT INTO expo_scans (expo_id, ticket_id, raw_code, staff_id, nonce, scanned_at, "
        "received_at, result, offline, duplicate) VALUES (%(expo)s, %(ticket)s, %(code)s, "
        "%(staff)s, %(nonce)s, now(), now(), %(result)s, false, %(duplicate)s)")


def _connection() -> psycopg.Connection:
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed:
        conn = _local.conn = psycopg.connect(URL)
    return conn


def _answer(start_response, status: str, body: dict) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(data)))])
    return [data]


def app(environ, start_response):
    path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD")
    if path == "/healthz":
        return _answer(start_response, "200 OK", {"status": "ok"})
    if path != "/floor/scan" or method != "POST":
        return _answer(start_response, "404 Not Found", {"error": "not_found"})
    size = int(environ.get("CONTENT_LENGTH") or 0)
    scan = json.loads(environ["wsgi.input"].read(size))
    conn = _connection()
    with conn.transaction():
        admitted = conn.execute(ADMIT, scan).fetchone() is not None
        result = "admitted" if admitted else "already_admitted"
        conn.execute(SCAN, {**scan, "result": result, "duplicate": not admitted})
    return _answer(start_response, "200 OK", {"result": result})
