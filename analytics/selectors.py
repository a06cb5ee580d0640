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
from grids.models import District

DASHBOARD_ROLES = (Role.MANAGER, Role.ADMIN, Role.DISTRICT_LEADER)
FIELD_ROLES = (*DASHBOARD_ROLES, Role.GRID_OFFICER)


def sees_zone(user: User) -> bool:
    return scope_for(user).everything


def dashboard_districts(*, user: User) -> QuerySet[District]:
    """The districts whose dashboard ``user`` may open."""
    scope = scope_for(user)
    if scope.everything:
        return District.objects.order_by("code")
    if scope.role == Role.DISTRICT_LEADER:
        return District.objects.filter(pk__in=scope.district_ids).order_by("code")
    return District.objects.none()


def dashboard_district_get(*, user: User, pk: int) -> District:
    return get_object_or_404(dashboard_districts(user=user).select_related("leader"), pk=pk)


def report_rows_visible(*, user: User) -> QuerySet[MonthlyReport]:
    """Snapshot rows ``user`` may read: all for the zone roles, his district's for a district leader."""
    scope = scope_for(user)
    if scope.everything:
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
        if not sees_zone(user):
            raise Http404
        scope = {"scope_type": Dimension.ZONE, "scope_id": "zone"}
    else:
        scope = {"scope_type": Dimension.DISTRICT, "scope_id": str(district.pk)}
    return ReportWorkbook.objects.filter(month=month.first_day, **scope).exclude(file="").first()


def _enterprise_scope(user: User, prefix: str) -> Q | None:
    """None: everything; else the condition on the enterprise's grid."""
    scope = scope_for(user)
    if scope.everything:
        return None
    if scope.role in (Role.DISTRICT_LEADER, Role.GRID_OFFICER):
        return Q(**{f"{prefix}grid_id__in": scope.grid_ids})
    return Q(pk__in=[])


def weekly_statuses_visible(*, user: User, close: WeeklyClose) -> QuerySet[WeeklyEnterpriseStatus]:
    qs = WeeklyEnterpriseStatus.objects.filter(close=close)
    if scope_for(user).role not in FIELD_ROLES and not sees_zone(user):
        return qs.none()
    condition = _enterprise_scope(user, "")
    return qs if condition is None else qs.filter(condition)


def suggestions_visible(*, user: User) -> QuerySet[TierSuggestion]:
    qs = TierSuggestion.objects.all()
    if scope_for(user).role not in FIELD_ROLES and not sees_zone(user):
        return qs.none()
    condition = _enterprise_scope(user, "enterprise__")
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
