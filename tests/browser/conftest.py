"""Real headless Chromium (Debian's package) driven by Playwright, against a live server."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

import config as app_config
from app import create_app
from app.extensions import db
from tests.conftest import IN_CI

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Without these, Chromium tries Google's hosts at start, which this network refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        if IN_CI:
            pytest.fail("CI needs Debian's chromium for the browser tests")
        pytest.skip("no chromium: `apt-get install chromium` (bash .ci/test does it as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextlib.contextmanager
def serving(app):
    """`app` on a free loopback port, in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def live_server(app):
    with serving(app) as url:
        yield url


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


# --- the H5 storefront: a separate app per test module, on its own SQLite file ---------------

PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("H5_SCREENSHOT_DIR")
AXE = Path(__file__).resolve().parents[2] / "static/vendor/axe-core/axe.min.js"


@pytest.fixture(scope="module")
def h5_app(tmp_path_factory):
    """The demo campaign, committed, in a SQLite file shared by the server's threads."""
    base = tmp_path_factory.mktemp("h5")
    config = app_config.TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{base / 'h5.db'}"
    config.SQLALCHEMY_ENGINE_OPTIONS = {"hide_parameters": True}
    config.UPLOAD_DIR = str(base / "uploads")
    app = create_app(config)
    with app.app_context():
        upgrade()
        from app.demo import seed_all

        seed_all()
        db.session.commit()
    return app


@pytest.fixture(scope="module")
def h5(h5_app):
    with serving(h5_app) as url:
        yield url


@pytest.fixture
def phone(browser):
    """A phone-sized page (390x844, touch, Chinese locale)."""
    context = browser.new_context(locale="zh-CN", viewport=PHONE, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10000)
    yield page
    context.close()


def shot(page, name):
    """A screenshot into $H5_SCREENSHOT_DIR when it is set (for the issue note)."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=False)


def api_get(app, path, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return app.test_client().get(f"/api/mp/v1{path}", headers=headers).get_json()


def dev_login(page, base, name):
    """Log the page in as dev villager `name` (token in localStorage); returns the token."""
    answer = page.request.post(f"{base}/api/mp/v1/auth/wechat-login",
                               data={"code": f"dev-{name}"}).json()
    page.goto(f"{base}/h5/")
    page.evaluate("t => localStorage.setItem('lvjian.token', t)", answer["token"])
    return answer["token"]


def axe_violations(page) -> list[dict]:
    """WCAG 2.x A/AA violations axe-core finds on the page as it stands."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    return [{"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]),
             "where": [" ".join(n["target"]) for n in v["nodes"][:3]]}
            for v in result["violations"]]


def fake_camera_video(png: bytes, path) -> None:
    """A few 640x480 frames of a QR on white: what Chromium's fake camera plays in a loop."""
    from PIL import Image

    qr = Image.open(io.BytesIO(png)).convert("L").resize((420, 420), Image.NEAREST)
    frame = Image.new("L", (640, 480), 255)
    frame.paste(qr, ((640 - 420) // 2, (480 - 420) // 2))
    y, cb, cr = frame.convert("RGB").convert("YCbCr").split()
    planes = y.tobytes() + cb.resize((320, 240)).tobytes() + cr.resize((320, 240)).tobytes()
    with open(path, "wb") as out:
        out.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(6):
            out.write(b"FRAME\n" + planes)


@contextlib.contextmanager
def camera_browser(browser, video):
    """A second chromium whose camera shows `video` (fake_camera_video), permission granted."""
    launched = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True,
        args=[*CHROMIUM_ARGS, "--use-fake-ui-for-media-stream",
              "--use-fake-device-for-media-stream", f"--use-file-for-fake-video-capture={video}"])
    try:
        yield launched
    finally:
        launched.close()


# ---- the consoles ---------------------------------------------------------------------------

DESKTOP = {"width": 1366, "height": 900}


def console_token(app, username: str) -> str:
    """A bearer token for a demo console account (password lvjian-demo)."""
    answer = app.test_client().post("/api/v1/auth/login",
                                    json={"username": username, "password": "lvjian-demo"})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["token"]


def console_api(app, method: str, path: str, token: str | None = None, body: dict | None = None,
                status: int | None = None):
    """One API call made beside the browser; a success unless `status` says otherwise."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = app.test_client().open(path, method=method, json=body, headers=headers)
    if status is None:
        assert response.status_code < 300, (path, response.status_code, response.get_json())
    else:
        assert response.status_code == status, (path, response.get_json())
    return response.get_json()


def villager_token(app, name: str) -> str:
    answer = app.test_client().post("/api/mp/v1/auth/wechat-login", json={"code": f"dev-{name}"})
    return answer.get_json()["token"]


def signed_in(page, base: str, app, console: str, token_key: str, path: str,
              username: str) -> None:
    """Open a console page as `username`, its token put where the console keeps it."""
    page.goto(f"{base}{console}/login")
    page.evaluate("([k, t]) => localStorage.setItem(k, t)",
                  [token_key, console_token(app, username)])
    page.goto(f"{base}{console}{path}")


@pytest.fixture
def desk(browser):
    """A desktop-sized page (a console's everyday screen), downloads allowed; any script error
    on the page fails the test."""
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, errors
