"""Configuration classes; the only module that reads the environment."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

# Dev-only values, refused in production. Never use them for real data.
DEV_SECRET_KEY = "dev-only-secret-key-not-for-production"
DEV_DATA_KEY = "ZGV2LW9ubHktZGF0YS1rZXktMzItYnl0ZXMtbG9uZyE="  # base64 of 32 bytes


class ConfigError(RuntimeError):
    """Raised when the environment does not describe a runnable configuration."""


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# The events that reach villagers outside the app (WeChat subscribe message or SMS).
NOTIFY_KINDS = ("expo_reminder", "waitlist_promoted", "subsidy_decided", "complaint_updated",
                "coupon_expiring")


class Config:
    """Settings shared by every environment; subclasses change what differs."""

    ENV_NAME = "base"
    DEFAULT_TRUSTED_PROXIES = 0
    DEBUG = False
    TESTING = False

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        self.SECRET_KEY = env.get("SECRET_KEY") or None
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(env.get("DATABASE_URL"))
        self.REDIS_URL = env.get("REDIS_URL") or None
        # base64 of 32 random bytes; encrypts ID numbers and WeChat session keys.
        self.DATA_ENCRYPTION_KEY = env.get("DATA_ENCRYPTION_KEY") or None
        self.WECHAT_APP_ID = env.get("WECHAT_APP_ID") or None
        self.WECHAT_APP_SECRET = env.get("WECHAT_APP_SECRET") or None
        self.TOKEN_TTL_SECONDS = int(env.get("TOKEN_TTL_SECONDS", 7 * 24 * 3600))
        self.MAX_CONTENT_LENGTH = int(env.get("MAX_CONTENT_LENGTH", 12 * 1024 * 1024))
        self.LOG_LEVEL = env.get("LOG_LEVEL", "INFO")
        self.RATELIMIT_ENABLED = _bool(env.get("RATELIMIT_ENABLED"), True)
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted: rate
        # limits must count the villager's address, not nginx's. 0 = the app faces clients.
        self.TRUSTED_PROXIES = int(env.get("TRUSTED_PROXIES", self.DEFAULT_TRUSTED_PROXIES))
        self.JOBS_INLINE = _bool(env.get("JOBS_INLINE"), False)
        self.PUBLIC_BASE_URL = env.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
        self.UPLOAD_DIR = env.get("UPLOAD_DIR") or str(INSTANCE_DIR / "uploads")

        # Notifications (issue 16). Subscribe-message template ids, one per event, as chosen
        # in the mini-program's console (订阅消息 → 我的模板); an event without one goes by SMS.
        self.WECHAT_SUBSCRIBE_TEMPLATES = {
            kind: env.get(f"WECHAT_TMPL_{kind.upper()}") or None for kind in NOTIFY_KINDS}
        # Test tooling only (bench/fanout.py's stand-in on loopback); ignored in production.
        self.WECHAT_API_BASE_URL = env.get("WECHAT_API_BASE_URL") or None
        # Tencent Cloud SMS: credentials, the SmsSdkAppId, the approved signature (签名) and
        # one approved template per message ("login_code" and the events).
        self.TENCENT_SMS_SECRET_ID = env.get("TENCENT_SMS_SECRET_ID") or None
        self.TENCENT_SMS_SECRET_KEY = env.get("TENCENT_SMS_SECRET_KEY") or None
        self.TENCENT_SMS_SDK_APP_ID = env.get("TENCENT_SMS_SDK_APP_ID") or None
        self.TENCENT_SMS_SIGN_NAME = env.get("TENCENT_SMS_SIGN_NAME") or None
        self.TENCENT_SMS_REGION = env.get("TENCENT_SMS_REGION", "ap-guangzhou")
        self.SMS_TEMPLATES = {
            kind: env.get(f"SMS_TMPL_{kind.upper()}") or None
            for kind in ("login_code", *NOTIFY_KINDS)}
        # Secret path segment of the provider's reply callback
        # (POST /api/v1/callbacks/tencent-sms/replies/<it>).
        self.SMS_CALLBACK_TOKEN = env.get("SMS_CALLBACK_TOKEN") or None
        self.SMS_DAILY_CAP = int(env.get("SMS_DAILY_CAP", 5))  # notification SMS per phone/day
        # China-time hours: non-urgent SMS wait from QUIET_START until QUIET_END.
        self.NOTIFY_QUIET_START = int(env.get("NOTIFY_QUIET_START", 21))
        self.NOTIFY_QUIET_END = int(env.get("NOTIFY_QUIET_END", 8))
        self.EXPO_REMINDER_HOUR = int(env.get("EXPO_REMINDER_HOUR", 8))  # the day before
        self.NOTIFY_MAX_ATTEMPTS = int(env.get("NOTIFY_MAX_ATTEMPTS", 4))
        self.NOTIFY_BATCH_SIZE = int(env.get("NOTIFY_BATCH_SIZE", 100))  # rows per fan-out job
        self.NOTIFY_SEND_THREADS = int(env.get("NOTIFY_SEND_THREADS", 16))  # calls in flight/job

        self.PASSWORD_HASH_METHOD = "scrypt"
        # hide_parameters: SQL bound parameters (names, phones, ID numbers) never reach a log
        # or an exception message. create_app() enforces it whatever a config says.
        self.SQLALCHEMY_ENGINE_OPTIONS = {"hide_parameters": True}
        # No ping per checkout (a round trip on every request): a connection idle this many
        # seconds is checked before use instead (app.core.db.ping_when_idle).
        self.DATABASE_IDLE_PING_SECONDS = float(env.get("DATABASE_IDLE_PING_SECONDS", 10))
        # Seconds to reach PostgreSQL: an unreachable server costs this, then answers 503.
        self.DATABASE_CONNECT_TIMEOUT = int(env.get("DATABASE_CONNECT_TIMEOUT", 5))
        self.RATELIMIT_HEADERS_ENABLED = True
        self.RATELIMIT_SWALLOW_ERRORS = True  # a dead Redis must not turn requests into 500s
        self.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
        self.RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 0.2, "socket_timeout": 0.3}
        # Milliseconds, not seconds: a dead Redis must cost little.
        self.REDIS_CONNECT_TIMEOUT = float(env.get("REDIS_CONNECT_TIMEOUT", 0.2))
        self.REDIS_SOCKET_TIMEOUT = float(env.get("REDIS_SOCKET_TIMEOUT", 0.3))
        self.REDIS_RETRY_AFTER_SECONDS = float(env.get("REDIS_RETRY_AFTER_SECONDS", 5))

        self.API_TITLE = "Lüjian 绿建下乡 API"
        self.API_VERSION = "1.0"
        self.OPENAPI_VERSION = "3.0.3"
        self.OPENAPI_URL_PREFIX = "/api"
        self.OPENAPI_JSON_PATH = "openapi.json"
        self.OPENAPI_SWAGGER_UI_PATH = "docs"
        self.OPENAPI_SWAGGER_UI_URL = "/static/vendor/swagger-ui/"
        # ~150 operations: tags start folded (one tap opens a family), the page stays light
        self.OPENAPI_SWAGGER_UI_CONFIG = {"docExpansion": "none", "filter": True}
        self.JSON_SORT_KEYS = False

    @property
    def wechat_live(self) -> bool:
        return bool(self.WECHAT_APP_ID and self.WECHAT_APP_SECRET)

    def validate(self) -> None:
        """Raise ConfigError when something required is missing."""


class DevelopmentConfig(Config):
    """The embedded default: SQLite under instance/, dev-mode WeChat, Redis if reachable."""

    ENV_NAME = "development"
    DEBUG = True

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        super().__init__(environ)
        self.SECRET_KEY = self.SECRET_KEY or DEV_SECRET_KEY
        self.DATA_ENCRYPTION_KEY = self.DATA_ENCRYPTION_KEY or DEV_DATA_KEY
        self.SQLALCHEMY_DATABASE_URI = (
            self.SQLALCHEMY_DATABASE_URI or f"sqlite:///{INSTANCE_DIR / 'lvjian.db'}"
        )
        env = os.environ if environ is None else environ
        self.REDIS_URL = self.REDIS_URL or env.get("REDIS_URL", "redis://127.0.0.1:6379/0")
        _dev_templates(self)


class TestingConfig(Config):
    """Tests: TEST_DATABASE_URL (else a SQLite file), TEST_REDIS_URL (else no Redis)."""

    ENV_NAME = "testing"
    TESTING = True

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        super().__init__(environ)
        env = os.environ if environ is None else environ
        self.SECRET_KEY = "testing-secret-key"
        self.DATA_ENCRYPTION_KEY = DEV_DATA_KEY
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(
            env.get("TEST_DATABASE_URL")
        ) or f"sqlite:///{INSTANCE_DIR / 'test.db'}"
        self.REDIS_URL = env.get("TEST_REDIS_URL") or None
        self.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"  # fast hashing, tests only
        self.UPLOAD_DIR = env.get("TEST_UPLOAD_DIR") or str(INSTANCE_DIR / "test-uploads")
        self.WECHAT_APP_ID = None
        self.WECHAT_APP_SECRET = None
        self.RATELIMIT_ENABLED = True
        _dev_templates(self)


def _dev_templates(config: Config) -> None:
    """Placeholder template ids in development and tests: dev mode shows what would be sent."""
    for kind, value in config.WECHAT_SUBSCRIBE_TEMPLATES.items():
        config.WECHAT_SUBSCRIBE_TEMPLATES[kind] = value or f"dev-tmpl-{kind}"
    for kind, value in config.SMS_TEMPLATES.items():
        config.SMS_TEMPLATES[kind] = value or f"dev-sms-{kind}"


# What WeChat issues: an AppID is "wx" and 16 hex digits, an AppSecret 32 hex digits.
_WECHAT_APP_ID = re.compile(r"wx[0-9a-f]{16}", re.IGNORECASE)
_WECHAT_APP_SECRET = re.compile(r"[0-9a-f]{32}", re.IGNORECASE)


class ProductionConfig(Config):
    """Production: every secret comes from the environment, no defaults, no dev login."""

    ENV_NAME = "production"
    DEFAULT_TRUSTED_PROXIES = 1  # nginx, as the README deploys it
    # Without both WeChat credentials the app would run its dev mode, where `dev-<name>`
    # logs anyone in as anyone: production refuses to start instead.
    REQUIRED = ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DATA_ENCRYPTION_KEY",
                "WECHAT_APP_ID", "WECHAT_APP_SECRET")

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        super().__init__(environ)
        self._environ = os.environ if environ is None else environ
        self.WECHAT_API_BASE_URL = None  # the real api.weixin.qq.com, always

    def validate(self) -> None:
        missing = [name for name in self.REQUIRED if not self._environ.get(name)]
        if missing:
            raise ConfigError(f"production needs these environment variables: {', '.join(missing)}")
        if self.SECRET_KEY in (DEV_SECRET_KEY,) or len(self.SECRET_KEY or "") < 32:
            raise ConfigError("SECRET_KEY must be a random string of at least 32 characters")
        if self.DATA_ENCRYPTION_KEY == DEV_DATA_KEY:
            raise ConfigError("DATA_ENCRYPTION_KEY must not be the development key")
        if not _WECHAT_APP_ID.fullmatch(self.WECHAT_APP_ID):
            raise ConfigError("WECHAT_APP_ID must be the mini-program's AppID (wx + 16 hex digits)")
        if not _WECHAT_APP_SECRET.fullmatch(self.WECHAT_APP_SECRET):
            raise ConfigError("WECHAT_APP_SECRET must be the mini-program's AppSecret "
                              "(32 hex digits)")
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def normalise_database_url(url: str | None) -> str | None:
    """Accept the postgres:// and postgresql:// spellings and use the psycopg 3 driver."""
    if not url:
        return None
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load_config(name: str | None = None, environ: Mapping[str, str] | None = None) -> Config:
    env = os.environ if environ is None else environ
    name = name or env.get("LVJIAN_ENV") or "development"
    try:
        cls = CONFIGS[name]
    except KeyError:
        raise ConfigError(f"unknown LVJIAN_ENV {name!r}; use one of {sorted(CONFIGS)}") from None
    config = cls(environ)
    config.validate()
    return config
