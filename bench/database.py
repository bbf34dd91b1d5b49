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
