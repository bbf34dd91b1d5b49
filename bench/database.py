"""The bench database: drop and recreate, migrate and seed through the app's own CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
CLI_TIMEOUT = 120  # seconds per flask command


def _admin(admin_url: str) -> psycopg.Connection:
    return psycopg.connect(admin_url, autocommit=True, connect_timeout=5)


def drop(admin_url: str, name: str) -> None:
    with _admin(admin_url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                     .format(sql.Identifier(name)))


def recreate(admin_url: str, name: str) -> None:
    drop(admin_url, name)
    with _admin(admin_url) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def server_version(admin_url: str) -> str:
    with _admin(admin_url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return row[0] if row else "?"


def _flask(args: list[str], env: dict[str, str]) -> str:
    cmd = [sys.executable, "-m", "flask", "--app", "wsgi", *args]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=CLI_TIMEOUT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return done.stdout


def migrate_and_seed(database_url: str, redis_url: str) -> str:
    """flask db upgrade + flask seed-demo (development config: seed-demo refuses production)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WECHAT_", "LVJIAN_"))}
    env.update(LVJIAN_ENV="development", DATABASE_URL=database_url, REDIS_URL=redis_url)
    _flask(["db", "upgrade"], env)
    return _flask(["seed-demo"], env).strip()


def generate_products(database_url: str, redis_url: str, n: int) -> None:
    """Bulk products for the catalog scenarios (app.catalog.demo.generate_products)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WECHAT_", "LVJIAN_"))}
    env.update(LVJIAN_ENV="development", DATABASE_URL=database_url, REDIS_URL=redis_url)
    script = ("from app import create_app\nfrom app.extensions import db\n"
              "from app.catalog.demo import generate_products\n"
              "app = create_app()\nwith app.app_context():\n"
              f"    generate_products({int(n)})\n    db.session.commit()\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=900, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"generating products failed:\n{done.stderr[-2000:]}")


# --- the province-scale data of the report scenario (issue 15) ---------------------------

REPORT_SCALE = {"counties": 100, "expos": 2_000, "tickets": 1_000_000, "villagers": 20_000,
                "shops": 1_000, "coupons": 200_000, "claims": 50_000, "complaints": 10_000}
_CITIES = 10  # synthetic cities 415000..415900 under Henan, ten counties each


def _report_sql(scale: dict[str, int]) -> list[str]:
    """INSERT ... SELECT generate_series: the records the summary report aggregates, spread
    over the last 150 days (inside the report's default period), under Henan (41)."""
    counties, expos, villagers = scale["counties"], scale["expos"], scale["villagers"]
    shops, per_expo = scale["shops"], scale["tickets"] // scale["expos"]
    per_template = scale["coupons"] // shops
    days = "make_interval(days => ({g} % 150))"
    county = ("'41' || (50 + (({g} - 1) % {n}) / 10)::text "
              "|| lpad(((({g} - 1) % {n}) % 10 + 1)::text, 2, '0')")
    arrays = ("WITH s AS (SELECT array_agg(id ORDER BY id) a FROM shops "
              "WHERE name LIKE '基准商家%'), "
              "u AS (SELECT array_agg(id ORDER BY id) a FROM users "
              "WHERE nickname LIKE 'bench-v-%'),"
              " p AS (SELECT array_agg(id ORDER BY id) a FROM products "
              "WHERE name LIKE '基准商品%') ")
    return [
        # regions: cities, counties, two townships each
        "INSERT INTO regions (code, name, level, parent_code) SELECT '41' || (50 + c)::text "
        f"|| '00', '基准市' || c, 'city', '410000' FROM generate_series(0, {_CITIES - 1}) c",
        "INSERT INTO regions (code, name, level, parent_code) SELECT "
        + county.format(g="g", n=counties) + ", '基准县' || g, 'county', '41' || "
        f"(50 + (g - 1) / 10)::text || '00' FROM generate_series(1, {counties}) g",
        "INSERT INTO regions (code, name, level, parent_code) SELECT r.code || t, "
        "r.name || '镇' || t, 'township', r.code FROM regions r, (VALUES ('101'), ('102')) v(t) "
        "WHERE r.name LIKE '基准县%'",
        f"INSERT INTO users (role, nickname, is_active, created_at, updated_at) SELECT "
        f"'villager', 'bench-v-' || g, true, now(), now() FROM generate_series(1, {villagers}) g",
        # shops (nine in ten approved), one listed product each, promotions, coupon templates
        "INSERT INTO shops (name, region_code, status, address, description, created_at, "
        "updated_at) SELECT '基准商家' || g, " + county.format(g="g", n=counties)
        + ", CASE WHEN g % 10 = 0 THEN 'pending' ELSE 'approved' END, '', '', now(), now() "
        f"FROM generate_series(1, {shops}) g",
        arrays + "INSERT INTO products (shop_id, category_id, brand, name, model_spec, unit, "
        "price_fen, images, description, status, search_terms, name_terms, listed_at, "
        "created_at, updated_at) SELECT s.a[g], (SELECT min(id) FROM categories), '', "
        "'基准商品' || g, '', '件', 100000, '[]', '', 'listed', '', '', now(), now(), now() "
        f"FROM s, generate_series(1, {shops}) g",
        arrays + "INSERT INTO promotions (shop_id, title, kind, percent_off_bp, starts_at, "
        "ends_at, status, created_at, updated_at) SELECT s.a[g], '基准促销', 'percent', 1000, "
        "now() - " + days.format(g="g") + ", now() + interval '30 days', 'active', now(), now() "
        f"FROM s, generate_series(1, {shops}) g",
        arrays + "INSERT INTO coupon_templates (shop_id, title, kind, amount_fen, min_spend_fen, "
        "total_quantity, claimed_count, per_person_limit, validity_kind, valid_days, "
        "claim_starts_at, claim_ends_at, scope, product_ids, status, created_at, updated_at) "
        f"SELECT s.a[g], '基准券', 'fixed', 5000, 0, {per_template + 100}, {per_template}, 1, "
        "'relative', 30, now() - interval '150 days', now() + interval '30 days', 'shop', '[]', "
        f"'active', now(), now() FROM s, generate_series(1, {shops}) g",
        # expos and their tickets
        "INSERT INTO expos (title, description, township_code, organiser_region_code, venue, "
        "starts_at, ends_at, registration_opens_at, registration_closes_at, capacity, status, "
        "registered_count, waitlist_seq, bundle_version, signing_key_enc, public_key, "
        "created_at, updated_at) SELECT '基准展销会' || g, '', "
        + county.format(g="g", n=counties) + " || CASE WHEN g % 2 = 0 THEN '101' ELSE '102' END, "
        + county.format(g="g", n=counties) + ", '会场', now() - " + days.format(g="g")
        + ", now() - " + days.format(g="g") + " + interval '8 hours', now() - interval '200 "
        "days', now() - " + days.format(g="g") + f", {per_expo}, CASE WHEN g % 20 = 0 THEN "
        "'cancelled' WHEN g % 150 < 3 THEN 'published' ELSE 'finished' END, 0, 0, 1, '-', '-', "
        f"now(), now() FROM generate_series(1, {expos}) g",
        "WITH e AS (SELECT array_agg(id ORDER BY id) a FROM expos WHERE title LIKE "
        "'基准展销会%'), u AS (SELECT array_agg(id ORDER BY id) a FROM users WHERE nickname "
        "LIKE 'bench-v-%') INSERT INTO expo_tickets (expo_id, user_id, status, secret, "
        "admitted_at, changed_version, created_at, updated_at) SELECT e.a[x], "
        f"u.a[1 + (x * 7919 + k) % {villagers}], CASE WHEN k % 10 = 9 THEN 'waitlisted' "
        "WHEN k % 25 = 0 THEN 'cancelled' ELSE 'registered' END, md5(x::text || k)::varchar(16), "
        "CASE WHEN k % 3 = 0 AND k % 10 <> 9 AND k % 25 <> 0 THEN now() - interval '1 day' END, "
        f"0, now(), now() FROM e, u, generate_series(1, {expos}) x, "
        f"generate_series(0, {per_expo - 1}) k",
        # the seats taken, as registration keeps them (expos.registered_count)
        "UPDATE expos e SET registered_count = t.n FROM (SELECT expo_id, count(*) n FROM "
        "expo_tickets WHERE status = 'registered' GROUP BY expo_id) t WHERE t.expo_id = e.id "
        "AND e.title LIKE '基准展销会%'",
        # claimed coupons (one in four redeemed)
        "WITH t AS (SELECT array_agg(id ORDER BY id) a, array_agg(shop_id ORDER BY id) s FROM "
        "coupon_templates WHERE title = '基准券'), u AS (SELECT array_agg(id ORDER BY id) a "
        "FROM users WHERE nickname LIKE 'bench-v-%') INSERT INTO coupons (template_id, user_id, "
        "shop_id, seq, secret, status, terms, valid_from, valid_until, claimed_at, used_at) "
        f"SELECT t.a[x], u.a[1 + (x * 31 + k) % {villagers}], t.s[x], 1, md5(x::text || k)::"
        "varchar(16), CASE WHEN k % 4 = 0 THEN 'used' ELSE 'unused' END, '{}', now() - "
        "interval '150 days', now() + interval '30 days', now() - " + days.format(g="k")
        + ", CASE WHEN k % 4 = 0 THEN now() - " + days.format(g="k") + " END "
        f"FROM t, u, generate_series(1, {shops}) x, generate_series(0, {per_template - 1}) k",
        "INSERT INTO redemptions (coupon_id, shop_id, cashier_id, order_amount_fen, "
        "discount_fen, paid_fen, created_at) SELECT c.id, c.shop_id, c.user_id, 100000, 5000, "
        "95000, c.used_at FROM coupons c JOIN coupon_templates t ON t.id = c.template_id "
        "WHERE t.title = '基准券' AND c.status = 'used'",
        # subsidy programmes (one per county and one for the province) and claims
        "INSERT INTO subsidy_programs (region_code, title, category_ids, rate_bp, "
        "cap_per_item_fen, cap_per_person_fen, budget_fen, committed_fen, starts_on, ends_on, "
        "status, created_at, updated_at) SELECT code, '基准补贴' || code, '[]', 1500, 200000, "
        "500000, 500000000, 0, current_date - 150, current_date + 30, 'open', now(), now() FROM "
        "regions WHERE name LIKE '基准县%' OR code = '410000'",
        arrays + ", g AS (SELECT id, region_code FROM subsidy_programs "
        "WHERE title LIKE '基准补贴%')"
        " INSERT INTO subsidy_claims (program_id, user_id, person_hash, shop_id, product_id, "
        "price_paid_fen, invoice_no, invoice_key, purchase_date, amount_fen, status, flagged, "
        "created_at, updated_at) SELECT (SELECT g.id FROM g JOIN shops sh ON sh.region_code = "
        f"g.region_code WHERE sh.id = s.a[1 + n % {shops}]), u.a[1 + n % {villagers}], "
        f"md5(n::text), s.a[1 + n % {shops}], p.a[1 + n % {shops}], 100000, 'INV' || n, "
        "'INV' || n, current_date - (n % 150), 15000, (ARRAY['reserved', 'approved', "
        "'rejected', 'disbursed'])[1 + n % 4], false, now() - " + days.format(g="n")
        + f", now() FROM s, u, p, generate_series(1, {scale['claims']}) n",
        "UPDATE subsidy_programs g SET committed_fen = x.total FROM (SELECT program_id, "
        "sum(amount_fen) total FROM subsidy_claims WHERE status <> 'rejected' GROUP BY "
        "program_id) x WHERE x.program_id = g.id",
        # complaints: every status; resolved ones took 0-19 days
        "WITH u AS (SELECT array_agg(id ORDER BY id) a FROM users WHERE nickname LIKE "
        "'bench-v-%') INSERT INTO complaints (user_id, category, description, photos, "
        "region_code, status, submitted_on, accept_due_on, accepted_on, finish_due_on, "
        "resolved_at, closed_at, satisfaction, overdue, created_at, updated_at) SELECT "
        f"u.a[1 + n % {villagers}], 'quality', '基准投诉', '[]', "
        + county.format(g="n", n=counties) + ", st, current_date - (n % 150), current_date - "
        "(n % 150) + 9, CASE WHEN st <> 'submitted' THEN current_date - (n % 150) + 1 END, "
        "CASE WHEN st <> 'submitted' THEN current_date - (n % 150) + 60 END, CASE WHEN st IN "
        "('resolved', 'closed') THEN now() - make_interval(days => (n % 150)) + "
        "make_interval(days => n % 20) END, CASE WHEN st = 'closed' THEN now() END, CASE WHEN "
        "st = 'closed' THEN 1 + n % 5 END, false, now(), now() FROM u, "
        "(SELECT n, (ARRAY['submitted', 'accepted', 'mediated', 'resolved', 'closed', "
        "'declined'])[1 + n % 6] st FROM generate_series(1, " + str(scale["complaints"])
        + ") n) c",
        "ANALYZE",
    ]


def generate_report_data(database_url: str, **scale: int) -> dict[str, int]:
    """The province-scale data (REPORT_SCALE, or what is given) in one transaction, fast."""
    sizes = {**REPORT_SCALE, **scale}
    with psycopg.connect(database_url, connect_timeout=5) as conn:
        for statement in _report_sql(sizes)[:-1]:
            conn.execute(statement)
        conn.commit()
        conn.autocommit = True
        conn.execute("ANALYZE")
    return sizes
