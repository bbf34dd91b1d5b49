"""The summary report (活动总结) of a region and period, with a row per sub-region.

Rows are the region's direct sub-regions in the regions table (a province's cities and
directly governed counties, a city's counties, a county's townships). Records on the region's
own code, or on a code under it that no sub-region covers, make one more row "（本级）",
shown when it holds anything: the total is always the sum of the rows. A region without
sub-regions has no rows, only its total.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from app.core import auth
from app.core.db import utcnow
from app.core.errors import not_found
from app.core.regions import scope_prefix
from app.extensions import db
from app.regions.models import Region
from app.reports import figures
from app.reports.period import Period, resolve
from app.reports.sections import AVERAGES, SECTIONS, empty

KINDS = (figures.expos, figures.merchants, figures.promotions, figures.subsidies,
         figures.complaints, figures.notifications)
_SECTION_OF = {f.name: s.name for s in SECTIONS for f in s.figures}


@dataclass(frozen=True)
class Bucket:
    code: str
    name: str
    level: str
    prefix: str
    own_level: bool = False  # the region's own records, not a sub-region's


def governed_region(user, code: str | None) -> Region:
    """The region asked for (by default the admin's own), if it lies in the admin's."""
    code = code or user.region_code
    auth.require_region(code, user)
    region = db.session.get(Region, code)
    if region is None:
        raise not_found("region_not_found", "未找到该行政区划")
    return region


def summary(user, *, region: str | None = None, first: date | None = None,
            last: date | None = None) -> dict[str, Any]:
    """The report as the API answers it; see app.reports.figures for what counts where."""
    place = governed_region(user, region)
    return build(place, resolve(first, last))


def build(place: Region, period: Period) -> dict[str, Any]:
    children = [Bucket(r.code, r.name, r.level, scope_prefix(r.code)) for r in
                db.session.scalars(sa.select(Region).where(Region.parent_code == place.code)
                                   .order_by(Region.code))]
    # Longest prefix first: a code belongs to the nearest sub-region that covers it.
    by_prefix = sorted(children, key=lambda b: len(b.prefix), reverse=True)
    own = Bucket(place.code, f"{place.name}（本级）", place.level, place.code, own_level=True)
    values = {bucket.code: empty() for bucket in children}
    values[own.code] = empty()
    total = empty()
    for kind in KINDS:
        for code, found in kind(scope_prefix(place.code), period):
            bucket = next((b for b in by_prefix if code.startswith(b.prefix)), own)
            for name, value in found.items():
                section = _SECTION_OF[name]
                values[bucket.code][section][name] += value
                total[section][name] += value
    rows = [_row(bucket, values[bucket.code]) for bucket in children]
    if children and _any(values[own.code]):
        rows.append(_row(own, values[own.code]))
    return {"region": _region(place), "from": period.first, "to": period.last,
            "generated_at": utcnow(), "total": _averaged(total), "rows": rows}


def _region(bucket: Bucket | Region) -> dict[str, str]:
    return {"code": bucket.code, "name": bucket.name, "level": bucket.level}


def _row(bucket: Bucket, sections: dict) -> dict[str, Any]:
    return {"region": _region(bucket), "own_level": bucket.own_level, **_averaged(sections)}


def _any(sections: dict) -> bool:
    return any(value for figures_ in sections.values() for value in figures_.values())


def _averaged(sections: dict) -> dict:
    for name, (total, count, digits) in AVERAGES.items():
        block = sections[_SECTION_OF[name]]
        block[name] = round(block[total] / block[count], digits) if block[count] else None
    return sections
