"""Reads of visits and weekly tracking, always through the user's scope.

Who reads field work: managers and admins (the zone), district leaders (their
district), grid officers (their grids). Bureau staff and enterprise users do
not read officers' field notes: for them every visit is out of scope (404).
Who writes it: grid officers, for the enterprises of their own grids only.
"""

import datetime
from dataclasses import dataclass
from itertools import chain

from django.db import models
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, TruncDate, TruncMonth, TruncWeek
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.scoping import scope_for
from common.periods import first_of_next_month, local_today, week_monday
from enterprises.models import KEY_TIERS, Enterprise, Tier
from enterprises.registry.selectors import enterprises_visible
from fieldwork.models import Visit, VisitAttachment, WeeklyTracking
from grids.models import GridTeam
from issues.models import FINAL_STATES, OPEN_STATES, Issue, State

# --- Scope -------------------------------------------------------------------


def may_read_fieldwork(*, user: User) -> bool:
    return scope_for(user).reads_field_notes


def fieldwork_enterprises(*, user: User) -> QuerySet[Enterprise]:
    """Enterprises whose visits and tracking ``user`` may read."""
    if may_read_fieldwork(user=user):
        return enterprises_visible(user=user)
    return Enterprise.objects.none()


def loggable_enterprises(*, user: User) -> QuerySet[Enterprise]:
    """Enterprises ``user`` may log visits and tracking for: a grid officer's own grids."""
    if scope_for(user).role != Role.GRID_OFFICER:
        return Enterprise.objects.none()
    return enterprises_visible(user=user)


def may_log_for(*, user: User, enterprise: Enterprise) -> bool:
    return scope_for(user).logs_visits_for(enterprise.grid_id)


def fieldwork_enterprise_get(*, user: User, pk: int) -> Enterprise:
    return get_object_or_404(fieldwork_enterprises(user=user).select_related("grid"), pk=pk)


def loggable_enterprise_get(*, user: User, pk: int) -> Enterprise:
    return get_object_or_404(loggable_enterprises(user=user).select_related("grid"), pk=pk)


def loggable_enterprise_by_token(*, user: User, token: str) -> Enterprise:
    """The enterprise behind a notice-board QR code, if ``user`` may log for it."""
    return get_object_or_404(loggable_enterprises(user=user), board_token=token)


def fieldwork_grids(*, user: User) -> QuerySet[GridTeam]:
    """Grid teams to offer in the list filters."""
    scope = scope_for(user)
    qs = GridTeam.objects.order_by("code")
    if scope.sees_zone:
        return qs
    if scope.reads_field_notes:
        return qs.filter(id__in=scope.grid_ids)
    return qs.none()


def visits_visible(*, user: User) -> QuerySet[Visit]:
    """Every visit ``user`` may read; the one source for pages, API, exports and files."""
    if scope_for(user).sees_zone:
        return Visit.objects.all()
    return Visit.objects.filter(enterprise__in=fieldwork_enterprises(user=user).values("pk"))


def trackings_visible(*, user: User) -> QuerySet[WeeklyTracking]:
    if scope_for(user).sees_zone:
        return WeeklyTracking.objects.all()
    return WeeklyTracking.objects.filter(enterprise__in=fieldwork_enterprises(user=user).values("pk"))


# --- Lists and details -------------------------------------------------------


def visit_list(*, user: User) -> QuerySet[Visit]:
    """The scoped visits in display order; filter them with ``VisitFilter``."""
    return (
        visits_visible(user=user)
        .select_related("enterprise__grid__district", "officer")
        .annotate(
            problem_count=Count("raised_issues", distinct=True), attachment_count=Count("attachments", distinct=True)
        )
        .order_by("-visited_at", "-id")
    )


def visit_get(*, user: User, pk: int) -> Visit:
    return get_object_or_404(
        visits_visible(user=user)
        .select_related("enterprise__grid__district", "officer")
        .prefetch_related("raised_issues", "attachments"),
        pk=pk,
    )


def attachment_get(*, user: User, pk: int) -> VisitAttachment:
    """The attachment if its visit is in ``user``'s scope, else 404."""
    return get_object_or_404(VisitAttachment.objects.filter(visit__in=visits_visible(user=user).values("pk")), pk=pk)


def tracking_list(*, user: User) -> QuerySet[WeeklyTracking]:
    return (
        trackings_visible(user=user)
        .select_related("enterprise__grid__district", "officer")
        .order_by("-week_start", "enterprise__name", "id")
    )


def tracking_for_week(*, enterprise: Enterprise, iso_year: int, iso_week: int) -> WeeklyTracking | None:
    return WeeklyTracking.objects.filter(enterprise=enterprise, iso_year=iso_year, iso_week=iso_week).first()


