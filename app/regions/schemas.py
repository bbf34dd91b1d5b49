"""Region output."""

from marshmallow import Schema, fields, validate

from app.core.schemas import StrictSchema


class RegionSchema(Schema):
    code = fields.String()
    name = fields.String()
    level = fields.String()
    parent_code = fields.String(allow_none=True)


class RegionListArgs(StrictSchema):
    parent = fields.String(load_default=None, validate=validate.Regexp(r"^(\d{6}|\d{9})$"))
