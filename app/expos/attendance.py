"""Attendance for organisers and the gate: counts from the database, the attendee export."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.accounts.models import User
from app.catalog.eligibility import CHINA
from app.core import sheets
from app.core.crypto import mask_phone
from app.expos.models import TICKET_STATUS_LABELS, Expo, ExpoScan, ExpoTicket
from app.extensions import db

BUCKET = timedelta(minutes=15)


def _bucket(moment: datetime) -> datetime:
    local = moment.astimezone(CHINA)
    return local.replace(minute=local.minute - local.minute % 15, second=0, microsecond=0)


def attendance(expo: Expo) -> dict:
    """Live numbers; the database is the truth (a few indexed counts per call)."""
    by_status = dict(db.session.execute(
        sa.select(ExpoTicket.status, sa.func.count()).where(ExpoTicket.expo_id == expo.id)
        .group_by(ExpoTicket.status)).all())
    admitted_times = db.session.scalars(sa.select(ExpoTicket.admitted_at).where(
        ExpoTicket.expo_id == expo.id, ExpoTicket.admitted_at.is_not(None))).all()
    scans = dict(db.session.execute(
        sa.select(ExpoScan.result, sa.func.count()).where(ExpoScan.expo_id == expo.id)
        .group_by(ExpoScan.result)).all())
    duplicates = db.session.scalar(sa.select(sa.func.count()).select_from(ExpoScan).where(
        ExpoScan.expo_id == expo.id, ExpoScan.duplicate.is_(True)))
    arrivals = Counter(_bucket(t) for t in admitted_times)
    return {
        "capacity": expo.capacity,
        "registered": by_status.get("registered", 0),
        "waitlisted": by_status.get("waitlisted", 0),
        "cancelled": by_status.get("cancelled", 0) + by_status.get("revoked", 0),
        "admitted": len(admitted_times),
        "duplicates": duplicates,
        "scans": scans,
        "arrivals": [{"from": start, "count": arrivals[start]} for start in sorted(arrivals)],
    }


COLUMNS = ("票号", "昵称", "手机号", "状态", "候补位次", "入场时间")


def attendee_rows(expo: Expo) -> list[tuple]:
    rows = db.session.execute(
        sa.select(ExpoTicket, User.nickname, User.phone).join(User, User.id == ExpoTicket.user_id)
        .where(ExpoTicket.expo_id == expo.id).order_by(ExpoTicket.id)).all()
    # The place in the queue now (1 = next), as the villager sees it.
    waiting = sorted((t for t, _, _ in rows if t.status == "waitlisted"),
                     key=lambda t: t.waiting_position or 0)
    place = {t.id: n for n, t in enumerate(waiting, start=1)}
    return [(t.id, nickname, mask_phone(phone) or "", TICKET_STATUS_LABELS[t.status],
             place.get(t.id, ""),
             t.admitted_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M") if t.admitted_at else "")
            for t, nickname, phone in rows]


def export_csv(expo: Expo) -> bytes:
    return sheets.csv_bytes(COLUMNS, attendee_rows(expo))


def export_xlsx(expo: Expo) -> bytes:
    return sheets.xlsx_bytes("参会名单", COLUMNS, attendee_rows(expo))
