"""The villager's own profile and notifications."""

from __future__ import annotations

import sqlalchemy as sa

from app.accounts import services
from app.accounts.schemas import ProfilePatchArgs, VillagerSchema
from app.core import auth
from app.core.openapi import Blueprint
from app.core.pagination import paginate
from app.core.schemas import PageArgs
from app.notifications.models import Notification
from app.notifications.schemas import NotificationPage

blp = Blueprint("mp-me", __name__, url_prefix="/api/mp/v1/me", description="我的")


@blp.route("")
@auth.auth_required(auth.VILLAGER)
@blp.response(200, VillagerSchema)
def get_me():
    return auth.current_user()


@blp.route("", methods=["PATCH"])
@auth.auth_required(auth.VILLAGER)
@blp.arguments(ProfilePatchArgs)
@blp.response(200, VillagerSchema)
def patch_me(args):
    """Update nickname, real name, ID number and region; phone and role can't be set here."""
    return services.update_profile(auth.current_user(), **args)


@blp.route("/notifications")
@auth.auth_required(auth.VILLAGER)
@blp.arguments(PageArgs, location="query")
@blp.response(200, NotificationPage)
def my_notifications(args):
    stmt = sa.select(Notification).where(Notification.user_id == auth.current_user().id)
    return paginate(stmt, Notification.id, limit=args["limit"], cursor=args["cursor"])
