"""Input and output schemas for accounts."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.accounts.services import masked_id_card
from app.core.crypto import mask_phone
from app.core.schemas import PageArgs, PageSchema, StrictSchema


class WechatCodeArgs(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=128))


class ConsoleLoginArgs(StrictSchema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=128))


class VillagerSchema(Schema):
    id = fields.Integer()
    nickname = fields.String()
    role = fields.String()
    phone = fields.Function(lambda u: mask_phone(u.phone), metadata={"example": "138****1234"})
    real_name = fields.String(allow_none=True)
    id_card_no = fields.Function(
        masked_id_card, metadata={"example": "4101**********1234"}
    )
    region_code = fields.String(allow_none=True)


class ProfilePatchArgs(StrictSchema):
    nickname = fields.String(validate=validate.Length(min=1, max=32))
    real_name = fields.String(validate=validate.Length(min=2, max=32))
    id_card_no = fields.String(validate=validate.Length(equal=18))
    region_code = fields.String(validate=validate.Regexp(r"^(\d{6}|\d{9}|\d{12})$"))


class VillagerBriefSchema(Schema):
    id = fields.Integer()
    nickname = fields.String()
    role = fields.String()


class WechatLoginResult(Schema):
    token = fields.String()
    expires_in = fields.Integer()
    user = fields.Nested(VillagerBriefSchema)
    is_new = fields.Boolean()


class ConsoleUserSchema(Schema):
    id = fields.Integer()
    role = fields.String()
    username = fields.String()
    nickname = fields.String()
    region_code = fields.String(allow_none=True)
    merchant_id = fields.Integer(attribute="shop_id", allow_none=True)
    duties = fields.List(fields.String(), attribute="admin_duties", allow_none=True)


class ConsoleLoginResult(Schema):
    token = fields.String()
    expires_in = fields.Integer()
    user = fields.Nested(ConsoleUserSchema)


class AdminUserSchema(Schema):
    id = fields.Integer()
    role = fields.String()
    username = fields.String(allow_none=True)
    nickname = fields.String()
    phone = fields.Function(lambda u: mask_phone(u.phone))
    region_code = fields.String(allow_none=True)
    created_at = fields.DateTime()


class AdminUserListArgs(PageArgs):
    role = fields.String(validate=validate.OneOf(
        ["villager", "merchant_owner", "merchant_staff", "expo_staff", "admin"]))
    region_code = fields.String(validate=validate.Regexp(r"^(\d{6}|\d{9}|\d{12})$"))


class AdminUserPage(PageSchema):
    items = fields.List(fields.Nested(AdminUserSchema))
