"""Admin console for the catalog: reviews, certificate import, local and negative lists."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("catalog-admin", __name__, url_prefix="/api/v1/admin",
                description="主管部门：审核、证书导入、本地清单、负面清单")
