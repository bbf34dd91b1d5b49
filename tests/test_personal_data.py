"""ID numbers encrypted at rest; phones and IDs masked in responses and logs."""

from __future__ import annotations

import io
import logging

import sqlalchemy as sa

from app.core.logging import RequestContextFilter, mask_text
from app.extensions import db

ID_NO = "11010519491231002X"


def _raw_user_row(user_id: int) -> str:
    row = db.session.execute(sa.text("SELECT * FROM users WHERE id = :id"), {"id": user_id})
    return " ".join(str(value) for value in row.one())


def test_id_number_encrypted_at_rest_and_masked(client, make):
    user = make.villager()
    headers = make.headers(user)
    body = client.patch("/api/mp/v1/me", headers=headers,
                        json={"real_name": "李四", "id_card_no": ID_NO.lower()}).get_json()
    assert body["id_card_no"] == "1101**********002X"
    raw = _raw_user_row(user.id)
    assert ID_NO not in raw and ID_NO.lower() not in raw
    assert client.get("/api/mp/v1/me", headers=headers).json["id_card_no"] == "1101**********002X"


def test_same_id_on_two_accounts_is_one_person(client, make):
    a, b = make.villager(), make.villager()
    for user in (a, b):
        client.patch("/api/mp/v1/me", headers=make.headers(user), json={"id_card_no": ID_NO})
    db.session.expire_all()
    a_hash, b_hash = (db.session.get(type(a), u.id).id_card_hash for u in (a, b))
    assert a_hash == b_hash and ID_NO not in a_hash


def test_bad_check_digit_refused_and_nothing_changes(client, make):
    user = make.villager()
    body = client.patch("/api/mp/v1/me", headers=make.headers(user),
                        json={"id_card_no": "110105194912310021", "nickname": "改名"}).get_json()
    assert body["code"] == 422 and body["error"] == "invalid_id_card"
    db.session.expire_all()
    fresh = db.session.get(type(user), user.id)
    assert fresh.id_card_enc is None and fresh.nickname == user.nickname


def test_unknown_region_refused(client, make):
    body = client.patch("/api/mp/v1/me", headers=make.headers(make.villager()),
                        json={"region_code": "999999"}).get_json()
    assert body["error"] == "unknown_region"


def test_protected_fields_cannot_be_set(client, make):
    headers = make.headers(make.villager())
    for field, value in (("role", "admin"), ("phone", "13800000000"), ("id", 1)):
        body = client.patch("/api/mp/v1/me", headers=headers, json={field: value}).get_json()
        assert body["code"] == 422 and field in body["errors"]
    assert client.get("/api/mp/v1/me", headers=headers).json["role"] == "villager"


def test_phones_masked_in_admin_views(client, make):
    villager = make.villager(region_code="410105001")
    villager.phone = "13712345678"
    db.session.commit()
    body = client.get(f"/api/v1/admin/users/{villager.id}",
                      headers=make.headers(make.admin("410105"))).get_json()
    assert body["phone"] == "137****5678"


def test_logs_mask_phones_and_ids():
    assert mask_text(f"user 13712345678 id {ID_NO}") == "user 137****5678 id 1101**********002X"
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("test.masking")
    logger.addHandler(handler)
    try:
        logger.warning("phone %s id %s", "13712345678", ID_NO)
    finally:
        logger.removeHandler(handler)
    assert "13712345678" not in stream.getvalue() and ID_NO not in stream.getvalue()
    assert "137****5678" in stream.getvalue()


def test_tracebacks_in_logs_are_masked():
    from app.core.logging import MaskingFormatter

    try:
        raise ValueError(f"duplicate key (phone)=(13712345678) id {ID_NO}")
    except ValueError:
        import sys

        record = logging.LogRecord("t", logging.ERROR, __file__, 1, "failed", None,
                                   sys.exc_info())
    line = MaskingFormatter("%(message)s").format(record)
    assert "Traceback" in line and "13712345678" not in line and ID_NO not in line
