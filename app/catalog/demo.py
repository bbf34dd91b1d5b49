"""Catalog demo data: shops, enterprises, certificates, products and lists (seed_catalog),
and a fast bulk product generator for benchmarks (generate_products).

Everything here is fictional (names, credit codes, certificate numbers, phone numbers) but
shaped like the real thing, so that the storefront, the certificate check and the admin
screens look plausible in a demo. Only `add`/`flush` are used: the CLI commits.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from app.accounts.models import User
from app.accounts.services import create_console_user
from app.catalog import binding, demo_images, eligibility, search
from app.catalog.cache import catalog_changed
from app.catalog.data import CATEGORIES
from app.catalog.models import (
    Category,
    Certificate,
    DealerAuthorisation,
    Enterprise,
    LocalListEntry,
    NegativeListEntry,
    Product,
)
from app.catalog.services import refresh_search_terms, seed_categories
from app.core import auth
from app.core.db import utcnow
from app.core.validators import uscc_check_char
from app.extensions import db
from app.integrations import storage
from app.merchants.models import Shop, ShopMember

# Same as app.demo.DEMO_PASSWORD (not imported: app.demo imports this module).
DEMO_PASSWORD = "lvjian-demo"
DEMO_SHOP = "金水绿色建材店"

LEAF_CATEGORIES = tuple(slug for slug, _, _ in CATEGORIES
                        if not any(parent == slug for _, _, parent in CATEGORIES))

# ---- identifiers ---------------------------------------------------------------------------

_ORG_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_check_char(body8: str) -> str:
    """GB 11714 organisation code check character (the 9th character of the code)."""
    c = 11 - sum(_ORG_CHARS.index(ch) * w for ch, w in zip(body8, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def credit_code(kind: str, area: str, org8: str) -> str:
    """A 统一社会信用代码: kind (91 company, 92 sole trader), area code, organisation code."""
    body = kind + area + org8 + _org_check_char(org8)
    return body + uscc_check_char(body)


# ---- seed data -----------------------------------------------------------------------------

# key: (name, region_code or None, kind, area code in the credit code, organisation code)
ENTERPRISES: dict[str, tuple[str, str | None, str, str, str]] = {
    "lvzhu": ("河南中原绿筑新型建材有限公司", "410102", "91", "410102", "MA44R7T3"),
    "yujian": ("郑州豫建商品混凝土有限公司", "410122", "91", "410122", "7167359A"),
    "jindun": ("河南金盾干混砂浆有限公司", "410184", "91", "410184", "MA3X5K8N"),
    "tongyun": ("兰考县桐韵家居有限公司", "410225", "91", "410225", "MA40B2YH"),
    "jiahe": ("河南嘉禾涂料科技有限公司", "410104", "91", "410104", "0821466C"),
    "huading": ("佛山市华鼎陶瓷有限公司", None, "91", "440605", "7962483W"),
    "yuci": ("洛阳豫瓷陶瓷有限公司", "410323", "91", "410323", "MA45L0PD"),
    "jiemei": ("长葛市洁美卫浴有限公司", None, "91", "411082", "5574813G"),
    "ouya": ("佛山市欧雅整体厨卫有限公司", None, "91", "440606", "MA4UQ3E1"),
    "hongxing": ("巩义市宏兴节能门窗有限公司", "410181", "91", "410181", "6946071K"),
    "yuwang": ("河南禹王防水建材有限公司", "411621", "91", "411621", "MA47FJ2R"),
    "lvyuan": ("开封绿源保温材料有限公司", "410223", "91", "410223", "MA9G3K2L"),
    "kuntai": ("河南坤泰石膏建材有限公司", "410222", "91", "410222", "3172594E"),
    "zhucheng": ("河南筑诚装配式建筑科技有限公司", "410184", "91", "410184", "MA46T8CQ"),
    "changbai": ("吉林省长白新型墙体材料有限公司", "220112", "91", "220112", "1248806P"),
    "huanghe": ("兰考县黄河新型墙材有限公司", "410225", "91", "410225", "MA3YCU6B"),
    "xinwang": ("中牟县鑫旺建材厂", "410122", "92", "410122", "MA40H7WX"),
}

ISSUERS = {
    "JC": "中国建材检验认证集团股份有限公司",
    "ZL": "中国质量认证中心",
    "JK": "中国建筑科学研究院有限公司认证中心",
    "GJ": "北京国建联信认证中心有限公司",
    "HL": "中环联合（北京）认证中心有限公司",
}

CERT_YEARS = 3  # a green building material certificate is issued for three years

# key: (enterprise, issuer code, serial, product as printed, star, issued N days ago, status)
# Issued more than three years ago means expired today.
CERTIFICATES: dict[str, tuple[str, str, int, str, int, int, str]] = {
    "lvzhu-brick": ("lvzhu", "JC", 102, "烧结多孔砖、烧结空心砖", 2, 400, "valid"),
    "lvzhu-block": ("lvzhu", "JC", 318, "蒸压加气混凝土砌块、蒸压加气混凝土板", 3, 200, "valid"),
    "yujian-concrete": ("yujian", "JC", 57, "预拌混凝土（C15~C50）", 2, 500, "valid"),
    "yujian-recycled": ("yujian", "ZL", 1290, "预拌混凝土（再生骨料）", 1, 1165, "valid"),
    "jindun-mortar": ("jindun", "GJ", 433, "预拌砂浆（干混砌筑、抹灰、地面砂浆）", 2, 300, "valid"),
    "tongyun-wood": ("tongyun", "ZL", 2087, "木家具（实木类、板式类）", 3, 150, "valid"),
    "tongyun-soft": ("tongyun", "ZL", 766, "软体家具（沙发）", 1, 1200, "valid"),
    "jiahe-interior": ("jiahe", "JC", 245, "建筑内墙涂料、木器涂料（水性）", 3, 250, "valid"),
    "jiahe-exterior": ("jiahe", "JC", 611, "建筑外墙涂料（真石漆、弹性涂料）", 2, 100,
                       "suspended"),
    "huading-tiles": ("huading", "ZL", 1534, "陶瓷砖（瓷质砖、陶瓷板）", 3, 320, "valid"),
    "yuci-tiles": ("yuci", "JC", 879, "陶瓷砖（釉面砖、仿古砖、外墙砖）", 2, 600, "valid"),
    "jiemei-sanitary": ("jiemei", "ZL", 1876, "卫生陶瓷（坐便器、蹲便器、洗面器）", 2, 420,
                        "valid"),
    "ouya-bath": ("ouya", "JK", 93, "整体卫浴、整体厨房", 2, 180, "valid"),
    "hongxing-windows": ("hongxing", "JK", 158, "节能门窗（铝合金节能窗、塑料窗、入户门）", 2,
                         350, "valid"),
    "yuwang-membrane": ("yuwang", "HL", 364, "防水卷材（弹性体改性沥青、自粘聚合物改性沥青）",
                        2, 280, "valid"),
    "yuwang-coating": ("yuwang", "HL", 129, "防水涂料（聚合物水泥、聚氨酯）", 1, 700,
                       "revoked"),
    "lvyuan-insulation": ("lvyuan", "JC", 957, "保温材料（岩棉板、挤塑聚苯板、玻璃棉）", 2, 90,
                          "valid"),
    "kuntai-boards": ("kuntai", "GJ", 208, "纸面石膏板、纤维增强硅酸钙板、轻质条板", 3, 520,
                      "valid"),
    "zhucheng-prefab": ("zhucheng", "JK", 211, "装配式建筑部品（预制混凝土构件、轻钢结构房屋）",
                        2, 240, "valid"),
    "changbai-block": ("changbai", "JC", 1402, "普通混凝土小型砌块", 1, 800, "valid"),
}

# The certified product category of each certificate: a leaf, or a parent whose
# sub-categories it covers (lvzhu-block: 砌块 and 板材, both 砌体材料).
CERTIFICATE_CATEGORIES = {
    "lvzhu-brick": "bricks", "lvzhu-block": "masonry", "yujian-concrete": "ready-mixed-concrete",
    "yujian-recycled": "ready-mixed-concrete", "jindun-mortar": "ready-mixed-mortar",
    "tongyun-wood": "furniture", "tongyun-soft": "furniture", "jiahe-interior": "coatings",
    "jiahe-exterior": "coatings", "huading-tiles": "ceramic-tiles", "yuci-tiles": "ceramic-tiles",
    "jiemei-sanitary": "sanitary-ceramics", "ouya-bath": "integrated-bath-kitchen",
    "hongxing-windows": "doors-windows", "yuwang-membrane": "waterproofing",
    "yuwang-coating": "waterproofing", "lvyuan-insulation": "insulation",
    "kuntai-boards": "boards", "zhucheng-prefab": "prefab-components",
    "changbai-block": "blocks",
}

# key: (name, region, owner username or None for the existing demo shop, status, address,
#       phone, enterprise key (a factory's own store) or None, description)
SHOPS: dict[str, tuple[str, str, str | None, str, str, str, str | None, str]] = {
    "jinshui": (DEMO_SHOP, "410105", None, "approved",
                "郑州市金水区花园路街道农业路与花园路交叉口东 50 米", "0371-65738210", None,
                "金水区绿色建材下乡活动定点门店，瓷砖、卫浴、门窗、涂料一站式选购，支持送货下乡。"),
    "zhongmou": ("中牟县官渡绿色建材城", "410122", "demo-shop-zhongmou", "approved",
                 "中牟县官渡镇 107 国道官渡段路东", "0371-62171588", None,
                 "农房建设基础材料齐全：混凝土、砂浆、砖、保温、防水，可派车到村。"),
    "xinzheng": ("新郑市龙湖建材家居馆", "410184", "demo-shop-xinzheng", "approved",
                 "新郑市龙湖镇双湖大道与文昌路交叉口西北角", "0371-69958862", None,
                 "家装建材体验馆，提供整体厨卫、瓷砖、家具样板间。"),
    "lankao": ("兰考县堌阳绿色家居建材店", "410225", "demo-shop-lankao", "approved",
               "兰考县堌阳镇中心街 18 号", "0371-26981205", None,
               "兰考泡桐实木家具、本地淤泥烧结砖及卫浴洁具经销。"),
    "xinan": ("新安县铁门镇建材超市", "410323", "demo-shop-xinan", "approved",
              "新安县铁门镇 310 国道旁（铁门镇政府东 300 米）", "0379-67563318", None,
              "瓷砖、洁具、保温材料，量大从优，乡镇免费配送。"),
    "fugou": ("扶沟县练寺绿色建材门市部", "411621", "demo-shop-fugou", "approved",
              "扶沟县练寺镇练寺街南段", "0394-6213877", None,
              "防水卷材、砂浆、砌块批发零售，提供屋面防水施工。"),
    "zhongyuan": ("绿筑新型建材中原区直营店", "410102", "demo-shop-zhongyuan", "approved",
                  "郑州市中原区建设西路与桐柏路交叉口南 100 米", "0371-67829936", "lvzhu",
                  "河南中原绿筑新型建材有限公司直营：烧结砖、加气砌块、ALC 板材，厂家直供。"),
    "gongyi": ("巩义市宏兴节能门窗专卖店", "410181", "demo-shop-gongyi", "approved",
               "巩义市紫荆路与杜甫路交叉口东 200 米", "0371-64390518", "hongxing",
               "断桥铝合金门窗、被动式节能窗厂家专卖，免费上门测量。"),
    "weishi": ("尉氏县绿源保温建材门市", "410223", "demo-shop-weishi", "approved",
               "尉氏县人民路南段 66 号", "0371-27989120", None,
               "外墙保温、屋面保温、石膏板吊顶材料，农房节能改造整体方案。"),
    "erqi": ("二七区农房建材服务中心", "410103", "demo-shop-erqi", "approved",
             "郑州市二七区马寨镇工业路 9 号", "0371-68126637", None,
             "面向城郊农房翻建：混凝土、装配式部品、整体橱柜，提供上门设计。"),
    "songxian": ("嵩县城关建材便民店", "410325", "demo-shop-songxian", "pending",
                 "嵩县城关镇伊河路 102 号", "0379-66311042", None,
                 "新申请入驻，经营砖瓦、水泥、防水材料。"),
}

BLURBS = {
    "furniture": "选用环保板材与水性漆，甲醛释放量优于国家标准，适合农村新房及旧房改造。",
    "coatings": "低VOC水性配方，施工方便、耐擦洗，刷新墙面无刺鼻气味，入住更放心。",
    "ceramic-tiles": "吸水率低、防滑耐磨，适合农村客厅、厨房、卫生间及院落铺贴。",
    "sanitary-ceramics": "节水型卫生陶瓷，冲洗顺畅、釉面易清洁，支持送货上门安装。",
    "integrated-bath-kitchen": "工厂预制、现场装配，一天即可安装完成，防水可靠，适合农房改厕改厨。",
    "ready-mixed-concrete": "搅拌站集中生产、罐车送到村，强度稳定，适合农房基础、圈梁及楼板。",
    "ready-mixed-mortar": "工厂配比、现场加水即用，减少扬尘与浪费，质量比现场拌制更稳定。",
    "bricks": "尺寸规整、强度达标，利用固废资源生产，适合农房承重墙及院墙砌筑。",
    "blocks": "轻质高强、保温隔声，砌筑效率高，适合农房填充墙与自保温墙体。",
    "boards": "不燃、轻质、安装快，适合吊顶、隔墙及厨卫空间。",
    "insulation": "导热系数低、防火性能好，用于外墙、屋面保温，冬暖夏凉更省电。",
    "doors-windows": "中空玻璃与断桥隔热型材，气密、水密、隔声性能好，农房节能改造首选。",
    "waterproofing": "耐老化、抗裂，适用于屋面、卫生间、地下室防水，解决农房渗漏难题。",
    "prefab-components": "工厂预制、现场拼装，工期短、质量稳，适合农房新建与装配式改造。",
}

# (shop, category, certificate or None, enterprise when uncertified or None, brand, name,
#  model/spec, unit, price in yuan[, status])
PRODUCTS: list[tuple] = [
    # 家具
    ("lankao", "furniture", "tongyun-wood", None, "桐韵", "泡桐木实木衣柜（四门）",
     "2000×600×2200mm E0级", "套", 3680),
    ("lankao", "furniture", "tongyun-wood", None, "桐韵", "新中式实木餐桌椅（一桌六椅）",
     "1500×850×760mm", "套", 2980),
    ("jinshui", "furniture", "tongyun-wood", None, "桐韵", "橡木实木双人床", "1.8m×2.0m",
     "张", 3280),
    ("xinzheng", "furniture", "tongyun-wood", None, "桐韵", "板式儿童书桌书柜组合",
     "1200×600×1800mm ENF级板材", "套", 1580),
    ("erqi", "furniture", "tongyun-soft", None, "桐韵", "布艺沙发（三人位）",
     "2100×900×850mm 高回弹海绵", "套", 2680),
    ("zhongmou", "furniture", None, None, "豫森", "松木鞋柜", "800×350×1000mm", "件", 420),
    # 涂料
    ("jinshui", "coatings", "jiahe-interior", None, "嘉禾", "净味全效内墙乳胶漆",
     "18L 哑光白", "桶", 468),
    ("xinzheng", "coatings", "jiahe-interior", None, "嘉禾", "抗甲醛防霉内墙乳胶漆", "5L",
     "桶", 168),
    ("jinshui", "coatings", "jiahe-interior", None, "嘉禾", "水性木器清面漆", "2.5kg", "桶",
     198),
    ("erqi", "coatings", "jiahe-exterior", None, "嘉禾", "外墙真石漆", "20kg 仿花岗岩",
     "桶", 285),
    ("fugou", "coatings", "jiahe-exterior", None, "嘉禾", "外墙弹性乳胶漆", "18L 白色", "桶",
     520),
    # 陶瓷砖（板）
    ("jinshui", "ceramic-tiles", "huading-tiles", None, "华鼎", "全抛釉瓷砖 客厅地砖",
     "800×800mm 亮光", "㎡", 78),
    ("jinshui", "ceramic-tiles", "huading-tiles", None, "华鼎", "柔光大板瓷砖",
     "750×1500mm", "㎡", 138),
    ("xinzheng", "ceramic-tiles", "huading-tiles", None, "华鼎", "岩板 陶瓷薄板背景墙",
     "1200×2400×6mm", "㎡", 268),
    ("fugou", "ceramic-tiles", "huading-tiles", None, "华鼎", "木纹砖 卧室地砖",
     "200×1200mm", "㎡", 89),
    ("xinan", "ceramic-tiles", "yuci-tiles", None, "豫瓷", "仿古砖 防滑地砖", "600×600mm 哑光",
     "㎡", 52),
    ("xinan", "ceramic-tiles", "yuci-tiles", None, "豫瓷", "厨卫釉面墙砖", "300×600mm", "㎡",
     38),
    ("zhongmou", "ceramic-tiles", "yuci-tiles", None, "豫瓷", "外墙通体砖", "45×195mm", "㎡",
     45),
    # 卫生陶瓷
    ("jinshui", "sanitary-ceramics", "jiemei-sanitary", None, "洁美", "一级水效节水坐便器",
     "坑距400mm 3.5L/5L双档", "件", 1299),
    ("zhongmou", "sanitary-ceramics", "jiemei-sanitary", None, "洁美", "喷射虹吸式坐便器",
     "坑距300mm", "件", 899),
    ("lankao", "sanitary-ceramics", "jiemei-sanitary", None, "洁美", "防臭蹲便器（带存水弯）",
     "560×430mm", "件", 239),
    ("xinzheng", "sanitary-ceramics", "jiemei-sanitary", None, "洁美", "陶瓷台上盆",
     "500×380mm", "件", 359),
    ("xinan", "sanitary-ceramics", "jiemei-sanitary", None, "洁美", "立柱式洗脸盆",
     "560×460×830mm", "套", 420),
    # 整体卫浴/整体厨房
    ("jinshui", "integrated-bath-kitchen", "ouya-bath", None, "欧雅", "装配式整体卫浴间",
     "1600×2000mm SMC防水底盘", "套", 12800),
    ("xinzheng", "integrated-bath-kitchen", "ouya-bath", None, "欧雅",
     "整体厨房 L型橱柜（含石英石台面）", "台面3.0延米 吊柜2.0延米", "套", 9800),
    ("zhongmou", "integrated-bath-kitchen", "ouya-bath", None, "欧雅",
     "农房整体卫浴（淋浴+坐便+洗面）", "1400×1800mm", "套", 8600),
    ("erqi", "integrated-bath-kitchen", "ouya-bath", None, "欧雅", "U型整体橱柜",
     "台面4.2延米", "套", 13600),
    # 预拌混凝土
    ("zhongmou", "ready-mixed-concrete", "yujian-concrete", None, "豫建",
     "C30预拌混凝土（泵送）", "C30 坍落度180±20mm", "立方米", 435),
    ("zhongmou", "ready-mixed-concrete", "yujian-concrete", None, "豫建", "C25商品混凝土",
     "C25 坍落度160±20mm", "立方米", 405),
    ("jinshui", "ready-mixed-concrete", "yujian-concrete", None, "豫建",
     "C30P6抗渗混凝土（屋面、地下室）", "C30 P6", "立方米", 468),
    ("xinzheng", "ready-mixed-concrete", "yujian-concrete", None, "豫建",
     "C20细石混凝土（地面找平）", "C20 骨料5-16mm", "立方米", 390),
    ("erqi", "ready-mixed-concrete", "yujian-recycled", None, "豫建", "再生骨料预拌混凝土",
     "C25 再生骨料取代率30%", "立方米", 365),
    # 预拌砂浆
    ("xinzheng", "ready-mixed-mortar", "jindun-mortar", None, "金盾", "干混砌筑砂浆",
     "DM M7.5 散装", "吨", 320),
    ("xinzheng", "ready-mixed-mortar", "jindun-mortar", None, "金盾", "干混抹灰砂浆",
     "DP M10 40kg/袋", "袋", 22),
    ("jinshui", "ready-mixed-mortar", "jindun-mortar", None, "金盾", "干混地面砂浆",
     "DS M20 40kg/袋", "袋", 26),
    ("fugou", "ready-mixed-mortar", "jindun-mortar", None, "金盾", "瓷砖粘结砂浆（瓷砖胶）",
     "C1T 20kg/袋", "袋", 45),
    ("zhongmou", "ready-mixed-mortar", None, "yujian", "豫建", "湿拌抹灰砂浆", "WP M10",
     "立方米", 380),
    # 砖
    ("zhongyuan", "bricks", "lvzhu-brick", None, "绿筑", "烧结多孔砖", "240×115×90mm MU15",
     "块", 0.62),
    ("zhongyuan", "bricks", "lvzhu-brick", None, "绿筑", "烧结空心砖", "240×240×115mm MU5.0",
     "块", 0.95),
    ("jinshui", "bricks", "lvzhu-brick", None, "绿筑", "透水砖（庭院地面）", "200×100×60mm",
     "㎡", 46),
    ("xinan", "bricks", "lvzhu-brick", None, "绿筑", "混凝土实心砖", "240×115×53mm MU20",
     "块", 0.55),
    ("lankao", "bricks", None, "huanghe", "黄河", "黄河淤泥烧结多孔砖",
     "240×115×90mm MU10", "块", 0.48),
    ("fugou", "bricks", None, "lvzhu", "绿筑", "植草砖（停车位、庭院）", "400×400×80mm", "㎡",
     38),
    # The fake: the workshop links another enterprise's certificate (on the negative list).
    ("zhongmou", "bricks", "lvzhu-brick", "xinwang", "鑫旺", "页岩烧结实心砖（绿色建材三星）",
     "240×115×53mm MU15", "块", 0.45),
    # 砌块
    ("zhongyuan", "blocks", "lvzhu-block", None, "绿筑", "蒸压加气混凝土砌块",
     "600×200×200mm A3.5 B06", "立方米", 285),
    ("jinshui", "blocks", "lvzhu-block", None, "绿筑", "蒸压加气混凝土砌块（薄层砌筑）",
     "600×240×200mm A5.0 B07", "立方米", 310),
    ("weishi", "blocks", "lvzhu-block", None, "绿筑", "自保温砌块", "600×250×200mm",
     "立方米", 360),
    ("fugou", "blocks", "lvzhu-block", None, "绿筑", "陶粒混凝土砌块", "390×190×190mm",
     "块", 4.5),
    ("xinzheng", "blocks", "changbai-block", None, "长白", "混凝土小型空心砌块",
     "390×190×190mm MU10", "块", 3.2),
    # 板材
    ("jinshui", "boards", "kuntai-boards", None, "坤泰", "纸面石膏板", "2400×1200×9.5mm",
     "张", 28),
    ("weishi", "boards", "kuntai-boards", None, "坤泰", "耐水纸面石膏板（厨卫吊顶）",
     "2400×1200×9.5mm", "张", 42),
    ("erqi", "boards", "kuntai-boards", None, "坤泰", "纤维增强硅酸钙板", "2440×1220×8mm",
     "张", 65),
    ("lankao", "boards", "kuntai-boards", None, "坤泰", "轻质隔墙条板", "2500×600×90mm",
     "㎡", 75),
    ("zhongyuan", "boards", "lvzhu-block", None, "绿筑", "ALC蒸压轻质加气混凝土板",
     "2400×600×100mm", "㎡", 98),
    # 保温材料
    ("weishi", "insulation", "lvyuan-insulation", None, "绿源", "岩棉板（外墙外保温）",
     "1200×600×50mm 140kg/m³", "㎡", 48),
    ("weishi", "insulation", "lvyuan-insulation", None, "绿源", "挤塑聚苯板 XPS",
     "1200×600×50mm B1级", "㎡", 32),
    ("jinshui", "insulation", "lvyuan-insulation", None, "绿源", "石墨聚苯板（屋面保温）",
     "1200×600×80mm", "㎡", 42),
    ("xinan", "insulation", "lvyuan-insulation", None, "绿源", "玻璃棉卷毡（吊顶保温）",
     "50mm×1200mm×12m", "卷", 168),
    ("zhongmou", "insulation", "lvyuan-insulation", None, "绿源", "保温装饰一体板",
     "1200×600mm 真石漆饰面", "㎡", 168),
    # 节能门窗
    ("gongyi", "doors-windows", "hongxing-windows", None, "宏兴", "断桥铝合金平开窗",
     "70系列 5+20A+5 中空Low-E", "㎡", 680),
    ("gongyi", "doors-windows", "hongxing-windows", None, "宏兴", "断桥铝合金推拉窗",
     "90系列 5+12A+5 中空玻璃", "㎡", 460),
    ("gongyi", "doors-windows", "hongxing-windows", None, "宏兴", "三玻两腔被动式节能窗",
     "K≤1.0 5+16Ar+5+16Ar+5", "㎡", 1280),
    ("jinshui", "doors-windows", "hongxing-windows", None, "宏兴", "甲级防盗入户门",
     "960×2050mm", "樘", 2680),
    ("zhongmou", "doors-windows", "hongxing-windows", None, "宏兴", "塑钢平开窗",
     "60系列 5+12A+5", "㎡", 380),
    ("lankao", "doors-windows", "hongxing-windows", None, "宏兴", "铝合金阳光房推拉门",
     "2400×2100mm", "樘", 3200),
    # 防水材料
    ("fugou", "waterproofing", "yuwang-membrane", None, "禹王", "SBS改性沥青防水卷材",
     "4mm PY I型 10㎡/卷", "卷", 260),
    ("fugou", "waterproofing", "yuwang-membrane", None, "禹王", "自粘聚合物改性沥青防水卷材",
     "1.5mm N类 20㎡/卷", "卷", 198),
    ("xinzheng", "waterproofing", "yuwang-membrane", None, "禹王", "屋面防水卷材施工套餐",
     "基层处理+两道卷材", "㎡", 65),
    ("jinshui", "waterproofing", "yuwang-coating", None, "禹王",
     "JS聚合物水泥防水涂料（卫生间）", "II型 20kg/桶", "桶", 288),
    ("erqi", "waterproofing", "yuwang-coating", None, "禹王", "单组分聚氨酯防水涂料",
     "20kg/桶", "桶", 420),
    # 装配式建筑部品
    ("xinzheng", "prefab-components", "zhucheng-prefab", None, "筑诚", "预制混凝土叠合楼板",
     "3000×1200×60mm C30", "立方米", 2600),
    ("xinzheng", "prefab-components", "zhucheng-prefab", None, "筑诚", "预制混凝土楼梯（双跑）",
     "梯段宽1200mm 层高3.0m", "件", 3800),
    ("zhongmou", "prefab-components", "zhucheng-prefab", None, "筑诚",
     "轻钢结构农房整体套装（二层）", "建筑面积160㎡ 含墙板屋面", "套", 256000),
    ("erqi", "prefab-components", "zhucheng-prefab", None, "筑诚", "装配式复合夹芯外墙板",
     "3000×2800×200mm", "㎡", 420),
    ("jinshui", "prefab-components", "zhucheng-prefab", None, "筑诚", "装配式农家院围墙",
     "高2.0m", "米", 380),
    # Not (or no longer) in the storefront: the merchant console and review queue see them.
    ("zhongmou", "ready-mixed-concrete", "yujian-concrete", None, "豫建",
     "C35预拌混凝土（泵送）", "C35 坍落度180±20mm", "立方米", 465, "pending"),
    ("jinshui", "coatings", "jiahe-interior", None, "嘉禾", "微水泥艺术涂料", "20kg 套装",
     "套", 980, "draft"),
    ("xinan", "ceramic-tiles", None, "yuci", "豫瓷", "抛光砖", "800×800mm", "㎡", 42,
     "rejected"),
    ("gongyi", "doors-windows", "hongxing-windows", None, "宏兴", "单玻铝合金推拉窗（旧款）",
     "5mm 单层玻璃", "㎡", 220, "delisted"),
]

# (region, product name, requirement, valid from N days ago, for N days)
LOCAL_LIST = [
    ("410225", "黄河淤泥烧结多孔砖",
     "符合 GB/T 13544-2011《烧结多孔砖和多孔砌块》MU10 及以上，利用黄河淤泥制砖", 90, 365),
    ("411621", "植草砖（停车位、庭院）",
     "符合 JC/T 446《混凝土路面砖》，用于农村庭院、停车场铺装", 30, 365),
    ("410122", "湿拌抹灰砂浆",
     "符合 GB/T 25181-2019《预拌砂浆》，本地搅拌站供应半径不超过 30 公里", 60, 730),
]

# Every shop selling another enterprise's certified products holds its approved dealer
# authorisation (derived from PRODUCTS, except the fake); and a few more, in other states:
# (shop, enterprise, status, document number, the merchant's note, the admin's note)
AUTHORISATIONS: list[tuple[str, str, str, str | None, str, str | None]] = [
    ("jinshui", "yuci", "applied", "YC-SQ-2026-031", "豫瓷陶瓷授权本店为金水区经销商，授权期两年",
     None),
    ("zhongmou", "lvzhu", "rejected", None, "申请经销绿筑烧结砖",
     "未提供企业盖章的经销授权书，且与已查实的冒用证书商品有关"),
]
APPROVED_NOTE = "经销授权书（企业盖章原件）核验通过"

FAKE_REASON = ("冒用河南中原绿筑新型建材有限公司绿色建材认证证书（{number}），"
               "产品实为中牟县鑫旺建材厂自产，未获认证；经 12315 投诉核查属实")
LIFTED_REASON = "省级监督抽查外墙涂料耐人工老化性能不合格"
LIFT_NOTE = "企业已完成整改，复检合格（检验报告 WT2025-0871），准予移出负面清单"


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def cert_number(issuer: str, year: int, serial: int) -> str:
    return f"LB{year}{issuer}{serial:04d}"


# ---- seed_catalog --------------------------------------------------------------------------

def _user(username: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.username == username))


def _picture_products(products: dict[str, Product], categories: dict[str, Category]) -> int:
    """A picture for every demo product that has none (drawn locally, see demo_images)."""
    slugs = {c.id: slug for slug, c in categories.items()}
    added = 0
    for product in products.values():
        if product is not None and not product.images:
            data = demo_images.picture(slugs[product.category_id], product.name)
            product.images = [storage.save(data, "jpg", "products")]
            added += 1
    db.session.flush()
    return added


def seed_catalog() -> dict[str, int]:
    """Demo shops, enterprises, certificates, products and list entries (idempotent)."""
    seed_categories()
    report = dict.fromkeys(("catalog shops added", "merchant accounts added",
                            "enterprises added", "certificates added",
                            "dealer authorisations added", "products added",
                            "local list entries added", "negative list entries added"), 0)
    today = eligibility.today()
    now = utcnow()
    admin = _user("demo-admin")
    admin_id = admin.id if admin else None

    enterprises: dict[str, Enterprise] = {}
    for key, (name, region, kind, area, org8) in ENTERPRISES.items():
        code = credit_code(kind, area, org8)
        ent = db.session.scalar(sa.select(Enterprise).where(Enterprise.credit_code == code))
        if ent is None:
            ent = Enterprise(name=name, credit_code=code, region_code=region)
            db.session.add(ent)
            report["enterprises added"] += 1
        enterprises[key] = ent
    db.session.flush()

    category_ids = dict(db.session.execute(sa.select(Category.slug, Category.id)).all())
    certificates: dict[str, Certificate] = {}
    for key, (ent_key, issuer, serial, product_name, star, days_ago, status) in \
            CERTIFICATES.items():
        # found by enterprise and product: the number's year depends on the day of seeding
        cert = db.session.scalar(sa.select(Certificate).where(
            Certificate.enterprise_id == enterprises[ent_key].id,
            Certificate.product_name == product_name))
        if cert is None:
            issued = today - timedelta(days=days_ago)
            cert = Certificate(number=cert_number(issuer, issued.year, serial),
                               issuer=ISSUERS[issuer],
                               enterprise_id=enterprises[ent_key].id,
                               product_name=product_name, star=star, issued_on=issued,
                               expires_on=_years_later(issued, CERT_YEARS), status=status)
            db.session.add(cert)
            report["certificates added"] += 1
        if cert.category_id is None:  # also for certificates seeded before categories
            cert.category_id = category_ids[CERTIFICATE_CATEGORIES[key]]
        certificates[key] = cert
    db.session.flush()

    shops: dict[str, Shop] = {}
    for key, (name, region, username, status, address, phone, ent_key, about) in SHOPS.items():
        shop = db.session.scalar(sa.select(Shop).where(Shop.name == name))
        if username is None:  # the demo shop of app.demo.seed_accounts
            if shop is None:
                raise RuntimeError(f"{name} is missing: run app.demo.seed_accounts() first")
            shop.address = shop.address or address
            shop.contact_phone = shop.contact_phone or phone
            shop.description = shop.description or about
            shops[key] = shop
            continue
        if shop is None:
            shop = Shop(name=name, region_code=region, status=status, address=address,
                        contact_phone=phone, description=about,
                        enterprise_id=enterprises[ent_key].id if ent_key else None)
            if status == "approved":
                shop.decided_by, shop.decided_at = admin_id, now - timedelta(days=60)
                shop.decision_note = "营业执照、经营场所核验通过，准予入驻"
            db.session.add(shop)
            db.session.flush()
            report["catalog shops added"] += 1
        owner = _user(username)
        if owner is None:
            owner = create_console_user(username=username, password=DEMO_PASSWORD,
                                        role=auth.MERCHANT_OWNER, nickname=name,
                                        region_code=region)
            report["merchant accounts added"] += 1
        if db.session.scalar(sa.select(ShopMember.id).where(ShopMember.user_id == owner.id)) \
                is None:
            db.session.add(ShopMember(shop_id=shop.id, user_id=owner.id,
                                      role=auth.MERCHANT_OWNER))
        shops[key] = shop
    db.session.flush()

    report["dealer authorisations added"] = _seed_authorisations(
        shops, enterprises, certificates, admin_id, now)

    categories = {c.slug: c for c in db.session.scalars(sa.select(Category))}
    existing = {(shop_id, name) for shop_id, name in db.session.execute(
        sa.select(Product.shop_id, Product.name).where(
            Product.shop_id.in_([s.id for s in shops.values()])))}
    products: dict[str, Product] = {}
    for n, row in enumerate(PRODUCTS):
        shop_key, slug, cert_key, ent_key, brand, name, spec, unit, price = row[:9]
        status = row[9] if len(row) > 9 else "listed"
        shop = shops[shop_key]
        if (shop.id, name) in existing:
            # the first one: generate_products may have made namesakes since
            products[name] = db.session.scalar(sa.select(Product).where(
                Product.shop_id == shop.id, Product.name == name).order_by(Product.id).limit(1))
            continue
        cert = certificates[cert_key] if cert_key else None
        ent = enterprises[ent_key] if ent_key else (cert.enterprise if cert else None)
        when = now - timedelta(days=90 - n, hours=n % 7)
        product = Product(
            shop_id=shop.id, category_id=categories[slug].id, brand=brand, name=name,
            model_spec=spec, unit=unit, price_fen=round(price * 100), images=[],
            certificate_id=cert.id if cert else None, enterprise_id=ent.id if ent else None,
            description=f"{brand}{name}，规格 {spec}。{BLURBS[slug]}", status=status,
            created_at=when, updated_at=when)
        if status in ("listed", "rejected", "delisted"):
            product.reviewed_by, product.reviewed_at = admin_id, when + timedelta(hours=3)
        if status in ("listed", "delisted"):
            product.listed_at = when + timedelta(hours=3)
        if status == "rejected":
            product.review_note = "未关联有效的绿色建材认证证书，也未列入本地清单，请补充材料"
        if ent_key == "xinwang":
            product.description = (f"{name}，规格 {spec}。本厂产品荣获绿色建材三星级认证"
                                   f"（证书编号 {cert.number}），质量可靠，价格实惠。")
        db.session.add(product)
        db.session.flush()
        refresh_search_terms(product)
        products[name] = product
        report["products added"] += 1

    report["product pictures added"] = _picture_products(products, categories)

    for region, name, requirement, days_ago, days in LOCAL_LIST:
        product = products[name]
        if db.session.scalar(sa.select(LocalListEntry.id).where(
                LocalListEntry.product_id == product.id,
                LocalListEntry.region_code == region)) is None:
            start = today - timedelta(days=days_ago)
            db.session.add(LocalListEntry(
                region_code=region, product_id=product.id, requirement=requirement,
                valid_from=start, valid_until=start + timedelta(days=days),
                created_by=admin_id, created_at=now - timedelta(days=days_ago)))
            report["local list entries added"] += 1

    fake = products["页岩烧结实心砖（绿色建材三星）"]
    negatives = [
        NegativeListEntry(product_id=fake.id,
                          reason=FAKE_REASON.format(number=certificates["lvzhu-brick"].number),
                          listed_by=admin_id, listed_at=now - timedelta(days=12)),
        NegativeListEntry(enterprise_id=enterprises["jiahe"].id, reason=LIFTED_REASON,
                          listed_by=admin_id, listed_at=now - timedelta(days=150),
                          lifted_by=admin_id, lifted_at=now - timedelta(days=40),
                          lift_reason=LIFT_NOTE),
    ]
    for entry in negatives:
        if db.session.scalar(sa.select(NegativeListEntry.id).where(
                NegativeListEntry.product_id == entry.product_id
                if entry.product_id else NegativeListEntry.enterprise_id == entry.enterprise_id,
                NegativeListEntry.reason == entry.reason)) is None:
            db.session.add(entry)
            report["negative list entries added"] += 1
    db.session.flush()
    # the fake is flagged (other_enterprise); every other demo product may carry its own
    binding.recheck([p.id for p in products.values()])
    if any(report.values()):
        catalog_changed()  # cached storefront pages are stale once this commits
    return report


def _seed_authorisations(shops: dict[str, Shop], enterprises: dict[str, Enterprise],
                         certificates: dict[str, Certificate], admin_id: int | None,
                         now: datetime) -> int:
    ent_keys = {ent.id: key for key, ent in enterprises.items()}
    wanted = {(shop_key, ent_keys[certificates[cert_key].enterprise_id]):
              ("approved", None, "经销该企业绿色建材认证产品", APPROVED_NOTE)
              for shop_key, _, cert_key, ent_key, *_ in PRODUCTS
              if cert_key and ent_key != "xinwang"}  # the fake has no authorisation
    wanted = {(shop, ent): value for (shop, ent), value in wanted.items()
              if SHOPS[shop][6] != ent}  # a factory's own store needs none
    for shop_key, ent_key, status, document, note, decision in AUTHORISATIONS:
        wanted[shop_key, ent_key] = (status, document, note, decision)
    added = 0
    for (shop_key, ent_key), (status, document, note, decision) in sorted(wanted.items()):
        shop, enterprise = shops[shop_key], enterprises[ent_key]
        if db.session.scalar(sa.select(DealerAuthorisation.id).where(
                DealerAuthorisation.shop_id == shop.id,
                DealerAuthorisation.enterprise_id == enterprise.id).limit(1)) is not None:
            continue
        applied = now - timedelta(days=75 if status != "applied" else 2)
        authorisation = DealerAuthorisation(
            shop_id=shop.id, enterprise_id=enterprise.id, status=status, note=note,
            document_no=document or f"SQ-{enterprise.credit_code[-6:]}-{shop.id:04d}",
            created_at=applied, updated_at=applied)
        if status != "applied":
            authorisation.decided_by = admin_id
            authorisation.decided_at = applied + timedelta(days=3)
            authorisation.decision_note = decision
        db.session.add(authorisation)
        added += 1
    db.session.flush()
    return added


# ---- generate_products ---------------------------------------------------------------------

# Per leaf category: weight, name prefixes, core names, specs, (unit, min fen, max fen),
# fallback brands (when no seeded product of that category gives one).
_VOCAB: dict[str, dict] = {
    "furniture": dict(
        weight=12,
        prefixes=["", "环保", "新中式", "简约", "北欧风", "实木", "E0级", "无醛添加", "农家",
                  "加厚"],
        materials=["泡桐木", "橡木", "松木", "胡桃木", "桦木", "竹制", "多层板", "颗粒板", ""],
        cores=["衣柜", "餐桌", "餐椅", "双人床", "书柜", "书桌", "鞋柜", "电视柜", "床头柜",
               "沙发", "茶几", "五斗柜", "儿童床"],
        specs=["1.8m×2.0m", "1.5m×2.0m", "1200×600×750mm", "2000×600×2200mm",
               "800×350×1000mm", "1400×800×760mm", "三门", "四门"],
        units=[("套", 60000, 900000), ("张", 30000, 500000), ("件", 15000, 300000)],
        brands=["桐韵", "豫森", "木语", "兰桐"]),
    "coatings": dict(
        weight=10,
        prefixes=["净味", "低VOC", "抗菌", "耐擦洗", "水性", "全效", "防霉", "抗甲醛", "儿童",
                  ""],
        materials=["", "硅藻", "弹性", "氟碳", "丙烯酸"],
        cores=["内墙乳胶漆", "外墙乳胶漆", "真石漆", "木器漆", "墙面漆", "艺术涂料",
               "地坪漆", "质感涂料", "墙面底漆"],
        specs=["18L", "5L", "15L", "20kg", "2.5kg", "1L", "哑光白", "象牙白", "柔光"],
        units=[("桶", 8000, 120000), ("套", 20000, 150000)],
        brands=["嘉禾", "净居", "绿漆", "立邦美"]),
    "ceramic-tiles": dict(
        weight=14,
        prefixes=["防滑", "耐磨", "柔光", "亮光", "哑光", "通体", "全抛釉", "微晶", "大板", ""],
        materials=["大理石纹", "木纹", "仿古", "水泥灰", "岩板", "釉面", ""],
        cores=["瓷砖", "地砖", "墙砖", "客厅瓷砖", "卫生间瓷砖", "厨房墙砖", "阳台地砖",
               "外墙砖", "陶瓷薄板", "庭院地砖", "抛光砖"],
        specs=["800×800mm", "600×1200mm", "750×1500mm", "300×600mm", "600×600mm",
               "400×800mm", "200×1200mm", "900×1800mm"],
        units=[("㎡", 3000, 30000), ("片", 1500, 12000), ("箱", 8000, 40000)],
        brands=["华鼎", "豫瓷", "中瓷", "禾陶"]),
    "sanitary-ceramics": dict(
        weight=9,
        prefixes=["一级水效", "节水", "虹吸式", "喷射虹吸", "防臭", "超漩式", "静音", "抗菌釉",
                  ""],
        materials=["陶瓷", "白瓷", ""],
        cores=["坐便器", "马桶", "蹲便器", "洗脸盆", "台上盆", "台下盆", "立柱盆", "小便器",
               "拖把池"],
        specs=["坑距300mm", "坑距400mm", "3.5L/5L双档", "600×460mm", "500×380mm",
               "560×430mm", "带存水弯"],
        units=[("件", 15000, 400000), ("套", 40000, 600000)],
        brands=["洁美", "长瓷", "润泽", "清源"]),
    "integrated-bath-kitchen": dict(
        weight=5,
        prefixes=["装配式", "农房", "一体化", "防水", "集成", "适老化", ""],
        materials=["SMC", "彩钢", "石英石台面", ""],
        cores=["整体卫浴", "整体浴室", "整体厨房", "整体橱柜", "淋浴房", "集成卫浴间",
               "L型橱柜", "U型橱柜"],
        specs=["1600×2000mm", "1400×1800mm", "1200×1600mm", "台面3.0延米", "台面4.2延米",
               "吊柜2.0延米"],
        units=[("套", 500000, 3000000), ("延米", 80000, 300000)],
        brands=["欧雅", "安居", "卫家"]),
    "ready-mixed-concrete": dict(
        weight=4,
        prefixes=["泵送", "抗渗", "早强", "再生骨料", "细石", "自密实", ""],
        materials=["C20", "C25", "C30", "C35", "C40"],
        cores=["预拌混凝土", "商品混凝土", "混凝土"],
        specs=["坍落度180±20mm", "坍落度160±20mm", "P6", "P8", "骨料5-16mm",
               "骨料5-25mm"],
        units=[("立方米", 30000, 55000)],
        brands=["豫建", "中筑", "宏基"]),
    "ready-mixed-mortar": dict(
        weight=5,
        prefixes=["干混", "湿拌", "预拌", "散装", "袋装", ""],
        materials=["砌筑", "抹灰", "地面", "瓷砖粘结", "保温", "防水"],
        cores=["砂浆", "砂浆（农房用）"],
        specs=["DM M7.5", "DM M10", "DP M10", "DS M20", "WP M10", "40kg/袋", "散装",
               "20kg/袋"],
        units=[("吨", 25000, 60000), ("袋", 1500, 5000), ("立方米", 30000, 45000)],
        brands=["金盾", "固德", "豫砂"]),
    "bricks": dict(
        weight=8,
        prefixes=["烧结", "蒸压", "页岩", "煤矸石", "黄河淤泥", "混凝土", "透水", "环保", ""],
        materials=["多孔", "空心", "实心", "灰砂", "路面", "植草", ""],
        cores=["砖", "砖（承重墙）", "砖（院墙）", "标准砖", "红砖"],
        specs=["240×115×90mm", "240×115×53mm", "240×240×115mm", "MU10", "MU15", "MU20",
               "200×100×60mm"],
        units=[("块", 30, 300), ("千块", 35000, 80000), ("㎡", 3000, 9000)],
        brands=["绿筑", "黄河", "嵩岳"]),
    "blocks": dict(
        weight=5,
        prefixes=["蒸压加气", "混凝土小型", "自保温", "陶粒", "石膏", "轻质", ""],
        materials=["空心", "实心", "薄层砌筑", ""],
        cores=["砌块", "混凝土砌块", "加气块"],
        specs=["600×200×200mm", "600×240×200mm", "390×190×190mm", "A3.5 B06",
               "A5.0 B07", "MU10"],
        units=[("立方米", 20000, 40000), ("块", 250, 800)],
        brands=["绿筑", "长白", "中原"]),
    "boards": dict(
        weight=6,
        prefixes=["纸面", "耐水", "防火", "轻质", "纤维增强", "蒸压", "秸秆", ""],
        materials=["石膏", "硅酸钙", "水泥", "加气混凝土", ""],
        cores=["板", "隔墙条板", "吊顶板", "墙板"],
        specs=["2400×1200×9.5mm", "2440×1220×12mm", "2500×600×90mm", "2400×600×100mm",
               "2440×1220×8mm"],
        units=[("张", 2000, 9000), ("㎡", 4000, 15000)],
        brands=["坤泰", "北筑", "豫板"]),
    "insulation": dict(
        weight=6,
        prefixes=["外墙", "屋面", "A级防火", "B1级", "石墨", "高密度", "憎水", ""],
        materials=["岩棉", "挤塑聚苯", "模塑聚苯", "玻璃棉", "聚氨酯", "酚醛"],
        cores=["保温板", "板", "卷毡", "保温装饰一体板"],
        specs=["1200×600×50mm", "1200×600×80mm", "1200×600×100mm", "140kg/m³",
               "50mm×1200mm×12m"],
        units=[("㎡", 1500, 18000), ("立方米", 30000, 90000), ("卷", 10000, 30000)],
        brands=["绿源", "暖家", "保特"]),
    "doors-windows": dict(
        weight=9,
        prefixes=["断桥铝合金", "塑钢", "铝包木", "被动式", "三玻两腔", "隔音", "系统", ""],
        materials=["平开", "推拉", "内开内倒", "节能", ""],
        cores=["窗", "门", "入户门", "防盗门", "阳台门", "纱窗一体窗"],
        specs=["5+12A+5 中空玻璃", "5+20A+5 Low-E", "60系列", "70系列", "90系列", "K≤1.5",
               "960×2050mm"],
        units=[("㎡", 25000, 150000), ("樘", 80000, 500000)],
        brands=["宏兴", "巩盛", "安居门窗"]),
    "waterproofing": dict(
        weight=7,
        prefixes=["SBS改性沥青", "自粘", "高分子", "聚氨酯", "JS聚合物水泥", "K11", "丙烯酸",
                  "屋面", "卫生间"],
        materials=["防水"],
        cores=["卷材", "涂料", "浆料", "堵漏王", "施工套餐"],
        specs=["3mm PY I型", "4mm 聚酯胎", "1.5mm N类", "20kg/桶", "II型", "10㎡/卷"],
        units=[("卷", 8000, 40000), ("桶", 10000, 60000), ("㎡", 2500, 9000)],
        brands=["禹王", "雨固", "东方雨"]),
    "prefab-components": dict(
        weight=3,
        prefixes=["预制", "装配式", "轻钢", "钢结构", "叠合", ""],
        materials=["混凝土", "复合", "夹芯", ""],
        cores=["叠合楼板", "楼梯", "外墙板", "阳台板", "农房套装", "围墙", "檩条"],
        specs=["3000×1200×60mm", "C30", "层高3.0m", "建筑面积120㎡", "建筑面积160㎡",
               "3000×2800×200mm"],
        units=[("立方米", 200000, 400000), ("件", 100000, 600000), ("套", 10000000, 30000000),
               ("㎡", 20000, 60000)],
        brands=["筑诚", "豫装", "中建筑"]),
}

_GENERATED_STATUSES = (("listed", 92), ("pending", 4), ("delisted", 2), ("draft", 2))
BATCH = 5000


def generate_products(n: int, *, seed: int = 1, analyze: bool = True) -> int:
    """Insert n varied products for benchmarks (deterministic for a given seed and database).

    Products go to the approved shops (any shop if none is approved) and, per category, to
    the certificates and brands of the products already there (seed_catalog first), else to
    any certificate. About one in eight is uncertified. Core executemany, in batches.

    On PostgreSQL the database is then ANALYZEd: with stale statistics (autovacuum off, or not
    run yet) the planner misjudges the search indexes and a storefront search takes seconds.
    """
    if n <= 0:
        return 0
    rng = random.Random(seed)
    categories = {c.slug: c for c in db.session.scalars(sa.select(Category))}
    slugs = [s for s in LEAF_CATEGORIES if s in _VOCAB and s in categories]
    if not slugs:
        raise RuntimeError("no categories: run seed_categories() first")
    shop_ids = list(db.session.scalars(
        sa.select(Shop.id).where(Shop.status == "approved").order_by(Shop.id)))
    shop_ids = shop_ids or list(db.session.scalars(sa.select(Shop.id).order_by(Shop.id)))
    if not shop_ids:
        raise RuntimeError("no shops: run seed_catalog() first")
    all_certs = [tuple(r) for r in db.session.execute(
        sa.select(Certificate.id, Certificate.enterprise_id).order_by(Certificate.id))]
    category_names = {c.id: c.name for c in categories.values()}

    # certificate, enterprise and brand combinations already seen in each category, on
    # products that may carry their certificate
    pools: dict[int, list[tuple[int, int | None, str]]] = {}
    for cat_id, cert_id, ent_id, brand in db.session.execute(
            sa.select(Product.category_id, Product.certificate_id, Product.enterprise_id,
                      Product.brand).where(Product.certificate_id.is_not(None),
                                           Product.certificate_flag.is_(None))
            .distinct().order_by(Product.category_id, Product.certificate_id, Product.brand)):
        pools.setdefault(cat_id, []).append((cert_id, ent_id, brand))
    # the shops that may sell an enterprise's certified products: its own, its dealers
    carriers: dict[int, list[int]] = {}
    for shop_id, ent_id in db.session.execute(sa.union(
            sa.select(Shop.id, Shop.enterprise_id).where(Shop.enterprise_id.is_not(None)),
            sa.select(DealerAuthorisation.shop_id, DealerAuthorisation.enterprise_id)
            .where(DealerAuthorisation.status == "approved")).order_by(sa.text("1, 2"))):
        if shop_id in shop_ids:
            carriers.setdefault(ent_id, []).append(shop_id)

    token_cache: dict[str, frozenset[str]] = {}

    def tokens(text: str) -> frozenset[str]:
        found = token_cache.get(text)
        if found is None:  # terms_for is a union over its texts, so cache per text
            found = token_cache[text] = frozenset(search.terms_for(text).split())
        return found

    terms_cache: dict[tuple, str] = {}
    name_terms_cache: dict[tuple, str] = {}
    weights = [_VOCAB[s]["weight"] for s in slugs]
    statuses = [s for s, _ in _GENERATED_STATUSES]
    status_weights = [w for _, w in _GENERATED_STATUSES]
    now = utcnow()
    table = Product.__table__
    inserted = 0
    for start in range(0, n, BATCH):
        size = min(BATCH, n - start)
        picked = rng.choices(slugs, weights, k=size)
        picked_status = rng.choices(statuses, status_weights, k=size)
        rows = []
        for slug, status in zip(picked, picked_status, strict=True):
            vocab = _VOCAB[slug]
            category_id = categories[slug].id
            name = (rng.choice(vocab["prefixes"]) + rng.choice(vocab["materials"])
                    + rng.choice(vocab["cores"]))
            spec = rng.choice(vocab["specs"])
            unit, low, high = rng.choice(vocab["units"])
            price = rng.randint(low, high)
            price -= price % (100 if price >= 10000 else 10 if price >= 1000 else 1)
            pool = pools.get(category_id)
            if rng.random() < 0.12:  # uncertified: relies on a local list, or on nothing
                cert_id = None
                ent_id = rng.choice(pool)[1] if pool and rng.random() < 0.5 else None
                brand = rng.choice(vocab["brands"])
            elif pool:
                cert_id, ent_id, brand = rng.choice(pool)
            elif all_certs:
                cert_id, ent_id = rng.choice(all_certs)
                brand = rng.choice(vocab["brands"])
            else:
                cert_id, ent_id, brand = None, None, rng.choice(vocab["brands"])
            # a certified product goes to a shop that may carry the certificate
            shop_id = rng.choice((carriers.get(ent_id) if cert_id else None) or shop_ids)
            key = (name, brand, spec, category_id)
            terms = terms_cache.get(key)
            if terms is None:  # the same texts as refresh_search_terms
                terms = terms_cache[key] = " ".join(sorted(
                    tokens(name) | tokens(brand) | tokens(spec)
                    | tokens(category_names[category_id])))
            names = name_terms_cache.get((name, brand))
            if names is None:
                names = name_terms_cache[name, brand] = " ".join(sorted(
                    tokens(name) | tokens(brand)))
            rows.append({
                "shop_id": shop_id, "enterprise_id": ent_id,
                "certificate_id": cert_id, "category_id": category_id, "brand": brand,
                "name": name, "model_spec": spec, "unit": unit, "price_fen": price,
                "images": [], "description": f"{brand}{name}，规格 {spec}。{BLURBS[slug]}",
                "status": status, "review_note": None, "reviewed_by": None,
                "reviewed_at": now if status != "draft" else None,
                "listed_at": now if status in ("listed", "delisted") else None,
                "search_terms": terms, "name_terms": names, "created_at": now, "updated_at": now,
            })
        db.session.execute(sa.insert(table), rows)
        inserted += size
    catalog_changed()
    if analyze and db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("ANALYZE"))  # shops too: a stale count misleads the joins
    return inserted
