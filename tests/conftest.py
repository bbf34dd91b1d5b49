"""Fixtures: the app (schema migrated once per session), rollback per test, factories."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy.orm import scoped_session, sessionmaker

import config as app_config
from app import create_app
from app.accounts.models import User
from app.accounts.services import create_console_user, issue_token
from app.catalog.models import Certificate, Enterprise, Product
from app.catalog.services import seed_categories
from app.core import auth
from app.core.validators import uscc_check_char
from app.extensions import db, limiter
from app.merchants.models import Shop, ShopMember
from app.regions.services import seed_builtin

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(config, items):
    """Tests for one backend are deselected on the other, not skipped: the PostgreSQL-only
    ones (races) run in the PostgreSQL pass of .ci/test, the SQLite-only ones (the embedded
    default under concurrent writes) and the browser tests in the SQLite pass."""
    on_postgres = app_config.TestingConfig().SQLALCHEMY_DATABASE_URI.startswith("postgresql")
    other = "sqlite" if on_postgres else "postgres"
    # The browser tests serve their own demo app on a SQLite file, whatever the pass: running
    # them again in the PostgreSQL pass would test nothing new and take minutes.
    deselected = [item for item in items if item.get_closest_marker(other)
                  or (on_postgres and "browser" in item.path.parts)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        dropped = set(map(id, deselected))
        items[:] = [item for item in items if id(item) not in dropped]


def _reset_schema(engine: sa.Engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    else:
        engine.dispose()
        Path(engine.url.database).unlink(missing_ok=True)


@pytest.fixture(scope="session")
def app():
    config = app_config.TestingConfig()
    # hide_parameters as in every config: no SQL values in logs (create_app enforces it too)
    config.SQLALCHEMY_ENGINE_OPTIONS = {"pool_size": 20, "max_overflow": 80,
                                        "hide_parameters": True}
    if config.SQLALCHEMY_DATABASE_URI.startswith("sqlite"):
        config.SQLALCHEMY_ENGINE_OPTIONS = {"hide_parameters": True}
    app = create_app(config)
    with app.app_context():
        _reset_schema(db.engine)
        upgrade()  # the schema the tests use is the one the migrations build
        seed_builtin()
        seed_categories()
        db.session.commit()
    # The limiter is one object per process: a test that builds another app re-binds it
    # (its storage, enabled or not). Each test starts from this app's binding again.
    app.extensions["lvjian_limiter_binding"] = dict(vars(limiter))
    return app


@pytest.fixture(scope="session")
def backend(app) -> str:
    with app.app_context():
        return db.engine.dialect.name


@pytest.fixture(autouse=True)
def _fresh_limits_and_redis(app):
    redis_url = app.config.get("REDIS_URL")
    if redis_url:
        import redis

        redis.Redis.from_url(redis_url).flushdb()
    vars(limiter).update(app.extensions["lvjian_limiter_binding"])
    with app.app_context():
        limiter.reset()


@pytest.fixture
def db_session(app) -> Iterator:
    """Each test runs in a transaction that is rolled back: requests commit to savepoints."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        # Plain SQLAlchemy sessions: Flask-SQLAlchemy's get_bind would ignore `bind`.
        factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
        db.session = scoped_session(factory, scopefunc=_app_ctx_id)
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app, db_session):
    return app.test_client()


@pytest.fixture
def runner(app, db_session):
    return app.test_cli_runner()


@pytest.fixture
def redis_url(app) -> str:
    """A real Redis for tests that need one; in CI its absence is a failure, never a skip."""
    url = app.config.get("REDIS_URL")
    if not url:
        if IN_CI:
            pytest.fail("CI needs TEST_REDIS_URL: Redis-dependent tests must run")
        pytest.skip("no TEST_REDIS_URL: run `bash .ci/test` to include Redis")
    return url


# ---- factories -------------------------------------------------------------------------


