"""Photo uploads as wx.uploadFile sends them: one file per request, attached later by id."""

from __future__ import annotations

from flask import request
from marshmallow import ValidationError

from app.core import auth
from app.core.errors import ApiError, unprocessable
from app.core.images import MAX_UPLOAD_BYTES, clean_image
from app.core.openapi import Blueprint
from app.core.schemas import TextSource
from app.extensions import limiter
from app.uploads import services
from app.uploads.schemas import UploadArgs, UploadEnvelope

blp = Blueprint("mp-uploads", __name__, url_prefix="/api/mp/v1", description="照片上传")


def _args() -> dict:
    """The multipart body: the one file and its form fields (webargs reads either files or
    form fields with one schema, not both)."""
    if request.mimetype != "multipart/form-data":
        raise ApiError(415, "unsupported_media_type",
                       "请以 multipart/form-data 上传照片（文件字段 file）")
    if len(request.files.getlist("file")) > 1:
        raise unprocessable("validation_error", "一次只能上传一张照片", {"file": ["只能一张"]})
    data = TextSource({**request.form.to_dict(), **request.files.to_dict()})
    try:
        return UploadArgs().load(data)
    except ValidationError as exc:
        raise unprocessable("validation_error", "提交的信息有误，请检查后重试",
                            exc.normalized_messages()) from None


@blp.route("/uploads", methods=["POST"])
@auth.auth_required(auth.VILLAGER)
@limiter.limit("120 per hour", key_func=lambda: f"upload:{auth.current_user().id}",
               error_message="上传过于频繁，请稍后再试")
@blp.doc(requestBody={"required": True,
                      "content": {"multipart/form-data": {"schema": UploadArgs}}})
@blp.response(201, UploadEnvelope)
def create_upload():
    """One photo (multipart field `file`, JPEG/PNG/WebP, up to 10 MB, EXIF removed, long
    edge scaled down to 2560 px); attach its id to a complaint (`photo_upload_ids`) or a
    subsidy claim (`invoice_upload_id`) within 24 hours, or it is deleted."""
    args = _args()
    image = clean_image(args.pop("file").read(MAX_UPLOAD_BYTES + 1), field="file",
                        max_bytes=MAX_UPLOAD_BYTES)
    return {"upload": services.create_upload(auth.current_user(), image, **args)}
