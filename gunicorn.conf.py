"""gunicorn settings for `gunicorn -c gunicorn.conf.py wsgi:app`; command-line options win."""

from __future__ import annotations

import json
import os
from http import HTTPStatus

import gunicorn.util

# -- processes: sized for a 2-core host -------------------------------------------------
# gthread: a worker per core runs Python, its threads overlap the waits on PostgreSQL and
# Redis. Each worker has its own SQLAlchemy pool (5 + 10 overflow), so workers x threads
# stays well inside PostgreSQL's max_connections per host.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", max(2, os.cpu_count() or 1)))
threads = int(os.environ.get("GUNICORN_THREADS", 8))
# Not preloaded: create_app() opens database and Redis connections, which forked workers
# must not share.
preload_app = False
# A worker that grew (a large image decoded, a big export) is replaced now and then.
max_requests = 5000
max_requests_jitter = 500
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# gunicorn >= 25's control socket sits at one path per user: two instances on a host (a
# deploy overlap, the benchmarks, the tests) would take it from each other. Not used here.
control_socket_disable = True

# -- timeouts ---------------------------------------------------------------------------
# A worker silent this long is replaced (a gthread worker stays alive during one long
# request). The app's own waits are shorter and answer 503: PostgreSQL connect 5 s, a pool
# connection 10 s, the SQLite write lock 10 s.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 25  # a deploy lets running requests finish
keepalive = 5  # nginx keeps upstream connections open; the default 2 s closes them early

# -- request limits -----------------------------------------------------------------------
# Anything a client may legitimately send must reach the app, which answers a bad one in
# its JSON error shape (an over-long `q` or cursor: 422). 8190 is gunicorn's largest
# request line: a 5,000-character ASCII `q` fits; what doesn't is answered by gunicorn,
# in the same JSON shape (write_error below). nginx in front needs
# `large_client_header_buffers 4 16k` to pass as much.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 16 * 1024  # a 10 KB header (long tokens, cookies) passes

# -- logs -------------------------------------------------------------------------------
# The access log leaves out the query string and the referer: a query may carry a name or
# a phone number (search, certificate lookups, a pasted link). Path, status, bytes,
# milliseconds, the request id the app answers with (also in the app's log lines) and the
# user agent are what an operator needs.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms "%({x-request-id}o)s" "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# -- behind a proxy ---------------------------------------------------------------------
# X-Forwarded-Proto (https) is trusted only from these addresses: nginx on the same host by
# default. Set FORWARDED_ALLOW_IPS to the proxy's address when it runs elsewhere; never "*"
# unless nothing but the proxy can reach this port.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


# -- gunicorn's own errors in the API's one shape ------------------------------------------
# What gunicorn refuses before the app sees it (a request line or header beyond the limits
# above, a malformed request) would be an HTML page; clients branch on the JSON error shape.
# The messages are app.core.errors.DEFAULTS' (a test keeps them equal); not imported, as
# this file is read before the app is on sys.path.
_GUNICORN_ERRORS = {
    400: ("bad_request", "请求格式有误"),
    403: ("forbidden", "无权进行此操作"),
    414: ("uri_too_long", "请求地址过长"),
    417: ("expectation_failed", "不支持的 Expect 请求头"),
    431: ("headers_too_large", "请求头过大"),
    500: ("internal_error", "服务器开小差了，请稍后再试"),
    501: ("not_implemented", "不支持的传输编码"),
}


def _write_json_error(sock, status_int, reason, mesg):
    error, message = _GUNICORN_ERRORS.get(status_int, ("error", reason))
    try:
        phrase = HTTPStatus(status_int).phrase
    except ValueError:
        phrase = reason
    body = json.dumps({"code": status_int, "status": phrase, "error": error,
                       "message": message}, ensure_ascii=False).encode()
    head = (f"HTTP/1.1 {status_int} {phrase}\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    gunicorn.util.write_nonblock(sock, head.encode("latin-1") + body)


gunicorn.util.write_error = _write_json_error
