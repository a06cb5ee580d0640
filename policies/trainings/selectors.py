"""Reads of training sessions and registrations, always through the user's scope."""

from typing import Any

from django.db.models import Count, Q, QuerySet, Window
from django.shortcuts import get_object_or_404

from accounts.models import Role, User
from accounts.scoping import scope_for
from policies.trainings.models import SEATED, Registration, RegistrationState, TrainingSession


def sessions_visible(*, user: User) -> QuerySet[TrainingSession]:
    """Sessions are announced to every signed-in user (enterprises register for them)."""
    if scope_for(user).role == "anonymous":
        return TrainingSession.objects.none()
    return TrainingSession.objects.all()


def session_list(*, user: User) -> QuerySet[TrainingSession]:
    return (
        sessions_visible(user=user)
        .select_related("organiser")
        .annotate(
            seats_taken=Count("registrations", filter=Q(registrations__state__in=SEATED)),
            waitlisted=Count("registrations", filter=Q(registrations__state=RegistrationState.WAITLISTED)),
            attended=Count("registrations", filter=Q(registrations__state=RegistrationState.ATTENDED)),
        )
        .order_by("-starts_at", "-id")
    )


def session_get(*, user: User, pk: int) -> TrainingSession:
    return get_object_or_404(session_list(user=user), pk=pk)


def session_get_by_token(*, user: User, token: str) -> TrainingSession:
    """The session behind a door QR code, else 404."""
    return get_object_or_404(sessions_visible(user=user), checkin_token=token)


def registrations_visible(*, user: User) -> QuerySet[Registration]:
    """An enterprise its own; staff those of the enterprises they see and of the sessions they organise."""
    scope = scope_for(user)
    qs = Registration.objects.all()
    if scope.sees_zone:
        return qs
    if scope.role == "anonymous":
        return qs.none()
    if scope.role == Role.BUREAU_STAFF:
        # The bureau's enterprise filter goes through issues (a join); its own sessions suffice here.
        return qs.filter(session__organiser=user)
    if scope.role == Role.ENTERPRISE_USER:
        return qs.filter(enterprise_id=scope.enterprise_id or 0)
    return qs.filter(Q(session__organiser=user) | Q(enterprise__grid_id__in=scope.grid_ids))


def registration_list(*, user: User, session: TrainingSession | None = None) -> QuerySet[Registration]:
    qs = registrations_visible(user=user).select_related("session", "enterprise__grid", "checked_in_by")
    if session is not None:
        qs = qs.filter(session=session)
    return qs.order_by("registered_at", "id")


def registration_get(*, user: User, pk: int) -> Registration:
    return get_object_or_404(registration_list(user=user), pk=pk)


def attendance_for_enterprise(*, enterprise_id: int) -> dict[str, Any]:
    """How often an enterprise registered and attended (for its home)."""
    return Registration.objects.filter(enterprise_id=enterprise_id).aggregate(
        registered=Count("id", filter=~Q(state=RegistrationState.CANCELLED)),
        attended=Count("id", filter=Q(state=RegistrationState.ATTENDED)),
    )


def enterprise_training_record(*, user: User, enterprise_id: int, limit: int = 5) -> tuple[dict[str, Any], list[Any]]:
    """An enterprise's attendance (``{"registered", "attended"}``) and its latest ``limit`` registrations,
    as ``user`` sees them, in one query: the totals are window counts over the same rows, taken
    before the limit."""
    rows = list(
        registration_list(user=user)
        .filter(enterprise_id=enterprise_id)
        .annotate(
            registered_total=Window(Count("id", filter=~Q(state=RegistrationState.CANCELLED))),
            attended_total=Window(Count("id", filter=Q(state=RegistrationState.ATTENDED))),
        )
        .order_by("-session__starts_at", "-id")[:limit]
    )
    attendance = {
        "registered": rows[0].registered_total if rows else 0,
        "attended": rows[0].attended_total if rows else 0,
    }
    return attendance, rows
