"""Dashboard drill-down below the district: one grid team (its figures and its officers' ranking)
and one officer (the month's visits and the issues they handle). Rows come from the same month
data as the dashboards, narrowed by the caller's scope."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from accounts.models import User
from analytics import evaluation
from analytics.dashboards import comparison_rows, officer_ranking
from analytics.metrics import COMPARISON_KEYS, METRICS, Dimension
from analytics.selectors import report_rows_visible
from analytics.snapshots import month_data
from common.periods import Month
from fieldwork.selectors import visit_list
from grids.models import GridTeam
from issues.selectors import issue_list

# The officer's page lists at most this many visits and issues; the full lists are one link away.
SHOWN = 50


@dataclass
class GridDrill:
    grid: GridTeam
    month: Month
    comparison: list = field(default_factory=list)
    officers: list = field(default_factory=list)
    is_live: bool = False
    # What the shared comparison and ranking snippets read from a dashboard.
    comparison_metrics: list = field(default_factory=list)
    weights: list = field(default_factory=list)


def grid_drill(*, user: User, grid: GridTeam, month: Month) -> GridDrill:
    data = month_data(month, stored=report_rows_visible(user=user).filter(district=grid.district))
    officer_ids = {str(pk) for pk in grid.officers.values_list("pk", flat=True)}
    if grid.leader_id:
        officer_ids.add(str(grid.leader_id))
    grid_rows = [row for row in data.of_type(Dimension.GRID) if row.scope_id == str(grid.pk)]
    officer_rows = [row for row in data.of_type(Dimension.OFFICER) if row.scope_id in officer_ids]
    return GridDrill(
        grid=grid,
        month=month,
        comparison=comparison_rows(grid_rows),
        officers=officer_ranking(officer_rows),
        is_live=data.is_live,
        comparison_metrics=[METRICS[key] for key in COMPARISON_KEYS],
        weights=evaluation.weights_table(),
    )


@dataclass
class OfficerDrill:
    officer: User
    month: Month
    visits: list
    visit_count: int
    issues: list
    issue_count: int
    grids: list
    visits_url: str
    issues_url: str


def officer_drill(*, user: User, officer: User, month: Month) -> OfficerDrill:
    """The officer's visits in ``month`` and the issues they hold or raised on those visits (as ``user`` may see)."""
    visits = visit_list(user=user).filter(officer=officer, visited_at__gte=month.start, visited_at__lt=month.next.start)
    issues = issue_list(user=user).filter(Q(handler=officer) | Q(source_visits__in=visits.values("pk"))).distinct()
    return OfficerDrill(
        officer=officer,
        month=month,
        visits=list(visits[:SHOWN]),
        visit_count=visits.count(),
        issues=list(issues[:SHOWN]),
        issue_count=issues.count(),
        grids=list(officer.grid_teams.select_related("district").order_by("code")),
        visits_url=reverse("fieldwork:visit_list"),
        issues_url=reverse("issues:ledger"),
    )
