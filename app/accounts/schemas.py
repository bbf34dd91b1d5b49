"""Input and output schemas for accounts."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.accounts.personal_data import PURPOSE_MAX, PURPOSE_MIN, masked_bank_account
from app.accounts.services import masked_id_card
from app.core.crypto import mask_phone
from app.core.schemas import PageArgs, PageSchema, StrictSchema
from app.core.validators import PHONE_RE
from app.regions.services import region_name


class WechatCodeArgs(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=128))


PHONE_MESSAGE = "请输入 11 位手机号码"


class SmsCodeArgs(StrictSchema):
    phone = fields.String(required=True, validate=validate.Regexp(PHONE_RE.pattern,
                                                                   error=PHONE_MESSAGE))


class SmsLoginArgs(SmsCodeArgs):
    code = fields.String(required=True, validate=validate.Regexp(r"^\d{6}$",
                                                                  error="验证码是 6 位数字"))


class SmsCodeSent(Schema):
    sent = fields.Boolean()
    phone = fields.String(metadata={"description": "the phone, masked"})
    expires_in = fields.Integer(metadata={"description": "seconds the code stays valid"})
    resend_after = fields.Integer(metadata={"description": "seconds before another code"})
    dev_code = fields.String(metadata={"description": "dev mode only: the code itself"})


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
    bank_account = fields.Function(masked_bank_account, allow_none=True, metadata={
        "type": "string", "example": "6222 **** **** 1234",
        "description": "补贴发放账号（仅显示前后四位）"})
    bank_name = fields.String(allow_none=True, metadata={"example": "中国农业银行郑州金水支行"})


class ProfilePatchArgs(StrictSchema):
    nickname = fields.String(validate=validate.Length(min=1, max=32))
    real_name = fields.String(validate=validate.Length(min=2, max=32))
    id_card_no = fields.String(validate=validate.Length(equal=18))
    region_code = fields.String(validate=validate.Regexp(r"^(\d{6}|\d{9}|\d{12})$"))
    bank_account = fields.String(allow_none=True, validate=validate.Length(min=1, max=60),
                                 metadata={"description": "补贴发放的银行账号：12–30 位数字（可含"
                                           "空格），银联卡号（62 开头 16–19 位）须通过校验位；"
                                           "null 删除账号及开户银行"})
    bank_name = fields.String(validate=validate.Length(min=2, max=64),
                              metadata={"description": "开户银行（填写账号时必填）"})


class RevealArgs(StrictSchema):
    purpose = fields.String(required=True,
                            validate=validate.Length(min=PURPOSE_MIN, max=PURPOSE_MAX),
                            metadata={"description": "查看完整信息的用途，记入个人信息访问记录",
                                      "example": "电话回访投诉人，核实诉求"})


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
    region_name = fields.Method("_region_name", metadata={"description": "区划名称 of region_code"})

    def _region_name(self, user) -> str | None:
        return region_name(user.region_code)


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