class Factory:
    """Makes users, shops and tokens inside the test transaction.

    Each maker commits, which only releases a savepoint of the test's transaction: the
    test and its requests share a session, and a request that fails rolls back to there.
    """

    def __init__(self) -> None:
        self.counter = 0

    def _next(self) -> int:
        self.counter += 1
        return self.counter

    def villager(self, name: str | None = None, *, region_code: str | None = None) -> User:
        name = name or f"villager{self._next()}"
        user = User(role=auth.VILLAGER, nickname=name, wechat_openid=f"dev-openid-{name}",
                    region_code=region_code, is_active=True)
        db.session.add(user)
        db.session.commit()
        return user

    def console_user(self, role: str, *, region_code: str | None = None,
                     username: str | None = None, password: str = "secret-pass-1") -> User:
        username = username or f"{role}{self._next()}"
        user = create_console_user(username=username, password=password, role=role,
                                   region_code=region_code)
        db.session.commit()
        return user

    def admin(self, region_code: str) -> User:
        return self.console_user(auth.ADMIN, region_code=region_code)

    def shop(self, region_code: str = "410105", *, name: str | None = None,
             status: str = "approved", enterprise: Enterprise | None = None) -> Shop:
        shop = Shop(name=name or f"建材店{self._next()}", region_code=region_code, status=status,
                    enterprise_id=enterprise.id if enterprise else None)
        db.session.add(shop)
        db.session.commit()
        return shop

    def merchant(self, shop: Shop, role: str = auth.MERCHANT_OWNER) -> User:
        user = self.console_user(role, region_code=shop.region_code)
        db.session.add(ShopMember(shop_id=shop.id, user_id=user.id, role=role))
        db.session.commit()
        return user

    # -- catalog --

    def enterprise(self, name: str | None = None, *, region_code: str = "410100") -> Enterprise:
        n = self._next()
        body = f"91410100{n:09d}"[:17]
        enterprise = Enterprise(name=name or f"绿建企业{n}", region_code=region_code,
                                credit_code=body + uscc_check_char(body))
        db.session.add(enterprise)
        db.session.commit()
        return enterprise

    def certificate(self, enterprise: Enterprise | None = None, *, status: str = "valid",
                    star: int = 2, issued_on: date | None = None,
                    expires_on: date | None = None, number: str | None = None,
                    category: str | None = None) -> Certificate:
        from app.catalog.services import category_by_slug

        enterprise = enterprise or self.enterprise()
        today = date.today()
        cert = Certificate(number=number or f"LJ-TEST-{self._next():06d}",
                           issuer="中国建材检验认证集团", enterprise_id=enterprise.id,
                           product_name="测试产品", star=star,
                           issued_on=issued_on or today - timedelta(days=365),
                           expires_on=expires_on or today + timedelta(days=365), status=status,
                           category_id=category_by_slug(category).id if category else None)
        db.session.add(cert)
        db.session.commit()
        return cert

    def product(self, shop: Shop | None = None, *, name: str | None = None,
                category: str = "ceramic-tiles", certificate: Certificate | None = None,
                enterprise: Enterprise | None = None, brand: str = "", price_fen: int = 10000,
                status: str = "listed", certified: bool = True) -> Product:
        from app.catalog.services import category_by_slug, refresh_search_terms

        shop = shop or self.shop()
        if certificate is None and certified:
            certificate = self.certificate(enterprise)
        if certificate is not None and enterprise is None:
            enterprise = db.session.get(Enterprise, certificate.enterprise_id)
        product = Product(shop_id=shop.id, name=name or f"绿色建材{self._next()}", brand=brand,
                          category_id=category_by_slug(category).id, price_fen=price_fen,
                          certificate_id=certificate.id if certificate else None,
                          enterprise_id=enterprise.id if enterprise else None, status=status)
        db.session.add(product)
        db.session.flush()
        refresh_search_terms(product)
        db.session.commit()
        return product

    @staticmethod
    def headers(user: User | None) -> dict[str, str]:
        if user is None:
            return {}
        token = issue_token(user)
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def make(db_session) -> Factory:
    return Factory()


