"""A villager's claim: checked with a clear reason, computed, reserved at once."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import sqlalchemy as sa
from sqlalchemy import orm

from app.catalog import eligibility
from app.catalog.models import Category, Product
from app.catalog.services import get_listed_product
from app.core.errors import ApiError, conflict, not_found, unprocessable
from app.core.images import CleanImage
from app.core.regions import scope_prefix
from app.extensions import db
from app.integrations import storage
from app.merchants.models import Shop
from app.promotions.promos import promo_prices
from app.subsidies.models import ClaimEvent, PersonTotal, SubsidyClaim, SubsidyProgram
from app.subsidies.programs import get_program, programs_for_resident, record
from app.uploads import services as uploads

REASONS = {
    "profile_incomplete": "请先完善实名信息（姓名、身份证号、居住地）",
    "program_closed": "该补贴项目未开放",
    "outside_window": "购买日期不在补贴活动期内",
    "purchase_in_future": "购买日期不能晚于今天",
    "not_resident": "您的居住地不在该补贴项目范围内",
    "shop_not_participating": "该商家未参与活动或未通过审核",
    "product_not_in_shop": "该商品不属于所选商家",
    "category_not_covered": "该类商品不在本项目补贴范围内",
}


def normalise_invoice(number: str) -> str:
    """Invoice numbers as printed vary in spaces, dashes, case and width; the key does not.

    NFKC first: a number typed with full-width digits (０４４１, common with Chinese input
    methods) would otherwise lose those digits and slip past the unique key.
    """
    return re.sub(r"[^0-9A-Z]", "", unicodedata.normalize("NFKC", number).upper())


def _refuse(reason: str, detail: str | None = None) -> ApiError:
    message = detail or REASONS[reason]
    return ApiError(422, "not_eligible", message, reason=reason)


def _covered(program: SubsidyProgram, product: Product) -> bool:
    ids, current = set(), db.session.get(Category, product.category_id)
    while current is not None:
        ids.add(current.id)
        current = db.session.get(Category, current.parent_id) if current.parent_id else None
    return bool(ids & set(program.category_ids))


def subsidy_amount(program: SubsidyProgram, price_fen: int, personal_left: int) -> int:
    """The programme's rule: its rate of the price paid, within the per-item cap and what the
    person has left."""
    return min(price_fen * program.rate_bp // 10_000, program.cap_per_item_fen, personal_left)


def estimate(product: Product, price_fen: int, region_code: str | None, user=None) -> dict | None:
    """About how much a purchase of `product` at `price_fen` today may get: the best open
    programme of the region that covers it, within its budget and, for a villager with a real
    name, what they have left. None when no programme applies."""
    if not region_code:
        return None
    day = eligibility.today()
    if not eligibility.check(product, region_code=region_code, on=day).eligible:
        return None
    best = None
    for program in db.session.scalars(programs_for_resident(region_code, day)):
        if program.starts_on > day or not _covered(program, product):
            continue
        left = program.cap_per_person_fen
        if user is not None and user.id_card_hash:
            left -= db.session.scalar(sa.select(PersonTotal.committed_fen).where(
                PersonTotal.program_id == program.id,
                PersonTotal.person_hash == user.id_card_hash)) or 0
        amount = min(subsidy_amount(program, price_fen, left),
                     program.budget_fen - program.committed_fen)
        if amount > 0 and (best is None or amount > best["amount_fen"]):
            best = {"program_id": program.id, "program_title": program.title,
                    "amount_fen": amount, "price_fen": price_fen, "rate_bp": program.rate_bp,
                    "cap_per_item_fen": program.cap_per_item_fen, "ends_on": program.ends_on}
    return best


def estimate_answer(product_id: int, region_code: str | None, user=None) -> dict:
    """The product page's line: the estimate at today's (promotional) price, in words."""
    product = get_listed_product(product_id)
    price = promo_prices([product]).get(product.id, product.price_fen)
    found = estimate(product, price, region_code, user)
    if found:
        message = (f"购买此商品预计可获补贴约 ¥{found['amount_fen'] / 100:.2f}"
                   f"（{found['program_title']}，以审核结果为准）")
    elif region_code is None:
        message = "设置所在地区后，可查看此商品能享受的补贴"
    else:
        message = "本地区暂无适用于此商品的补贴项目"
    return {"estimate": found, "region": region_code, "message": message}


def check_claim(program: SubsidyProgram, user, shop: Shop | None, product: Product | None,
                purchase_date: date) -> None:
    """Every refusal reason, in the order a villager can act on them."""
    if not (user.real_name and user.id_card_hash and user.region_code):
        raise _refuse("profile_incomplete")
    if program.status != "open":
        raise _refuse("program_closed")
    if not program.starts_on <= purchase_date <= program.ends_on:
        raise _refuse("outside_window")
    if purchase_date > eligibility.today():
        raise _refuse("purchase_in_future")
    if not user.region_code.startswith(scope_prefix(program.region_code)):
        raise _refuse("not_resident")
    if shop is None or shop.status != "approved":
        raise _refuse("shop_not_participating")
    if product is None or product.shop_id != shop.id:
        raise _refuse("product_not_in_shop")
    if not _covered(program, product):
        raise _refuse("category_not_covered")
    verdict = eligibility.check(product, region_code=user.region_code, on=purchase_date)
    if not verdict.eligible:
        raise ApiError(422, "not_eligible", f"购买当日该商品不符合补贴条件：{verdict.message}",
                       reason=verdict.reason)
    # A negative listing takes effect at once (DOMAIN.md): new claims are refused even for
    # purchases made before it, as the pending ones for the product are flagged.
    if purchase_date < eligibility.today():
        now = eligibility.check(product, region_code=user.region_code)
        if now.reason.startswith("negative_list"):
            raise ApiError(422, "not_eligible", f"该商品现已不符合补贴条件：{now.message}",
                           reason=now.reason)


def submit_claim(user, *, program_id: int, merchant_id: int, product_id: int,
                 price_paid_fen: int, invoice_no: str, purchase_date: date,
                 invoice_photo: CleanImage | None = None,
                 invoice_upload_id: int | None = None) -> SubsidyClaim:
    """Check, compute and reserve. The photo (already cleaned) is stored only once the
    claim holds its money, so that a refusal leaves no villager's invoice on disk; or
    the villager's earlier upload (`invoice_upload_id`) is attached."""
    if invoice_photo is not None and invoice_upload_id is not None:
        raise unprocessable("validation_error", "发票照片请只提供一张",
                            {"invoice_upload_id": ["已随表单上传发票照片"]})
    program = get_program(program_id)
    shop = db.session.get(Shop, merchant_id)
    product = db.session.get(Product, product_id)
    check_claim(program, user, shop, product, purchase_date)
    invoice_key = normalise_invoice(invoice_no)
    if not invoice_key:
        raise unprocessable("invalid_invoice", "发票号码有误", {"invoice_no": ["发票号码有误"]})
    if db.session.scalar(sa.select(SubsidyClaim.id).where(
            SubsidyClaim.shop_id == shop.id, SubsidyClaim.invoice_key == invoice_key)):
        raise conflict("duplicate_invoice", "该发票已申请过补贴")

    taken = uploads.take(user, [invoice_upload_id] if invoice_upload_id else [],
                         purpose="invoice", field="invoice_upload_id")
    person = _lock_person(program.id, user.id_card_hash)
    personal_left = program.cap_per_person_fen - person.committed_fen
    if personal_left <= 0:
        raise conflict("personal_cap_reached", "您在本项目的补贴已达个人上限")
    amount = subsidy_amount(program, price_paid_fen, personal_left)
    if amount <= 0:
        raise unprocessable("amount_zero", "按规则计算的补贴金额为 0",
                            {"price_paid_fen": ["金额过低"]})

    claim = SubsidyClaim(program_id=program.id, user_id=user.id, person_hash=user.id_card_hash,
                         shop_id=shop.id, product_id=product.id, price_paid_fen=price_paid_fen,
                         invoice_no=invoice_no.strip(), invoice_key=invoice_key,
                         purchase_date=purchase_date, amount_fen=amount, status="reserved")
    try:
        with db.session.begin_nested():
            db.session.add(claim)
    except sa.exc.IntegrityError:
        raise conflict("duplicate_invoice", "该发票已申请过补贴") from None
    reserved = db.session.execute(
        sa.update(SubsidyProgram)
        .where(SubsidyProgram.id == program.id,
               SubsidyProgram.committed_fen + amount <= SubsidyProgram.budget_fen)
        .values(committed_fen=SubsidyProgram.committed_fen + amount)
        .execution_options(synchronize_session=False)).rowcount
    if reserved != 1:
        raise conflict("budget_exhausted", "补贴预算已用完")  # the request rolls back it all
    person.committed_fen += amount
    if invoice_photo is not None:
        claim.invoice_photo_url = storage.save(invoice_photo.data, invoice_photo.ext, "invoices")
        uploads.register(user, [claim.invoice_photo_url], purpose="invoice",
                         subsidy_claim_id=claim.id)
    elif taken:
        claim.invoice_photo_url = taken[0].url
        uploads.attach(taken, subsidy_claim_id=claim.id)
    record(program.id, "reserved", amount, claim_id=claim.id, by=user)
    db.session.add(ClaimEvent(claim_id=claim.id, status="reserved", by_user_id=user.id,
                              note="提交申请，预留补贴资金"))
    db.session.flush()
    return claim


