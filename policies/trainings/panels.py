"""The trainings panel on the enterprise's home (``common.panels.ENTERPRISE_HOME``)."""

from django.http import HttpRequest
from django.utils import timezone

from accounts.models import Role
from accounts.scoping import scope_for
from policies.trainings.models import RegistrationState
from policies.trainings.selectors import attendance_for_enterprise, enterprise_training_record, registration_list

SHOWN = 5


def enterprise_home_panel(request: HttpRequest) -> dict | None:
    """Attendance so far and the coming sessions it registered for (two queries)."""
    scope = scope_for(request.user)
    if scope.role != Role.ENTERPRISE_USER or scope.enterprise_id is None:
        return None
    upcoming = list(
        registration_list(user=request.user)
        .filter(
            session__ends_at__gte=timezone.now(), state__in=[RegistrationState.REGISTERED, RegistrationState.WAITLISTED]
        )
        .order_by("session__starts_at", "id")[:SHOWN]
    )
    return {"attendance": attendance_for_enterprise(enterprise_id=scope.enterprise_id), "upcoming": upcoming}


def enterprise_profile_panel(request: HttpRequest, *, enterprise) -> dict | None:
    """The enterprise's training attendance on its profile (``common.panels.ENTERPRISE_PROFILE``),
    for those who read the full profile; the page found the enterprise in the reader's scope (one query)."""
    if not scope_for(request.user).sees_full_profile:
        return None
    attendance, recent = enterprise_training_record(user=request.user, enterprise_id=enterprise.pk, limit=SHOWN)
    return {"attendance": attendance, "recent": recent}
