"""Flask CLI commands: seed-demo, create-admin, regions import, worker, jobs retry."""

from __future__ import annotations

import click
from flask import Flask, current_app

from app.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_admin)
    app.cli.add_command(regions_cli)
    app.cli.add_command(worker)
    app.cli.add_command(jobs_cli)


@click.command("seed-demo")
def seed_demo() -> None:
    """Load demo data (idempotent; refused in production)."""
    if current_app.config["LVJIAN_ENV"] == "production":
        raise click.ClickException("seed-demo refuses to run in production")
    from app.demo import seed_all

    report = seed_all()
    db.session.commit()
    for name, count in report.items():
        click.echo(f"{name}: {count}")


@click.command("create-admin")
@click.option("--username", required=True)
@click.option("--region", "region_code", required=True, help="region code, e.g. 410105")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--duty", "duties", multiple=True, help="catalog, expos, subsidies, complaints")
def create_admin(username: str, region_code: str, password: str, duties: tuple[str, ...]) -> None:
    """Create a government admin scoped to a region."""
    from app.accounts.services import create_console_user
    from app.core.errors import ApiError
    from app.regions.models import Region

    if db.session.get(Region, region_code) is None:
        raise click.ClickException(f"unknown region {region_code}; import regions first")
    if len(password) < 10:
        raise click.ClickException("use a password of at least 10 characters")
    try:
        user = create_console_user(username=username, password=password, role="admin",
                                   region_code=region_code, duties=list(duties) or None)
    except ApiError as exc:
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    click.echo(f"admin {user.username} (id {user.id}) for region {region_code}")


@click.group("regions")
def regions_cli() -> None:
    """Administrative divisions."""


@regions_cli.command("import")
@click.argument("csv_file", type=click.File(encoding="utf-8-sig"))
def regions_import(csv_file) -> None:
    """Import a national code list: a CSV of code,name."""
    from app.regions.services import import_csv

    report = import_csv(csv_file)
    db.session.commit()
    click.echo(" ".join(f"{k}={v}" for k, v in report.items()))


@regions_cli.command("seed")
def regions_seed() -> None:
    """Load the built-in Henan and Jilin regions."""
    from app.regions.services import seed_builtin

    report = seed_builtin()
    db.session.commit()
    click.echo(" ".join(f"{k}={v}" for k, v in report.items()))


@click.command("worker")
@click.option("--burst", is_flag=True, help="work what is queued, then exit")
def worker(burst: bool) -> None:
    """Run a background-job worker (RQ) inside the app."""
    from app.integrations.queue import worker_run

    worker_run(burst=burst)


@click.group("jobs")
def jobs_cli() -> None:
    """Background jobs."""


@jobs_cli.command("tick")
def jobs_tick() -> None:
    """Periodic work; run it from cron or a systemd timer every 10 minutes."""
    from app.complaints.deadlines import flag_overdue
    from app.notifications import services as notifications
    from app.promotions.coupons import expire_and_remind
    from app.uploads.services import sweep_expired

    coupons = expire_and_remind()
    reminders = 0
    while chunk := notifications.schedule_expo_reminders():
        reminders += chunk
        db.session.commit()  # this chunk's jobs are queued; workers start on them
    overdue = flag_overdue()
    swept = sweep_expired()
    stale = notifications.fail_stale_sending()
    db.session.commit()
    # What waited (quiet hours until the morning, backoff after an error) and is due now.
    due = notifications.redispatch(notifications.pending_notification_ids(deferred_only=True))
    click.echo(f"coupons expired={coupons['expired']} reminded={coupons['reminded']}; "
               f"expo reminders={reminders}; notifications due={due} stale={stale}; "
               f"complaints newly overdue={overdue}; uploads swept={swept}")


@jobs_cli.command("retry")
def jobs_retry() -> None:
    """Re-dispatch notifications still pending (e.g. after Redis was down)."""
    from app.notifications.services import pending_notification_ids, redispatch

    count = redispatch(pending_notification_ids())
    click.echo(f"re-dispatched {count} notifications")
