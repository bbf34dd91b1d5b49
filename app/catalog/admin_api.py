"""Admin console for the catalog: reviews, certificate import, local and negative lists."""

from __future__ import annotations

from typing import Any

from app.catalog import admin_services as services
from app.catalog import dealers, imports
from app.catalog.admin_schemas import (
    AdminCertificateListArgs,
    AdminCertificatePage,
    AdminEnterpriseListArgs,
    AdminEnterprisePage,
    AdminProductDecisionArgs,
    AdminProductListArgs,
    AdminProductPage,
    AdminProductSchema,
    AdminShopDecisionArgs,
    AdminShopListArgs,
    AdminShopPage,
    AdminShopSchema,
    CertificateImportArgs,
    CertificateImportReportSchema,
    LocalListArgs,
    LocalListEntrySchema,
    LocalListPage,
    LocalListQuery,
    NegativeListArgs,
    NegativeListEntrySchema,
    NegativeListLiftArgs,
    NegativeListPage,
    NegativeListQuery,
)
from app.catalog.dealer_schemas import (
    AdminDealerAuthorisationListArgs,
    DealerAuthorisationDecisionArgs,
    DealerAuthorisationPage,
    DealerAuthorisationSchema,
)
from app.catalog.models import (
    Certificate,
    DealerAuthorisation,
    Enterprise,
    LocalListEntry,
    NegativeListEntry,
    Product,
)
from app.core import auth
from app.core.openapi import Blueprint
from app.core.pagination import paginate
from app.merchants.models import Shop

blp = Blueprint("catalog-admin", __name__, url_prefix="/api/v1/admin",
                description="主管部门：审核、经销授权、证书导入、本地清单、负面清单")


def _officer() -> Any:
    """The signed-in admin, when catalog work is among its duties."""
    user = auth.current_user()
    services.require_catalog_officer(user)
    return user


def _page(stmt, id_column, args: dict) -> dict:
    return paginate(stmt, id_column, limit=args["limit"], cursor=args["cursor"])


# ---- shops ------------------------------------------------------------------------------

@blp.route("/shops")
@auth.auth_required(auth.ADMIN)
@blp.arguments(AdminShopListArgs, location="query")
@blp.response(200, AdminShopPage)
def list_shops(args):
    """Shops of the admin's region (or a sub-region), newest first."""
    region = services.scope_region(_officer(), args.get("region_code"))
    return _page(services.shops_in_region(region, status=args.get("status")), Shop.id, args)


@blp.route("/shops/<int:shop_id>/decision", methods=["POST"])
@auth.auth_required(auth.ADMIN)
@blp.arguments(AdminShopDecisionArgs)
@blp.response(200, AdminShopSchema)
def decide_shop(args, shop_id):
    """approve / reject (note) a pending shop, suspend (note) an approved one, reinstate."""
    user = _officer()
    shop = services.get_shop(shop_id)
    auth.require_region(shop.region_code, user)
    return services.decide_shop(shop, action=args["action"], note=args["note"], by=user)


# ---- products ---------------------------------------------------------------------------

@blp.route("/products")
@auth.auth_required(auth.ADMIN)
@blp.arguments(AdminProductListArgs, location="query")
@blp.response(200, AdminProductPage)
def list_products(args):
    """Products of shops in the admin's region. By default the review queue: pending ones,
    and listed ones flagged because they may not carry their certificate (certificate_flag);
    each with `certificate_review`, the certificate holder against the merchant."""
    region = services.scope_region(_officer(), args.get("region_code"))
    stmt = services.products_in_region(region, status=args["status"],
                                       shop_id=args.get("shop_id"))
    return _page(stmt, Product.id, args)


@blp.route("/products/<int:product_id>")
@auth.auth_required(auth.ADMIN)
@blp.response(200, AdminProductSchema)
def get_product(product_id):
    return services.get_governed_product(product_id, _officer())


@blp.route("/products/<int:product_id>/decision", methods=["POST"])
@auth.auth_required(auth.ADMIN)
@blp.arguments(AdminProductDecisionArgs)
@blp.response(200, AdminProductSchema)
def decide_product(args, product_id):
    """approve (list) or reject (note) a pending product; delist (note) a listed one."""
    user = _officer()
    product = services.get_governed_product(product_id, user)
    return services.decide_product(product, action=args["action"], note=args["note"], by=user)


# ---- dealer authorisations (经销授权) ------------------------------------------------------

@blp.route("/dealer-authorisations")
@auth.auth_required(auth.ADMIN)
@blp.arguments(AdminDealerAuthorisationListArgs, location="query")
@blp.response(200, DealerAuthorisationPage)
def list_dealer_authorisations(args):
    """Dealer authorisations of shops in the admin's region (or a sub-region), newest first."""
    region = services.scope_region(_officer(), args.get("region_code"))
    stmt = dealers.in_region(region, status=args.get("status"), shop_id=args.get("shop_id"))
    return _page(stmt, DealerAuthorisation.id, args)


@blp.route("/dealer-authorisations/<int:authorisation_id>")
@auth.auth_required(auth.ADMIN)
@blp.response(200, DealerAuthorisationSchema)
def get_dealer_authorisation(authorisation_id):
    return dealers.get_governed(authorisation_id, _officer())


