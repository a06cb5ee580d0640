"""Reads of the organisation, filtered to what a user may see."""

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.models import User
from accounts.scoping import scope_for
from grids.models import Bureau, District, GridTeam


def district_list(*, user: User) -> QuerySet[District]:
    scope = scope_for(user)
    qs = District.objects.select_related("leader")
    if scope.everything:
        return qs
    return qs.filter(Q(id__in=scope.district_ids) | Q(grid_teams__id__in=scope.grid_ids)).distinct()


def grid_team_list(*, user: User) -> QuerySet[GridTeam]:
    scope = scope_for(user)
    qs = (
        GridTeam.objects.select_related("district", "leader")
        .prefetch_related(Prefetch("officers", queryset=User.objects.order_by("username")))
        .annotate(enterprise_count=Count("enterprises", distinct=True))
        .order_by("code")
    )
    return qs if scope.everything else qs.filter(id__in=scope.grid_ids)


def bureau_list(*, user: User) -> QuerySet[Bureau]:
    """Bureaus are a public directory for zone staff; enterprises see them too
    (they pick a category, not a bureau, but the names are no secret)."""
    if not user.is_authenticated:
        return Bureau.objects.none()
    return Bureau.objects.all()
