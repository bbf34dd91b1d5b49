"""No personal data in the log, even when a profile update fails with a database error."""

from __future__ import annotations

import io
import logging

import pytest
import sqlalchemy as sa

from app.accounts import services
from app.extensions import db

REAL_NAME = "欧阳秀兰"
ID_NO = "11010519491231002X"
PHONE = "13712345678"


@pytest.fixture
def app_log():
    """What the app's own handler (the one production writes to stderr) prints."""
    [handler] = [h for h in logging.getLogger().handlers if getattr(h, "_lvjian", False)]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


def _failing_update(user, **values):
    """The real update, then a statement that fails in the database with the villager's
    name, ID number and phone as its parameters (and, on PostgreSQL, in the DETAIL of the
    error, which quotes the failing row)."""
    services_update(user, **values)
    db.session.execute(
        sa.text("UPDATE users SET real_name = :name, nickname = :id_no, phone = :phone, "
                "role = NULL WHERE id = :id"),
        {"name": REAL_NAME, "id_no": ID_NO, "phone": PHONE, "id": user.id})


services_update = services.update_profile


def test_a_500_during_a_profile_update_logs_no_personal_data(client, make, monkeypatch,
                                                             caplog, app_log):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setattr(services, "update_profile", _failing_update)
    headers = make.headers(make.villager())
    response = client.patch("/api/mp/v1/me", headers=headers,
                            json={"real_name": REAL_NAME, "id_card_no": ID_NO})
    assert response.status_code == 500
    assert response.get_json()["error"] == "internal_error"

    captured = {"caplog": caplog.text, "app handler": app_log.getvalue()}
    # the failure is there, with its kind and the statement, for whoever must fix it
    assert "unhandled error" in captured["app handler"]
    assert "IntegrityError" in captured["app handler"]
    assert "UPDATE users SET real_name" in captured["app handler"]
    for where, text in captured.items():
        for secret in (REAL_NAME, ID_NO, PHONE, ID_NO[:-1], PHONE[3:]):
            assert secret not in text, f"{secret!r} in the {where} log"
    assert REAL_NAME not in response.get_data(as_text=True)


def test_engine_never_logs_parameters(app):
    with app.app_context():
        assert db.engine.hide_parameters
