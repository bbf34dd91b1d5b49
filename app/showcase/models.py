"""Demonstration projects and typical cases (示范工程 / 典型案例), published by admins."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import TimestampMixin
from app.extensions import db

CASE_KINDS = ("demonstration", "typical")
CASE_KIND_LABELS = {"demonstration": "示范工程", "typical": "典型案例"}
CASE_STATUSES = ("draft", "published", "withdrawn")
CASE_STATUS_LABELS = {"draft": "草稿", "published": "已发布", "withdrawn": "已撤回"}
BUILDING_TYPES = ("rural_house", "village_public", "school", "clinic", "elderly_care", "other")
BUILDING_TYPE_LABELS = {"rural_house": "农房", "village_public": "村级公共建筑", "school": "学校",
                        "clinic": "卫生室", "elderly_care": "养老服务设施", "other": "其他"}
MAX_PHOTOS = 9


class ShowcaseCase(TimestampMixin, db.Model):
    """A place (a village's code and name), what was built with which products and packages,
    what it measurably gave, and who did it (the enterprises' consent recorded)."""

    __tablename__ = "showcase_cases"
    __table_args__ = (sa.Index("ix_showcase_cases_status_region", "status", "region_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    title: Mapped[str] = mapped_column(sa.String(120))
    region_code: Mapped[str] = mapped_column(sa.String(12))  # the village (or a wider code)
    place: Mapped[str] = mapped_column(sa.String(120))  # 中牟县官渡镇官渡村
    building_type: Mapped[str] = mapped_column(sa.String(20))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    photos: Mapped[list] = mapped_column(sa.JSON, default=list)  # public /media/cases/... URLs
    product_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    package_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    enterprise_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    shop_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    energy_saving_rate_bp: Mapped[int | None] = mapped_column(default=None)  # 节能率, 1/10000
    energy_saved_kwh_per_year: Mapped[int | None] = mapped_column(default=None)
    cost_fen: Mapped[int | None] = mapped_column(default=None)
    construction_days: Mapped[int | None] = mapped_column(default=None)
    completed_on: Mapped[date | None] = mapped_column(default=None)
    enterprise_consent: Mapped[bool] = mapped_column(default=False)
    consent_note: Mapped[str] = mapped_column(sa.String(255), default="")
    status: Mapped[str] = mapped_column(sa.String(12), default="draft")
    published_at: Mapped[datetime | None] = mapped_column(default=None)
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), default=None)
