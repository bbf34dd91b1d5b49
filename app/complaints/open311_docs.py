"""Open311 GeoReport v2 documents: services, their definitions, requests, errors; JSON or XML."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, time
from typing import Any

from flask import Response, current_app

from app.catalog.eligibility import CHINA
from app.complaints.models import CATEGORIES, OPEN, Complaint
from app.core.logging import mask_text

STATUS_NOTES = {
    "submitted": "已收到，待受理", "accepted": "已受理", "awaiting_merchant": "已转商家处理",
    "merchant_responded": "商家已回复", "mediated": "调解中", "declined": "不予受理",
    "resolved": "已办结", "closed": "已关闭",
}
AGENCY = "市场监督管理部门（12315）"
# Public coordinates are rounded to about 100 m: enough to see where problems cluster, not
# enough to point at one villager's house. Officers see what was posted.
PUBLIC_DECIMALS = 3
# Phone numbers as villagers type them, beyond what mask_text catches: with +86 or 86 in
# front, with spaces or hyphens (138 0013 8000), and landlines with an area code.
_MOBILE = re.compile(r"(?<![\d+])(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?\d{4}[\s-]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})[\s-]?\d{3,4}(\d{4})(?!\d)")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# ---- services and their definitions --------------------------------------------------------

# What each service asks besides the description: ids of what the complaint is about
# (GeoReport `attribute[code]`), all optional. Each is a link a complaint can carry.
LINKS = {
    "merchant_id": "涉及的商家编号（店铺页面可见）",
    "product_id": "涉及的商品编号（商品页面可见）",
    "expo_id": "涉及的展会编号",
}
SERVICE_LINKS: dict[str, tuple[str, ...]] = {
    "quality": ("product_id", "merchant_id"),
    "fake_certification": ("product_id", "merchant_id"),
    "promotion_not_honoured": ("merchant_id", "product_id"),
    "price": ("merchant_id", "product_id"),
    "installation_service": ("merchant_id", "product_id"),
    "expo_organisation": ("expo_id",),
    "subsidy": (),
    "other": ("merchant_id",),
}
NOTICE = ("请如实描述问题经过；主管部门在 7 个工作日内决定是否受理，受理后 45 个工作日内办结。"
          "请勿在描述中填写身份证号等个人信息：描述会公开。")


def service(code: str) -> dict:
    return {"service_code": code, "service_name": CATEGORIES[code],
            "description": f"绿色建材下乡消费投诉：{CATEGORIES[code]}", "metadata": True,
            "type": "realtime", "keywords": "绿色建材,12315,投诉", "group": "消费维权"}


def services() -> list[dict]:
    return [service(code) for code in CATEGORIES]


def definition(code: str) -> dict:
    """GeoReport's service definition: an informational notice, then the optional links."""
    attributes = [{"variable": False, "code": "notice", "datatype": "text", "required": False,
                   "datatype_description": None, "order": 1, "description": NOTICE}]
    for order, link in enumerate(SERVICE_LINKS[code], start=2):
        attributes.append({"variable": True, "code": link, "datatype": "number",
                           "required": False, "datatype_description": "正整数",
                           "order": order, "description": LINKS[link]})
    return {"service_code": code, "attributes": attributes}


# ---- requests ---------------------------------------------------------------------------------

def public_text(text: str) -> str:
    """A description as the public may read it: ID card and phone numbers masked."""
    text = mask_text(text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)
    return _LANDLINE.sub(lambda m: f"{m.group(1)}-****{m.group(2)}", text)


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(CHINA).isoformat() if moment else None


def _coordinate(value: float | None) -> float | None:
    return None if value is None else round(value, PUBLIC_DECIMALS)


def service_notice(complaint: Complaint) -> str:
    notice = f"受理时限：{complaint.accept_due_on.isoformat()} 前决定是否受理"
    if complaint.status != "submitted" and complaint.finish_due_on:
        notice = f"办理时限：{complaint.finish_due_on.isoformat()} 前办结"
    if complaint.deadline_uncertain:
        notice += "（跨入尚未公布节假日安排的年份，时限可能调整）"
    return notice


def public_request(complaint: Complaint, region_names: dict[str, str]) -> dict:
    """The public face of a complaint: no names, phones, accounts or photos."""
    updated = complaint.events[-1].at if complaint.events else complaint.created_at
    due = complaint.finish_due_on or complaint.accept_due_on
    address = (public_text(complaint.address_string) if complaint.address_string
               else region_names.get(complaint.region_code, ""))
    return {
        "service_request_id": complaint.tracking_no,
        "status": "open" if complaint.status in OPEN else "closed",
        "status_notes": STATUS_NOTES[complaint.status],
        "service_name": CATEGORIES[complaint.category],
        "service_code": complaint.category,
        "description": public_text(complaint.description),
        "agency_responsible": AGENCY,
        "service_notice": service_notice(complaint),
        "requested_datetime": _iso(complaint.created_at),
        "updated_datetime": _iso(updated),
        # The end of the deadline's day, China time.
        "expected_datetime": datetime.combine(due, time(23, 59, 59), CHINA).isoformat(),
        "address": address,
        "address_id": complaint.region_code,
        "zipcode": None,
        "lat": _coordinate(complaint.latitude),
        "long": _coordinate(complaint.longitude),
        # Villagers photograph invoices and contracts (names, phones, addresses): their
        # photos are for the officers, not for the public feed.
        "media_url": None,
    }


def filed(complaint: Complaint) -> dict:
    return {"service_request_id": complaint.tracking_no,
            "service_notice": f"已收到，请于 {complaint.accept_due_on.isoformat()} 前查看受理结果",
            "account_id": None}


# ---- rendering --------------------------------------------------------------------------------

# XML element names: the document's root and, for lists, each entry's (per the spec).
ROOTS = {"services": ("services", "service"), "definition": ("service_definition", None),
         "requests": ("service_requests", "request"), "errors": ("errors", "error")}
_ITEMS = {"attributes": "attribute", "values": "value"}


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _fill(ET.SubElement(element, key), inner)
    elif isinstance(value, list):
        for inner in value:
            _fill(ET.SubElement(element, _ITEMS[element.tag]), inner)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = _NOT_XML.sub("", str(value))


def to_xml(kind: str, data: Any) -> bytes:
    root_tag, item_tag = ROOTS[kind]
    root = ET.Element(root_tag)
    if item_tag is None:
        _fill(root, data)
    else:
        for item in data:
            _fill(ET.SubElement(root, item_tag), item)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8",
                                                                     xml_declaration=False)


def render(fmt: str, kind: str, data: Any, status: int = 200) -> Response:
    """One document in the format the URL asked for (`.json` or `.xml`)."""
    if fmt == "xml":
        return Response(to_xml(kind, data), status=status,
                        content_type="text/xml; charset=utf-8")
    response = current_app.json.response(data)
    response.status_code = status
    return response


def errors(status: int, descriptions: list[str]) -> list[dict]:
    return [{"code": status, "description": text} for text in descriptions]
