"""Report inputs and outputs: the query, and the summary with its sections per row."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.catalog.schemas import REGION_CODE
from app.core.schemas import StrictSchema
from app.reports.sections import AVERAGE, FEN, SECTIONS


class SummaryArgs(StrictSchema):
    region = fields.String(validate=REGION_CODE, metadata={
        "description": "行政区划代码；默认为本账号的管辖区域，只能是该区域或其下级",
        "example": "410000"})
    first = fields.Date(data_key="from", metadata={
        "description": "开始日期（中国时间，含当天）；默认为今年活动开始日（7 月 1 日，"
                       "7 月前为 1 月 1 日）", "example": "2026-07-01"})
    last = fields.Date(data_key="to", metadata={
        "description": "结束日期（中国时间，含当天）；默认为今天。区间最长 366 天",
        "example": "2026-12-10"})


class ReportRegionSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    level = fields.String(required=True, validate=validate.OneOf(
        ("province", "city", "county", "township", "village")))


def _figure_field(kind: str, heading: str) -> fields.Field:
    if kind == AVERAGE:
        return fields.Float(allow_none=True, metadata={"description": heading})
    return fields.Integer(metadata={"description": heading + ("（单位：分）" if kind == FEN
                                                               else "")})


SECTION_SCHEMAS = {
    section.name: Schema.from_dict(
        {f.name: _figure_field(f.kind, f.heading) for f in section.figures},
        name=f"Report{section.name.title()}")
    for section in SECTIONS
}
_SECTION_FIELDS = {section.name: fields.Nested(SECTION_SCHEMAS[section.name],
                                               metadata={"description": section.title})
                   for section in SECTIONS}

ReportFiguresSchema = Schema.from_dict(_SECTION_FIELDS, name="ReportFigures")
ReportRowSchema = Schema.from_dict({
    "region": fields.Nested(ReportRegionSchema),
    "own_level": fields.Boolean(metadata={
        "description": "true：本级（直接记在该地区本身、不属于任何下级地区的记录）"}),
    **_SECTION_FIELDS,
}, name="ReportRow")


class SummarySchema(Schema):
    region = fields.Nested(ReportRegionSchema)
    from_ = fields.Date(data_key="from", attribute="from")
    to = fields.Date()
    generated_at = fields.DateTime()
    total = fields.Nested(ReportFiguresSchema, metadata={"description": "合计：各行之和"})
    rows = fields.List(fields.Nested(ReportRowSchema), metadata={
        "description": "每个直属下级地区一行（另有本级一行，如有记录）；无下级地区时为空"})


class CouponDaySchema(Schema):
    day = fields.Date(required=True)
    claimed = fields.Integer(required=True, metadata={"description": "当天领取的优惠券张数"})
    redeemed = fields.Integer(required=True, metadata={"description": "当天核销（未撤销）的张数"})


class ProgrammeDaySchema(Schema):
    day = fields.Date(required=True)
    claims = fields.Integer(required=True, metadata={"description": "当天提交（预留额度）的申请数"})
    approved = fields.Integer(required=True, metadata={"description": "当天批准的金额（分）"})
    remaining = fields.Integer(required=True, metadata={
        "description": "当天结束时的剩余预算（分）"})


class ProgrammeSeriesSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    budget = fields.Integer(required=True, metadata={"description": "当前预算总额（分）"})
    series = fields.List(fields.Nested(ProgrammeDaySchema), required=True)


class StatusCountSchema(Schema):
    status = fields.String(required=True)
    label = fields.String(required=True)
    count = fields.Integer(required=True)


class ComplaintFiguresSchema(Schema):
    by_status = fields.List(fields.Nested(StatusCountSchema), required=True, metadata={
        "description": "期间内收到的投诉按当前状态计数"})
    overdue = fields.Integer(required=True, metadata={"description": "其中已超期未办结"})


class DashboardSchema(Schema):
    region = fields.Nested(ReportRegionSchema)
    from_ = fields.Date(data_key="from", attribute="from")
    to = fields.Date()
    coupons = fields.List(fields.Nested(CouponDaySchema), metadata={
        "description": "每天领取与核销的优惠券（中国时间）"})
    programmes = fields.List(fields.Nested(ProgrammeSeriesSchema), metadata={
        "description": "期间内运行的补贴项目：每天的申请数、批准金额与剩余预算（燃尽）"})
    complaints = fields.Nested(ComplaintFiguresSchema)
