"""Rate limits that fit villages: a whole township behind one carrier address (CGNAT) can log
in, each villager then has a budget of their own, and one account's abuse is still stopped."""

from __future__ import annotations

from tests.test_coupons import claim, new_template

CARRIER = {"REMOTE_ADDR": "100.64.0.7"}  # one CGNAT address for the whole township
LOGIN = "/api/mp/v1/auth/wechat-login"


def login(client, code: str):
    return client.post(LOGIN, json={"code": code}, environ_base=CARRIER)


def test_400_villagers_behind_one_address_all_log_in_within_a_minute(client):
    statuses = [login(client, f"dev-expo-visitor-{i}").status_code for i in range(400)]
    assert statuses.count(200) == 400, {s: statuses.count(s) for s in set(statuses)}


def test_one_login_code_hammered_is_stopped(client):
    statuses = [login(client, "dev-hammer").status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    response = login(client, "dev-hammer")
    assert response.get_json()["error"] == "rate_limited"
    # someone else at the same address is not affected
    assert login(client, "dev-neighbour").status_code == 200


def test_after_login_each_villager_has_their_own_budget(client, world):
    template = new_template(world["shop_a"])
    a, b = world["headers"]["villager_a"], world["headers"]["villager_b"]
    for _ in range(30):
        assert claim(client, a, template.id).status_code != 429
    stopped = claim(client, a, template.id)
    assert stopped.status_code == 429 and stopped.get_json()["error"] == "rate_limited"
    assert "Retry-After" in stopped.headers
    # the neighbour (same address in the test client) still has a full budget
    assert claim(client, b, template.id).status_code == 201


def test_a_forged_token_counts_against_its_address_not_a_user(client, world):
    template = new_template(world["shop_a"])
    forged = {"Authorization": "Bearer lj_not-a-real-token"}
    response = claim(client, forged, template.id)
    assert response.status_code == 401


def test_behind_nginx_limits_count_the_villagers_address_not_the_proxys():
    """With TRUSTED_PROXIES=1 (production's default) the address is nginx's X-Forwarded-For."""
    import config as app_config
    from app import create_app
    from app.core import auth

    config = app_config.TestingConfig({"TRUSTED_PROXIES": "1"})
    config.SQLALCHEMY_DATABASE_URI = "sqlite://"
    proxied = create_app(config)
    seen = []
    proxied.before_request(lambda: seen.append(auth.rate_limit_key()))
    client = proxied.test_client()
    client.get("/api/ping", headers={"X-Forwarded-For": "100.64.0.7"},
               environ_base={"REMOTE_ADDR": "127.0.0.1"})
    client.get("/api/ping", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert seen == ["ip:100.64.0.7", "ip:127.0.0.1"]
    assert app_config.ProductionConfig({}).TRUSTED_PROXIES == 1
    assert app_config.DevelopmentConfig({}).TRUSTED_PROXIES == 0
