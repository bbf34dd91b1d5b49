"""Open311 behind the routes: jurisdictions, the public request list, filing, and API keys."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from app.accounts.models import User
from app.complaints import services
from app.complaints.models import OPEN, Complaint
from app.complaints.open311_docs import SERVICE_LINKS
from app.complaints.open311_keys import Open311Key, key_hash, new_raw_key
from app.core import auth
from app.core.db import utcnow
from app.core.errors import ApiError, forbidden, not_found, unprocessable
from app.core.regions import is_region_code, scope_prefix, within
from app.core.validators import PHONE_RE
from app.extensions import db
from app.regions.models import Region

JURISDICTION_LEVELS = ("province", "city", "county")
WINDOW = timedelta(days=90)  # GeoReport: at most 90 days per query,
LIMIT = 1000  # and the first 1000 requests


def bad_request(message: str) -> ApiError:
    return ApiError(400, "bad_request", message)


# ---- jurisdictions ----------------------------------------------------------------------------

def jurisdiction(code: str | None) -> Region | None:
    """`jurisdiction_id` is a region code: a province, city or county whose complaints (and
    only those) the request is about. Absent: the whole country."""
    if code is None:
        return None
    region = db.session.get(Region, code) if is_region_code(code) else None
    if region is None or region.level not in JURISDICTION_LEVELS:
        raise not_found("jurisdiction_not_found",
                        f"jurisdiction_id {code[:20]} 不存在：请使用省、市或县（区）的行政区划代码")
    return region


def region_names(complaints: list[Complaint]) -> dict[str, str]:
    codes = {c.region_code for c in complaints}
    return dict(db.session.execute(sa.select(Region.code, Region.name)
                                   .where(Region.code.in_(codes))).all()) if codes else {}


# ---- reading ----------------------------------------------------------------------------------

def _window(start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    if start and end:
        if end < start:
            raise bad_request("end_date 不能早于 start_date")
        if end - start > WINDOW:
            raise bad_request("start_date 与 end_date 相隔不能超过 90 天")
        return start, end
    if start:
        return start, start + WINDOW
    end = end or utcnow()
    return end - WINDOW, end


def find_requests(*, region: Region | None, ids: list[str] | None = None,
                  codes: list[str] | None = None, statuses: list[str] | None = None,
                  start: datetime | None = None, end: datetime | None = None) -> list[Complaint]:
    """GeoReport's query: `ids` override every other filter; otherwise at most 90 days
    (the last 90 by default). Newest first, 1000 at most."""
    stmt = sa.select(Complaint).where(Complaint.tracking_no.is_not(None))
    if region is not None:
        stmt = stmt.where(Complaint.region_code.startswith(scope_prefix(region.code)))
    if ids:
        stmt = stmt.where(Complaint.tracking_no.in_(ids))
    else:
        if codes:
            stmt = stmt.where(Complaint.category.in_(codes))
        if statuses and set(statuses) == {"open"}:
            stmt = stmt.where(Complaint.status.in_(OPEN))
        elif statuses and set(statuses) == {"closed"}:
            stmt = stmt.where(Complaint.status.not_in(OPEN))
        since, until = _window(start, end)
        stmt = stmt.where(Complaint.created_at >= since, Complaint.created_at <= until)
    return list(db.session.scalars(stmt.order_by(Complaint.id.desc()).limit(LIMIT)))


def get_request(request_id: str, *, region: Region | None) -> Complaint:
    complaint = db.session.scalar(sa.select(Complaint).where(Complaint.tracking_no == request_id))
    if complaint is None or (region is not None and not within(region.code,
                                                               complaint.region_code)):
        raise not_found("request_not_found", "未找到该投诉编号")
    return complaint


# ---- filing -----------------------------------------------------------------------------------

def filer(api_key: str | None) -> tuple[User, Open311Key | None]:
    """Who files: the villager of a bearer token (our own apps; a key is then optional),
    else the client application whose `api_key` it is."""
    key = key_for(api_key) if api_key else None
    if auth.bearer_token() is not None:
        user = auth.current_user()  # 401 for an expired or forged token
        if user.role != auth.VILLAGER:
            raise forbidden("role_not_allowed", "只有村民账号或客户端 api_key 可以提交投诉")
        return user, key
    if key is None:
        raise forbidden("api_key_required", "提交投诉需要有效的 api_key")
    return db.session.get(User, key.reporter_id), key


def _links(service_code: str, attributes: dict[str, str]) -> dict[str, int]:
    links = {}
    for code, value in attributes.items():
        if code not in SERVICE_LINKS[service_code]:
            raise bad_request(f"attribute[{code[:40]}] 不属于服务 {service_code}")
        if not (value.isascii() and value.isdigit() and 0 < int(value) < 2**31):
            raise bad_request(f"attribute[{code}] 应为正整数")
        links[code] = int(value)
    return links


def file_request(user: User, key: Open311Key | None, *, region: Region | None,
                 service_code: str, description: str, attributes: dict[str, str],
                 lat: float | None = None, long: float | None = None,
                 address_string: str | None = None, address_id: str | None = None,
                 phone: str | None = None, media_url: str | None = None) -> Complaint:
    """File a complaint from GeoReport's fields. Where it goes: the merchant's county when a
    merchant or product is named, else `address_id`, a county `jurisdiction_id`, or the
    villager's own county; it must lie inside the jurisdiction and the key's region."""
    if (lat is None) != (long is None):
        raise bad_request("lat 与 long 须同时提供")
    by_application = key is not None and user.id == key.reporter_id
    if phone and by_application and not PHONE_RE.match(phone):
        raise bad_request("phone 格式有误")
    if media_url:
        description += f"\n附件：{media_url}"
    county = region.code if region is not None and region.level == "county" else None
    complaint = services.file_complaint(
        user, category=service_code, description=description, photos=[],
        # The application's reporter has no phone: the one posted is how to call back.
        phone=phone if by_application else None,
        region_code=address_id or county, **_links(service_code, attributes))
    # Checked once the complaint is routed; a refusal rolls the whole request back.
    if region is not None and not within(region.code, complaint.region_code):
        raise bad_request("投诉所在地区不在该 jurisdiction_id 范围内")
    if key is not None and not within(key.region_code, complaint.region_code):
        raise forbidden("api_key_out_of_region", "该 api_key 不能提交此地区的投诉")
    complaint.latitude, complaint.longitude = lat, long
    complaint.address_string = address_string
    complaint.open311_key_id = key.id if key else None
    db.session.flush()
    return complaint


# ---- API keys ---------------------------------------------------------------------------------

def key_for(raw: str) -> Open311Key:
    key = db.session.scalar(sa.select(Open311Key).where(Open311Key.key_hash == key_hash(raw)))
    if key is None or key.revoked_at is not None:
        raise forbidden("api_key_invalid", "api_key 无效或已被吊销")
    key.last_used_at = utcnow()
    return key


def issue_key(*, name: str, region_code: str | None, by: User) -> tuple[Open311Key, str]:
    """A key for a client application, scoped to the officer's region (or one inside it).
    The key itself is returned once, here; only its hash is kept."""
    services.require_complaint_officer(by)
    code = region_code or by.region_code
    auth.require_region(code, by)
    region = db.session.get(Region, code)
    if region is None or region.level not in JURISDICTION_LEVELS:
        raise unprocessable("unknown_region", "未找到该地区",
                            {"region_code": ["请填写省、市或县（区）的行政区划代码"]})
    raw = new_raw_key()
    reporter = User(role=auth.VILLAGER, nickname=f"Open311·{name}"[:64], is_active=False)
    db.session.add(reporter)
    db.session.flush()
    key = Open311Key(name=name, key_prefix=raw[:12], key_hash=key_hash(raw),
                     region_code=code, reporter_id=reporter.id, issued_by_id=by.id)
    db.session.add(key)
    db.session.flush()
    return key, raw


def keys_of(user: User) -> sa.Select:
    services.require_complaint_officer(user)
    if not user.region_code:
        raise forbidden("region_out_of_scope", "不在您的管辖区域内")
    return sa.select(Open311Key).where(
        Open311Key.region_code.startswith(scope_prefix(user.region_code)))


def get_key(key_id: int, user: User) -> Open311Key:
    services.require_complaint_officer(user)
    key = db.session.get(Open311Key, key_id)
    if key is None:
        raise not_found("api_key_not_found", "未找到该 api_key")
    auth.require_region(key.region_code, user)
    return key


def revoke_key(key: Open311Key, *, by: User) -> Open311Key:
    """Revoking twice changes nothing: the first revocation stands."""
    if key.revoked_at is None:
        key.revoked_at, key.revoked_by_id = utcnow(), by.id
        db.session.flush()
    return key
