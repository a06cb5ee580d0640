"""The funding panel on the enterprise's home (``common.panels.ENTERPRISE_HOME``)."""

from django.db.models import Sum
from django.http import HttpRequest

from accounts.models import Role
from accounts.scoping import scope_for
from policies.funding.models import Disbursement
from policies.funding.selectors import application_list

SHOWN = 5


def enterprise_home_panel(request: HttpRequest) -> dict | None:
    """The enterprise's latest applications and the money paid to it so far (three queries)."""
    scope = scope_for(request.user)
    if scope.role != Role.ENTERPRISE_USER or scope.enterprise_id is None:
        return None
    applications = list(application_list(user=request.user)[:SHOWN])
    paid = Disbursement.objects.filter(application__enterprise_id=scope.enterprise_id).aggregate(total=Sum("amount"))
    return {"applications": applications, "disbursed_total": paid["total"]}