@blp.route("/dealer-authorisations/<int:authorisation_id>/decision", methods=["POST"])
@auth.auth_required(auth.ADMIN)
@blp.arguments(DealerAuthorisationDecisionArgs)
@blp.response(200, DealerAuthorisationSchema)
def decide_dealer_authorisation(args, authorisation_id):
    """approve / reject (note) an application; revoke (note) an approved authorisation. The
    shop's products under the enterprise's certificates are rechecked at once."""
    user = _officer()
    authorisation = dealers.get_governed(authorisation_id, user)
    return dealers.decide(authorisation, action=args["action"], note=args["note"], by=user)


# ---- certificates and enterprises --------------------------------------------------------

@blp.route("/certificates")
@auth.auth_required(auth.ADMIN)
@blp.arguments(AdminCertificateListArgs, location="query")
@blp.response(200, AdminCertificatePage)
def list_certificates(args):
    """Look certificates up by (part of) number, enterprise credit code or status."""
    _officer()
    stmt = services.find_certificates(number=args.get("number"),
                                      credit_code=args.get("credit_code"),
                                      status=args.get("status"))
    return _page(stmt, Certificate.id, args)


@blp.route("/certificates/import", methods=["POST"])
@auth.auth_required(auth.ADMIN)
@blp.arguments(CertificateImportArgs, location="files")
@blp.response(200, CertificateImportReportSchema)
def import_certificates(args):
    """Province-level admins: import the published certificate list (CSV or .xlsx).

    Columns 证书编号, 认证机构, 企业名称, 统一社会信用代码, 产品名称, 星级, 发证日期, 有效期至,
    状态 (optional), 产品类别 (optional: a category slug or Chinese name, e.g. `insulation` or
    保温材料). Each row is imported whole or reported in `rejected`; re-importing the same file
    changes nothing. Products under a certificate whose category changes are rechecked.
    """
    services.require_province_level(_officer())
    return imports.import_certificates(args["file"].read())


@blp.route("/enterprises")
@auth.auth_required(auth.ADMIN)
@blp.arguments(AdminEnterpriseListArgs, location="query")
@blp.response(200, AdminEnterprisePage)
def list_enterprises(args):
    """Find enterprises by name or credit code (e.g. to put one on the negative list)."""
    _officer()
    stmt = services.find_enterprises(q=args.get("q"), credit_code=args.get("credit_code"))
    return _page(stmt, Enterprise.id, args)


# ---- local list -------------------------------------------------------------------------

@blp.route("/local-list", methods=["POST"])
@auth.auth_required(auth.ADMIN)
@blp.arguments(LocalListArgs)
@blp.response(201, LocalListEntrySchema)
def add_to_local_list(args):
    """Put a product of the admin's region on a city's or county's local list."""
    user = _officer()
    product = services.get_governed_product(args.pop("product_id"), user)
    auth.require_region(args["region_code"], user)
    return services.add_to_local_list(product, by=user, **args)


@blp.route("/local-list")
@auth.auth_required(auth.ADMIN)
@blp.arguments(LocalListQuery, location="query")
@blp.response(200, LocalListPage)
def list_local_list(args):
    region = services.scope_region(_officer(), args.get("region_code"))
    stmt = services.local_list(region, product_id=args.get("product_id"),
                               active=args.get("active"))
    page = _page(stmt, LocalListEntry.id, args)
    return {**page, "items": services.describe_local(page["items"])}


@blp.route("/local-list/<int:entry_id>", methods=["DELETE"])
@auth.auth_required(auth.ADMIN)
@blp.response(200, LocalListEntrySchema)
def remove_from_local_list(entry_id):
    """Take an entry off the list (it stays in the history with removed_at)."""
    user = _officer()
    entry = services.get_local_entry(entry_id)
    auth.require_region(entry.region_code, user)
    return services.remove_from_local_list(entry)


# ---- negative list ----------------------------------------------------------------------

@blp.route("/negative-list", methods=["POST"])
@auth.auth_required(auth.ADMIN)
@blp.arguments(NegativeListArgs)
@blp.response(201, NegativeListEntrySchema)
def put_on_negative_list(args):
    """List a product or an enterprise (all its products); takes effect at once."""
    user = _officer()
    target = services.negative_target(product_id=args.get("product_id"),
                                      enterprise_id=args.get("enterprise_id"))
    services.require_target_scope(target, user)
    return services.put_on_negative_list(target, reason=args["reason"],
                                         source_complaint_id=args["source_complaint_id"],
                                         by=user)


@blp.route("/negative-list")
@auth.auth_required(auth.ADMIN)
@blp.arguments(NegativeListQuery, location="query")
@blp.response(200, NegativeListPage)
def list_negative_list(args):
    """Entries about the admin's region: its products and enterprises, and enterprises whose
    products are sold there."""
    page = _page(services.negative_list(_officer(), active=args.get("active")),
                 NegativeListEntry.id, args)
    return {**page, "items": services.describe_negative(page["items"])}


@blp.route("/negative-list/<int:entry_id>/lift", methods=["POST"])
@auth.auth_required(auth.ADMIN)
@blp.arguments(NegativeListLiftArgs)
@blp.response(200, NegativeListEntrySchema)
def lift_from_negative_list(args, entry_id):
    """Lift an entry; the row keeps the history."""
    user = _officer()
    entry = services.get_negative_entry(entry_id)
    services.require_target_scope(services.entry_target(entry), user)
    return services.lift_from_negative_list(entry, reason=args["reason"], by=user)
