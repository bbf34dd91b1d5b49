"""Registering for an expo: seats by conditional UPDATE, a fair waiting list, cancellation."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from app.core.db import utcnow
from app.core.errors import ApiError, conflict, not_found
from app.expos import codes
from app.expos.models import Expo, ExpoTicket
from app.extensions import db
from app.notifications.services import notify

log = logging.getLogger(__name__)

ACTIVE = ("registered", "waitlisted")
# Lock the ticket row only. A ticket loads its expo by a LEFT OUTER JOIN, and PostgreSQL
# refuses FOR UPDATE on the nullable side of one; the expo row is guarded by its UPDATEs.
LOCK_TICKET = {"of": ExpoTicket}


def get_open_expo(expo_id: int) -> Expo:
    expo = db.session.get(Expo, expo_id)
    if expo is None or expo.status == "draft":
        raise not_found("expo_not_found", "未找到该展会")
    return expo


def ticket_code(ticket: ExpoTicket) -> str:
    return codes.sign(ticket.expo.signing_key_enc, expo_id=ticket.expo_id,
                      ticket_id=ticket.id, secret=ticket.secret)


def take_seat(expo_id: int) -> int | None:
    """One seat, if one is free: the database decides, however many ask at once.

    Returns the new bundle version when a seat was taken, None when the expo is full (or
    no longer published: a registration racing the expo's cancellation gets no seat).
    """
    return db.session.execute(
        sa.update(Expo)
        .where(Expo.id == expo_id, Expo.status == "published",
               Expo.registered_count < Expo.capacity)
        .values(registered_count=Expo.registered_count + 1,
                bundle_version=Expo.bundle_version + 1)
        .returning(Expo.bundle_version)
        .execution_options(synchronize_session=False)).scalar_one_or_none()


def _queue_if_full(expo_id: int) -> tuple[int, int] | None:
    """(waiting position, new bundle version), or None if a seat came free meanwhile."""
    row = db.session.execute(
        sa.update(Expo).where(Expo.id == expo_id, Expo.status == "published",
                              Expo.registered_count >= Expo.capacity)
        .values(waitlist_seq=Expo.waitlist_seq + 1, bundle_version=Expo.bundle_version + 1)
        .returning(Expo.waitlist_seq, Expo.bundle_version)
        .execution_options(synchronize_session=False)).one_or_none()
    return None if row is None else (row[0], row[1])


def bump_bundle(expo_id: int) -> int:
    return db.session.execute(
        sa.update(Expo).where(Expo.id == expo_id)
        .values(bundle_version=Expo.bundle_version + 1)
        .returning(Expo.bundle_version)
        .execution_options(synchronize_session=False)).scalar_one()


def _seat_or_queue(ticket: ExpoTicket) -> None:
    # "Full" is checked again when joining the queue: a cancellation may have freed a seat
    # (finding nobody waiting) between the two statements, and that seat is this one's.
    while True:
        if (version := take_seat(ticket.expo_id)) is not None:
            ticket.status, ticket.waiting_position = "registered", None
            break
        if (queued := _queue_if_full(ticket.expo_id)) is not None:
            ticket.status = "waitlisted"
            ticket.waiting_position, version = queued
            break
        if db.session.scalar(sa.select(Expo.status).where(Expo.id == ticket.expo_id)) \
                != "published":
            raise conflict("expo_not_open", "该展会已取消或结束，无法报名")
    ticket.changed_version = version


def register(expo_id: int, user) -> tuple[ExpoTicket, bool]:
    """(ticket, created?) — registering again returns the same ticket."""
    expo = get_open_expo(expo_id)
    existing = db.session.scalar(sa.select(ExpoTicket).where(
        ExpoTicket.expo_id == expo_id, ExpoTicket.user_id == user.id))
    if existing is not None and existing.status not in ACTIVE:
        # Lock it and look again: of two taps re-registering, one takes a seat and the
        # other gets that ticket back, rather than both counting a seat.
        existing = db.session.get(ExpoTicket, existing.id, with_for_update=LOCK_TICKET,
                                  populate_existing=True)
    if existing is not None and existing.status in ACTIVE:
        return existing, False
    _check_open_for_registration(expo)
    if existing is not None:
        if existing.status == "revoked":
            raise ApiError(403, "ticket_revoked", "您的门票已被主办方作废，不能再次报名")
        ticket = existing  # cancelled earlier: a fresh code, a new place in the queue
        ticket.secret, ticket.cancelled_at, ticket.admitted_at = codes.new_secret(), None, None
    else:
        ticket = ExpoTicket(expo_id=expo_id, user_id=user.id, status="waitlisted",
                            secret=codes.new_secret())
        try:
            with db.session.begin_nested():
                db.session.add(ticket)
        except sa.exc.IntegrityError:
            # The same villager's other request (a double tap) got there first.
            return db.session.scalars(sa.select(ExpoTicket).where(
                ExpoTicket.expo_id == expo_id, ExpoTicket.user_id == user.id)).one(), False
    _seat_or_queue(ticket)
    db.session.flush()
    return ticket, True


def _check_open_for_registration(expo: Expo) -> None:
    now = utcnow()
    if expo.status != "published":
        raise conflict("expo_not_open", "该展会已取消或结束，无法报名")
    if not expo.registration_opens_at <= now <= expo.registration_closes_at:
        raise conflict("registration_closed", "不在报名时间内")


def cancel(ticket_id: int, user) -> ExpoTicket:
    """The villager gives up its ticket; a freed seat goes to the first in the queue."""
    ticket = db.session.get(ExpoTicket, ticket_id, with_for_update=LOCK_TICKET,
                            populate_existing=True)
    if ticket is None or ticket.user_id != user.id:
        raise not_found("ticket_not_found", "未找到该门票")
    if ticket.status not in ACTIVE:
        return ticket
    if ticket.admitted_at is not None:
        raise conflict("already_admitted", "已入场的门票不能取消")
    release_ticket(ticket, status="cancelled")
    return ticket


def revoke(expo: Expo, ticket_id: int, *, reason: str, by) -> ExpoTicket:
    """The organiser voids one ticket: its code stops opening the gate (offline bundles learn
    it with their next delta), a seat it held goes to the first waiting villager, the holder
    is told why, and the holder can't register for this expo again."""
    ticket = db.session.get(ExpoTicket, ticket_id, with_for_update=LOCK_TICKET,
                            populate_existing=True)
    if ticket is None or ticket.expo_id != expo.id:
        raise not_found("ticket_not_found", "未找到该门票")
    if ticket.status == "revoked":
        return ticket  # revoking again changes nothing and tells nobody twice
    if ticket.admitted_at is not None:
        raise conflict("already_admitted", "该门票已入场，不能作废")
    release_ticket(ticket, status="revoked")
    notify(ticket.user_id, "ticket_revoked", {"expo_id": expo.id, "ticket_id": ticket.id,
                                              "title": expo.title, "reason": reason})
    log.info("ticket %s of expo %s revoked by user %s", ticket.id, expo.id, by.id)
    return ticket


def release_ticket(ticket: ExpoTicket, *, status: str) -> ExpoTicket | None:
    """Cancel or revoke; a seat it held passes straight to the first waiting villager.

    The seat is handed over rather than freed, so a newcomer can never jump the queue, and
    the count of seats taken never goes above capacity in between. Returns the promoted one.
    """
    held_seat = ticket.status == "registered"
    ticket.status, ticket.cancelled_at, ticket.waiting_position = status, utcnow(), None
    ticket.changed_version = bump_bundle(ticket.expo_id)
    if not held_seat:
        db.session.flush()
        return None
    promoted = None
    # A seat of an expo that was called off or is over is worth nothing: nobody is promoted
    # (nor told "you got a seat").
    if ticket.expo.status == "published" and utcnow() < ticket.expo.ends_at:
        promoted = db.session.scalar(
            sa.select(ExpoTicket)
            .where(ExpoTicket.expo_id == ticket.expo_id, ExpoTicket.status == "waitlisted")
            .order_by(ExpoTicket.waiting_position).limit(1)
            .with_for_update(of=ExpoTicket, skip_locked=True))
    if promoted is None:
        db.session.execute(sa.update(Expo).where(Expo.id == ticket.expo_id)
                           .values(registered_count=Expo.registered_count - 1)
                           .execution_options(synchronize_session=False))
        db.session.flush()
        return None
    promoted.status, promoted.waiting_position = "registered", None
    promoted.changed_version = bump_bundle(ticket.expo_id)
    db.session.flush()
    notify(promoted.user_id, "waitlist_promoted",
           {"expo_id": promoted.expo_id, "ticket_id": promoted.id,
            "title": promoted.expo.title})
    return promoted


def my_tickets(user) -> sa.Select:
    return sa.select(ExpoTicket).where(ExpoTicket.user_id == user.id)


def my_ticket_for(user, expo_id: int) -> ExpoTicket | None:
    return db.session.scalar(my_tickets(user).where(ExpoTicket.expo_id == expo_id).limit(1))


def waiting_place(ticket: ExpoTicket) -> int | None:
    """The ticket's place in the queue now (1 = next to get a seat), not its number when it
    joined: those who left or were seated in front of it no longer count."""
    if ticket.status != "waitlisted" or ticket.waiting_position is None:
        return None
    ahead = db.session.scalar(sa.select(sa.func.count()).select_from(ExpoTicket).where(
        ExpoTicket.expo_id == ticket.expo_id, ExpoTicket.status == "waitlisted",
        ExpoTicket.waiting_position < ticket.waiting_position))
    return ahead + 1


def get_my_ticket(ticket_id: int, user) -> ExpoTicket:
    ticket = db.session.get(ExpoTicket, ticket_id)
    if ticket is None or ticket.user_id != user.id:
        raise not_found("ticket_not_found", "未找到该门票")
    return ticket
