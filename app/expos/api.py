"""Console endpoints for expos: organisers (admins), gate staff, and merchants' booths."""

from __future__ import annotations

from flask import Response, current_app

from app.accounts.models import User
from app.core import auth
from app.core.compress import json_response
from app.core.errors import ApiError
from app.core.openapi import Blueprint
from app.core.pagination import paginate
from app.core.schemas import PageArgs, page_of
from app.core.sheets import XLSX, download
from app.expos import attendance, gate, organiser, registration
from app.expos.models import Expo, ExpoBooth
from app.expos.schemas import (
    AssignStaffArgs,
    AttendanceSchema,
    BatchArgs,
    BatchResultSchema,
    BoothDecisionArgs,
    BoothSchema,
    BundleArgs,
    CancelArgs,
    CheckinArgs,
    ExpoCreateArgs,
    ExpoPage,
    ExpoPatchArgs,
    ExpoSchema,
    GateStaffSchema,
    RevokeArgs,
    ScanResultSchema,
    TicketEnvelope,
)
from app.integrations import qr
from app.integrations.wechat import WeChatError, wxa_code_unlimited

blp = Blueprint("expos-console", __name__, url_prefix="/api/v1",
                description="展会：主办方、入口工作人员、商家展位")

ADMIN = auth.ADMIN


# ---- organisers ------------------------------------------------------------------------

@blp.route("/admin/expos")
@auth.auth_required(ADMIN)
@blp.arguments(PageArgs, location="query")
@blp.response(200, ExpoPage)
def admin_list(args):
    stmt = organiser.organised_expos(auth.current_user())
    return paginate(stmt, Expo.id, limit=args["limit"], cursor=args["cursor"])


@blp.route("/admin/expos", methods=["POST"])
@auth.auth_required(ADMIN)
@blp.arguments(ExpoCreateArgs)
@blp.response(201, ExpoSchema)
def admin_create(args):
    """Create a draft expo in a township of the admin's region."""
    return organiser.create_expo(auth.current_user(), **args)


@blp.route("/admin/expos/<int:expo_id>")
@auth.auth_required(ADMIN)
@blp.response(200, ExpoSchema)
def admin_get(expo_id):
    return organiser.get_organised_expo(expo_id, auth.current_user())


@blp.route("/admin/expos/<int:expo_id>", methods=["PATCH"])
@auth.auth_required(ADMIN)
@blp.arguments(ExpoPatchArgs)
@blp.response(200, ExpoSchema)
def admin_update(args, expo_id):
    expo = organiser.get_organised_expo(expo_id, auth.current_user())
    return organiser.update_expo(expo, **args)


@blp.route("/admin/expos/<int:expo_id>/publish", methods=["POST"])
@auth.auth_required(ADMIN)
@blp.response(200, ExpoSchema)
def admin_publish(expo_id):
    return organiser.publish(organiser.get_organised_expo(expo_id, auth.current_user()))


@blp.route("/admin/expos/<int:expo_id>/cancel", methods=["POST"])
@auth.auth_required(ADMIN)
@blp.arguments(CancelArgs)
@blp.response(200, ExpoSchema)
def admin_cancel(args, expo_id):
    """Cancel; every ticket holder is notified through the outbox."""
    expo = organiser.get_organised_expo(expo_id, auth.current_user())
    organiser.cancel(expo, reason=args["reason"])
    return expo


@blp.route("/admin/expos/<int:expo_id>/tickets/<int:ticket_id>/revoke", methods=["POST"])
@auth.auth_required(ADMIN)
@blp.arguments(RevokeArgs)
@blp.response(200, TicketEnvelope)
def admin_revoke_ticket(args, expo_id, ticket_id):
    """Void one ticket: the gate refuses it (`revoked`, offline bundles too), a seat it held
    goes to the first waiting villager, and the holder is told the reason."""
    user = auth.current_user()
    expo = organiser.get_organised_expo(expo_id, user)
    return {"ticket": registration.revoke(expo, ticket_id, reason=args["reason"], by=user)}


@blp.route("/admin/expos/<int:expo_id>/staff")
@auth.auth_required(ADMIN)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(GateStaffSchema))
def admin_staff(args, expo_id):
    expo = organiser.get_organised_expo(expo_id, auth.current_user())
    return paginate(organiser.staff_of(expo), User.id, limit=args["limit"], cursor=args["cursor"])


@blp.route("/admin/expos/<int:expo_id>/staff", methods=["POST"])
@auth.auth_required(ADMIN)
@blp.arguments(AssignStaffArgs)
@blp.response(201, GateStaffSchema(many=True))
def admin_assign_staff(args, expo_id):
    user = auth.current_user()
    expo = organiser.get_organised_expo(expo_id, user)
    organiser.assign_staff(expo, args["user_id"], by=user)
    return organiser.staff_list(expo)


@blp.route("/admin/expos/<int:expo_id>/staff/<int:user_id>", methods=["DELETE"])
@auth.auth_required(ADMIN)
@blp.response(204)
def admin_unassign_staff(expo_id, user_id):
    organiser.unassign_staff(organiser.get_organised_expo(expo_id, auth.current_user()), user_id)


@blp.route("/admin/expos/<int:expo_id>/booths")
@auth.auth_required(ADMIN)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(BoothSchema))
def admin_booths(args, expo_id):
    expo = organiser.get_organised_expo(expo_id, auth.current_user())
    return paginate(organiser.booths(expo.id, approved_only=False), ExpoBooth.id,
                    limit=args["limit"], cursor=args["cursor"])


