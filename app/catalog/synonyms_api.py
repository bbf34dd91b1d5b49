"""Search synonyms, kept by province admins: the words villagers use for catalogue words."""

from __future__ import annotations

from app.catalog import admin_services, synonyms
from app.catalog.admin_schemas import SynonymArgs, SynonymSchema
from app.catalog.models import SearchSynonym
from app.core import auth
from app.core.errors import forbidden
from app.core.openapi import Blueprint
from app.core.pagination import paginate
from app.core.regions import level_of
from app.core.schemas import PageArgs, page_of

blp = Blueprint("catalog-synonyms", __name__, url_prefix="/api/v1/admin",
                description="搜索同义词（省级管理员维护）")


def _province_officer():
    """The synonyms serve every county's storefront: a province's catalog officers keep them."""
    user = auth.current_user()
    admin_services.require_catalog_officer(user)
    if level_of(user.region_code or "") != "province":
        raise forbidden("province_only", "搜索同义词由省级管理员维护")
    return user


@blp.route("/search-synonyms")
@auth.auth_required(auth.ADMIN)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(SynonymSchema))
def list_synonyms(args):
    _province_officer()
    return paginate(synonyms.all_synonyms(), SearchSynonym.id, limit=args["limit"],
                    cursor=args["cursor"])


@blp.route("/search-synonyms", methods=["POST"])
@auth.auth_required(auth.ADMIN)
@blp.arguments(SynonymArgs)
@blp.response(201, SynonymSchema)
def add_synonym(args):
    """A search for `term` finds what is named `canonical` (e.g. 马桶 → 坐便器)."""
    _province_officer()
    return synonyms.add(args["term"], args["canonical"])


@blp.route("/search-synonyms/<int:synonym_id>", methods=["DELETE"])
@auth.auth_required(auth.ADMIN)
@blp.response(204)
def remove_synonym(synonym_id):
    _province_officer()
    synonyms.remove(synonym_id)
