"""What a refused procurement write must leave untouched."""

from accounts.models import Notification
from platforms.procurement.models import Deal, PurchaseNeed, PurchaseProposal, RetoolingCase


def snapshot() -> dict:
    return {
        "needs": list(PurchaseNeed.objects.order_by("id").values()),
        "proposals": list(PurchaseProposal.objects.order_by("id").values()),
        "deals": list(Deal.objects.order_by("id").values()),
        "cases": list(RetoolingCase.objects.order_by("id").values()),
        "notifications": Notification.objects.count(),
    }
