"""The incident panels on other apps' pages (``common.panels``): the officer's call tasks,
and the enterprise's incidents to acknowledge (then the relief on offer once closed)."""

import datetime

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from emergency.models import State
from emergency.selectors import call_tasks_for, open_incidents_for_enterprise

PANEL_LIMIT = 20
# How long a closed incident keeps offering relief on the enterprise's home.
RELIEF_DAYS = 30


def officer_panel(request: HttpRequest) -> dict | None:
    tasks = list(call_tasks_for(user=request.user)[:PANEL_LIMIT])
    return {"tasks": tasks} if tasks else None


def enterprise_panel(request: HttpRequest) -> dict | None:
    since = timezone.now() - datetime.timedelta(days=RELIEF_DAYS)
    rows = list(
        open_incidents_for_enterprise(user=request.user)
        .filter(Q(incident__state=State.OPEN) | Q(incident__closed_at__gte=since))
        .select_related("relief_offer")[:PANEL_LIMIT]
    )
    return {"rows": rows} if rows else None
