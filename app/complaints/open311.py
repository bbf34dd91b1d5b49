"""Open311 GeoReport v2 (JSON and XML, errors in the spec's format), for civic tools."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import request
from marshmallow import ValidationError, fields, post_load, pre_load, validate
from werkzeug.exceptions import HTTPException

from app.complaints import open311_docs as docs
from app.complaints import open311_services as open311
from app.complaints.models import CATEGORIES
from app.core import auth
from app.core.errors import (
    DEFAULTS,
    ApiError,
    handle_api_error,
    handle_http_exception,
    handle_unexpected,
    not_found,
)
from app.core.openapi import Blueprint
from app.core.schemas import StrictSchema, TextSource
from app.extensions import limiter

blp = Blueprint("open311", __name__, url_prefix="/open311/v2",
                description="Open311 GeoReport v2 接口：`.json` 或 `.xml`；jurisdiction_id 为"
                            "省、市或县（区）的行政区划代码；提交需 api_key（或村民登录令牌）")


# In the OpenAPI document: GeoReport's errors, not our usual shape.
ERRORS_DOC = {"responses": {"default": {
    "description": "GeoReport 错误：[{code, description}]（.xml 为 <errors><error>…）",
    "content": {
        "application/json": {"schema": {"type": "array", "items": {
            "type": "object", "required": ["code", "description"],
            "properties": {"code": {"type": "integer"}, "description": {"type": "string"}}}}},
        "text/xml": {"schema": {"type": "string"}}}}}}


def route(rule: str, **options: Any):
    """`rule.json` and `rule.xml`: one view in GeoReport's two formats, each its own
    documented path."""

    def decorator(view):
        view = blp.doc(**ERRORS_DOC)(view)
        for fmt in ("json", "xml"):
            blp.route(f"{rule}.{fmt}", endpoint=f"{view.__name__}_{fmt}",
                      defaults={"fmt": fmt}, **options)(view)
        return view

    return decorator


class JurisdictionArgs(StrictSchema):
    jurisdiction_id = fields.String(load_default=None, validate=validate.Length(max=20),
                                    metadata={"description": "行政区划代码（省、市或县）"})


class RequestsQuery(JurisdictionArgs):
    """GeoReport's filters; the three lists are comma-delimited."""

    service_request_id = fields.String(validate=validate.Length(max=2000))
    service_code = fields.String(validate=validate.Length(max=500))
    start_date = fields.AwareDateTime()
    end_date = fields.AwareDateTime()
    status = fields.String(validate=validate.Length(max=50))

    @post_load
    def _lists(self, data: dict, **_kwargs: Any) -> dict:
        for name, allowed in (("service_request_id", None), ("service_code", CATEGORIES),
                              ("status", ("open", "closed"))):
            if name in data:
                values = [v.strip() for v in data[name].split(",") if v.strip()]
                wrong = [v for v in values if allowed is not None and v not in allowed]
                if wrong:
                    raise ValidationError({name: [f"不支持：{'、'.join(wrong)[:100]}"]})
                data[name] = values
        return data


class NewRequest(JurisdictionArgs):
    """GeoReport's POST fields. Names, e-mail and device are accepted and not stored."""

    api_key = fields.String(load_default=None, validate=validate.Length(max=100))
    service_code = fields.String(required=True, validate=validate.OneOf(list(CATEGORIES)))
    description = fields.String(required=True, validate=validate.Length(min=5, max=2000))
    lat = fields.Float(load_default=None, validate=validate.Range(min=-90, max=90))
    long = fields.Float(load_default=None, validate=validate.Range(min=-180, max=180))
    address_string = fields.String(load_default=None, validate=validate.Length(max=255))
    address_id = fields.String(load_default=None, validate=validate.Regexp(r"^\d{6,12}$"),
                               metadata={"description": "行政区划代码（县、乡镇或村）"})
    attribute = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict,
                            metadata={"description": "以 attribute[code]=value 提交"})
    media_url = fields.Url(load_default=None)
    email = fields.String(load_default=None, validate=validate.Length(max=254))
    device_id = fields.String(load_default=None, validate=validate.Length(max=100))
    account_id = fields.String(load_default=None, validate=validate.Length(max=100))
    first_name = fields.String(load_default=None, validate=validate.Length(max=64))
    last_name = fields.String(load_default=None, validate=validate.Length(max=64))
    phone = fields.String(load_default=None, validate=validate.Length(max=30))

    @pre_load
    def _attributes(self, data: Any, **_kwargs: Any) -> Any:
        """GeoReport posts `attribute[code]=value`: gather them into one mapping."""
        source = {key: data[key] for key in data}
        attributes = {key[len("attribute["):-1]: source.pop(key) for key in list(source)
                      if key.startswith("attribute[") and key.endswith("]")}
        if attributes:
            source["attribute"] = attributes
        return TextSource(source)


# ---- reading ----------------------------------------------------------------------------------

