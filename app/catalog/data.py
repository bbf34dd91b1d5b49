"""The category tree named by the campaign (seed 000 §四(三), §五(二))."""

# (slug, name, parent slug)
CATEGORIES: list[tuple[str, str, str | None]] = [
    ("decoration", "装饰装修材料", None),
    ("furniture", "家具", "decoration"),
    ("coatings", "涂料", "decoration"),
    ("ceramic-tiles", "陶瓷砖（板）", "decoration"),
    ("sanitary-ceramics", "卫生陶瓷", "decoration"),
    ("integrated-bath-kitchen", "整体卫浴/整体厨房", "decoration"),
    ("basic", "农房建设基础材料", None),
    ("ready-mixed-concrete", "预拌混凝土", "basic"),
    ("ready-mixed-mortar", "预拌砂浆", "basic"),
    ("masonry", "砌体材料", "basic"),
    ("bricks", "砖", "masonry"),
    ("blocks", "砌块", "masonry"),
    ("boards", "板材", "masonry"),
    ("insulation", "保温材料", "basic"),
    ("doors-windows", "节能门窗", "basic"),
    ("waterproofing", "防水材料", "basic"),
    ("prefab-components", "装配式建筑部品", "basic"),
]
