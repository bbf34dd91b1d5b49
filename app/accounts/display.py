"""Who acted, as a timeline names them: an officer's display name, a shop, never a villager."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import fields

from app.accounts.models import User
from app.core import auth

OFFICER, MERCHANT, VILLAGER, SYSTEM = "officer", "merchant", "villager", "system"
ROLE_LABELS = {OFFICER: "主管部门", MERCHANT: "商家", VILLAGER: "村民", SYSTEM: "系统"}
OWN, OTHERS = "本人", "村民"  # a villager's entries, to that villager and to everyone else


def role_of(user: User | None) -> str:
    if user is None:
        return SYSTEM
    if user.role == auth.ADMIN:
        return OFFICER
    if user.role in auth.MERCHANT_ROLES:
        return MERCHANT
    return VILLAGER if user.role == auth.VILLAGER else SYSTEM


def actor_name(user: User | None, role: str, *, own_view: bool) -> str:
    """An officer by the display name of the console account (e.g. 金水区市场监管局 张科员);
    a merchant by its shop; a villager only as 本人 (to itself) or 村民: nothing else of
    theirs reaches another reader, nor anything but a name of an officer's."""
    if role == VILLAGER:
        return OWN if own_view else OTHERS
    if user is None or role == SYSTEM:
        return ROLE_LABELS[SYSTEM]
    if role == MERCHANT and user.membership is not None:
        return user.membership.shop.name
    return user.nickname or ROLE_LABELS[role]


def actor_fields(role: Callable[[Any], str], *, own_view: bool) -> dict[str, fields.Field]:
    """`by_role`, `by_role_label` and `by_name` of a timeline entry with a `by_user`;
    `role(entry)` says as what it acted."""
    def name(entry) -> str:
        return actor_name(entry.by_user, role(entry), own_view=own_view)

    return {
        "by_role": fields.Function(role, metadata={"type": "string",
                                                   "enum": list(ROLE_LABELS)}),
        "by_role_label": fields.Function(lambda entry: ROLE_LABELS[role(entry)], metadata={
            "type": "string", "example": "主管部门"}),
        "by_name": fields.Function(name, metadata={
            "type": "string", "example": "金水区市场监管局（演示）",
            "description": "经办人：主管部门为账号显示名，商家为店铺名，村民本人的记录为「本人」"}),
    }