@pytest.fixture
def world(make):
    """The cast of every auth matrix: two villagers, two shops, admins here, elsewhere, above."""
    shop_a = make.shop("410105", name="金水瓷砖店")
    shop_b = make.shop("410122", name="中牟门窗店")
    people = {
        "anonymous": None,
        "villager_a": make.villager("va", region_code="410105001"),
        "villager_b": make.villager("vb", region_code="410122101"),
        "merchant_a": make.merchant(shop_a),
        "merchant_b": make.merchant(shop_b),
        "county_here": make.admin("410105"),
        "county_elsewhere": make.admin("410122"),
        "province": make.admin("410000"),
    }
    headers = {name: make.headers(user) for name, user in people.items()}
    return {"users": people, "headers": headers, "shop_a": shop_a, "shop_b": shop_b}


PRINCIPALS = ("anonymous", "villager_a", "villager_b", "merchant_a", "merchant_b",
              "county_here", "county_elsewhere", "province")


def matrix(path: str, method: str, *statuses: int) -> list:
    """Rows for a parametrised auth matrix: (method, path, principal, expected status)."""
    assert len(statuses) == len(PRINCIPALS), "one expected status per principal"
    return [pytest.param(method, path, who, status, id=f"{method} {path} {who}")
            for who, status in zip(PRINCIPALS, statuses, strict=True)]


# ---- concurrency (real commits) ---------------------------------------------------------

KEEP_TABLES = {"regions", "categories", "search_synonyms", "alembic_version"}  # reference data


@pytest.fixture
def committed(request, app, backend):
    """For tests whose requests must really commit, concurrently: no rollback wrapper.

    Races are PostgreSQL tests (@pytest.mark.postgres); on SQLite, which serialises writers,
    they prove nothing, but the embedded default must still take concurrent writes without
    errors (@pytest.mark.sqlite). Afterwards every table but the regions is emptied.
    """
    marker = "postgres" if backend == "postgresql" else "sqlite"
    if request.node.get_closest_marker(marker) is None:
        pytest.fail(f"tests using `committed` on {backend} must be marked "
                    f"@pytest.mark.{marker}")
    yield app
    with app.app_context():
        tables = [t.name for t in db.metadata.sorted_tables if t.name not in KEEP_TABLES]
        if backend == "postgresql":
            db.session.execute(
                sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            # Triggers that refuse deletes (the append-only audit log) step aside meanwhile,
            # as TRUNCATE passes them by on PostgreSQL.
            triggers = db.session.execute(sa.text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
            for name, _ in triggers:
                db.session.execute(sa.text(f'DROP TRIGGER "{name}"'))
            for table in reversed(tables):  # children first: foreign keys are enforced
                db.session.execute(sa.text(f'DELETE FROM "{table}"'))
            for _, sql in triggers:
                db.session.execute(sa.text(sql))
        db.session.commit()


def fire(app, requests_: list[tuple[str, str, dict | None, dict | None]], *,
         workers: int = 40) -> list:
    """Send requests from `workers` threads released together; returns the responses in order.

    Each thread's request gets its own app context, session and database connection.
    """
    import threading
    from concurrent.futures import ThreadPoolExecutor

    barrier = threading.Barrier(min(workers, len(requests_)))

    def send(numbered):
        n, (method, path, body, headers) = numbered
        client = app.test_client()
        if n < barrier.parties:  # the first wave starts together; the rest follow at once
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=10)
        # Each request from its own phone: a WSGI environ value, no traffic leaves the process.
        environ = {"REMOTE_ADDR": f"192.0.2.{n % 250 + 1}"}
        return client.open(path, method=method, json=body, headers=headers or {},
                           environ_base=environ)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(send, enumerate(requests_)))