def latest_tracking(*, enterprise: Enterprise) -> WeeklyTracking | None:
    return WeeklyTracking.objects.filter(enterprise=enterprise).order_by("-week_start").first()


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # "visit" or "tracking"
    at: datetime.datetime
    item: Visit | WeeklyTracking


def enterprise_timeline(*, enterprise: Enterprise, limit: int = 20) -> list[TimelineEntry]:
    """Visits and weekly tracking of one enterprise, newest first (two queries
    for the rows, one for the issues the visits raised). The caller has
    already checked the enterprise is in scope."""
    visits = (
        Visit.objects.filter(enterprise=enterprise)
        .select_related("officer")
        .prefetch_related("raised_issues")
        .annotate(attachment_count=Count("attachments"))
        .order_by("-visited_at", "-id")[:limit]
    )
    trackings = (
        WeeklyTracking.objects.filter(enterprise=enterprise).select_related("officer").order_by("-week_start")[:limit]
    )
    entries = chain(
        (TimelineEntry("visit", visit.visited_at, visit) for visit in visits),
        (TimelineEntry("tracking", tracking.tracked_at, tracking) for tracking in trackings),
    )
    return sorted(entries, key=lambda entry: entry.at, reverse=True)[:limit]


# --- The tracking rhythm -----------------------------------------------------
#
# Key enterprises (KEY_TIERS) are tracked every ISO week: a tracking counts for
# the week it was entered for (``week_start``). Growth enterprises are tracked
# once a month, and a tracking counts for the month of the day it was done.
# The due list and the monthly figures in ``analytics`` both ask the two
# functions below, so the officer's home and the dashboards cannot disagree.


def monthly_tracking_month() -> Cast:
    """The month a tracking counts for under the monthly rhythm, as its 1st (a date).

    It is the month of the tracked date, ``tracked_at`` in Asia/Shanghai, and
    not the month of the tracked week's Monday: tracking on Wednesday
    2 December 2026 (in 2026-W49, whose Monday is 30 November) counts for
    December; tracking on Monday 30 November counts for November, and so does
    2026-11-30T15:59Z, while 2026-11-30T16:00Z is already 1 December in the zone.
    ``tracked_at`` is the first entry's time and a re-save keeps it (see
    ``services.weekly_tracking_record``), so a past month never changes.
    """
    tracked_on = TruncDate("tracked_at", tzinfo=timezone.get_default_timezone())
    # Cast: PostgreSQL truncates a date to a timestamp; both backends compare it as a date.
    return Cast(TruncMonth(tracked_on, output_field=DateField()), output_field=DateField())


def tracked_for_month(trackings: QuerySet[WeeklyTracking], month: datetime.date) -> QuerySet[WeeklyTracking]:
    """Those of ``trackings`` that count for ``month`` (any day of it) under the monthly rhythm."""
    return trackings.alias(counts_for_month=monthly_tracking_month()).filter(counts_for_month=month.replace(day=1))


# --- The officer's due list --------------------------------------------------


class DueStatus(models.TextChoices):
    """Where an enterprise stands in its tracking rhythm (worked out in SQL by ``due_list``)."""

    NEVER = "never", _("从未跟踪")
    OVERDUE = "overdue", _("已逾期")
    DUE = "due", _("本期待跟踪")
    DONE = "done", _("本期已跟踪")


def _last_tracked_week() -> Subquery:
    return Subquery(
        WeeklyTracking.objects.filter(enterprise=OuterRef("pk")).order_by("-week_start").values("week_start")[:1],
        output_field=DateField(),
    )


def _last_tracked_month() -> Subquery:
    """The latest month the enterprise was tracked for under the monthly rhythm (its 1st)."""
    months = (
        WeeklyTracking.objects.filter(enterprise=OuterRef("pk"))
        .annotate(month=monthly_tracking_month())
        .order_by("-month")
        .values("month")[:1]
    )
    return Subquery(months, output_field=DateField())


def _due_before() -> Cast:
    """The day before which the next tracking entry must exist (NULL: never tracked).

    Key enterprises: the Monday after the week that follows the last tracked
    week; growth enterprises: the 1st of the month after the month that
    follows the last month tracked for (``monthly_tracking_month``). Date
    arithmetic on the Monday and the 1st, in SQL, so a year with 53 ISO weeks
    needs no special case.
    """
    # TruncWeek of a Monday is that Monday; it only gives both backends one date type.
    key_due = TruncWeek(
        ExpressionWrapper(F("last_tracked_week") + datetime.timedelta(days=14), output_field=DateField())
    )
    # 1st of month M + 62 days always falls in month M+2 (two months hold 59–62 days).
    growth_due = TruncMonth(
        ExpressionWrapper(F("last_tracked_month") + datetime.timedelta(days=62), output_field=DateField())
    )
    # Cast: PostgreSQL's date + interval is a timestamp, and a Case applies no converter.
    return Cast(
        Case(When(tier__in=KEY_TIERS, then=key_due), default=growth_due, output_field=DateField()),
        output_field=DateField(),
    )


