"""The pages: the H5 storefront and the consoles. Each is one HTML shell for all its deep links,
its ES modules pinned by an import map, and versioned, long-cached static files under /assets/."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, redirect, render_template_string, request

blp = Blueprint("pages", __name__)

STATIC = Path(__file__).resolve().parent.parent / "static"
# Only these trees are served as assets; the rest of static/ keeps Flask's own route.
ASSET_ROOTS = ("h5/", "shared/", "console/", "vendor/vue/", "vendor/vant/",
               "vendor/element-plus/", "vendor/console/")
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".svg": "image/svg+xml", ".png": "image/png", ".json": "application/json",
         ".webmanifest": "application/manifest+json", ".wasm": "application/wasm",
         ".mp3": "audio/mpeg", ".wav": "audio/wav"}
YEAR = 365 * 24 * 3600

SHELL = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="theme-color" content="#1f7a4d">
<title>{{ site.title }}</title>
<link rel="icon" href="data:,">
{% if site.manifest %}<link rel="manifest" href="{{ site.manifest }}">{% endif %}
{% for css in site.styles %}<link rel="stylesheet" href="{{ asset(css) }}">
{% endfor %}<script type="importmap">{{ importmap|safe }}</script>

</head>
<body>
<div id="app"><p class="boot">正在加载…</p></div>
<noscript>请在浏览器设置中开启 JavaScript 后再打开本页。</noscript>
<script>window.LVJIAN = {{ settings|safe }};</script>
{% for script in site.scripts %}<script src="{{ asset(script) }}"></script>
{% endfor %}<script type="module" src="{{ asset(site.main) }}"></script>
</body>
</html>
"""


@dataclass(frozen=True)
class Site:
    """One single-page app: its URL prefix, its own module tree and the libraries it loads."""

    prefix: str  # "/h5/" or "/console/gate/"
    root: str  # its files under static/: "h5" or "console/gate"
    title: str
    styles: tuple[str, ...]
    scripts: tuple[str, ...]
    manifest: str | None = None
    on_demand: Mapping[str, str] = field(default_factory=dict)  # name → versioned URL setting

    @property
    def main(self) -> str:
        return f"{self.root}/main.js"


VUE = "vendor/vue/vue.global.prod.js"
ELEMENT = ("vendor/element-plus/index.full.min.js", "vendor/element-plus/zh-cn.min.js")
SITES = {
    "h5": Site("/h5/", "h5", "绿建下乡 · 绿色建材进万家",
               ("vendor/vant/index.css", "h5/app.css"), (VUE, "vendor/vant/vant.min.js")),
    "gate": Site("/console/gate/", "console/gate", "绿建下乡 · 展会验票",
                 ("vendor/element-plus/index.css", "console/gate/app.css"), (VUE, *ELEMENT),
                 manifest="/console/gate/manifest.webmanifest"),
    "merchant": Site("/console/merchant/", "console/merchant", "绿建下乡 · 商家后台",
                     ("vendor/element-plus/index.css", "shared/console.css"),
                     (VUE, *ELEMENT)),
    "admin": Site("/console/admin/", "console/admin", "绿建下乡 · 主管部门工作台",
                  ("vendor/element-plus/index.css", "shared/console.css",
                   "console/admin/app.css"), (VUE, *ELEMENT),
                  on_demand={"echarts": "vendor/console/echarts/echarts.common.min.js"}),
}


@lru_cache(maxsize=512)
def _digest(path: str, mtime: float) -> str:
    return hashlib.sha256((STATIC / path).read_bytes()).hexdigest()[:10]


def asset(path: str) -> str:
    """The long-cacheable URL of a static file: its content hash in the query."""
    file = STATIC / path
    return f"/assets/{path}?v={_digest(path, file.stat().st_mtime)}"


def _modules(site: Site) -> dict[str, str]:
    """Every ES module of the site (and the shared ones): plain path → versioned URL."""
    modules = {}
    for root in (site.root, "shared"):
        for file in sorted((STATIC / root).rglob("*.js")):
            path = file.relative_to(STATIC).as_posix()
            if file.name != "sw.js":  # the service worker is no module of the page
                modules[f"/assets/{path}"] = asset(path)
    return modules


def _importmap(modules: dict[str, str]) -> str:
    # Modules import each other by plain paths; the map pins every one to its current version.
    return json.dumps({"imports": modules}).replace("</", "<\\/")


def _shell(site: Site) -> Response:
    if not (STATIC / site.main).is_file():
        abort(404)
    settings = {"dev_login": not current_app.config.get("WECHAT_APP_ID")
                and current_app.config["LVJIAN_ENV"] != "production"}
    for name, path in site.on_demand.items():  # classic scripts a page loads when it needs them
        settings[name] = asset(path)
    html = render_template_string(SHELL, asset=asset, importmap=_importmap(_modules(site)),
                                  site=site, settings=json.dumps(settings))
    response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"
    return response


def _worker(site: Site) -> Response:
    """The site's service worker, at the top of its prefix so that its scope covers every page."""
    file = STATIC / site.root / "sw.js"
    if not file.is_file():
        abort(404)
    response = Response(file.read_bytes(), mimetype=TYPES[".js"])
    response.headers["Cache-Control"] = "no-cache"
    return response


@blp.get("/")
def root():
    return redirect("/h5/", code=302)


@blp.get("/h5")
def h5_bare():
    return redirect("/h5/", code=301)


@blp.get("/h5/sw.js")
def h5_worker():
    return _worker(SITES["h5"])


@blp.get("/h5/")
@blp.get("/h5/<path:subpath>")
def h5(subpath: str = ""):
    return _shell(SITES["h5"])


@blp.get("/console/<any(gate, merchant, admin):name>")
def console_bare(name: str):
    return redirect(f"/console/{name}/", code=301)


@blp.get("/console/<any(gate, merchant, admin):name>/sw.js")
def console_worker(name: str):
    return _worker(SITES[name])


@blp.get("/console/<any(gate, merchant, admin):name>/manifest.webmanifest")
def console_manifest(name: str):
    file = STATIC / SITES[name].root / "manifest.webmanifest"
    if not file.is_file():
        abort(404)
    response = Response(file.read_bytes(), mimetype=TYPES[".webmanifest"])
    response.headers["Cache-Control"] = "no-cache"
    return response


@blp.get("/console/<any(gate, merchant, admin):name>/")
@blp.get("/console/<any(gate, merchant, admin):name>/<path:subpath>")
def console(name: str, subpath: str = ""):
    return _shell(SITES[name])


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
