"""The H5 storefront: the app shell for every /h5/ deep link, and its versioned static files."""

from __future__ import annotations

import gzip
import hashlib
import json
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, redirect, render_template_string, request

blp = Blueprint("pages", __name__)

STATIC = Path(__file__).resolve().parent.parent / "static"
# Only these trees are served as assets; the rest of static/ keeps Flask's own route.
ASSET_ROOTS = ("h5/", "shared/", "vendor/vue/", "vendor/vant/")
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".svg": "image/svg+xml", ".png": "image/png", ".json": "application/json"}
YEAR = 365 * 24 * 3600

SHELL = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="theme-color" content="#1f7a4d">
<title>绿建下乡 · 绿色建材进万家</title>
<link rel="stylesheet" href="{{ asset('vendor/vant/index.css') }}">
<link rel="stylesheet" href="{{ asset('h5/app.css') }}">
<script type="importmap">{{ importmap|safe }}</script>
</head>
<body>
<div id="app"><p class="boot">正在加载…</p></div>
<noscript>请在浏览器设置中开启 JavaScript 后再打开本页。</noscript>
<script>window.LVJIAN = {{ settings|safe }};</script>
<script src="{{ asset('vendor/vue/vue.global.prod.js') }}"></script>
<script src="{{ asset('vendor/vant/vant.min.js') }}"></script>
<script type="module" src="{{ asset('h5/main.js') }}"></script>
</body>
</html>
"""


@lru_cache(maxsize=512)
def _digest(path: str, mtime: float) -> str:
    return hashlib.sha256((STATIC / path).read_bytes()).hexdigest()[:10]


def asset(path: str) -> str:
    """The long-cacheable URL of a static file: its content hash in the query."""
    file = STATIC / path
    return f"/assets/{path}?v={_digest(path, file.stat().st_mtime)}"


def _importmap() -> str:
    # Modules import each other by plain paths; the map pins every one to its current version.
    modules = {}
    for root in ("h5", "shared"):
        for file in sorted((STATIC / root).rglob("*.js")):
            path = file.relative_to(STATIC).as_posix()
            modules[f"/assets/{path}"] = asset(path)
    return json.dumps({"imports": modules}).replace("</", "<\\/")


def _shell() -> Response:
    settings = {"dev_login": not current_app.config.get("WECHAT_APP_ID")
                and current_app.config["LVJIAN_ENV"] != "production"}
    html = render_template_string(SHELL, asset=asset, importmap=_importmap(),
                                  settings=json.dumps(settings))
    response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"
    return response


@blp.get("/")
def root():
    return redirect("/h5/", code=302)


@blp.get("/h5")
def h5_bare():
    return redirect("/h5/", code=301)


@blp.get("/h5/")
@blp.get("/h5/<path:subpath>")
def h5(subpath: str = ""):
    return _shell()


@lru_cache(maxsize=128)
def _gzipped(path: str, mtime: float) -> bytes:
    return gzip.compress((STATIC / path).read_bytes(), compresslevel=9, mtime=0)


@blp.get("/assets/<path:path>")
def assets(path: str):
    file = (STATIC / path).resolve()
    if (not path.startswith(ASSET_ROOTS) or STATIC not in file.parents or not file.is_file()
            or file.suffix not in TYPES):
        abort(404)
    mtime = file.stat().st_mtime
    etag = _digest(path, mtime)
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    elif "gzip" in request.headers.get("Accept-Encoding", "") and file.suffix != ".png":
        response = Response(_gzipped(path, mtime), mimetype=TYPES[file.suffix])
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(file.read_bytes(), mimetype=TYPES[file.suffix])
    response.set_etag(etag)
    response.vary.add("Accept-Encoding")
    versioned = request.args.get("v") == etag
    response.headers["Cache-Control"] = (f"public, max-age={YEAR}, immutable" if versioned
                                         else "no-cache")
    return response
