"""Console endpoints: a merchant's coupons, promotions and till; admins suspend promotions."""

from __future__ import annotations

from app.core import auth
from app.core.errors import ApiError
from app.core.openapi import Blueprint
from app.core.pagination import paginate
from app.core.schemas import PageArgs, page_of
from app.core.sheets import XLSX, csv_bytes, download, xlsx_bytes
from app.promotions import coupons, exports, promos
from app.promotions.models import CouponTemplate, Promotion, Redemption
from app.promotions.schemas import (
    PromotionCreateArgs,
    PromotionSchema,
    RedeemArgs,
    RedemptionPreview,
    RedemptionSchema,
    RegionPromotionArgs,
    ReverseArgs,
    ShopTemplateSchema,
    SuspendArgs,
    TemplateCreateArgs,
    TemplatePatchArgs,
)

blp = Blueprint("promotions-console", __name__, url_prefix="/api/v1",
                description="商家让利：优惠券、促销、到店核销")

MERCHANTS = auth.MERCHANT_ROLES


def _shop_id() -> int:
    shop_id = auth.current_user().shop_id
    if shop_id is None:
        raise ApiError(409, "no_shop", "请先开通店铺")
    return shop_id


@blp.route("/merchant/coupons")
@auth.auth_required(*MERCHANTS)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(ShopTemplateSchema))
def list_templates(args):
    return paginate(coupons.shop_templates(_shop_id()), CouponTemplate.id,
                    limit=args["limit"], cursor=args["cursor"])


@blp.route("/merchant/coupons", methods=["POST"])
@auth.auth_required(auth.MERCHANT_OWNER)
@blp.arguments(TemplateCreateArgs)
@blp.response(201, ShopTemplateSchema)
def create_template(args):
    """A coupon for the caller's own shop, limited to its own eligible products."""
    return coupons.create_template(_shop_id(), **args)


@blp.route("/merchant/coupons/<int:template_id>")
@auth.auth_required(*MERCHANTS)
@blp.response(200, ShopTemplateSchema)
def get_template(template_id):
    return coupons.get_shop_template(template_id, _shop_id())


@blp.route("/merchant/coupons/<int:template_id>", methods=["PATCH"])
@auth.auth_required(auth.MERCHANT_OWNER)
@blp.arguments(TemplatePatchArgs)
@blp.response(200, ShopTemplateSchema)
def update_template(args, template_id):
    """Edit a template; coupons already claimed keep the terms they were claimed with."""
    return coupons.update_template(coupons.get_shop_template(template_id, _shop_id()), **args)


@blp.route("/merchant/promotions")
@auth.auth_required(*MERCHANTS)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(PromotionSchema))
def list_promotions(args):
    return paginate(promos.shop_promotions(_shop_id()), Promotion.id,
                    limit=args["limit"], cursor=args["cursor"])


@blp.route("/merchant/promotions", methods=["POST"])
@auth.auth_required(auth.MERCHANT_OWNER)
@blp.arguments(PromotionCreateArgs)
@blp.response(201, PromotionSchema)
def create_promotion(args):
    return promos.create_promotion(_shop_id(), **args)


@blp.route("/merchant/promotions/<int:promotion_id>/end", methods=["POST"])
@auth.auth_required(auth.MERCHANT_OWNER)
@blp.response(200, PromotionSchema)
def end_promotion(promotion_id):
    return promos.end_promotion(promos.get_shop_promotion(promotion_id, _shop_id()))


@blp.route("/merchant/redemptions", methods=["POST"])
@auth.auth_required(*MERCHANTS)
@blp.arguments(RedeemArgs)
@blp.response(201, RedemptionSchema)
def redeem(args):
    """Redeem a villager's coupon at the till: once, and only by the issuing shop."""
    return coupons.redeem(cashier=auth.current_user(), **args)


@blp.route("/merchant/redemptions/preview", methods=["POST"])
@auth.auth_required(*MERCHANTS)
@blp.arguments(RedeemArgs)
@blp.response(200, RedemptionPreview)
def preview_redemption(args):
    """What redeeming this code for this order would give (discount, amount to pay), checked
    as the redemption would be; nothing is changed."""
    return coupons.preview(cashier=auth.current_user(), **args)


@blp.route("/merchant/redemptions")
@auth.auth_required(*MERCHANTS)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(RedemptionSchema))
def list_redemptions(args):
    return paginate(coupons.shop_redemptions(_shop_id()), Redemption.id,
                    limit=args["limit"], cursor=args["cursor"])


@blp.route("/merchant/redemptions.csv")
@auth.auth_required(*MERCHANTS)
@blp.response(200, content_type="text/csv",
              description="the shop's redemptions as CSV (UTF-8 with BOM, Chinese headings)")
def export_redemptions_csv():
    """All of the shop's redemptions, newest first, reversed ones included."""
    rows = exports.redemption_rows(_shop_id())
    return download(csv_bytes(exports.COLUMNS, rows), "redemptions.csv", rows=len(rows))


@blp.route("/merchant/redemptions.xlsx")
@auth.auth_required(*MERCHANTS)
@blp.response(200, content_type=XLSX, description="the shop's redemptions as an Excel sheet")
def export_redemptions_xlsx():
    """All of the shop's redemptions, newest first, reversed ones included."""
    rows = exports.redemption_rows(_shop_id())
    return download(xlsx_bytes("核销记录", exports.COLUMNS, rows), "redemptions.xlsx",
                    rows=len(rows))


@blp.route("/merchant/redemptions/<int:redemption_id>/reverse", methods=["POST"])
@auth.auth_required(*MERCHANTS)
@blp.arguments(ReverseArgs)
@blp.response(200, RedemptionSchema)
def reverse_redemption(args, redemption_id):
    """Undo a mistaken redemption: the shop owner, within 30 minutes."""
    return coupons.reverse(redemption_id, owner=auth.current_user(), reason=args["reason"])


@blp.route("/admin/promotions")
@auth.auth_required(auth.ADMIN)
@blp.arguments(RegionPromotionArgs, location="query")
@blp.response(200, page_of(PromotionSchema))
def region_promotions(args):
    """Promotions of the shops in the admin's region, newest first (`status`, `shop`)."""
    stmt = promos.region_promotions(auth.current_user(), status=args.get("status"),
                                    shop_id=args.get("shop"))
    return paginate(stmt, Promotion.id, limit=args["limit"], cursor=args["cursor"])


@blp.route("/admin/promotions/<int:promotion_id>/suspend", methods=["POST"])
@auth.auth_required(auth.ADMIN)
@blp.arguments(SuspendArgs)
@blp.response(200, PromotionSchema)
def suspend_promotion(args, promotion_id):
    """An admin of the shop's region stops a promotion."""
    user = auth.current_user()
    promotion = promos.get_region_promotion(promotion_id, user)
    return promos.suspend_promotion(promotion, by=user, reason=args["reason"])
