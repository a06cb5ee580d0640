"""The procurement section of the enterprise's home: proposals addressed to it, its open needs."""

from django.http import HttpRequest
from django.utils import timezone

from accounts.models import Role
from accounts.scoping import scope_for
from platforms.matching import OPEN_PROPOSAL_STATES
from platforms.procurement.models import PurchaseNeed, PurchaseProposal

PANEL_ROWS = 5


def enterprise_home_panel(request: HttpRequest) -> dict | None:
    scope = scope_for(request.user)
    if scope.role != Role.ENTERPRISE_USER or not scope.enterprise_id:
        return None
    addressed = list(
        PurchaseProposal.objects.filter(supplier_id=scope.enterprise_id, state__in=OPEN_PROPOSAL_STATES)
        .select_related("need__buyer", "product")
        .order_by("-created_at", "-id")[:PANEL_ROWS]
    )
    open_needs = PurchaseNeed.objects.filter(buyer_id=scope.enterprise_id, needed_by__gte=timezone.localdate()).count()
    return {"addressed": addressed, "open_needs": open_needs}
