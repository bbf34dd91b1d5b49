"""Region lookups and the national code-list import."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

import sqlalchemy as sa

from app.core import regions as codes
from app.extensions import db
from app.regions.data import BUILTIN_REGIONS
from app.regions.models import Region


def region_name(code: str | None) -> str | None:
    """The name of a region code (None for no code or an unknown one)."""
    region = db.session.get(Region, code) if code else None
    return region.name if region else None


def children(parent_code: str | None) -> list[Region]:
    stmt = sa.select(Region).where(Region.parent_code == parent_code if parent_code
                                   else Region.parent_code.is_(None))
    return list(db.session.scalars(stmt.order_by(Region.code)))


def upsert_regions(rows: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Insert or rename regions given as (code, name); parents are derived from the codes.

    Rows are taken shortest code first so that a parent exists before its children.
    """
    report = {"added": 0, "updated": 0, "unchanged": 0, "rejected": 0}
    rows_now = db.session.execute(sa.select(Region.code, Region.name))
    existing = {code: name for code, name in rows_now}
    for code, name in sorted(rows, key=lambda r: (len(r[0]), r[0])):
        code, name = code.strip(), name.strip()
        if not codes.is_region_code(code) or not name:
            report["rejected"] += 1
            continue
        if code in existing:
            if existing[code] == name:
                report["unchanged"] += 1
                continue
            db.session.execute(sa.update(Region).where(Region.code == code).values(name=name))
            report["updated"] += 1
        else:
            parent = next((p for p in codes.parent_candidates(code) if p in existing), None)
            db.session.add(Region(code=code, name=name, level=codes.level_of(code),
                                  parent_code=parent))
            report["added"] += 1
        existing[code] = name
    db.session.flush()
    return report


def import_csv(stream: TextIO) -> dict[str, int]:
    """Import a `code,name` CSV (a header row is optional); bad rows are counted, not fatal."""
    rows = [r for r in csv.reader(stream) if any(cell.strip() for cell in r)]
    if rows and not rows[0][0].strip().isdigit():
        rows = rows[1:]  # header
    return upsert_regions([(r[0], r[1] if len(r) > 1 else "") for r in rows])


def seed_builtin() -> dict[str, int]:
    return upsert_regions(BUILTIN_REGIONS)
