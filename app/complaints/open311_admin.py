"""Console endpoints for Open311 API keys: officers issue, list and revoke them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.complaints import open311_services
from app.complaints.open311_keys import Open311Key
from app.core import auth
from app.core.openapi import Blueprint
from app.core.pagination import paginate
from app.core.schemas import PageArgs, PageSchema, StrictSchema

blp = Blueprint("open311-keys", __name__, url_prefix="/api/v1",
                description="Open311 客户端 api_key：签发、查看、吊销")

STATUS_LABELS = {"active": "有效", "revoked": "已吊销"}


class IssueKeyArgs(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=2, max=100),
                         metadata={"description": "客户端应用名称，如“某县便民服务平台”"})
    region_code = fields.String(load_default=None, validate=validate.Regexp(
        r"^\d{6}$", error="请填写 6 位行政区划代码"), metadata={
        "description": "可提交投诉的地区（省、市或县），默认为签发人的管辖区域"})


def _status(key: Open311Key) -> str:
    return "revoked" if key.revoked_at else "active"


class KeySchema(Schema):
    id = fields.Integer()
    name = fields.String()
    key_prefix = fields.String(metadata={"description": "密钥开头几位，用于辨认"})
    region_code = fields.String()
    status = fields.Function(_status, metadata={"enum": list(STATUS_LABELS)})
    status_label = fields.Function(lambda k: STATUS_LABELS[_status(k)])
    issued_by = fields.Function(lambda k: k.issued_by.nickname or k.issued_by.username)
    created_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)


class IssuedKeySchema(KeySchema):
    api_key = fields.String(metadata={"description": "完整密钥，仅此一次显示，请妥善交给客户端"})


class KeyPage(PageSchema):
    items = fields.List(fields.Nested(KeySchema))


@blp.route("/admin/open311-keys", methods=["POST"])
@auth.auth_required(auth.ADMIN)
@blp.arguments(IssueKeyArgs)
@blp.response(201, IssuedKeySchema)
def issue_key(args):
    """Issue a key to a named client application; the full key is shown only here."""
    key, raw = open311_services.issue_key(by=auth.current_user(), **args)
    key.api_key = raw  # for this answer only: the database keeps the hash
    return key


@blp.route("/admin/open311-keys")
@auth.auth_required(auth.ADMIN)
@blp.arguments(PageArgs, location="query")
@blp.response(200, KeyPage)
def list_keys(args):
    """Keys issued inside the officer's region, newest first."""
    stmt = open311_services.keys_of(auth.current_user())
    return paginate(stmt, Open311Key.id, limit=args["limit"], cursor=args["cursor"])


@blp.route("/admin/open311-keys/<int:key_id>/revoke", methods=["POST"])
@auth.auth_required(auth.ADMIN)
@blp.response(200, KeySchema)
def revoke_key(key_id):
    """Revoke at once: the client's next POST gets 403. Revoking again changes nothing."""
    user = auth.current_user()
    return open311_services.revoke_key(open311_services.get_key(key_id, user), by=user)
