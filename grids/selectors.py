"""Reads of the organisation, filtered to what a user may see."""

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import User
from accounts.scoping import scope_for
from grids.models import Bureau, District, GridTeam


def district_list(*, user: User) -> QuerySet[District]:
    scope = scope_for(user)
    qs = District.objects.select_related("leader")
    if scope.sees_zone:
        return qs
    return qs.filter(Q(id__in=scope.district_ids) | Q(grid_teams__id__in=scope.grid_ids)).distinct()


def grid_team_choices(*, user: User) -> QuerySet[GridTeam]:
    """The grid teams ``user`` may see, bare: for filter drop-downs and pickers."""
    scope = scope_for(user)
    qs = GridTeam.objects.order_by("code")
    return qs if scope.sees_zone else qs.filter(id__in=scope.grid_ids)


def grid_team_list(*, user: User) -> QuerySet[GridTeam]:
    """Grid teams with their people and enterprise count, grouped by district
    (the list page regroups by district, so one district's teams come together)."""
    return (
        grid_team_choices(user=user)
        .select_related("district__leader", "leader")
        .prefetch_related(Prefetch("officers", queryset=User.objects.order_by("username")))
        .annotate(enterprise_count=_enterprise_count())
        .order_by("district__code", "code")
    )


def _enterprise_count() -> Coalesce:
    """Enterprises per team as a correlated subquery: one index range per team
    (enterprises are indexed by grid), where a JOIN + GROUP BY would read them all.
    The model is taken from the relation: grids sits below enterprises and never imports it."""
    enterprise_model = GridTeam._meta.get_field("enterprises").related_model
    per_team = (
        enterprise_model._default_manager.filter(grid=OuterRef("pk"))
        .order_by()
        .values("grid")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(per_team), 0)


def bureau_list(*, user: User) -> QuerySet[Bureau]:
    """Bureaus are a public directory for zone staff; enterprises see them too
    (they pick a category, not a bureau, but the names are no secret)."""
    if not user.is_authenticated:
        return Bureau.objects.none()
    return Bureau.objects.all()
