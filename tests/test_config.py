"""Configuration: production refuses to start without its secrets."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

from config import DEV_DATA_KEY, ConfigError, load_config

GOOD = {
    "SECRET_KEY": "s" * 40,
    "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/lvjian",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "DATA_ENCRYPTION_KEY": base64.b64encode(os.urandom(32)).decode(),
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


def test_production_with_everything_uses_the_given_values():
    config = load_config("production", GOOD)
    assert config.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://postgres@127.0.0.1:5432/lvjian"
    assert GOOD["REDIS_URL"] == config.RATELIMIT_STORAGE_URI
    assert config.PASSWORD_HASH_METHOD == "scrypt"
    assert not config.DEBUG


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
