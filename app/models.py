"""Every model, imported in one place so Alembic and the app see the whole schema."""

from app.accounts.models import AuthToken, PersonalDataAccess, SmsLoginCode, User
from app.audit.models import AuditEntry
from app.catalog.models import (
    Category,
    Certificate,
    DealerAuthorisation,
    Enterprise,
    LocalListEntry,
    NegativeListEntry,
    Product,
    SearchSynonym,
)
from app.complaints.models import Complaint, ComplaintEvent, Holiday
from app.complaints.open311_keys import Open311Key
from app.core.idempotency import IdempotencyKey
from app.expos.models import Expo, ExpoBooth, ExpoScan, ExpoStaff, ExpoTicket
from app.merchants.models import Shop, ShopMember
from app.notifications.models import Notification, SmsOptOut, WechatSubscription
from app.offers.models import HomeVisitBooking, ServiceOffer
from app.packages.models import PackageItem, SolutionPackage
from app.promotions.models import Coupon, CouponTemplate, Promotion, PromotionItem, Redemption
from app.regions.models import Region
from app.showcase.models import ShowcaseCase
from app.subsidies.models import (
    BudgetMovement,
    ClaimEvent,
    PersonTotal,
    SubsidyClaim,
    SubsidyProgram,
)
from app.uploads.models import Upload
from app.zones.models import CampaignZone, LiveReminder, LiveSession

__all__ = [
    "AuditEntry",
    "AuthToken",
    "BudgetMovement",
    "CampaignZone",
    "Category",
    "Certificate",
    "ClaimEvent",
    "Complaint",
    "ComplaintEvent",
    "Coupon",
    "CouponTemplate",
    "DealerAuthorisation",
    "Enterprise",
    "Expo",
    "ExpoBooth",
    "ExpoScan",
    "ExpoStaff",
    "ExpoTicket",
    "Holiday",
    "HomeVisitBooking",
    "IdempotencyKey",
    "LiveReminder",
    "LiveSession",
    "LocalListEntry",
    "NegativeListEntry",
    "Notification",
    "Open311Key",
    "PackageItem",
    "PersonTotal",
    "PersonalDataAccess",
    "Product",
    "Promotion",
    "PromotionItem",
    "Redemption",
    "Region",
    "SearchSynonym",
    "ServiceOffer",
    "Shop",
    "ShopMember",
    "ShowcaseCase",
    "SmsLoginCode",
    "SmsOptOut",
    "SolutionPackage",
    "SubsidyClaim",
    "SubsidyProgram",
    "Upload",
    "User",
    "WechatSubscription",
]