def due_list(*, user: User, on: datetime.date | None = None) -> QuerySet[Enterprise]:
    """The enterprises ``user`` logs for, each annotated with its tracking status:
    pending first, most overdue first (never tracked, then the earliest missed
    deadline, then the nearest one), and those done for this period last.

    Annotations: ``last_tracked_week`` (Monday or None), ``last_tracked_month``
    (1st or None), ``due_before`` (date or None), ``due_status`` (a
    ``DueStatus``), ``last_visited_at``, ``open_issue_count``. ``on`` is the
    day to judge by (today in Asia/Shanghai).
    """
    on = on or local_today()
    this_week_ends = week_monday(on) + datetime.timedelta(days=7)
    this_month_ends = first_of_next_month(on)
    open_issues = (
        Issue.objects.filter(enterprise=OuterRef("pk"))
        .exclude(state__in=FINAL_STATES)
        .order_by()
        .values("enterprise")
        .annotate(count=Count("pk"))
        .values("count")
    )
    last_visit = Visit.objects.filter(enterprise=OuterRef("pk")).order_by("-visited_at").values("visited_at")[:1]
    return (
        loggable_enterprises(user=user)
        .select_related("grid")
        .annotate(last_tracked_week=_last_tracked_week(), last_tracked_month=_last_tracked_month())
        .annotate(
            due_before=_due_before(),
            last_visited_at=Subquery(last_visit),
            open_issue_count=Coalesce(Subquery(open_issues, output_field=IntegerField()), 0),
            tier_rank=Case(
                When(tier=Tier.STRUGGLING, then=0),
                When(tier=Tier.LEADING, then=1),
                When(tier=Tier.BACKBONE, then=2),
                default=3,
                output_field=IntegerField(),
            ),
        )
        .annotate(
            due_status=Case(
                When(due_before__isnull=True, then=Value(DueStatus.NEVER)),
                When(due_before__lte=on, then=Value(DueStatus.OVERDUE)),
                When(tier__in=KEY_TIERS, due_before__lte=this_week_ends, then=Value(DueStatus.DUE)),
                When(~Q(tier__in=KEY_TIERS) & Q(due_before__lte=this_month_ends), then=Value(DueStatus.DUE)),
                default=Value(DueStatus.DONE),
                output_field=CharField(),
            )
        )
        .annotate(
            # A growth enterprise's deadline lies up to a month ahead, a key one's at most two
            # weeks: by deadline alone a key card done this week would sort above a pending one.
            done_rank=Case(
                When(due_status=DueStatus.DONE, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        .order_by("done_rank", F("due_before").asc(nulls_first=True), "tier_rank", "name", "id")
    )


def due_summary(due: QuerySet[Enterprise]) -> dict[str, int]:
    """How many of the due list are in each status (one aggregate query)."""
    return due.order_by().aggregate(
        total=Count("pk"),
        **{status: Count("pk", filter=Q(due_status=status)) for status in DueStatus.values},
    )


def officer_issue_counts(*, user: User, on: datetime.date | None = None) -> dict[str, int]:
    """Open issues of the enterprises in ``user``'s grids, by stage (one query)."""
    on = on or local_today()
    working = OPEN_STATES
    issues = Issue.objects.filter(enterprise__in=loggable_enterprises(user=user).values("pk")).exclude(
        state__in=FINAL_STATES
    )
    return issues.aggregate(
        open=Count("pk"),
        submitted=Count("pk", filter=Q(state=State.SUBMITTED)),
        working=Count("pk", filter=Q(state__in=working)),
        resolved=Count("pk", filter=Q(state=State.RESOLVED)),
        overdue=Count("pk", filter=Q(state__in=working, due_on__lt=on)),
    )


def recent_visits(*, user: User, limit: int = 5) -> QuerySet[Visit]:
    """The visits ``user`` logged most recently."""
    return (
        visits_visible(user=user)
        .filter(officer=user)
        .select_related("enterprise")
        .annotate(problem_count=Count("raised_issues"))
        .order_by("-visited_at", "-id")[:limit]
    )
