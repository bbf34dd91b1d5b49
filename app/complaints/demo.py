"""Demo complaints: one in each state of the life cycle, and one overdue."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.accounts.models import User
from app.complaints import deadlines, services
from app.complaints.models import Complaint
from app.extensions import db
from app.merchants.models import Shop

# (description, category, path of actions after filing)
STORIES = [
    ("买的外墙涂料刷了一个月就起皮脱落，商家不给处理。", "quality", []),
    ("展会现场领的满减券，到店被告知不能用。", "promotion_not_honoured", ["accept"]),
    ("节能窗安装后漏风，约了三次都没人上门维修。", "installation_service",
     ["accept", "ask_merchant"]),
    ("瓷砖实际到货规格和宣传不符。", "quality", ["accept", "ask_merchant", "respond"]),
    ("保温板价格比宣传单贵了两成。", "price", ["accept", "ask_merchant", "respond", "mediate"]),
    ("卫浴柜门变形，要求更换。", "quality",
     ["accept", "ask_merchant", "respond", "mediate", "resolve"]),
    ("防水卷材施工后渗漏，已经协商解决。", "quality",
     ["accept", "ask_merchant", "respond", "resolve", "rate"]),
    ("对展会停车安排不满意。", "expo_organisation", ["decline"]),
]
NOTES = {"decline": "不属于消费纠纷，建议向展会主办方反映", "respond": "已联系村民，愿意上门处理",
         "mediate": "组织双方调解，商家同意部分退款", "resolve": "双方达成一致，商家已履行"}


def seed_complaints() -> int:
    if db.session.scalar(sa.select(sa.func.count()).select_from(Complaint)):
        return 0
    shop = db.session.scalar(sa.select(Shop).where(Shop.name == "金水绿色建材店"))
    officer = db.session.scalar(sa.select(User).where(User.username == "demo-county"))
    owner = db.session.scalar(sa.select(User).where(User.username == "demo-merchant"))
    villagers = db.session.scalars(sa.select(User).where(
        User.wechat_openid.like("dev-openid-demo-villager%")).order_by(User.id)).all()
    if not (shop and officer and owner and villagers):
        return 0
    created = 0
    for n, (description, category, path) in enumerate(STORIES):
        villager = villagers[n % len(villagers)]
        complaint = services.file_complaint(
            villager, category=category, description=description, photos=[],
            merchant_id=shop.id if category != "expo_organisation" else None,
            region_code="410105")
        for action in path:
            actor = owner if action == "respond" else villager if action == "rate" else officer
            services.act(complaint, action, actor, note=NOTES.get(action, "已处理"),
                         rating=4 if action == "rate" else None)
        created += 1
    late = services.file_complaint(villagers[0], category="subsidy",
                                   description="补贴申请提交一个多月没有消息。", photos=[],
                                   region_code="410105")
    late.submitted_on -= timedelta(days=20)
    late.accept_due_on = services.workdays_after(late.submitted_on, services.ACCEPT_WITHIN)
    db.session.flush()
    deadlines.flag_overdue()
    return created + 1
