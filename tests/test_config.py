"""Configuration: production refuses to start without its secrets."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

import config as app_config
from app import create_app
from app.accounts.models import User
from app.extensions import db
from app.integrations.wechat import DevMiniProgram, WeChatError
from config import DEV_DATA_KEY, ConfigError, load_config

GOOD = {
    "SECRET_KEY": "s" * 40,
    "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/lvjian",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "DATA_ENCRYPTION_KEY": base64.b64encode(os.urandom(32)).decode(),
    "WECHAT_APP_ID": "wx0123456789abcdef",
    "WECHAT_APP_SECRET": "0123456789abcdef0123456789abcdef",
}


@pytest.mark.parametrize("missing", sorted(GOOD))
def test_production_refuses_each_missing_secret(missing):
    environ = {k: v for k, v in GOOD.items() if k != missing}
    with pytest.raises(ConfigError, match=missing):
        load_config("production", environ)


def test_production_refuses_weak_or_dev_values():
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config("production", {**GOOD, "SECRET_KEY": "short"})
    with pytest.raises(ConfigError, match="DATA_ENCRYPTION_KEY"):
        load_config("production", {**GOOD, "DATA_ENCRYPTION_KEY": DEV_DATA_KEY})


@pytest.mark.parametrize(("name", "value"), [
    ("WECHAT_APP_ID", "dev"), ("WECHAT_APP_ID", "wx-test-app"),
    ("WECHAT_APP_ID", "wx0123456789abcdef "), ("WECHAT_APP_SECRET", "secret"),
    ("WECHAT_APP_SECRET", "0123456789abcdef0123456789abcdeg"),
])
def test_production_refuses_placeholder_wechat_credentials(name, value):
    with pytest.raises(ConfigError, match=name):
        load_config("production", {**GOOD, name: value})


def test_production_with_everything_uses_the_given_values():
    config = load_config("production", GOOD)
    assert config.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://postgres@127.0.0.1:5432/lvjian"
    assert GOOD["REDIS_URL"] == config.RATELIMIT_STORAGE_URI
    assert config.PASSWORD_HASH_METHOD == "scrypt"
    assert not config.DEBUG
    assert config.wechat_live  # production has no dev login to fall back on


def test_dev_login_refuses_in_production_even_if_reached(client, app, monkeypatch):
    """Defence in depth: were production ever started without credentials, `dev-` codes
    would still log nobody in."""
    assert client.post("/api/mp/v1/auth/wechat-login",
                       json={"code": "dev-intruder"}).status_code == 200  # testing: dev mode
    monkeypatch.setitem(app.config, "LVJIAN_ENV", "production")
    response = client.post("/api/mp/v1/auth/wechat-login", json={"code": "dev-intruder2"})
    assert response.status_code == 502
    assert response.get_json()["error"] == "wechat_unavailable"
    assert db.session.scalar(sa.select(User).where(
        User.wechat_openid == "dev-openid-intruder2")) is None
    with app.test_request_context(), pytest.raises(WeChatError):
        DevMiniProgram()


@pytest.mark.parametrize("env", ["development", "testing", "production"])
def test_every_config_hides_sql_parameters(env):
    config = load_config(env, GOOD if env == "production" else {})
    assert config.SQLALCHEMY_ENGINE_OPTIONS["hide_parameters"] is True


def test_the_app_hides_sql_parameters_whatever_the_config_says():
    config = app_config.TestingConfig()
    config.SQLALCHEMY_ENGINE_OPTIONS = {}
    app = create_app(config)
    with app.app_context():
        assert db.engine.hide_parameters
        db.engine.dispose()


def test_development_defaults_are_embedded():
    config = load_config("development", {})
    assert config.SQLALCHEMY_DATABASE_URI.startswith("sqlite:///")
    assert config.SQLALCHEMY_DATABASE_URI.endswith("instance/lvjian.db")
    assert not config.wechat_live


def test_unknown_environment():
    with pytest.raises(ConfigError, match="unknown LVJIAN_ENV"):
        load_config("staging", {})


def test_wsgi_refuses_to_start_in_production_without_secrets():
    root = Path(__file__).resolve().parent.parent
    env = {"PATH": os.environ.get("PATH", ""), "LVJIAN_ENV": "production"}
    result = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=root, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "ConfigError" in result.stderr and "SECRET_KEY" in result.stderr
