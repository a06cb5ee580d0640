"""The month's figures, computed by the database (annotate / aggregate, conditional expressions).

Each function returns ``{group key: {metric key: value}}`` for one grouping
(zone, district, grid team, tier, industry, bureau, category). Per enterprise
the facts are correlated subqueries (visits, tracking, employment, output);
the grouping and the counting happen in one GROUP BY query per dimension, so
the number of queries does not grow with the data. Python only merges the few
result rows and divides numerators by denominators (``metrics.ratio``).
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from analytics.metrics import Dimension, ratio
from common.periods import Month, local_zone
from enterprises.models import KEY_TIERS, EmploymentRecord, Enterprise, OperatingIndicator, Tier, TierChange
from fieldwork.models import Visit, WeeklyTracking
from fieldwork.selectors import tracked_for_month
from issues import figures
from issues.history import last_events_as_of, resolved_between, unit_at_feedback
from issues.models import FINAL_STATES, Feedback, Issue, IssueEvent, Level, State

# How each dimension groups enterprises; issues and feedback reach them through their relations.
ENTERPRISE_GROUP = {
    Dimension.ZONE: None,
    Dimension.DISTRICT: "grid__district_id",
    Dimension.GRID: "grid_id",
    Dimension.TIER: "tier",
    Dimension.INDUSTRY: "industry",
}
ISSUE_GROUP = {
    **{dimension: field and f"enterprise__{field}" for dimension, field in ENTERPRISE_GROUP.items()},
    Dimension.BUREAU: "as_of_bureau_id",
    Dimension.CATEGORY: "category_id",
}


@dataclass(frozen=True)
class Period:
    """A month, or the part of it up to ``end`` ("this month so far")."""

    month: Month
    end: datetime.datetime

    @classmethod
    def whole(cls, month: Month) -> "Period":
        return cls(month, month.end)

    @classmethod
    def so_far(cls, month: Month, now: datetime.datetime | None = None) -> "Period":
        return cls(month, min(month.end, now or timezone.now()))

    @property
    def start(self) -> datetime.datetime:
        return self.month.start

    @property
    def is_partial(self) -> bool:
        return self.end < self.month.end

    @property
    def end_date(self) -> datetime.date:
        """Exclusive: a deadline (due at the end of its day) has passed when it is before this date."""
        if not self.is_partial:
            return self.month.next.first_day
        return timezone.localdate(self.end, timezone=local_zone())

    @property
    def tracking_weeks(self) -> list[datetime.date]:
        """Mondays of the weeks that count: all of the month's, or those begun so far."""
        return [monday for monday in self.month.mondays() if monday <= self._last_day_begun]

    @property
    def _last_day_begun(self) -> datetime.date:
        if not self.is_partial:
            return self.month.last_day
        return timezone.localdate(self.end, timezone=local_zone())

    def window(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lt": self.end})


class SubqueryCount(Subquery):
    """``(SELECT COUNT(*) FROM (…))``: how many rows a correlated queryset has."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()
    # A queryset that can match nothing (``week_start__in=[]`` in the first days of a month, before its
    # first Monday) compiles to no SQL at all; its count is 0, not NULL.
    empty_result_set_value = 0

    def __init__(self, queryset, **extra):
        # A model's default ordering would join the DISTINCT of ``values(...).distinct()``.
        super().__init__(queryset.order_by(), **extra)


def _grouped(qs: QuerySet, fields: tuple[str, ...], aggregates: dict) -> dict:
    """Run ``aggregates`` over ``qs`` per value of ``fields`` in one query.

    Keys are the field value (one field), a tuple of values (several) or None
    (no field: the whole queryset); metric names lose their ``metric_`` prefix.
    """
    if not fields:
        keyed = {None: qs.aggregate(**aggregates)}
    else:
        keyed = {}
        for row in qs.order_by().values(*fields).annotate(**aggregates):
            key = tuple(row.pop(field) for field in fields)
            keyed[key[0] if len(fields) == 1 else key] = row
    return {key: {name.removeprefix("metric_"): value for name, value in row.items()} for key, row in keyed.items()}


def _rolled_up(rows: dict, grain: tuple[str, ...], groupings: dict) -> dict:
    """Partial sums read once at a fine ``grain`` (``_grouped`` by those fields), added up to each
    of ``groupings`` (a name → a field or a tuple of the grain's fields, or None for one total).

    Every aggregate rolled up is a count or a sum, so adding the partial sums gives what a query
    grouped the coarser way would have: one scan of the facts serves several groupings (the zone,
    its districts, its tiers …), as GROUPING SETS would, on every database. A sum with nothing
    to add stays NULL (None), as in SQL.
    """
    positions = {name: tuple(grain.index(field) for field in _fields(group)) for name, group in groupings.items()}
    totals: dict = {name: {} for name in groupings}
    for key, values in rows.items():
        values_at = key if len(grain) > 1 else (key,)
        for name, indexes in positions.items():
            if not indexes:
                group_key = None
            elif len(indexes) == 1:
                group_key = values_at[indexes[0]]
            else:
                group_key = tuple(values_at[index] for index in indexes)
            group = totals[name].setdefault(group_key, {})
            for metric, value in values.items():
                current = group.get(metric)
                group[metric] = value if current is None else current if value is None else current + value
    return totals


def _grain(groupings: dict) -> tuple[str, ...]:
    """The fields of every grouping, each once, in the order first named."""
    return tuple(dict.fromkeys(field for group in groupings.values() for field in _fields(group)))


def _fields(group: str | tuple | None) -> tuple[str, ...]:
    if group is None:
        return ()
    return group if isinstance(group, tuple) else (group,)


# --- Enterprises and field work ------------------------------------------------------


def _enterprise_facts(period: Period) -> QuerySet[Enterprise]:
    """Every enterprise with its month's facts as correlated subqueries."""
    visits = Visit.objects.filter(period.window("visited_at"), enterprise=OuterRef("pk"))
    mondays = period.tracking_weeks
    trackings = WeeklyTracking.objects.filter(enterprise=OuterRef("pk"), week_start__in=mondays)
    timely = trackings.annotate(tracked_on=TruncDate("tracked_at", tzinfo=local_zone())).filter(
        tracked_on__lt=F("week_start") + datetime.timedelta(days=7)
    )
    # Growth enterprises: tracked for the month by the day the tracking was done (fieldwork's rule).
    growth = tracked_for_month(WeeklyTracking.objects.filter(enterprise=OuterRef("pk")), period.month.first_day)
    growth_timely = growth.annotate(tracked_on=TruncDate("tracked_at", tzinfo=local_zone())).filter(
        tracked_on__lt=F("week_start") + datetime.timedelta(days=7)
    )
    employment = EmploymentRecord.objects.filter(enterprise=OuterRef("pk"))
    first_day = period.month.first_day
    tier_changes = TierChange.objects.filter(period.window("changed_at"), enterprise=OuterRef("pk")).exclude(
        from_tier=""
    )
    return Enterprise.objects.annotate(
        fact_visited=Exists(visits),
        fact_visits=SubqueryCount(visits.values("pk")),
        fact_tracked=SubqueryCount(trackings.values("pk")),
        fact_timely=SubqueryCount(timely.values("pk")),
        fact_growth_tracked=Exists(growth),
        fact_growth_timely=Exists(growth_timely),
        fact_headcount=Subquery(employment.filter(month=first_day).values("headcount")[:1]),
        fact_headcount_before=Subquery(
            employment.filter(month=period.month.previous.first_day).values("headcount")[:1]
        ),
        fact_output=Subquery(
            OperatingIndicator.objects.filter(enterprise=OuterRef("pk"), month=first_day).values("output_value")[:1]
        ),
        fact_tier_changes=SubqueryCount(tier_changes.values("pk")),
    )


def _enterprise_aggregates() -> dict:
    key = Q(tier__in=KEY_TIERS)
    return {
        "metric_enterprises": Count("pk"),
        "metric_visited_enterprises": Count("pk", filter=Q(fact_visited=True)),
        "metric_visits": Sum("fact_visits"),
        "metric_key_enterprises": Count("pk", filter=key),
        "metric_growth_enterprises": Count("pk", filter=~key),
        "metric_key_tracked": Sum("fact_tracked", filter=key),
        "metric_growth_tracked": Count("pk", filter=~key & Q(fact_growth_tracked=True)),
        "metric_key_timely": Sum("fact_timely", filter=key),
        "metric_growth_timely": Count("pk", filter=~key & Q(fact_growth_timely=True)),
        "metric_headcount": Sum("fact_headcount"),
        # NULL when either month is missing, and SUM skips NULLs: only enterprises with both count.
        "metric_employment_change": Sum(F("fact_headcount") - F("fact_headcount_before")),
        "metric_output_value": Sum("fact_output"),
        "metric_tier_changes": Sum("fact_tier_changes"),
        **{f"metric_tier_{tier}": Count("pk", filter=Q(tier=tier)) for tier in Tier.values},
    }


def enterprise_metrics(period: Period, dimension: str, *, enterprises: QuerySet | None = None) -> dict:
    """Enterprise and field-work figures per group of ``dimension``."""
    return enterprise_metrics_by(period, (dimension,), enterprises=enterprises)[dimension]


def enterprise_metrics_by(period: Period, dimensions: tuple[str, ...], *, enterprises: QuerySet | None = None) -> dict:
    """``enterprise_metrics`` for each of ``dimensions`` (``{dimension: {group: metrics}}``), from one
    query grouped by all their fields at once and added up per dimension (``_rolled_up``)."""
    facts = _enterprise_facts(period)
    if enterprises is not None:
        facts = facts.filter(pk__in=enterprises.values("pk"))
    groupings = {dimension: ENTERPRISE_GROUP[dimension] for dimension in dimensions}
    grain = _grain(groupings)
    rows = _rolled_up(_grouped(facts, grain, _enterprise_aggregates()), grain, groupings)
    weeks = len(period.tracking_weeks)
    return {
        dimension: {key: finish_enterprise_metrics(values, weeks=weeks) for key, values in groups.items()}
        for dimension, groups in rows.items()
    }


def finish_enterprise_metrics(values: dict, *, weeks: int) -> dict:
    """Turn raw sums into the stored metrics: zeros for empty counts, rates from counts."""

    def count(name: str) -> int:
        return values.get(name) or 0

    expected = count("key_enterprises") * weeks + count("growth_enterprises")
    done = count("key_tracked") + count("growth_tracked")
    timely = count("key_timely") + count("growth_timely")
    output = values.get("output_value")
    return {
        "enterprises": count("enterprises"),
        "visited_enterprises": count("visited_enterprises"),
        "visit_coverage": ratio(count("visited_enterprises"), count("enterprises")),
        "visits": count("visits"),
        "tracking_expected": expected,
        "tracking_done": done,
        "tracking_completion": ratio(done, expected),
        "tracking_timely": timely,
        "tracking_timeliness": ratio(timely, expected),
        "headcount": values.get("headcount"),
        "employment_change": values.get("employment_change"),
        "output_value": round(float(output), 2) if output is not None else None,
        "tier_changes": count("tier_changes"),
        **{f"tier_{tier}": count(f"tier_{tier}") for tier in Tier.values},
    }


# --- The issue ledger -----------------------------------------------------------------


def _issue_aggregates(period: Period) -> dict:
    """The ledger's measures (``issues.metrics``, DESIGN §3) with the same definitions, per group.

    They read each issue as it stood at the end of the period, never its current fields, so a
    month's figures stay what they were however its issues moved after it: the rows are the
    issues' last events before the end (``issues.history.last_events_as_of``: ``as_of_state``,
    ``as_of_due_on``, ``as_of_level`` …, the issue's own fields through ``issue__``).
    ``issues.metrics.issue_measures`` computes them for one queryset of the live ledger;
    ``tests/analytics`` checks that both agree.
    """
    due = figures.due(start=period.month.first_day, before=period.end_date, columns=figures.AS_OF)
    closed_due = due & figures.closed(figures.AS_OF)
    on_time = due & figures.closed_on_time(figures.AS_OF)
    closed_in_period = Q(as_of_state=State.CLOSED) & period.window("issue__closed_at")
    return {
        "metric_issues_opened": Count("pk", filter=period.window("issue__created_at") & ~Q(as_of_state=State.MERGED)),
        "metric_issues_resolved": Count("pk", filter=Q(resolved_in_period=True)),
        "metric_issues_closed": Count("pk", filter=closed_in_period),
        "metric_issues_open": Count("pk", filter=~Q(as_of_state__in=FINAL_STATES)),
        "metric_issues_overdue": Count("pk", filter=figures.overdue(on=period.end_date, columns=figures.AS_OF)),
        "metric_issues_due": Count("pk", filter=due),
        "metric_closed_due": Count("pk", filter=closed_due),
        "metric_on_time": Count("pk", filter=on_time),
        # An average does not add up across groups: its sum and count do (``_rolled_up``).
        "metric_days_to_resolve_total": Sum("issue__handling_working_days", filter=closed_in_period),
        "metric_days_to_resolve_count": Count("issue__handling_working_days", filter=closed_in_period),
        "metric_reopened": Count("pk", filter=due & Q(reopened_by=True)),
        "metric_grid_issues_due": Count("pk", filter=due & Q(as_of_level=Level.GRID)),
        "metric_grid_on_time": Count("pk", filter=on_time & Q(as_of_level=Level.GRID)),
    }


def issue_facts(period: Period, issues: QuerySet[Issue] | None = None) -> QuerySet[IssueEvent]:
    """One row per issue as it stood at the end of ``period`` (its last event before it), with the
    local date of its resolution (``resolved_on``, for ``figures.AS_OF``) and whether it was
    resolved in the period."""
    return last_events_as_of(period.end, _may_count(period, issues)).annotate(
        resolved_on=TruncDate("issue__resolved_at", tzinfo=local_zone()),
        resolved_in_period=resolved_between(period.start, period.end, issue="issue"),
    )


def _may_count(period: Period, issues: QuerySet[Issue] | None) -> QuerySet[Issue]:
    """The issues that can count in ``period``: not those closed before it began whose deadline had
    passed before it, most of a year's ledger, which no figure of the period counts.

    Closed is final (no service moves an issue out of it, and the events written after it copy its
    deadline), so such an issue stood closed at the period's end with that deadline: not opened,
    resolved or closed in the period (those came before it), not open or overdue, not due in it.
    Its only trace would be a group of zeros, and every group a row needs is there anyway (its
    enterprises', its bureau's, its category's: a closed issue was accepted, with a category).
    """
    queryset = Issue.objects.all() if issues is None else issues
    return queryset.exclude(closed_at__lt=period.start, due_on__lt=period.month.first_day)


def _on_issue(field: str) -> str:
    """An Issue field path (``ISSUE_GROUP``) as read from an issue's event or feedback."""
    return field if field.startswith("as_of_") else f"issue__{field}"


def _feedback_aggregates() -> dict:
    return {
        "metric_feedback_count": Count("pk"),
        "metric_satisfied": Count("pk", filter=figures.satisfied()),
    }


def issue_metrics(period: Period, group: str | tuple | None, *, issues: QuerySet | None = None) -> dict:
    """Ledger figures per value of ``group`` (an Issue field path, or a tuple of them)."""
    return issue_metrics_by(period, {"only": group}, issues=issues)["only"]


def issue_metrics_by(period: Period, groupings: dict, *, issues: QuerySet | None = None) -> dict:
    """``issue_metrics`` for each of ``groupings`` (a name → an Issue field path, a tuple of them or
    None), from one query of the issues and one of the feedback, grouped by all their fields at once
    and added up per grouping (``_rolled_up``): ``{name: {group: metrics}}``."""
    facts = issue_facts(period, issues)
    feedback = Feedback.objects.filter(period.window("at"))
    if issues is not None:
        feedback = feedback.filter(issue__in=issues.values("pk"))
    grain = _grain(groupings)
    if any(field.startswith("as_of_") for field in grain):
        # Only a grouping by the bureau needs the issue's bureau at each feedback (a correlated subquery).
        feedback = feedback.annotate(**unit_at_feedback())
    # Feedback is grouped by what the issue was when it was given (its bureau then), or by the enterprise.
    on_issue = tuple(_on_issue(field) for field in grain)
    issue_rows = _rolled_up(_grouped(facts, on_issue, _issue_aggregates(period)), grain, groupings)
    feedback_rows = _rolled_up(_grouped(feedback, on_issue, _feedback_aggregates()), grain, groupings)
    result = {}
    for name in groupings:
        issue_groups, feedback_groups = issue_rows[name], feedback_rows[name]
        keys = issue_groups.keys() | feedback_groups.keys()
        result[name] = {
            key: finish_issue_metrics(issue_groups.get(key, {}), feedback_groups.get(key, {})) for key in keys
        }
    return result


def finish_issue_metrics(issue_values: dict, feedback_values: dict) -> dict:
    counts = {**issue_values, **feedback_values}

    def get(name: str) -> int:
        return counts.get(name) or 0

    resolved_counted = get("days_to_resolve_count")
    average = issue_values["days_to_resolve_total"] / resolved_counted if resolved_counted else None
    return {
        "issues_opened": get("issues_opened"),
        "issues_resolved": get("issues_resolved"),
        "issues_closed": get("issues_closed"),
        "issues_open": get("issues_open"),
        "issues_overdue": get("issues_overdue"),
        "issues_due": get("issues_due"),
        "issues_closed_due": get("closed_due"),
        "issues_on_time": get("on_time"),
        "closure_rate": ratio(get("closed_due"), get("issues_due")),
        "on_time_rate": ratio(get("on_time"), get("issues_due")),
        "avg_days_to_resolve": round(float(average), 1) if average is not None else None,
        "issues_reopened": get("reopened"),
        "reopen_rate": ratio(get("reopened"), get("issues_due")),
        "grid_issues_due": get("grid_issues_due"),
        "grid_issues_on_time": get("grid_on_time"),
        "grid_on_time_rate": ratio(get("grid_on_time"), get("grid_issues_due")),
        "feedback_count": get("feedback_count"),
        "feedback_satisfied": get("satisfied"),
        "satisfaction_rate": ratio(get("satisfied"), get("feedback_count")),
    }


def empty_enterprise_metrics(*, weeks: int) -> dict:
    """The figures of a group with no enterprise (a new district, say)."""
    return finish_enterprise_metrics({}, weeks=weeks)


def empty_issue_metrics() -> dict:
    return finish_issue_metrics({}, {})
