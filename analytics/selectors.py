"""Scoped reads of what the jobs stored: every page, API view and download goes through these.

Who sees what: managers and admins the whole zone; a district leader his own
district (its row, its grid teams, its officers, its enterprises' weekly
statuses and tier suggestions); a grid officer the weekly statuses and tier
suggestions of his grids' enterprises. Zone-wide rows (the zone, tiers,
industries, bureaus, categories) are for the whole-zone roles only. Anything
else is not found (404), never forbidden, so that ids do not leak.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Role, User
from accounts.scoping import scope_for
from analytics.metrics import Dimension
from analytics.models import (
    MonthlyReport,
    ReportWorkbook,
    SuggestionStatus,
    TierSuggestion,
    WeeklyClose,
    WeeklyEnterpriseStatus,
)
from common.periods import Month
from grids.models import District, GridTeam


def dashboard_districts(*, user: User) -> QuerySet[District]:
    """The districts whose dashboard ``user`` may open."""
    scope = scope_for(user)
    if scope.sees_zone:
        return District.objects.order_by("code")
    if scope.role == Role.DISTRICT_LEADER:
        return District.objects.filter(pk__in=scope.district_ids).order_by("code")
    return District.objects.none()


def dashboard_district_get(*, user: User, pk: int) -> District:
    return get_object_or_404(dashboard_districts(user=user).select_related("leader"), pk=pk)


def report_rows_visible(*, user: User) -> QuerySet[MonthlyReport]:
    """Snapshot rows ``user`` may read: all for the zone roles, his district's for a district leader."""
    scope = scope_for(user)
    if scope.sees_zone:
        return MonthlyReport.objects.all()
    if scope.role == Role.DISTRICT_LEADER:
        return MonthlyReport.objects.filter(
            scope_type__in=(Dimension.DISTRICT, Dimension.GRID, Dimension.OFFICER), district_id__in=scope.district_ids
        )
    return MonthlyReport.objects.none()


def workbook_get(*, user: User, month: Month, district: District | None) -> ReportWorkbook | None:
    """The stored workbook of the zone (``district`` None) or a district; None when not generated.

    The caller has already resolved ``district`` through ``dashboard_district_get``;
    the zone's workbook is for the zone roles only.
    """
    if district is None:
        if not scope_for(user).sees_zone:
            raise Http404
        scope = {"scope_type": Dimension.ZONE, "scope_id": "zone"}
    else:
        scope = {"scope_type": Dimension.DISTRICT, "scope_id": str(district.pk)}
    return ReportWorkbook.objects.filter(month=month.first_day, **scope).exclude(file="").first()


def weekly_statuses_visible(*, user: User, close: WeeklyClose) -> QuerySet[WeeklyEnterpriseStatus]:
    qs = WeeklyEnterpriseStatus.objects.filter(close=close)
    scope = scope_for(user)
    if not scope.reads_field_notes:
        return qs.none()
    condition = scope.enterprise_filter()
    return qs if condition is None else qs.filter(condition)


def suggestions_visible(*, user: User) -> QuerySet[TierSuggestion]:
    qs = TierSuggestion.objects.all()
    scope = scope_for(user)
    if not scope.reads_field_notes:
        return qs.none()
    condition = scope.enterprise_filter(path="enterprise__")
    return qs if condition is None else qs.filter(condition)


def pending_suggestions(*, user: User) -> QuerySet[TierSuggestion]:
    return (
        suggestions_visible(user=user)
        .filter(status=SuggestionStatus.PENDING)
        .select_related("enterprise__grid__district")
        .order_by("-reference_month", "enterprise__name")
    )


def suggestion_get(*, user: User, pk: int) -> TierSuggestion:
    return get_object_or_404(suggestions_visible(user=user).select_related("enterprise"), pk=pk)


def latest_close() -> WeeklyClose | None:
    return WeeklyClose.objects.order_by("-week_start").first()


def dashboard_grids(*, user: User) -> QuerySet[GridTeam]:
    """The grid teams a dashboard reader may drill down to: those of the districts they may open."""
    return GridTeam.objects.filter(district__in=dashboard_districts(user=user)).select_related("district")


def dashboard_grid_get(*, user: User, pk: int) -> GridTeam:
    return get_object_or_404(dashboard_grids(user=user), pk=pk)


def dashboard_officer_get(*, user: User, pk: int) -> User:
    """An officer of a grid team the reader may drill down to, else 404."""
    officers = User.objects.filter(
        Q(grid_teams__in=dashboard_grids(user=user)) | Q(led_grid_teams__in=dashboard_grids(user=user))
    )
    return get_object_or_404(User.objects.filter(pk__in=officers.values("pk")), pk=pk)
