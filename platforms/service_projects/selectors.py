"""Reads of service projects, always through the user's scope.

Managers and admins read every project, district leaders their district's, grid
officers their grids', an enterprise user its own enterprise's, and bureau staff
the projects their bureau is the responsible unit for. The same people record
them (enterprise users only read); a bureau records only for itself.
"""

from typing import Any

from django.db.models import Aggregate, Count, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Role, User
from accounts.scoping import GRID_ROLES, scope_for
from enterprises.models import Enterprise
from grids.models import Bureau
from platforms.service_projects.models import KIND_VALUE, Kind, ProjectState, ServiceProject


def project_scope_filter(user: User | None) -> Q | None:
    """The filter that limits projects to ``user``'s scope; None means all of them."""
    scope = scope_for(user)
    if scope.is_bureau:
        return Q(bureau_id=scope.bureau_id)
    return scope.enterprise_filter(path="enterprise__")


def projects_visible(*, user: User | None) -> QuerySet[ServiceProject]:
    condition = project_scope_filter(user)
    qs = ServiceProject.objects.all()
    return qs if condition is None else qs.filter(condition)


def reads_projects(*, user: User | None) -> bool:
    scope = scope_for(user)
    return scope.sees_zone or scope.role in (
        Role.DISTRICT_LEADER,
        Role.GRID_OFFICER,
        Role.BUREAU_STAFF,
        Role.ENTERPRISE_USER,
    )


def records_projects(*, user: User | None) -> bool:
    return scope_for(user).is_staff_side and reads_projects(user=user)


def recordable_enterprises(*, user: User | None) -> QuerySet[Enterprise]:
    """Enterprises ``user`` may record a project for: a bureau or manager any, officers their grids."""
    scope = scope_for(user)
    if scope.sees_zone or scope.is_bureau:
        return Enterprise.objects.all()
    if scope.role in GRID_ROLES:
        return Enterprise.objects.filter(scope.enterprise_filter())
    return Enterprise.objects.none()


def recordable_bureaus(*, user: User | None) -> QuerySet[Bureau]:
    """The responsible units ``user`` may name: bureau staff only their own bureau."""
    scope = scope_for(user)
    if scope.role == Role.BUREAU_STAFF:
        return Bureau.objects.filter(pk=scope.bureau_id or 0)
    if not records_projects(user=user):
        return Bureau.objects.none()
    return Bureau.objects.all()


def project_list(*, user: User | None) -> QuerySet[ServiceProject]:
    return (
        projects_visible(user=user)
        .select_related("enterprise__grid", "bureau")
        .order_by("-completed_on", "-started_on", "-id")
    )


def project_get(*, user: User | None, pk: int) -> ServiceProject:
    return get_object_or_404(project_list(user=user), pk=pk)


def editable_project_get(*, user: User | None, pk: int) -> ServiceProject:
    """A project ``user`` may edit: in scope, a recorder, and (bureau staff) of their own bureau."""
    project = project_get(user=user, pk=pk)
    if not records_projects(user=user):
        raise Http404
    return project


def kind_totals(projects: QuerySet[ServiceProject]) -> list[dict[str, Any]]:
    """Per kind, over ``projects`` (already scoped and filtered): done projects, their
    enterprises and their value, and the projects still open — one aggregate query."""
    done = Q(state=ProjectState.DONE)
    aggregates: dict[str, Aggregate] = {}
    for kind in Kind:
        in_kind = Q(kind=kind)
        aggregates[f"{kind}__projects"] = Count("pk", filter=in_kind & done)
        aggregates[f"{kind}__enterprises"] = Count("enterprise", filter=in_kind & done, distinct=True)
        aggregates[f"{kind}__open"] = Count(
            "pk", filter=in_kind & Q(state__in=(ProjectState.PLANNED, ProjectState.IN_PROGRESS))
        )
        if KIND_VALUE[kind]:
            aggregates[f"{kind}__value"] = Sum(KIND_VALUE[kind], filter=in_kind & done)
        if kind == Kind.LIVE_STREAM:
            aggregates[f"{kind}__units"] = Sum("units_sold", filter=in_kind & done)
    row = projects.order_by().aggregate(**aggregates)
    return [
        {
            "kind": kind.value,
            "label": kind.label,
            "projects": row[f"{kind}__projects"],
            "enterprises": row[f"{kind}__enterprises"],
            "open": row[f"{kind}__open"],
            "value": row.get(f"{kind}__value"),
            "value_field": KIND_VALUE[kind],
            "units": row.get(f"{kind}__units"),
        }
        for kind in Kind
    ]
