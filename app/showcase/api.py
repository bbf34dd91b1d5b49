"""Admin console: demonstration projects and typical cases (示范工程 / 典型案例)."""

from __future__ import annotations

from app.catalog.admin_services import scope_region
from app.core import auth
from app.core.images import MAX_IMAGE_BYTES
from app.core.openapi import Blueprint
from app.core.pagination import paginate
from app.showcase import services
from app.showcase.models import ShowcaseCase
from app.showcase.schemas import (
    AdminCaseListArgs,
    AdminCasePage,
    AdminCaseSchema,
    CaseCreateArgs,
    CaseEditArgs,
    CasePhotoArgs,
)

blp = Blueprint("showcase", __name__, url_prefix="/api/v1/admin",
                description="示范工程与典型案例")

ADMIN = auth.ADMIN


@blp.route("/cases")
@auth.auth_required(ADMIN)
@blp.arguments(AdminCaseListArgs, location="query")
@blp.response(200, AdminCasePage)
def list_cases(args):
    """Cases in the admin's region (or a sub-region), newest first."""
    region = scope_region(auth.current_user(), args.get("region_code"))
    return paginate(services.governed_cases(region, args.get("status")), ShowcaseCase.id,
                    limit=args["limit"], cursor=args["cursor"])


@blp.route("/cases", methods=["POST"])
@auth.auth_required(ADMIN)
@blp.arguments(CaseCreateArgs)
@blp.response(201, AdminCaseSchema)
def create_case(args):
    """A draft case in the admin's region: the place, building type, products, packages,
    enterprises and shops involved, measured results."""
    return services.create_case(auth.current_user(), **args)


@blp.route("/cases/<int:case_id>")
@auth.auth_required(ADMIN)
@blp.response(200, AdminCaseSchema)
def get_case(case_id):
    return services.governed_case(auth.current_user(), case_id)


@blp.route("/cases/<int:case_id>", methods=["PATCH"])
@auth.auth_required(ADMIN)
@blp.arguments(CaseEditArgs)
@blp.response(200, AdminCaseSchema)
def edit_case(args, case_id):
    return services.edit_case(auth.current_user(), case_id, **args)


@blp.route("/cases/<int:case_id>/photos", methods=["POST"])
@auth.auth_required(ADMIN)
@blp.arguments(CasePhotoArgs, location="files")
@blp.response(201, AdminCaseSchema)
def add_photo(args, case_id):
    """Upload a photo (multipart field `image`): stored re-encoded, without EXIF, GPS or
    other metadata; at most 9."""
    return services.add_photo(auth.current_user(), case_id,
                              args["image"].read(MAX_IMAGE_BYTES + 1))


@blp.route("/cases/<int:case_id>/publish", methods=["POST"])
@auth.auth_required(ADMIN)
@blp.response(200, AdminCaseSchema)
def publish(case_id):
    """Publish a case whose enterprises have consented (enterprise_consent)."""
    return services.publish(auth.current_user(), case_id)


@blp.route("/cases/<int:case_id>/withdraw", methods=["POST"])
@auth.auth_required(ADMIN)
@blp.response(200, AdminCaseSchema)
def withdraw(case_id):
    return services.withdraw(auth.current_user(), case_id)
