"""Reads of incidents, always through the user's scope.

Incidents: a manager sees all; a district leader or grid officer those touching
his grids (the affected rows keep the grid of the declaration) or declared for
his district; an enterprise user those it is affected by. Affected rows: the
same grids, and an enterprise user only its own row. Anything else is 404.
"""

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from accounts.models import Role, User
from accounts.scoping import scope_for
from emergency.models import (
    REPORT_FIELDS,
    AffectedEnterprise,
    CallLevel,
    CallOutcome,
    CallTask,
    EntryKind,
    Incident,
    ReliefOffer,
    ResponseEntry,
    State,
)
from platforms.financing.models import Loan
from platforms.labour.models import LabourPosting
from platforms.labour.selectors import with_transferred
from policies.models import PolicyClause

# A text field counts as reported when not blank; a recovery step only as True.
_TEXT_FIELDS = ("goods_moved", "damage", "needs")
_STEP_FIELDS = ("drainage", "desilting", "pollution", "disinfection")


def _affected_filter(user: User) -> Q | None:
    """The affected rows ``user`` may see (by the row's own grid); None means all of them."""
    return scope_for(user).grid_or_own_filter(grid="grid_id", enterprise="enterprise_id")


def incidents_visible(*, user: User) -> QuerySet[Incident]:
    scope = scope_for(user)
    qs = Incident.objects.all()
    condition = _affected_filter(user)
    if condition is None:
        return qs
    touching = Exists(AffectedEnterprise.objects.filter(condition, incident=OuterRef("pk")))
    if scope.role == Role.DISTRICT_LEADER:
        return qs.filter(touching | Q(district_id__in=scope.district_ids))
    return qs.filter(touching)


def incident_list(*, user: User) -> QuerySet[Incident]:
    return (
        incidents_visible(user=user)
        .select_related("district", "declared_by", "closed_by")
        .order_by("-declared_at", "-id")
    )


def incident_get(*, user: User, pk: int) -> Incident:
    return get_object_or_404(incident_list(user=user), pk=pk)


def affected_visible(*, user: User, incident: Incident) -> QuerySet[AffectedEnterprise]:
    qs = AffectedEnterprise.objects.filter(incident=incident)
    condition = _affected_filter(user)
    return qs if condition is None else qs.filter(condition)


def _latest(field: str) -> Subquery:
    entries = ResponseEntry.objects.filter(affected=OuterRef("pk"), kind=EntryKind.REPORT)
    if field in _TEXT_FIELDS:
        entries = entries.exclude(**{field: ""})
    elif field in _STEP_FIELDS:
        entries = entries.filter(**{field: True})
    else:
        entries = entries.filter(**{f"{field}__isnull": False})
    return Subquery(entries.order_by("-at", "-id").values(field)[:1])


def with_latest(qs: QuerySet[AffectedEnterprise]) -> QuerySet[AffectedEnterprise]:
    """Annotate each row with the latest reported value of every report field (``latest_<field>``)."""
    return qs.annotate(**{f"latest_{field}": _latest(field) for field in REPORT_FIELDS})


def open_call_tasks(affected: QuerySet[AffectedEnterprise]) -> QuerySet[CallTask]:
    return CallTask.objects.filter(affected__in=affected, done_at__isnull=True)


def roll_call(*, user: User, incident: Incident) -> QuerySet[AffectedEnterprise]:
    """The board's rows: unreached first, oldest notice first, each with its latest values.

    Served in one query (the latest values are subqueries over the entry index).
    """
    has_open_leader_task = Exists(
        CallTask.objects.filter(affected=OuterRef("pk"), done_at__isnull=True, level=CallLevel.LEADER)
    )
    has_open_officer_task = Exists(
        CallTask.objects.filter(affected=OuterRef("pk"), done_at__isnull=True, level=CallLevel.OFFICER)
    )
    no_answer_calls = Subquery(
        ResponseEntry.objects.filter(affected=OuterRef("pk"), kind=EntryKind.CALL, call_outcome=CallOutcome.NO_ANSWER)
        .order_by()
        .values("affected")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )
    qs = with_latest(affected_visible(user=user, incident=incident))
    return (
        qs.select_related("enterprise", "grid__leader", "acknowledged_by", "relief_offer")
        .annotate(leader_task=has_open_leader_task, officer_task=has_open_officer_task, no_answers=no_answer_calls)
        # Never notified (no user to tell) first, then the longest waiting; the page splits
        # the rows into unreached and reached.
        .order_by(F("notified_at").asc(nulls_first=True), "enterprise__name", "id")
    )


def entries_of(*, affected: AffectedEnterprise) -> QuerySet[ResponseEntry]:
    return ResponseEntry.objects.filter(affected=affected).select_related("author").order_by("-at", "-id")


def incident_timeline(*, user: User, incident: Incident) -> QuerySet[ResponseEntry]:
    """Every entry of the rows ``user`` may see, newest first."""
    return (
        ResponseEntry.objects.filter(affected__in=affected_visible(user=user, incident=incident))
        .select_related("author", "affected__enterprise")
        .order_by("-at", "-id")
    )


def call_tasks_for(*, user: User) -> QuerySet[CallTask]:
    """Open call tasks of open incidents for ``user``: officers at officer level in their grids,
    district leaders at leader level in their district."""
    scope = scope_for(user)
    qs = CallTask.objects.filter(done_at__isnull=True, affected__incident__state=State.OPEN)
    if scope.sees_zone:
        qs = qs.filter(level=CallLevel.LEADER)
    elif scope.role == Role.GRID_OFFICER:
        qs = qs.filter(level=CallLevel.OFFICER, affected__grid_id__in=scope.grid_ids)
    elif scope.role == Role.DISTRICT_LEADER:
        qs = qs.filter(level=CallLevel.LEADER, affected__grid_id__in=scope.grid_ids)
    else:
        return qs.none()
    return qs.select_related("affected__enterprise", "affected__incident").order_by("created_at", "id")


def open_incidents_for_enterprise(*, user: User) -> QuerySet[AffectedEnterprise]:
    """The enterprise user's own rows of incidents (open first)."""
    scope = scope_for(user)
    if scope.role != Role.ENTERPRISE_USER or not scope.enterprise_id:
        return AffectedEnterprise.objects.none()
    return (
        AffectedEnterprise.objects.filter(enterprise_id=scope.enterprise_id)
        .select_related("incident")
        .order_by("incident__state", "-incident__declared_at")
    )


def relief_offer_get(*, user: User, incident: Incident, row: int) -> ReliefOffer:
    """The relief offer of one affected row ``user`` may see (the enterprise its own, officers
    their grids'), with everything it lists; 404 otherwise or while the incident is open."""
    offers = (
        ReliefOffer.objects.filter(affected__in=affected_visible(user=user, incident=incident))
        .select_related("affected__enterprise", "affected__grid", "affected__incident", "affected__follow_up_issue")
        .prefetch_related(
            Prefetch(
                "policy_clauses", queryset=PolicyClause.objects.select_related("policy").order_by("policy_id", "number")
            ),
            Prefetch("loans", queryset=Loan.objects.select_related("bank").prefetch_related("extensions")),
            Prefetch(
                "vacancies",
                queryset=with_transferred(LabourPosting.objects.select_related("enterprise__grid__district")).order_by(
                    "starts_on", "pk"
                ),
            ),
        )
    )
    return get_object_or_404(offers, affected_id=row)
