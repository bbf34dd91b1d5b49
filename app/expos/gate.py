"""The gate: online scans, offline bundles, and offline batch uploads (earliest scan wins)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import orm

from app.accounts.models import User
from app.core.crypto import mask_phone
from app.core.db import insert_unless_conflict, utcnow
from app.expos import codes
from app.expos.models import (
    EXPO_STATUS_LABELS,
    SCAN_RESULT_LABELS,
    TICKET_STATUS_LABELS,
    Expo,
    ExpoScan,
    ExpoStaff,
    ExpoTicket,
)
from app.expos.registration import LOCK_TICKET
from app.extensions import db

# The gate opens an hour before the expo starts and closes when it ends.
GATE_OPENS_BEFORE = timedelta(hours=1)


@dataclass
class ScanAnswer:
    result: str
    ticket: ExpoTicket | dict | None = None
    first_admitted_at: datetime | None = None
    first_admitted_by: str | None = None
    duplicate: bool = False

    def as_dict(self) -> dict:
        out: dict = {"result": self.result, "result_label": SCAN_RESULT_LABELS[self.result]}
        if isinstance(self.ticket, dict):  # the fast path's, from its UPDATE ... RETURNING
            out["ticket"] = self.ticket
        elif self.ticket is not None:
            out["ticket"] = _ticket_block(self.ticket.id, self.ticket.status,
                                          self.ticket.holder.nickname, self.ticket.holder.phone)
        if self.first_admitted_at is not None:
            out["first_admitted_at"] = self.first_admitted_at
            out["first_admitted_by"] = self.first_admitted_by
        if self.duplicate:
            out["duplicate"] = True
        return out


def _ticket_block(ticket_id: int, status: str, nickname: str | None, phone: str | None) -> dict:
    return {"id": ticket_id, "status": status, "status_label": TICKET_STATUS_LABELS[status],
            "holder": {"nickname": nickname, "phone": mask_phone(phone)}}


def is_staff(expo_id: int, user_id: int) -> bool:
    return db.session.scalar(sa.select(ExpoStaff.id).where(
        ExpoStaff.expo_id == expo_id, ExpoStaff.user_id == user_id)) is not None


def _staff_name(user_id: int | None) -> str | None:
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    return user.nickname or user.username if user else None


def _judge(expo: Expo, claim: codes.TicketClaim | None,
           at: datetime) -> tuple[str, ExpoTicket | None]:
    """Everything but admission itself: is this a good ticket for this gate now?"""
    if claim is None:
        return "invalid", None
    if claim.expo_id != expo.id:
        other = db.session.get(Expo, claim.expo_id)
        if other is not None and codes.verify(claim, other.public_key):
            return "wrong_expo", None
        return "invalid", None
    if codes.verify(claim, expo.public_key) is None:
        return "invalid", None  # forged or tampered
    # The holder comes along (the answer shows them); the expo is already in the session.
    ticket = db.session.scalar(
        sa.select(ExpoTicket).where(ExpoTicket.id == claim.ticket_id)
        .options(orm.joinedload(ExpoTicket.holder), orm.lazyload(ExpoTicket.expo)))
    if ticket is None or ticket.expo_id != expo.id:
        return "invalid", None
    # A called-off expo says so whatever the ticket; a scan made offline before the call
    # (an expo stopped halfway) is judged as the gate judged it then.
    called_off = expo.status == "cancelled" and (expo.cancelled_at is None
                                                 or at >= expo.cancelled_at)
    if called_off:
        return "expo_cancelled", ticket
    if ticket.status == "revoked":
        return "revoked", ticket
    if ticket.secret != claim.secret or ticket.status == "cancelled":
        return "cancelled", ticket  # an old code of a re-issued ticket counts as cancelled
    if ticket.status == "waitlisted":
        return "waitlisted", ticket
    if not _gate_open(expo, at):
        return "not_open", ticket
    return "ok", ticket


def _gate_open(expo: Expo, at: datetime) -> bool:
    return expo.status in ("published", "cancelled") and (
        expo.starts_at - GATE_OPENS_BEFORE <= at <= expo.ends_at)


def _admit(ticket: ExpoTicket, staff_id: int, at: datetime) -> ScanAnswer:
    """First admission wins, decided by the database: two staff, one ticket → one admitted.

    The UPDATE checks again what _judge read, so a cancel or re-issue that committed in
    between is not admitted.
    """
    won = db.session.execute(
        sa.update(ExpoTicket)
        .where(ExpoTicket.id == ticket.id, ExpoTicket.admitted_at.is_(None),
               ExpoTicket.status == "registered", ExpoTicket.secret == ticket.secret)
        .values(admitted_at=at, admitted_by=staff_id)
        .execution_options(synchronize_session=False)).rowcount == 1
    # No expo-row bump here: that row would serialise every gate in the county. Devices
    # learn of admissions through the bundle's admissions cursor (scan receipt times).
    if won:  # what the UPDATE wrote, without reading it back
        orm.attributes.set_committed_value(ticket, "admitted_at", at)
        orm.attributes.set_committed_value(ticket, "admitted_by", staff_id)
        return ScanAnswer("admitted", ticket)
    db.session.refresh(ticket)
    if ticket.admitted_at is not None:
        return ScanAnswer("already_admitted", ticket, ticket.admitted_at,
                          _staff_name(ticket.admitted_by))
    # cancelled, revoked or re-issued while we looked
    return ScanAnswer("revoked" if ticket.status == "revoked" else "cancelled", ticket)


def _replayed(expo_id: int, nonce: str | None) -> ExpoScan | None:
    if not nonce:
        return None
    return db.session.scalar(sa.select(ExpoScan).where(ExpoScan.expo_id == expo_id,
                                                       ExpoScan.nonce == nonce))


def _answer_of(scan: ExpoScan) -> ScanAnswer:
    ticket = db.session.get(ExpoTicket, scan.ticket_id) if scan.ticket_id else None
    answer = ScanAnswer(scan.result, ticket, duplicate=scan.duplicate)
    if scan.result == "already_admitted" and ticket is not None:
        answer.first_admitted_at = ticket.admitted_at
        answer.first_admitted_by = _staff_name(ticket.admitted_by)
    return answer


def _admit_at_once(expo: Expo, claim: codes.TicketClaim, staff_id: int,
                   at: datetime) -> ScanAnswer | None:
    """The common case in one statement: a good code of this open gate's expo, first shown.

    The conditional UPDATE admits the ticket if it is still registered, not yet admitted and
    of this code's issue, and returns what the answer shows (its holder, by subquery).
    None when it admitted nobody: the full judgement (_judge) then says why.
    """
    if expo.status != "published" or not _gate_open(expo, at):
        return None
    tickets = ExpoTicket.__table__

    def holder(column):  # a scalar subquery: SQLite's RETURNING can't name an UPDATE's FROM
        return sa.select(column).where(User.id == tickets.c.user_id).scalar_subquery()

    row = db.session.execute(
        sa.update(tickets)
        .where(tickets.c.id == claim.ticket_id, tickets.c.expo_id == expo.id,
               tickets.c.admitted_at.is_(None), tickets.c.status == "registered",
               tickets.c.secret == claim.secret)
        .values(admitted_at=at, admitted_by=staff_id)
        .returning(tickets.c.id, tickets.c.status, holder(User.nickname),
                   holder(User.phone))).first()
    if row is None:
        return None
    return ScanAnswer("admitted", _ticket_block(*row))


def scan(expo: Expo, *, code: str, staff_id: int, nonce: str | None = None,
         scanned_at: datetime | None = None, device_id: str | None = None) -> ScanAnswer:
    """An online scan. The same nonce again returns the first answer and changes nothing.

    A first scan of a good ticket is two statements: the admitting UPDATE ... RETURNING and
    the scan row's INSERT ... ON CONFLICT (a nonce seen before conflicts there, and the
    admission is rolled back with it). Anything else takes the full judgement.
    """
    now = utcnow()
    claim = codes.parse(code)
    answer = None
    if (claim is not None and claim.expo_id == expo.id
            and codes.verify(claim, expo.public_key) is not None):
        answer = _admit_at_once(expo, claim, staff_id, now)
    ticket_id = answer.ticket["id"] if answer is not None else None
    if answer is None:
        if (earlier := _replayed(expo.id, nonce)) is not None:
            return _answer_of(earlier)
        # The device's clock is trusted for the record, not for the admission window.
        verdict, ticket = _judge(expo, claim, now)
        answer = (_admit(ticket, staff_id, now) if verdict == "ok"
                  else ScanAnswer(verdict, ticket))
        ticket_id = ticket.id if ticket else None
    recorded = insert_unless_conflict(
        ExpoScan, {"expo_id": expo.id, "ticket_id": ticket_id,
                   "raw_code": code[:300], "staff_id": staff_id, "device_id": device_id,
                   "nonce": nonce, "scanned_at": scanned_at or now, "received_at": now,
                   "result": answer.result, "offline": False, "duplicate": False},
        "expo_id", "nonce")
    if not recorded:
        # The same nonce raced in on another connection: that one is the answer, and our
        # admission (if any) is undone with the rest of this transaction.
        db.session.rollback()
        return _answer_of(_replayed(expo.id, nonce))
    return answer


# Admissions are found by when their scan reached a server; app servers' clocks may differ
# a little, so each delta looks back this much further (repeats are harmless to a device).
CLOCK_OVERLAP = timedelta(minutes=2)


def offline_bundle(expo: Expo, *, since: int | None = None,
                   admitted_after: datetime | None = None) -> dict:
    """What a gate device needs to admit people with no network.

    With `since` (the version the device holds) only tickets registered, cancelled, revoked
    or re-issued after it are listed; with `admitted_after` (the `admissions_until` of the
    device's last bundle) also those admitted since, online or by another device.
    `revoked` lists every ticket the gate must refuse; `refused` says with which answer
    (`cancelled` by the villager, `revoked` by the organiser), and `labels` gives the
    Chinese the device shows, so an offline gate answers as the server would.
    """
    now = utcnow()
    base = {"expo": {"id": expo.id, "title": expo.title, "status": expo.status,
                     "status_label": EXPO_STATUS_LABELS[expo.status],
                     "cancelled_at": expo.cancelled_at,
                     "starts_at": expo.starts_at,
                     "ends_at": expo.ends_at,
                     "gate_opens_at": expo.starts_at - GATE_OPENS_BEFORE},
            "public_key": expo.public_key, "algorithm": "Ed25519", "code_format": "base45 v1",
            "version": expo.bundle_version, "admissions_until": now, "full": since is None,
            "labels": {"results": SCAN_RESULT_LABELS, "ticket_statuses": TICKET_STATUS_LABELS}}
    stmt = sa.select(ExpoTicket.id, ExpoTicket.secret, ExpoTicket.status,
                     ExpoTicket.admitted_at).where(ExpoTicket.expo_id == expo.id)
    if since is not None:
        changed = ExpoTicket.changed_version > since
        if admitted_after is not None:
            admitted = sa.select(ExpoScan.ticket_id).where(
                ExpoScan.expo_id == expo.id, ExpoScan.result == "admitted",
                ExpoScan.received_at > admitted_after - CLOCK_OVERLAP)
            changed = sa.or_(changed, ExpoTicket.id.in_(admitted))
        stmt = stmt.where(changed)
    rows = db.session.execute(stmt.order_by(ExpoTicket.id)).all()
    return {
        **base,
        "tickets": [{"id": r.id, "secret": r.secret, "status": r.status,
                     "admitted": r.admitted_at is not None,
                     **({"admitted_at": r.admitted_at} if r.admitted_at else {})}
                    for r in rows if r.status in ("registered", "waitlisted")],
        "revoked": [r.id for r in rows if r.status in ("cancelled", "revoked")],
        "refused": [{"id": r.id, "result": r.status}
                    for r in rows if r.status in ("cancelled", "revoked")],
    }


def upload_offline_scans(expo: Expo, scans: list[dict], *, staff_id: int) -> list[dict]:
    """Record scans made offline. Every scan is kept; the earliest admission of a ticket
    wins, later ones are flagged as duplicates (someone let in twice); a batch uploaded again
    changes nothing."""
    _lock_tickets(expo, scans)
    results: dict[int, dict] = {}
    admitted: set[int] = set()
    order = sorted(range(len(scans)), key=lambda i: scans[i]["scanned_at"])
    now = utcnow()
    for i in order:
        item = scans[i]
        if (earlier := _replayed(expo.id, item["nonce"])) is not None:
            results[i] = {"nonce": item["nonce"], **_answer_of(earlier).as_dict()}
            continue
        answer = _offline_one(expo, item, staff_id, now)
        if answer.result == "admitted":
            admitted.add(answer.ticket.id)
        results[i] = {"nonce": item["nonce"], **answer.as_dict()}
    return [results[i] for i in range(len(scans))]


def _lock_tickets(expo: Expo, scans: list[dict]) -> None:
    """Lock (and reload) every ticket of this expo the batch names, in id order, up front.

    Two devices uploading the same people in different orders then queue one behind the
    other instead of deadlocking; the locks hold until the upload commits.
    """
    ids = {claim.ticket_id for item in scans
           if (claim := codes.parse(item["code"])) is not None and claim.expo_id == expo.id}
    if ids:
        db.session.scalars(
            sa.select(ExpoTicket).where(ExpoTicket.id.in_(ids), ExpoTicket.expo_id == expo.id)
            .order_by(ExpoTicket.id).with_for_update(**LOCK_TICKET)
            .execution_options(populate_existing=True)).all()


def _offline_one(expo: Expo, item: dict, staff_id: int, now: datetime) -> ScanAnswer:
    at = min(item["scanned_at"], now)  # a device clock in the future is not believed
    verdict, ticket = _judge(expo, codes.parse(item["code"]), at)  # locked and fresh
    answer = _admit_earliest(ticket, staff_id, at) if verdict == "ok" else ScanAnswer(verdict,
                                                                                      ticket)
    scan_row = ExpoScan(expo_id=expo.id, ticket_id=ticket.id if ticket else None,
                        raw_code=item["code"][:300], staff_id=staff_id,
                        device_id=item.get("device_id"), nonce=item["nonce"], scanned_at=at,
                        received_at=now, result=answer.result, offline=True,
                        duplicate=answer.duplicate)
    try:
        with db.session.begin_nested():
            db.session.add(scan_row)
    except sa.exc.IntegrityError:
        return _answer_of(_replayed(expo.id, item["nonce"]))
    return answer


def _admit_earliest(ticket: ExpoTicket, staff_id: int, at: datetime) -> ScanAnswer:
    """Under the ticket's row lock: the earliest scanned_at holds the admission."""
    if ticket.admitted_at is None:
        ticket.admitted_at, ticket.admitted_by = at, staff_id
        db.session.flush()
        return ScanAnswer("admitted", ticket)
    if at < ticket.admitted_at:
        # This person really came in earlier: take over the admission, and the later
        # admitting scans become duplicates (they let the same person in again).
        db.session.execute(
            sa.update(ExpoScan)
            .where(ExpoScan.ticket_id == ticket.id, ExpoScan.result == "admitted")
            .values(duplicate=True).execution_options(synchronize_session=False))
        ticket.admitted_at, ticket.admitted_by = at, staff_id
        db.session.flush()
        return ScanAnswer("admitted", ticket)
    # Admitted before this scan: the device, offline, let the same person in again.
    return ScanAnswer("already_admitted", ticket, ticket.admitted_at,
                      _staff_name(ticket.admitted_by), duplicate=True)
