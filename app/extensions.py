"""Extensions, created unbound and bound to the app in create_app()."""

from flask_limiter import Limiter
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from app.core.auth import rate_limit_key
from app.core.db import Base
from app.core.openapi import LvjianApi
from app.integrations.redis import redis_gateway

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
api = LvjianApi()
limiter = Limiter(key_func=rate_limit_key, key_prefix="lvjian-rl")

__all__ = ["api", "db", "limiter", "migrate", "redis_gateway"]
