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
from app.expos.models import Expo, ExpoBooth, ExpoScan, ExpoStaff, ExpoTicket
from app.merchants.models import Shop, ShopMember
from app.notifications.models import Notification
from app.regions.models import Region

__all__ = [
    "AuthToken",
    "Category",
    "Certificate",
    "Enterprise",
    "Expo",
    "ExpoBooth",
    "ExpoScan",
    "ExpoStaff",
    "ExpoTicket",
    "LocalListEntry",
    "NegativeListEntry",
    "Notification",
    "Product",
    "Region",
    "Shop",
    "ShopMember",
    "User",
]
