"""量化评价: the monthly score of each grid officer and each grid team.

The score (百分制) is a weighted average of four rates, each between 0 and 1:

=============  ===============================  ==========================================================
component      rate                             officer                       grid team
=============  ===============================  ==========================================================
coverage       走访覆盖率                         enterprises of his grid teams   enterprises of the team
                                                he visited ÷ those enterprises  visited ÷ its enterprises
tracking       跟踪及时率                         tracking entries he made within the tracked week ÷ tracking due
                                                (key enterprises weekly, growth enterprises monthly)
on_time        网格级按期结案率                    grid-level issues he handles     grid-level issues of the
                                                closed and resolved by the      team's enterprises, same
                                                deadline ÷ those due
satisfaction   企业满意率                         满意 + 基本满意 ÷ feedback on issues he handled / on the team's
=============  ===============================  ==========================================================

score = 100 × Σ(weight × rate) ÷ Σ(weight), over the components that have a
base this month: a component with nothing to measure (say no grid-level issue
fell due) drops out and the others keep their relative weights. With no
component at all the score is empty (—), not zero.

Weights come from ``settings.ANALYTICS_EVALUATION_WEIGHTS`` (any subset of the
four keys; the defaults below fill the rest) and are shown on the dashboard
with this formula.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from analytics.aggregates import Period, issue_facts
from analytics.metrics import ratio
from common.periods import local_zone
from enterprises.models import KEY_TIERS, Enterprise
from fieldwork.models import Visit, WeeklyTracking
from fieldwork.selectors import tracked_for_month
from grids.models import GridTeam
from issues import figures
from issues.history import unit_at_feedback
from issues.models import Feedback, Level

_ONE_WEEK = datetime.timedelta(days=7)
DEFAULT_WEIGHTS = {"coverage": 30, "tracking": 30, "on_time": 25, "satisfaction": 15}


@dataclass(frozen=True)
class Component:
    key: str
    label: str
    metric: str
    how: str


COMPONENTS = (
    Component("coverage", _("走访覆盖"), "visit_coverage", _("当月走访过的企业 ÷ 负责的企业")),
    Component("tracking", _("跟踪及时"), "tracking_timeliness", _("在所跟踪的周内按时填报的周跟踪 ÷ 应跟踪次数")),
    Component("on_time", _("按期结案"), "grid_on_time_rate", _("网格级到期问题中已销号且按期办结的 ÷ 网格级到期问题")),
    Component("satisfaction", _("企业满意"), "satisfaction_rate", _("满意和基本满意 ÷ 企业评价数")),
)


def weights() -> dict[str, float]:
    """The weights in force: the defaults overridden by ``settings.ANALYTICS_EVALUATION_WEIGHTS``."""
    configured = getattr(settings, "ANALYTICS_EVALUATION_WEIGHTS", None) or {}
    unknown = set(configured) - set(DEFAULT_WEIGHTS)
    if unknown:
        raise ImproperlyConfigured(f"ANALYTICS_EVALUATION_WEIGHTS: unknown keys {sorted(unknown)}")
    merged = {**DEFAULT_WEIGHTS, **configured}
    if any(not isinstance(value, int | float) or value < 0 for value in merged.values()) or not sum(merged.values()):
        raise ImproperlyConfigured("ANALYTICS_EVALUATION_WEIGHTS: weights must be non-negative numbers, not all zero")
    return merged


def score(metrics: dict) -> float | None:
    """The weighted score (0–100) of one officer's or team's metrics; None with nothing to measure."""
    in_force = weights()
    parts = [
        (in_force[component.key], metrics[component.metric])
        for component in COMPONENTS
        if metrics.get(component.metric) is not None and in_force[component.key] > 0
    ]
    total_weight = sum(weight for weight, _rate in parts)
    if not total_weight:
        return None
    return round(100 * sum(weight * rate for weight, rate in parts) / total_weight, 1)


def weights_table() -> list[dict]:
    """Component, weight and share, for the formula shown on the dashboard."""
    in_force = weights()
    total = sum(in_force.values())
    return [
        {
            "key": component.key,
            "label": component.label,
            "how": component.how,
            "weight": in_force[component.key],
            "share": in_force[component.key] / total,
        }
        for component in COMPONENTS
    ]


# --- Officers -------------------------------------------------------------------------


def officers_with_grids() -> QuerySet[User]:
    """Grid officers who belong to or lead at least one grid team."""
    teams = GridTeam.objects.filter(Q(officers=OuterRef("pk")) | Q(leader=OuterRef("pk")))
    return User.objects.filter(Exists(teams), role=Role.GRID_OFFICER)


def officer_metrics(period: Period, *, officers: QuerySet[User] | None = None) -> dict[int, dict]:
    """Each officer's month: ``{user id: row}``, from one grouped query per source (his teams, their
    enterprises, his visits, his trackings, the ledger, the feedback), whatever the number of officers.

    A row carries ``name``, ``grid_name``, ``district_id``, ``grid_id`` and the metrics.
    """
    officers = officers if officers is not None else officers_with_grids()
    chosen = officers.values("pk")
    teams_of = _teams_by_officer(chosen)
    team_ids = {team["id"] for teams in teams_of.values() for team in teams}
    key = Q(tier__in=KEY_TIERS)
    enterprises_of_team = {
        row["grid_id"]: row
        for row in Enterprise.objects.filter(grid_id__in=team_ids)
        .order_by()
        .values("grid_id")
        .annotate(enterprises=Count("pk"), key_enterprises=Count("pk", filter=key))
    }
    visits = _by_officer(
        Visit.objects.filter(period.window("visited_at"), officer__in=chosen),
        "officer_id",
        visited=Count("enterprise_id", distinct=True),
        visits=Count("pk"),
    )
    tracked_on = TruncDate("tracked_at", tzinfo=local_zone())
    in_week = Q(tracked_on__lt=F("week_start") + _ONE_WEEK)
    on_key = Q(enterprise__tier__in=KEY_TIERS)
    key_trackings = _by_officer(
        WeeklyTracking.objects.filter(officer__in=chosen, week_start__in=period.tracking_weeks)
        .filter(on_key)
        .alias(tracked_on=tracked_on),
        "officer_id",
        key_tracked=Count("pk"),
        key_timely=Count("pk", filter=in_week),
    )
    # Growth enterprises: tracked for the month by the day the tracking was done (fieldwork's rule).
    growth_trackings = _by_officer(
        tracked_for_month(
            WeeklyTracking.objects.filter(officer__in=chosen).exclude(on_key), period.month.first_day
        ).alias(tracked_on=tracked_on),
        "officer_id",
        growth_tracked=Count("enterprise_id", distinct=True),
        growth_timely=Count("enterprise_id", distinct=True, filter=in_week),
    )
    # The ledger as it stood at the period's end: his grid-level issues then, their deadlines then.
    due = figures.due(start=period.month.first_day, before=period.end_date, columns=figures.AS_OF)
    handled = _by_officer(
        issue_facts(period).filter(as_of_level=Level.GRID, as_of_handler_id__in=chosen),
        "as_of_handler_id",
        due=Count("pk", filter=due),
        on_time=Count("pk", filter=due & figures.closed_on_time(figures.AS_OF)),
    )
    # Feedback counts for whoever handled the issue when it was given.
    feedback = _by_officer(
        Feedback.objects.filter(period.window("at")).annotate(**unit_at_feedback()).filter(as_of_handler_id__in=chosen),
        "as_of_handler_id",
        feedback=Count("pk"),
        satisfied=Count("pk", filter=figures.satisfied()),
    )
    weeks = len(period.tracking_weeks)
    rows = {}
    for officer in officers.order_by().values("pk", "name", "username"):
        pk = officer["pk"]
        teams = teams_of.get(pk, [])
        first = teams[0] if teams else {}
        counts = [enterprises_of_team.get(team["id"], {}) for team in teams]
        row = {
            **officer,
            "officer_grid_id": first.get("id"),
            "officer_grid_name": first.get("name"),
            "officer_district_id": first.get("district_id"),
            # An enterprise belongs to one team: his teams' enterprises added up are distinct.
            "officer_enterprises": sum(count.get("enterprises", 0) for count in counts),
            "officer_key_enterprises": sum(count.get("key_enterprises", 0) for count in counts),
        }
        for source, names in (
            (visits, ("visited", "visits")),
            (key_trackings, ("key_tracked", "key_timely")),
            (growth_trackings, ("growth_tracked", "growth_timely")),
            (feedback, ("feedback", "satisfied")),
        ):
            for name in names:
                row[f"officer_{name}"] = source.get(pk, {}).get(name, 0)
        rows[pk] = _finish_officer(row, handled.get(pk, {}), weeks=weeks)
    return rows


def _teams_by_officer(officers: QuerySet) -> dict[int, list[dict]]:
    """The teams each of ``officers`` sits on or leads, each once, in the order of their codes."""
    teams = GridTeam.objects.filter(Q(officers__in=officers) | Q(leader__in=officers)).distinct()
    details = {team["id"]: team for team in teams.order_by("code").values("id", "code", "name", "district_id")}
    members = GridTeam.officers.through.objects.filter(gridteam_id__in=details, user_id__in=officers)
    pairs = {(user_id, team_id) for team_id, user_id in members.values_list("gridteam_id", "user_id")}
    pairs |= {
        (leader_id, team_id)
        for team_id, leader_id in GridTeam.objects.filter(pk__in=details, leader__in=officers).values_list(
            "pk", "leader_id"
        )
    }
    by_officer: dict[int, list[dict]] = {}
    for user_id, team_id in pairs:
        by_officer.setdefault(user_id, []).append(details[team_id])
    for teams_of_one in by_officer.values():
        teams_of_one.sort(key=lambda team: team["code"])
    return by_officer


def _by_officer(queryset: QuerySet, field: str, **aggregates) -> dict[int, dict]:
    """``aggregates`` over ``queryset`` per officer id (``field``), in one GROUP BY query."""
    return {row.pop(field): row for row in queryset.order_by().values(field).annotate(**aggregates)}


def _finish_officer(row: dict, handled: dict, *, weeks: int) -> dict:
    enterprises = row["officer_enterprises"]
    key_enterprises = row["officer_key_enterprises"]
    expected = key_enterprises * weeks + (enterprises - key_enterprises)
    done = row["officer_key_tracked"] + row["officer_growth_tracked"]
    timely = row["officer_key_timely"] + row["officer_growth_timely"]
    metrics = {
        "enterprises": enterprises,
        "visited_enterprises": row["officer_visited"],
        "visit_coverage": ratio(row["officer_visited"], enterprises),
        "visits": row["officer_visits"],
        "tracking_expected": expected,
        "tracking_done": done,
        "tracking_completion": ratio(done, expected),
        "tracking_timely": timely,
        "tracking_timeliness": ratio(timely, expected),
        "grid_issues_due": handled.get("due", 0),
        "grid_issues_on_time": handled.get("on_time", 0),
        "grid_on_time_rate": ratio(handled.get("on_time", 0), handled.get("due", 0)),
        "feedback_count": row["officer_feedback"],
        "feedback_satisfied": row["officer_satisfied"],
        "satisfaction_rate": ratio(row["officer_satisfied"], row["officer_feedback"]),
    }
    metrics["evaluation_score"] = score(metrics)
    return {
        "name": row["name"] or row["username"],
        "grid_id": row["officer_grid_id"],
        "grid_name": row["officer_grid_name"],
        "district_id": row["officer_district_id"],
        "metrics": metrics,
    }
