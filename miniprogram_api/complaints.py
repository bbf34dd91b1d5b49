"""12315-style complaints for villagers: file with photos, follow the timeline, rate, reopen."""

from __future__ import annotations

from flask import request

from app.complaints import services
from app.complaints.models import Complaint
from app.complaints.schemas import (
    ComplaintArgs,
    ComplaintEnvelope,
    MyComplaintPage,
    MyComplaintSchema,
    RateArgs,
    ReopenArgs,
)
from app.core import auth
from app.core.errors import unprocessable
from app.core.idempotency import idempotent
from app.core.images import CleanImage, clean_images
from app.core.openapi import Blueprint
from app.core.pagination import paginate
from app.core.schemas import PageArgs, json_or_form_doc, load_json_or_form
from app.extensions import limiter
from app.integrations import storage

blp = Blueprint("mp-complaints", __name__, url_prefix="/api/mp/v1", description="消费投诉（12315）")

MAX_PHOTO_BYTES = 5 * 1024 * 1024


def _photos(attached: int) -> list[CleanImage]:
    """Every photo is checked before any is stored: one bad file and nothing is kept; and
    all their headers before any is decoded (the request's decoding budget)."""
    unknown = sorted(set(request.files) - {"photos"})
    if unknown:  # a photo sent under another name would be silently lost
        raise unprocessable("validation_error", "照片请使用 photos 字段上传",
                            {name: ["不支持的字段"] for name in unknown})
    uploads = request.files.getlist("photos")
    if len(uploads) + attached > services.MAX_PHOTOS:
        raise unprocessable("too_many_photos", f"最多上传 {services.MAX_PHOTOS} 张照片",
                            {"photos": [f"最多 {services.MAX_PHOTOS} 张"]})
    return clean_images([upload.read(MAX_PHOTO_BYTES + 1) for upload in uploads],
                        field="photos")


@blp.route("/complaints", methods=["POST"])
@auth.auth_required(auth.VILLAGER)
@limiter.limit("20 per hour")  # per villager (auth.rate_limit_key)
@idempotent
@blp.doc(**json_or_form_doc(ComplaintArgs, files=("photos",)))
@blp.response(201, ComplaintEnvelope)
def file_complaint():
    """JSON with `photo_upload_ids` (from POST /uploads), or multipart with `photos`
    (JPEG/PNG/WebP, 5 MB each, EXIF removed): 9 photos at most."""
    args = load_json_or_form(ComplaintArgs())
    attached = len(args["photo_upload_ids"])
    images = _photos(attached) if request.mimetype == "multipart/form-data" else []
    photos = [storage.save(image.data, image.ext, "complaints") for image in images]
    try:
        complaint = services.file_complaint(auth.current_user(), photos=photos, **args)
    except Exception:
        for url in photos:  # refused (no such merchant, no county...): keep no orphan files
            storage.delete(url)
        raise
    return {"complaint": complaint}


@blp.route("/me/complaints")
@auth.auth_required(auth.VILLAGER)
@blp.arguments(PageArgs, location="query")
@blp.response(200, MyComplaintPage)
def my_complaints(args):
    return paginate(services.my_complaints(auth.current_user()), Complaint.id,
                    limit=args["limit"], cursor=args["cursor"])


@blp.route("/complaints/<int:complaint_id>")
@auth.auth_required(auth.VILLAGER)
@blp.response(200, MyComplaintSchema)
def get_complaint(complaint_id):
    """One of the caller's complaints with its timeline."""
    return services.get_for_villager(complaint_id, auth.current_user())


@blp.route("/complaints/<int:complaint_id>/rating", methods=["POST"])
@auth.auth_required(auth.VILLAGER)
@blp.arguments(RateArgs)
@blp.response(200, MyComplaintSchema)
def rate(args, complaint_id):
    """Rate the handling (1–5): closes a resolved complaint."""
    user = auth.current_user()
    complaint = services.get_for_villager(complaint_id, user)
    return services.act(complaint, "rate", user, rating=args["rating"], note=args["note"])


@blp.route("/complaints/<int:complaint_id>/reopen", methods=["POST"])
@auth.auth_required(auth.VILLAGER)
@blp.arguments(ReopenArgs)
@blp.response(200, MyComplaintSchema)
def reopen(args, complaint_id):
    """Not satisfied: reopen within 15 days of resolution."""
    user = auth.current_user()
    complaint = services.get_for_villager(complaint_id, user)
    return services.act(complaint, "reopen", user, note=args["reason"])
