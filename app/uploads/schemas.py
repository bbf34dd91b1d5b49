"""Upload inputs and outputs."""

from __future__ import annotations

from typing import ClassVar

from marshmallow import Schema, fields, validate
from werkzeug.datastructures import FileStorage

from app.core.schemas import StrictSchema
from app.uploads.links import signed
from app.uploads.models import PURPOSES


class PhotoFile(fields.Field):
    """A file part of a multipart body (not a text field of the same name)."""

    default_error_messages: ClassVar[dict[str, str]] = {"invalid": "请以文件形式上传照片"}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, FileStorage):
            raise self.make_error("invalid")
        return value


class UploadArgs(StrictSchema):
    file = PhotoFile(required=True, metadata={
        "type": "string", "format": "binary",
        "description": "JPEG、PNG 或 WebP 照片，一次一张，不超过 10 MB"})
    purpose = fields.String(load_default=None, validate=validate.OneOf(PURPOSES), metadata={
        "description": "complaint（投诉照片）或 invoice（发票照片）；不填则两者皆可"})


class UploadSchema(Schema):
    id = fields.Integer()
    purpose = fields.String(allow_none=True)
    expires_at = fields.DateTime(metadata={"description": "在此之前未被引用则自动删除"})


class UploadEnvelope(Schema):
    upload = fields.Nested(UploadSchema)


class SignedUrl(fields.String):
    """A stored media URL, handed out signed when the photo is private (see links.py)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(signed(value), attr, obj, **kwargs)
