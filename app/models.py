"""Every model, imported in one place so Alembic and the app see the whole schema."""

from app.accounts.models import AuthToken, User
from app.catalog.models import (
    Category,
    Certificate,
    Enterprise,
    LocalListEntry,
    NegativeListEntry,
    Product,
)
from app.complaints.models import Complaint, ComplaintEvent, Holiday
from app.core.idempotency import IdempotencyKey
from app.expos.models import Expo, ExpoBooth, ExpoScan, ExpoStaff, ExpoTicket
from app.merchants.models import Shop, ShopMember
from app.notifications.models import Notification
from app.promotions.models import Coupon, CouponTemplate, Promotion, PromotionItem, Redemption
from app.regions.models import Region
from app.subsidies.models import (
    BudgetMovement,
    ClaimEvent,
    PersonalDataAccess,
    PersonTotal,
    SubsidyClaim,
    SubsidyProgram,
)

__all__ = [
    "AuthToken",
    "BudgetMovement",
    "Category",
    "Certificate",
    "ClaimEvent",
    "Complaint",
    "ComplaintEvent",
    "Coupon",
    "CouponTemplate",
    "Enterprise",
    "Expo",
    "ExpoBooth",
    "ExpoScan",
    "ExpoStaff",
    "ExpoTicket",
    "Holiday",
    "IdempotencyKey",
    "LocalListEntry",
    "NegativeListEntry",
    "Notification",
    "PersonTotal",
    "PersonalDataAccess",
    "Product",
    "Promotion",
    "PromotionItem",
    "Redemption",
    "Region",
    "Shop",
    "ShopMember",
    "SubsidyClaim",
    "SubsidyProgram",
    "User",
]
