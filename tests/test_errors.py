"""Every error status answers in the one shape, with a request id."""

from __future__ import annotations

import logging

import pytest
from flask import Blueprint

import config as app_config
from app import create_app

SHAPE = {"code", "status", "error", "message"}


def assert_shape(response, status: int, error: str | None = None) -> dict:
    assert response.status_code == status
    assert response.is_json
    body = response.get_json()
    assert SHAPE <= set(body) <= SHAPE | {"errors"}
    assert body["code"] == status
    if error:
        assert body["error"] == error
    assert response.headers["X-Request-ID"]
    return body


@pytest.fixture(scope="module")
def bare_app():
    """An app with routes that fail on purpose; no database is touched."""
    config = app_config.TestingConfig()
    config.MAX_CONTENT_LENGTH = 1024
    app = create_app(config)
    boom = Blueprint("boom", __name__)

    @boom.route("/_test/boom")
    def explode():
        raise RuntimeError("SELECT secret FROM users WHERE phone='13812345678'")

    @boom.route("/_test/upload", methods=["POST"])
    def upload():
        from flask import request

        return {"size": len(request.get_data())}

    app.register_blueprint(boom)
    return app


def test_404_unknown_route(client):
    assert_shape(client.get("/api/mp/v1/no-such-thing"), 404, "not_found")


def test_405_wrong_method(client):
    response = client.delete("/api/mp/v1/me")
    assert_shape(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


def test_422_field_errors(client):
    body = assert_shape(client.post("/api/mp/v1/auth/wechat-login", json={"extra": 1}),
                        422, "validation_error")
    assert set(body["errors"]) == {"code", "extra"}


def test_400_malformed_json(client):
    response = client.post("/api/mp/v1/auth/wechat-login", data="{not json",
                           content_type="application/json")
    assert_shape(response, 400, "bad_request")


def test_401_without_token(client):
    assert_shape(client.get("/api/mp/v1/me"), 401, "token_missing")


def test_403_wrong_role(client, make):
    headers = make.headers(make.admin("410105"))
    assert_shape(client.get("/api/mp/v1/me", headers=headers), 403, "role_not_allowed")


def test_409_username_taken(app, make):
    from app.core.errors import ApiError

    make.console_user("expo_staff", username="dup-user")
    with pytest.raises(ApiError) as info:
        make.console_user("expo_staff", username="DUP-user")
    assert info.value.status == 409 and info.value.error == "username_taken"


def test_409_in_the_shape(bare_app):
    from app.core.errors import conflict, handle_api_error

    with bare_app.test_request_context():
        response, status = handle_api_error(conflict("coupon_sold_out", "优惠券已领完"))
    assert status == 409
    assert response.get_json() == {"code": 409, "status": "Conflict",
                                   "error": "coupon_sold_out", "message": "优惠券已领完"}


def test_413_body_too_large(bare_app):
    response = bare_app.test_client().post("/_test/upload", data=b"x" * 4096)
    assert_shape(response, 413, "payload_too_large")


def test_429_rate_limited(client, make):
    make.console_user("expo_staff", username="gatekeeper")
    for _ in range(5):
        response = client.post("/api/v1/auth/login",
                               json={"username": "gatekeeper", "password": "wrong"})
        assert_shape(response, 401, "bad_credentials")
    body = assert_shape(client.post("/api/v1/auth/login",
                                    json={"username": "gatekeeper", "password": "wrong"}),
                        429, "rate_limited")
    assert "15" in body["message"]


def test_500_hides_details_and_logs_request_id(bare_app, caplog):
    caplog.set_level(logging.ERROR)
    response = bare_app.test_client().get("/_test/boom", headers={"X-Request-ID": "req-abc-123"})
    body = assert_shape(response, 500, "internal_error")
    assert "SELECT" not in response.get_data(as_text=True)
    assert "secret" not in str(body)
    assert response.headers["X-Request-ID"] == "req-abc-123"
    assert any("req-abc-123" in record.getMessage() for record in caplog.records)


def test_request_id_generated_and_echoed(client):
    generated = client.get("/api/ping").headers["X-Request-ID"]
    assert len(generated) == 32
    assert client.get("/api/ping", headers={"X-Request-ID": "abc-12345"}).headers[
        "X-Request-ID"] == "abc-12345"
    # junk is replaced, not echoed into logs
    assert client.get("/api/ping", headers={"X-Request-ID": "bad id; DROP"}).headers[
        "X-Request-ID"] != "bad id; DROP"
