"""Demo expos: one open for admission today, one next week, with booths, staff, tickets."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import sqlalchemy as sa

from app.accounts.models import User
from app.catalog.eligibility import CHINA
from app.core import auth
from app.expos import organiser, registration
from app.expos.models import Expo
from app.extensions import db
from app.merchants.models import Shop

EXPOS = [
    {"title": "中牟县官渡镇绿色建材下乡展销会", "township_code": "410122101",
     "venue": "官渡镇政府文化广场", "latitude": 34.7181, "longitude": 113.9762, "days": 0,
     "capacity": 300, "organiser": "410000",
     "description": "节能门窗、保温材料、陶瓷砖等绿色建材现场展销，扫码领券、现场咨询补贴政策。"},
    {"title": "新郑市龙湖镇绿色建材进万家活动", "township_code": "410184101",
     "venue": "龙湖镇农贸市场东侧", "latitude": 34.6150, "longitude": 113.7010, "days": 7,
     "capacity": 200, "organiser": "410000",
     "description": "「绿色建材进万家 美好生活共创建」主题展销，农房节能改造方案现场讲解。"},
]


def _times(days: int) -> dict[str, datetime]:
    """An expo day, `days` after today, China time: 8:00 to 18:00, but the whole day for
    the expo open today, which admits at any hour (a demo is shown at 7 and at 23)."""
    day = datetime.now(CHINA).date() + timedelta(days=days)
    opens, closes = (time(0), time(23, 59, 59)) if days == 0 else (time(8), time(18))
    starts = datetime.combine(day, opens, tzinfo=CHINA)
    ends = datetime.combine(day, closes, tzinfo=CHINA)
    return {"starts_at": starts, "ends_at": ends,
            "registration_opens_at": starts - timedelta(days=14),
            "registration_closes_at": ends - timedelta(hours=2)}


def _villager(name: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.wechat_openid == f"dev-openid-{name}"))
    if user is None:
        user = User(role=auth.VILLAGER, wechat_openid=f"dev-openid-{name}", nickname=name,
                    is_active=True, region_code="410122101")
        db.session.add(user)
        db.session.flush()
    return user


def seed_expos() -> int:
    admin = db.session.scalar(sa.select(User).where(User.username == "demo-admin"))
    staff = db.session.scalar(sa.select(User).where(User.username == "demo-staff"))
    if admin is None or staff is None:
        return 0
    shops = db.session.scalars(sa.select(Shop).where(Shop.status == "approved")
                               .order_by(Shop.id).limit(6)).all()
    created = 0
    for spec in EXPOS:
        expo = db.session.scalar(sa.select(Expo).where(Expo.title == spec["title"]))
        times = _times(spec["days"])
        if expo is None:
            expo = organiser.create_expo(
                admin, title=spec["title"], township_code=spec["township_code"],
                venue=spec["venue"], latitude=spec["latitude"], longitude=spec["longitude"],
                description=spec["description"], capacity=spec["capacity"], **times)
            organiser.publish(expo)
            created += 1
        elif expo.status == "published" and expo.starts_at != times["starts_at"]:
            organiser.update_expo(expo, **times)  # seeded on another day: dates move along
        organiser.assign_staff(expo, staff.id, by=admin)
        for number, shop in enumerate(shops, start=1):
            booth = organiser.apply_for_booth(expo.id, shop.id)
            if booth.status == "applied":
                organiser.decide_booth(expo, booth.id, approve=True, booth_no=f"A{number:02d}",
                                       note=None, by=admin)
        for n in range(1, 13):
            registration.register(expo.id, _villager(f"demo-villager{n}"))
    db.session.flush()
    return created


