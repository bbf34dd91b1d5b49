"""Shop output."""

from marshmallow import Schema, fields


class ShopSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    region_code = fields.String()
    status = fields.String()
    created_at = fields.DateTime()
