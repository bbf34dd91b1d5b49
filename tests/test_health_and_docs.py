"""Health, the OpenAPI document and its local docs page, and migrations without drift."""

from __future__ import annotations

import re
import time

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import config as app_config
from app import create_app
from app.core.db import include_in_migrations
from app.extensions import db


def test_healthz_ok(client, app):
    body = client.get("/healthz").get_json()
    expected_redis = "ok" if app.config.get("REDIS_URL") else "down"
    assert body == {"status": "ok", "db": "ok", "redis": expected_redis}


def _app_with(**overrides):
    config = app_config.TestingConfig()
    for key, value in overrides.items():
        setattr(config, key, value)
    return create_app(config)


def test_healthz_with_redis_down_is_200_and_fast():
    app = _app_with(REDIS_URL="redis://127.0.0.1:1/0")
    client = app.test_client()
    started = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert response.get_json()["redis"] == "down"
    assert elapsed < 1.0  # milliseconds of timeout, never a multi-second stall


def test_healthz_with_database_down_is_503():
    app = _app_with(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://postgres@127.0.0.1:1/none",
                    SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 1}})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["db"] == "down"


def test_openapi_document_is_valid_and_complete(client, app):
    from openapi_spec_validator import validate

    spec = client.get("/api/openapi.json").get_json()
    validate(spec)
    assert spec["openapi"].startswith("3.")
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("static", "media.", "api-docs.", "pages.")):
            continue  # files and the storefront's pages, not the API
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)  # <int:id> → {id}
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method) in documented, f"{method} {path} missing from OpenAPI"
    assert "bearerAuth" in spec["components"]["securitySchemes"]
    assert spec["paths"]["/api/mp/v1/me"]["get"]["security"] == [{"bearerAuth": []}]
    assert "Error" in spec["components"]["schemas"]


def test_docs_page_uses_only_local_assets(client):
    html = client.get("/api/docs").get_data(as_text=True)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    for asset in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        response = client.get(f"/static/vendor/swagger-ui/{asset}")
        assert response.status_code == 200 and len(response.data) > 1000
        response.close()


def test_migrations_match_models(app, backend):
    """The schema the migrations build (the one every test runs on) equals the models."""
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "compare_type": True, "include_object": include_in_migrations})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations drift on {backend}: {diff}"


@pytest.mark.parametrize("path", ["/api/ping"])
def test_baseline_endpoint(client, path):
    assert client.get(path).get_json() == {"pong": True}