@blp.route("/admin/expos/<int:expo_id>/booths/<int:booth_id>/decision", methods=["POST"])
@auth.auth_required(ADMIN)
@blp.arguments(BoothDecisionArgs)
@blp.response(200, BoothSchema)
def admin_decide_booth(args, expo_id, booth_id):
    user = auth.current_user()
    expo = organiser.get_organised_expo(expo_id, user)
    return organiser.decide_booth(expo, booth_id, by=user, **args)


@blp.route("/admin/expos/<int:expo_id>/attendees.csv")
@auth.auth_required(ADMIN)
@blp.response(200, content_type="text/csv", description="attendee list, phones masked")
def admin_export_csv(expo_id):
    expo = organiser.get_organised_expo(expo_id, auth.current_user())
    return download(attendance.export_csv(expo), f"expo-{expo.id}-attendees.csv")


@blp.route("/admin/expos/<int:expo_id>/attendees.xlsx")
@auth.auth_required(ADMIN)
@blp.response(200, description="attendee list, phones masked",
              content_type=XLSX)
def admin_export_xlsx(expo_id):
    expo = organiser.get_organised_expo(expo_id, auth.current_user())
    return download(attendance.export_xlsx(expo), f"expo-{expo.id}-attendees.xlsx")


@blp.route("/admin/expos/<int:expo_id>/poster.png")
@auth.auth_required(ADMIN)
@blp.response(200, content_type="image/png",
              description="mini-program code (live) or a QR of the expo's H5 page (dev)")
def admin_poster(expo_id):
    expo = organiser.get_organised_expo(expo_id, auth.current_user())
    cfg = current_app.config
    if cfg.get("WECHAT_APP_ID") and cfg.get("WECHAT_APP_SECRET"):
        try:
            image = wxa_code_unlimited(str(expo.id), "pages/expo/detail")
        except WeChatError as exc:
            raise ApiError(502, "wechat_unavailable", "微信小程序码生成失败，请稍后再试") from exc
    else:
        image = qr.png(f"{cfg['PUBLIC_BASE_URL']}/h5/expos/{expo.id}")
    return Response(image, mimetype="image/png")


# ---- the gate --------------------------------------------------------------------------

def _gate_expo(expo_id: int) -> Expo:
    expo = organiser.get_expo(expo_id)
    organiser.require_gate_access(expo, auth.current_user())
    return expo


@blp.route("/staff/expos")
@auth.auth_required(auth.EXPO_STAFF)
@blp.arguments(PageArgs, location="query")
@blp.response(200, ExpoPage)
def staff_expos(args):
    """The expos this staff member works at, newest first."""
    return paginate(organiser.staff_expos(auth.current_user()), Expo.id,
                    limit=args["limit"], cursor=args["cursor"])


@blp.route("/expos/<int:expo_id>/checkins", methods=["POST"])
@auth.auth_required(auth.EXPO_STAFF)
@blp.arguments(CheckinArgs)
@blp.response(200, ScanResultSchema)
def checkin(args, expo_id):
    """Scan a ticket online; a retried nonce gets the first answer again."""
    expo = _gate_expo(expo_id)
    return gate.scan(expo, staff_id=auth.current_user().id, **args).as_dict()


@blp.route("/expos/<int:expo_id>/checkins/batch", methods=["POST"])
@auth.auth_required(auth.EXPO_STAFF)
@blp.arguments(BatchArgs)
@blp.response(200, BatchResultSchema)
def checkin_batch(args, expo_id):
    """Upload scans made offline: every scan kept, the earliest admission wins."""
    expo = _gate_expo(expo_id)
    return {"results": gate.upload_offline_scans(expo, args["scans"],
                                                 staff_id=auth.current_user().id)}


@blp.route("/expos/<int:expo_id>/offline-bundle")
@auth.auth_required(auth.EXPO_STAFF)
@blp.arguments(BundleArgs, location="query")
@blp.response(200)
def offline_bundle(args, expo_id):
    """Public key, tickets and revocations for offline checking (`since`: deltas only);
    gzipped for clients that accept it (5,000 tickets: about 375 KB plain, 60 KB gzipped)."""
    return json_response(gate.offline_bundle(_gate_expo(expo_id), **args))


@blp.route("/expos/<int:expo_id>/attendance")
@auth.auth_required(auth.EXPO_STAFF, ADMIN)
@blp.response(200, AttendanceSchema)
def expo_attendance(expo_id):
    """Live counts for the expo's staff and its organisers."""
    user = auth.current_user()
    expo = organiser.get_expo(expo_id)
    if user.role == ADMIN:
        auth.require_region(expo.organiser_region_code, user)
    else:
        organiser.require_gate_access(expo, user)
    return attendance.attendance(expo)


# ---- merchants' booths -----------------------------------------------------------------

@blp.route("/merchant/expos/<int:expo_id>/booths", methods=["POST"])
@auth.auth_required(auth.MERCHANT_OWNER)
@blp.response(201, BoothSchema)
def merchant_apply_booth(expo_id):
    """The caller's shop applies for a booth at the expo."""
    user = auth.current_user()
    if user.shop_id is None:
        raise ApiError(409, "no_shop", "请先开通店铺")
    return organiser.apply_for_booth(expo_id, user.shop_id)