def _lock_person(program_id: int, person_hash: str) -> PersonTotal:
    """The person's row, locked: one person's claims go one at a time (any account)."""
    stmt = sa.select(PersonTotal).where(PersonTotal.program_id == program_id,
                                        PersonTotal.person_hash == person_hash)
    person = db.session.scalar(stmt.with_for_update())
    if person is not None:
        return person
    try:
        with db.session.begin_nested():
            db.session.add(PersonTotal(program_id=program_id, person_hash=person_hash))
    except sa.exc.IntegrityError:
        pass  # created by the same person's other request a moment ago
    return db.session.scalars(stmt.with_for_update().execution_options(
        populate_existing=True)).one()


# The product's and the shop's names a list shows beside each claim: two queries a page.
WITH_NAMES = (orm.selectinload(SubsidyClaim.product), orm.selectinload(SubsidyClaim.shop))


def my_claims(user) -> sa.Select:
    return sa.select(SubsidyClaim).where(SubsidyClaim.user_id == user.id).options(*WITH_NAMES)


def get_my_claim(claim_id: int, user) -> SubsidyClaim:
    claim = db.session.get(SubsidyClaim, claim_id)
    if claim is None or claim.user_id != user.id:
        raise not_found("claim_not_found", "未找到该申请")
    return claim
