"""Certificate list import: CSV and XLSX, per-row rejection, idempotence, unusable files."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from app.catalog import eligibility
from app.catalog.models import Certificate, Enterprise
from app.core.validators import uscc_check_char
from app.extensions import db

URL = "/api/v1/admin/certificates/import"
HEADER = ["证书编号", "认证机构", "企业名称", "统一社会信用代码", "产品名称", "星级", "发证日期",
          "有效期至", "状态"]
ISSUER = "中国建材检验认证集团股份有限公司"


def code(n: int, region: str = "410105") -> str:
    body = f"91{region}{n:09d}"
    return body + uscc_check_char(body)


def wrong_check(credit_code: str) -> str:
    return credit_code[:-1] + ("1" if credit_code[-1] == "0" else "0")


GOOD_ROWS = [
    ["LB2025GB0101", ISSUER, "郑州金水瓷业有限公司", code(1), "陶瓷砖", "二星级",
     "2025-01-15", "2028-01-14", "有效"],
    ["LB2025GB0102", ISSUER, "郑州金水瓷业有限公司", code(1), "卫生陶瓷", "3",
     "2025/3/1", "2028年2月28日", "有效"],
    ["LB2025GB0103", "方圆标志认证集团", "中牟节能门窗有限公司", code(2, "410122"), "节能门窗",
     "一星级", "20240601", "2027-05-31", "暂停"],
]


def csv_bytes(rows, header=HEADER, *, bom=True, encoding="utf-8") -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom and encoding == "utf-8" else data


def upload(client, headers, data: bytes, name: str = "certs.csv"):
    return client.post(URL, headers=headers, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), name)})


@pytest.fixture
def province(world):
    return world["headers"]["province"]


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_good_csv_imports_everything(client, province):
    response = upload(client, province, csv_bytes(GOOD_ROWS))
    assert response.status_code == 200, response.json
    assert response.json == {"total": 3, "added": 3, "updated": 0, "unchanged": 0,
                             "rejected": []}
    cert = db.session.scalar(sa.select(Certificate).where(Certificate.number == "LB2025GB0102"))
    assert (cert.star, cert.issued_on, cert.expires_on) == (3, date(2025, 3, 1), date(2028, 2, 28))
    assert cert.enterprise.name == "郑州金水瓷业有限公司" and cert.enterprise.credit_code == code(1)
    assert cert.enterprise.region_code == "410105"  # from the credit code's division digits
    assert _count(Enterprise) == 2  # one enterprise, two certificates
    check = client.get("/api/mp/v1/certificates/LB2025GB0103").json
    assert check["status"] == "suspended" and check["star"] == 1
    assert check["enterprise"]["name"] == "中牟节能门窗有限公司"


def test_same_file_twice_changes_nothing(client, province):
    data = csv_bytes(GOOD_ROWS)
    upload(client, province, data)
    before = {c.number: c.updated_at for c in db.session.scalars(sa.select(Certificate))}
    again = upload(client, province, data).json
    assert again == {"total": 3, "added": 0, "updated": 0, "unchanged": 3, "rejected": []}
    db.session.expire_all()
    after = {c.number: c.updated_at for c in db.session.scalars(sa.select(Certificate))}
    assert after == before


def test_changed_rows_update_and_a_suspension_ends_eligibility(client, province, make, world):
    upload(client, province, csv_bytes(GOOD_ROWS))
    cert = db.session.scalar(sa.select(Certificate).where(Certificate.number == "LB2025GB0101"))
    product = make.product(world["shop_a"], certificate=cert)
    assert client.get(f"/api/mp/v1/products/{product.id}").json["eligible"] is True  # cached
    changed = [row[:] for row in GOOD_ROWS]
    changed[0][8] = "暂停"
    changed[1][5] = "二星级"
    report = upload(client, province, csv_bytes(changed)).json
    assert (report["added"], report["updated"], report["unchanged"]) == (0, 2, 1)
    detail = client.get(f"/api/mp/v1/products/{product.id}").json
    assert detail["eligible"] is False
    assert detail["eligibility"]["reason"] == "certificate_suspended"
    assert not eligibility.check(product).eligible


def test_good_xlsx_with_title_row_and_english_headers(client, province):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["2025 年第四批绿色建材获证产品名录"])
    sheet.append(["No.", "number", "issuer", "enterprise_name", "credit_code", "product_name",
                  "star", "issued_on", "expires_on", "status"])
    sheet.append([1, "LB2025GB0201", ISSUER, "开封保温材料有限公司", code(3, "410222"), "保温板",
                  2, datetime(2025, 5, 1), datetime(2028, 4, 30), "valid"])
    sheet.append([2, "LB2025GB0202", ISSUER, "开封保温材料有限公司", code(3, "410222"),
                  "挤塑板", 1.0, date(2025, 6, 1), "2028-05-31", "有效"])
    sheet.append([None] * 10)  # blank rows are skipped
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(client, province, buffer.getvalue(), "名录.xlsx")
    assert response.status_code == 200, response.json
    assert response.json["added"] == 2 and response.json["rejected"] == []
    cert = db.session.scalar(sa.select(Certificate).where(Certificate.number == "LB2025GB0202"))
    assert cert.star == 1 and cert.expires_on == date(2028, 5, 31)
    assert cert.enterprise.region_code == "410222"
    assert upload(client, province, buffer.getvalue(), "名录.xlsx").json["unchanged"] == 2


def test_bad_rows_are_reported_and_good_rows_imported(client, province):
    good = GOOD_ROWS[0]
    rows = [
        good,
        ["LB-BAD-1", ISSUER, "坏代码建材厂", wrong_check(code(4)), "砖", "二星级", "2025-01-01",
         "2028-01-01", "有效"],
        ["LB-BAD-2", ISSUER, "五星建材厂", code(5), "砌块", "五星级", "2025-01-01",
         "2028-01-01", "有效"],
        ["LB-BAD-3", ISSUER, "日期建材厂", code(6), "砂浆", "1", "2025-13-01", "2024-01-01",
         "有效"],
        ["LB-BAD-4", ISSUER, "倒序建材厂", code(7), "涂料", "1", "2025-06-01", "2025-01-01",
         "作废"],
        ["", ISSUER, "", code(8), "", "1", "", "2028-01-01", ""],
        ["LB-DUP", ISSUER, "重复建材厂", code(9), "砖", "1", "2025-01-01", "2028-01-01", "有效"],
        ["lb-dup", ISSUER, "重复建材厂", code(9), "砖", "1", "2025-01-01", "2028-01-01", "有效"],
        ["LB-NAME-1", ISSUER, "名称甲", code(10), "砖", "1", "2025-01-01", "2028-01-01", "有效"],
        ["LB-NAME-2", ISSUER, "名称乙", code(10), "砖", "1", "2025-01-01", "2028-01-01", "有效"],
    ]
    response = upload(client, province, csv_bytes(rows))
    assert response.status_code == 200, response.json
    report = response.json
    assert (report["total"], report["added"], report["updated"], report["unchanged"]) == \
        (10, 1, 0, 0)
    rejected = {r["row"]: r for r in report["rejected"]}
    assert sorted(rejected) == list(range(3, 12))  # the header is row 1, the good row is row 2
    assert "统一社会信用代码" in rejected[3]["errors"][0]
    assert "星级" in rejected[4]["errors"][0]
    assert any("发证日期" in e for e in rejected[5]["errors"])
    assert any("有效期至早于发证日期" in e for e in rejected[6]["errors"])
    assert any("状态" in e for e in rejected[6]["errors"])
    assert set(rejected[7]["errors"]) >= {"缺少证书编号", "缺少企业名称", "缺少产品名称",
                                          "缺少发证日期"}
    assert rejected[8]["number"] == "LB-DUP" and "重复" in rejected[9]["errors"][0]
    assert "第 8、9 行" in rejected[8]["errors"][0]
    assert "企业名称" in rejected[10]["errors"][0] and rejected[11]["errors"]
    # nothing of a rejected row was written, not even its enterprise
    assert db.session.scalars(sa.select(Certificate.number)).all() == ["LB2025GB0101"]
    assert db.session.scalars(sa.select(Enterprise.name)).all() == ["郑州金水瓷业有限公司"]
    again = upload(client, province, csv_bytes(rows)).json
    assert again["unchanged"] == 1 and len(again["rejected"]) == 9 and again["added"] == 0


def test_a_number_registered_to_another_enterprise_is_rejected(client, province, make):
    make.certificate(make.enterprise("原企业"), number="LB2025GB0101")
    report = upload(client, province, csv_bytes(GOOD_ROWS)).json
    assert report["added"] == 2
    assert report["rejected"][0]["row"] == 2
    assert "原企业" in report["rejected"][0]["errors"][0]


def test_enterprise_renamed_by_the_list(client, province, make, world):
    upload(client, province, csv_bytes(GOOD_ROWS[:1]))
    cert = db.session.scalar(sa.select(Certificate).where(Certificate.number == "LB2025GB0101"))
    product = make.product(world["shop_a"], certificate=cert, name="抛光砖")
    renamed = [[*GOOD_ROWS[0][:2], "郑州金水新瓷业集团有限公司", *GOOD_ROWS[0][3:]]]
    report = upload(client, province, csv_bytes(renamed)).json
    assert report["updated"] == 1
    db.session.expire_all()
    assert cert.enterprise.name == "郑州金水新瓷业集团有限公司"
    assert product.enterprise.name == "郑州金水新瓷业集团有限公司"


def test_without_a_status_column_existing_statuses_are_kept(client, province, make):
    enterprise = make.enterprise("暂停企业")
    make.certificate(enterprise, number="LB-KEEP", status="suspended")
    header = HEADER[:-1]
    rows = [["LB-KEEP", ISSUER, "暂停企业", enterprise.credit_code, "测试产品", "2",
             "2025-01-01", "2028-01-01"],
            ["LB-NEW", ISSUER, "暂停企业", enterprise.credit_code, "新产品", "2",
             "2025-01-01", "2028-01-01"]]
    report = upload(client, province, csv_bytes(rows, header)).json
    assert report["added"] == 1 and not report["rejected"]
    statuses = dict(db.session.execute(sa.select(Certificate.number, Certificate.status)).all())
    assert statuses == {"LB-KEEP": "suspended", "LB-NEW": "valid"}


def test_gbk_csv_from_excel_is_read(client, province):
    response = upload(client, province, csv_bytes(GOOD_ROWS, encoding="gbk"))
    assert response.status_code == 200 and response.json["added"] == 3


@pytest.mark.parametrize(("data", "error"), [
    (b"", "unreadable_file"),
    (b"\x00\x01\x02binary\x00", "unreadable_file"),
    (b"PK\x03\x04 this is not really a workbook", "unreadable_file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old-excel", "unreadable_file"),
    ("证书编号,企业名称\nLB-1,某企业\n".encode(), "missing_columns"),
    (",".join(HEADER).encode() + b"\n", "unreadable_file"),
    (",".join([*HEADER, "证书号"]).encode() + b"\n", "duplicate_column"),
])
def test_unusable_files_are_422_and_write_nothing(client, province, data, error):
    response = upload(client, province, data)
    assert response.status_code == 422, response.json
    assert response.json["error"] == error
    assert response.json["errors"]["file"]
    assert _count(Certificate) == 0 and _count(Enterprise) == 0


def test_missing_columns_are_named(client, province):
    body = upload(client, province, "证书编号,企业名称\nLB-1,某企业\n".encode()).json
    assert "统一社会信用代码" in body["message"] and "星级" in body["message"]
    assert "证书编号" not in body["message"]


def test_no_file_is_422(client, province):
    response = client.post(URL, headers=province, content_type="multipart/form-data", data={})
    assert response.status_code == 422 and "file" in response.json["errors"]


def test_only_province_admins_import(client, world):
    response = upload(client, world["headers"]["county_here"], csv_bytes(GOOD_ROWS))
    assert response.status_code == 403 and response.json["error"] == "province_admin_required"
    assert _count(Certificate) == 0


def test_service_without_http(app, db_session):
    from app.catalog.imports import import_certificates

    report = import_certificates(csv_bytes(GOOD_ROWS, bom=False))
    assert (report.added, report.rejected) == (3, [])


# ---- the certified product category -----------------------------------------------------------

CATEGORY_HEADER = [*HEADER, "产品类别"]


def _row(number: str, category: str, n: int = 7) -> list:
    return [number, ISSUER, "郑州绿建保温有限公司", code(n), "保温材料", "二星级", "2025-01-15",
            "2028-01-14", "有效", category]


@pytest.mark.parametrize(("written", "slug"), [
    ("insulation", "insulation"), ("保温材料", "insulation"), (" Insulation ", "insulation"),
    ("陶瓷砖（板）", "ceramic-tiles"), ("陶瓷砖(板)", "ceramic-tiles"), ("陶瓷砖", "ceramic-tiles"),
    ("整体厨房", "integrated-bath-kitchen"), ("砌体材料", "masonry"), ("", None),
])
def test_category_column_takes_a_slug_or_a_chinese_name(client, province, written, slug):
    response = upload(client, province,
                      csv_bytes([_row("LB2025BW0001", written)], CATEGORY_HEADER))
    assert response.status_code == 200 and response.json["added"] == 1, response.json
    cert = db.session.scalar(sa.select(Certificate).where(Certificate.number == "LB2025BW0001"))
    assert (cert.category.slug if cert.category else None) == slug


def test_unknown_category_rejects_the_row(client, province):
    response = upload(client, province, csv_bytes(
        [_row("LB2025BW0002", "保暖材料"), _row("LB2025BW0003", "insulation")], CATEGORY_HEADER))
    assert response.json["added"] == 1
    [rejected] = response.json["rejected"]
    assert rejected["number"] == "LB2025BW0002"
    assert any("产品类别「保暖材料」无法识别" in e for e in rejected["errors"])


def test_a_new_category_rechecks_the_products_under_it(client, province, make):
    holder = make.enterprise()
    cert = make.certificate(holder, number="LB2025BW0004")  # imported before categories
    shop = make.shop(enterprise=holder)
    paint = make.product(shop, category="coatings", certificate=cert)
    board = make.product(shop, category="insulation", certificate=cert)
    row = [cert.number, ISSUER, holder.name, holder.credit_code, "保温板", "二星级",
           cert.issued_on.isoformat(), cert.expires_on.isoformat(), "", "保温材料"]
    response = upload(client, province, csv_bytes([row], CATEGORY_HEADER))
    assert response.json["updated"] == 1, response.json
    db.session.expire_all()
    assert paint.certificate_flag == "other_category" and board.certificate_flag is None
    blank = [*row[:-1], ""]  # a later list without the column's value keeps the category
    assert upload(client, province, csv_bytes([blank], CATEGORY_HEADER)).json["unchanged"] == 1
    db.session.expire_all()
    assert cert.category.slug == "insulation"
