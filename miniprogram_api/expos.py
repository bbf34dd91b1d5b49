"""Expos for villagers: browse, register, cancel, tickets and their QR codes."""

from __future__ import annotations

from flask import Response, request

from app.core import auth
from app.core.errors import ApiError
from app.core.openapi import Blueprint
from app.core.pagination import paginate
from app.core.schemas import PageArgs, page_of
from app.expos import organiser, registration
from app.expos.models import Expo, ExpoTicket
from app.expos.schemas import (
    ExpoDetailSchema,
    ExpoListArgs,
    ExpoPage,
    TicketEnvelope,
    TicketSchema,
)
from app.integrations import qr

blp = Blueprint("mp-expos", __name__, url_prefix="/api/mp/v1", description="展会报名与门票")


@blp.route("/expos")
@blp.arguments(ExpoListArgs, location="query")
@blp.response(200, ExpoPage)
def list_expos(args):
    stmt = organiser.public_expos(region=args.get("region"), when=args["when"])
    return paginate(stmt, Expo.id, limit=args["limit"], cursor=args["cursor"])


@blp.route("/expos/<int:expo_id>")
@blp.response(200, ExpoDetailSchema)
def get_expo(expo_id):
    """The expo, its booths, and the caller's ticket when logged in."""
    expo = registration.get_open_expo(expo_id)
    user = auth.current_user() if auth.bearer_token() else None
    my_ticket = None
    if user is not None and user.role == auth.VILLAGER:
        my_ticket = registration.my_ticket_for(user, expo_id)
    expo.booths = organiser.approved_booths(expo_id)
    expo.my_ticket = my_ticket
    return expo


@blp.route("/expos/<int:expo_id>/registrations", methods=["POST"])
@auth.auth_required(auth.VILLAGER)
@blp.response(201, TicketEnvelope)
@blp.alt_response(200, schema=TicketEnvelope, description="already registered: the same ticket")
def register(expo_id):
    """Register (201), or get the ticket already held (200); full → waiting list."""
    ticket, created = registration.register(expo_id, auth.current_user())
    return {"ticket": ticket}, 201 if created else 200


@blp.route("/tickets/<int:ticket_id>", methods=["DELETE"])
@auth.auth_required(auth.VILLAGER)
@blp.response(200, TicketEnvelope)
def cancel(ticket_id):
    """Cancel; the first villager waiting gets the seat and is notified."""
    return {"ticket": registration.cancel(ticket_id, auth.current_user())}


@blp.route("/tickets/<int:ticket_id>")
@auth.auth_required(auth.VILLAGER)
@blp.response(200, TicketSchema)
def get_ticket(ticket_id):
    return registration.get_my_ticket(ticket_id, auth.current_user())


@blp.route("/me/tickets")
@auth.auth_required(auth.VILLAGER)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(TicketSchema))
def my_tickets(args):
    return paginate(registration.my_tickets(auth.current_user()), ExpoTicket.id,
                    limit=args["limit"], cursor=args["cursor"])


def _qr(ticket_id: int, kind: str) -> Response:
    ticket = registration.get_my_ticket(ticket_id, auth.current_user())
    if ticket.status not in ("registered", "waitlisted"):
        raise ApiError(409, "ticket_not_active", "门票已取消或已作废，无二维码")
    return qr.cacheable_response(registration.ticket_code(ticket), kind, request.if_none_match)


@blp.route("/tickets/<int:ticket_id>/qr.svg")
@auth.auth_required(auth.VILLAGER)
@blp.response(200, content_type="image/svg+xml", description="the ticket's QR code")
def ticket_qr_svg(ticket_id):
    return _qr(ticket_id, "svg")


@blp.route("/tickets/<int:ticket_id>/qr.png")
@auth.auth_required(auth.VILLAGER)
@blp.response(200, content_type="image/png", description="the ticket's QR code")
def ticket_qr_png(ticket_id):
    return _qr(ticket_id, "png")


