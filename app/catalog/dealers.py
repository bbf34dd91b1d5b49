"""Dealer authorisations (经销授权): a merchant applies, an admin of its region decides."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.catalog import binding
from app.catalog.imports import normalise_code
from app.catalog.models import Certificate, DealerAuthorisation, Enterprise
from app.core import auth
from app.core.db import utcnow
from app.core.errors import conflict, not_found, unprocessable
from app.core.regions import scope_prefix
from app.extensions import db
from app.merchants.models import SHOP_STATUS_LABELS, Shop, ShopMember
from app.notifications.services import notify

STATUS_LABELS = binding.AUTHORISATION_LABELS
# action: (from statuses, to status, note required)
TRANSITIONS = {
    "approve": (("applied",), "approved", False),
    "reject": (("applied",), "rejected", True),
    "revoke": (("approved",), "revoked", True),
}
ACTIONS = tuple(TRANSITIONS)
ACTION_LABELS = {"approve": "核准", "reject": "驳回", "revoke": "撤销"}


# ---- the merchant ---------------------------------------------------------------------------

def find_enterprise(*, credit_code: str | None = None,
                    certificate_number: str | None = None) -> Enterprise:
    """The enterprise by its credit code, or as the holder of a certificate number."""
    if credit_code:
        enterprise = db.session.scalar(sa.select(Enterprise).where(
            Enterprise.credit_code == normalise_code(credit_code)))
        if enterprise is None:
            raise unprocessable("enterprise_not_found", "未找到该统一社会信用代码对应的获证企业",
                                {"credit_code": ["未找到该企业，请核对"]})
        return enterprise
    number = normalise_code(certificate_number or "")
    cert = db.session.scalar(sa.select(Certificate).where(Certificate.number == number))
    if cert is None:
        raise unprocessable("certificate_not_found", "查无此证书编号，请核对",
                            {"certificate_number": ["查无此证书编号"]})
    return cert.enterprise


def apply(shop: Shop, user: Any, *, credit_code: str | None = None,
          certificate_number: str | None = None, document_no: str | None = None,
          note: str = "") -> DealerAuthorisation:
    """Apply for an enterprise's dealer authorisation (the enterprise named by its credit
    code or by one of its certificates); one open application per enterprise at a time."""
    enterprise = find_enterprise(credit_code=credit_code, certificate_number=certificate_number)
    if shop.status not in ("pending", "approved"):
        raise conflict("shop_not_active", f"店铺当前状态为「{SHOP_STATUS_LABELS[shop.status]}」，"
                                          "不能申请经销授权")
    if shop.enterprise_id == enterprise.id:
        raise unprocessable("own_enterprise", "该企业即本店所属企业，无需申请经销授权",
                            {"credit_code": ["本店所属企业无需授权"]})
    try:
        with db.session.begin_nested():  # the partial unique index decides a double submit
            authorisation = DealerAuthorisation(
                shop_id=shop.id, enterprise_id=enterprise.id, status="applied",
                document_no=(document_no or "").strip() or None, note=note.strip(),
                applied_by=user.id)
            db.session.add(authorisation)
            db.session.flush()
    except sa.exc.IntegrityError:
        raise conflict("authorisation_exists",
                       f"已有「{enterprise.name}」的经销授权申请或有效授权，无需重复申请") from None
    return authorisation


def of_shop(shop: Shop, *, status: str | None = None) -> sa.Select:
    stmt = sa.select(DealerAuthorisation).where(DealerAuthorisation.shop_id == shop.id)
    return stmt.where(DealerAuthorisation.status == status) if status else stmt


# ---- the admin ------------------------------------------------------------------------------

def in_region(region_code: str, *, status: str | None = None,
              shop_id: int | None = None) -> sa.Select:
    stmt = (sa.select(DealerAuthorisation).join(Shop, Shop.id == DealerAuthorisation.shop_id)
            .where(Shop.region_code.startswith(scope_prefix(region_code))))
    if status:
        stmt = stmt.where(DealerAuthorisation.status == status)
    return stmt.where(DealerAuthorisation.shop_id == shop_id) if shop_id else stmt


def get_governed(authorisation_id: int, user: Any) -> DealerAuthorisation:
    """An authorisation of a shop inside the admin's region."""
    authorisation = db.session.get(DealerAuthorisation, authorisation_id)
    if authorisation is None:
        raise not_found("dealer_authorisation_not_found", "未找到该经销授权")
    auth.require_region(authorisation.shop.region_code, user)
    return authorisation


def decide(authorisation: DealerAuthorisation, *, action: str, note: str | None,
           by: Any) -> DealerAuthorisation:
    """Approve or reject an application, or revoke an approved authorisation. The shop's
    products under the enterprise's certificates are rechecked at once: revoked, they lose
    their certification and wait in the review queue; approved, flagged ones are cleared."""
    allowed, to_status, note_required = TRANSITIONS[action]
    note = (note or "").strip() or None
    if note_required and note is None:
        raise unprocessable("note_required", "请填写原因",
                            {"note": ["驳回或撤销经销授权时必须填写原因"]})
    result = db.session.execute(
        sa.update(DealerAuthorisation)
        .where(DealerAuthorisation.id == authorisation.id,
               DealerAuthorisation.status.in_(allowed))
        .values(status=to_status, decided_by=by.id, decided_at=utcnow(), decision_note=note)
        .execution_options(synchronize_session=False))
    db.session.refresh(authorisation)
    if result.rowcount != 1:
        raise conflict("invalid_transition",
                       f"当前状态为「{STATUS_LABELS[authorisation.status]}」，"
                       f"不能{ACTION_LABELS[action]}")
    if action != "reject":
        binding.recheck(binding.products_carrying(shop_id=authorisation.shop_id,
                                                  enterprise_id=authorisation.enterprise_id))
    owners = db.session.scalars(sa.select(ShopMember.user_id).where(
        ShopMember.shop_id == authorisation.shop_id, ShopMember.role == auth.MERCHANT_OWNER))
    for user_id in owners:
        notify(user_id, "dealer_authorisation", {
            "authorisation_id": authorisation.id, "enterprise": authorisation.enterprise.name,
            "status": authorisation.status, "note": note})
    return authorisation