@route("/services")
@blp.arguments(JurisdictionArgs, location="query")
@blp.response(200)
def service_list(args, fmt):
    """Our complaint categories as GeoReport services."""
    open311.jurisdiction(args["jurisdiction_id"])
    return docs.render(fmt, "services", docs.services())


@route("/services/<service_code>")
@blp.arguments(JurisdictionArgs, location="query")
@blp.response(200)
def service_definition(args, service_code, fmt):
    """A service's attributes: a notice, and the ids a complaint may name (all optional)."""
    open311.jurisdiction(args["jurisdiction_id"])
    if service_code not in CATEGORIES:
        raise not_found("service_not_found", f"服务 {service_code[:40]} 不存在")
    return docs.render(fmt, "definition", docs.definition(service_code))


@route("/requests")
@blp.arguments(RequestsQuery, location="query")
@blp.response(200)
def request_list(args, fmt):
    """Public complaints, newest first: 90 days at most (the last 90 by default), 1000 at
    most; `service_request_id` overrides the other filters."""
    complaints = open311.find_requests(
        region=open311.jurisdiction(args["jurisdiction_id"]),
        ids=args.get("service_request_id"), codes=args.get("service_code"),
        statuses=args.get("status"), start=args.get("start_date"), end=args.get("end_date"))
    names = open311.region_names(complaints)
    return docs.render(fmt, "requests", [docs.public_request(c, names) for c in complaints])


@route("/requests/<request_id>")
@blp.arguments(JurisdictionArgs, location="query")
@blp.response(200)
def request_detail(args, request_id, fmt):
    complaint = open311.get_request(request_id,
                                    region=open311.jurisdiction(args["jurisdiction_id"]))
    names = open311.region_names([complaint])
    return docs.render(fmt, "requests", [docs.public_request(complaint, names)])


# ---- filing -----------------------------------------------------------------------------------

def _filer_key() -> str:
    credential = (request.form.get("api_key") or request.args.get("api_key")
                  or auth.bearer_token() or request.remote_addr)
    return "open311:" + hashlib.sha256((credential or "").encode()).hexdigest()[:32]


def _filing_limit() -> str:
    # A villager as in the mini-program; an application files for a whole county.
    return "20 per hour" if auth.bearer_token() else "600 per hour"


@route("/requests", methods=["POST"])
@limiter.limit(_filing_limit, key_func=_filer_key)
@blp.arguments(NewRequest, location="form")
@blp.response(201)
def create_request(args, fmt):
    """File a complaint the GeoReport way (form-encoded) with a client application's
    `api_key`, or as a villager with the bearer token of our own apps. Where it goes: the
    county of `attribute[merchant_id]`/`attribute[product_id]`, else `address_id`, a county
    `jurisdiction_id`, or the villager's county."""
    user, key = open311.filer(args["api_key"] or request.args.get("api_key"))
    complaint = open311.file_request(
        user, key, region=open311.jurisdiction(args["jurisdiction_id"]),
        service_code=args["service_code"], description=args["description"],
        attributes=args["attribute"], lat=args["lat"], long=args["long"],
        address_string=args["address_string"], address_id=args["address_id"],
        phone=args["phone"], media_url=args["media_url"])
    return docs.render(fmt, "requests", [docs.filed(complaint)], 201)


# ---- errors: GeoReport's list of {code, description}, in the URL's format --------------------

def _first(messages: Any) -> str:
    while isinstance(messages, dict | list) and messages:
        messages = next(iter(messages.values())) if isinstance(messages, dict) else messages[0]
    return str(messages)


@blp.errorhandler(Exception)
def _open311_error(exc: Exception):
    """What the app answers anywhere (status, message, logging, 503 for a lost database,
    Retry-After), told the GeoReport way; a bad request is 400 there, where we say 422."""
    if isinstance(exc, ApiError):
        result = handle_api_error(exc)
    elif isinstance(exc, HTTPException):
        result = handle_http_exception(exc)
    else:
        result = handle_unexpected(exc)
    ours, status = result if isinstance(result, tuple) else (result, result.status_code)
    body = ours.get_json(silent=True) or {}
    descriptions = [body.get("message") or DEFAULTS[500][1]]
    if status == 422:
        status = 400
        if not isinstance(exc, ApiError) and body.get("errors"):  # webargs: one per field
            descriptions = [f"{name}：{_first(msg)}" for name, msg in body["errors"].items()]
    fmt = "xml" if request.path.endswith(".xml") else "json"
    response = docs.render(fmt, "errors", docs.errors(status, descriptions), status)
    for header in ("Retry-After", "Allow"):
        if header in ours.headers:
            response.headers[header] = ours.headers[header]
    return response


@blp.before_app_request
def _unmatched_url():
    """A URL under /open311/v2/ that no route matches (a request id too long, a format we
    don't serve) gets GeoReport's error too; redirects go their way."""
    exc = request.routing_exception
    if (isinstance(exc, HTTPException) and (exc.code or 0) >= 400
            and request.path.startswith(f"{blp.url_prefix}/")):
        return _open311_error(exc)
    return None
