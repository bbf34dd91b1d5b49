"""Regions (API, scope rule, import) and the CLI: seed-demo, create-admin."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.core import regions
from app.extensions import db
from app.regions.models import Region


@pytest.mark.parametrize(("scope", "code", "inside"), [
    ("410000", "410105", True),
    ("410000", "410105001201", True),
    ("410100", "410105", True),
    ("410100", "410200", False),
    ("410105", "410105001", True),
    ("410105", "410122", False),
    ("410105", "410105", True),
    ("410000", "220000", False),
    ("410105", None, False),
])
def test_region_scope_is_a_prefix_match(scope, code, inside):
    assert regions.within(scope, code) is inside


def test_levels_and_parents():
    assert [regions.level_of(c) for c in ("410000", "410100", "410105", "410105001",
                                          "410105001201")] == list(regions.LEVELS)
    assert regions.parent_candidates("410122101")[0] == "410122"


def test_list_provinces_and_children(client):
    provinces = client.get("/api/mp/v1/regions").get_json()
    assert {p["code"] for p in provinces} == {"410000", "220000"}
    cities = client.get("/api/mp/v1/regions?parent=410000").get_json()
    assert {"410100", "410200", "410300"} <= {c["code"] for c in cities}
    assert client.get("/api/mp/v1/regions/410105").get_json()["name"] == "金水区"
    assert client.get("/api/mp/v1/regions/999999").get_json()["error"] == "region_not_found"
    assert client.get("/api/mp/v1/regions?parent=abc").status_code == 422


def test_import_csv(runner, tmp_path):
    csv = tmp_path / "codes.csv"
    csv.write_text("code,name\n430000,湖南省\n430100,长沙市\n430102,芙蓉区\n"
                   "430102001,定王台街道\nbad,行\n410105,金水区（新）\n", encoding="utf-8")
    result = runner.invoke(args=["regions", "import", str(csv)])
    assert result.exit_code == 0, result.output
    assert "added=4 updated=1 unchanged=0 rejected=1" in result.output
    assert db.session.get(Region, "430102001").parent_code == "430102"
    assert db.session.get(Region, "430102").level == "county"
    again = runner.invoke(args=["regions", "import", str(csv)])
    assert "added=0 updated=0 unchanged=5 rejected=1" in again.output


def test_seed_demo_is_idempotent(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "demo accounts added: 4" in first.output
    second = runner.invoke(args=["seed-demo"])
    assert "demo accounts added: 0" in second.output
    assert "subsidy claims added: 0" in second.output
    names = set(db.session.scalars(sa.select(User.username).where(User.username.like("demo-%"))))
    assert {"demo-admin", "demo-county", "demo-merchant", "demo-staff"} <= names


def test_demo_accounts_log_in(runner, client):
    runner.invoke(args=["seed-demo"])
    for username, role in (("demo-admin", "admin"), ("demo-county", "admin"),
                           ("demo-merchant", "merchant_owner"), ("demo-staff", "expo_staff")):
        body = client.post("/api/v1/auth/login",
                           json={"username": username, "password": "lvjian-demo"}).get_json()
        assert body["user"]["role"] == role
    merchant = client.post("/api/v1/auth/login",
                           json={"username": "demo-merchant", "password": "lvjian-demo"}).json
    assert merchant["user"]["merchant_id"] is not None


def test_seed_demo_refuses_production(app, runner, monkeypatch):
    monkeypatch.setitem(app.config, "LVJIAN_ENV", "production")
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "production" in result.output
    assert db.session.scalar(sa.select(User).where(User.username == "demo-admin")) is None


def test_create_admin(runner, client):
    result = runner.invoke(args=["create-admin", "--username", "officer-zhang", "--region",
                                 "410122", "--password", "a-long-password", "--duty", "expos"])
    assert result.exit_code == 0, result.output
    body = client.post("/api/v1/auth/login",
                       json={"username": "officer-zhang", "password": "a-long-password"}).json
    assert body["user"]["region_code"] == "410122" and body["user"]["duties"] == ["expos"]
    bad = runner.invoke(args=["create-admin", "--username", "x", "--region", "999999",
                              "--password", "a-long-password"])
    assert bad.exit_code != 0 and "unknown region" in bad.output
