"""The ledger's measures, each one SQL aggregate over a queryset of issues and a period.

The analytics app reuses these: pass any scoped queryset (a district's issues,
a bureau's, the zone's) and a period ``[start, end]`` of local dates.

Definitions (DESIGN §3):

- **due**: issues whose handling deadline ``due_on`` falls in the period
  (rejected and merged ones never count).
- **结案率** closure rate = closed ÷ due, over the due issues.
- **按期结案率** on-time closure rate = closed and resolved by the deadline ÷ due.
- **missed_deadline** (未按期办结): due issues not resolved by their deadline.
- **平均办理工作日**: average working days from acceptance to resolution of the
  issues closed in the period.
- **重新办理率 / 返工率 / 延期率**: share of due issues reopened by a 不满意,
  sent back by a failed check, or given an extension.
- **满意率**: (满意 + 基本满意) ÷ all feedback given in the period.
- **按时受理率**: share of issues answered (accepted or rejected) in the period
  by their response deadline.
- **overdue_now**: open issues past their deadline at the end of the period.

Each of "counted", "due", "closed on time", "overdue" and "satisfied" is the
expression of ``issues.figures``, the one definition the analytics share.
"""

import datetime
import hashlib
import time
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Avg, Count, F, Q, QuerySet

from issues import figures
from issues.models import Feedback, Issue, Rating, State


def _rate(part: int, whole: int) -> Decimal | None:
    """A percentage with one decimal, or None (shown as “—”) when nothing is due."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _distinct(issues: QuerySet[Issue]) -> QuerySet[Issue]:
    # Scoped querysets may join many-to-many rows; count each issue once.
    return Issue.objects.filter(pk__in=issues.values("pk"))


def issue_measures(issues: QuerySet[Issue], *, start: datetime.date, end: datetime.date) -> dict:
    """All measures for ``issues`` over ``[start, end]``; three queries whatever the size."""
    base = _distinct(issues)
    due = figures.due(start=start, before=end + datetime.timedelta(days=1))
    answered = Q(responded_at__date__gte=start, responded_at__date__lte=end, response_due_on__isnull=False)
    counts = base.aggregate(
        due=Count("pk", filter=due),
        closed=Count("pk", filter=due & figures.closed()),
        closed_on_time=Count("pk", filter=due & figures.closed_on_time()),
        missed_deadline=Count("pk", filter=due & ~figures.resolved_in_time()),
        reopened=Count("pk", filter=due & Q(reopen_count__gt=0)),
        reworked=Count("pk", filter=due & Q(rework_count__gt=0)),
        extended=Count("pk", filter=due & Q(extension_count__gt=0)),
        answered=Count("pk", filter=answered),
        answered_on_time=Count("pk", filter=answered & Q(responded_at__date__lte=F("response_due_on"))),
        overdue_now=Count("pk", filter=figures.overdue(on=end)),
        avg_working_days=Avg(
            "handling_working_days",
            filter=Q(state=State.CLOSED, closed_at__date__gte=start, closed_at__date__lte=end),
        ),
    )
    ratings = Feedback.objects.filter(issue__in=base.values("pk"), at__date__gte=start, at__date__lte=end).aggregate(
        satisfied=Count("pk", filter=Q(rating=Rating.SATISFIED)),
        basically=Count("pk", filter=Q(rating=Rating.BASICALLY)),
        dissatisfied=Count("pk", filter=Q(rating=Rating.DISSATISFIED)),
        content=Count("pk", filter=figures.satisfied()),
    )
    content = ratings.pop("content")
    feedback_total = ratings["satisfied"] + ratings["basically"] + ratings["dissatisfied"]
    average = counts["avg_working_days"]
    return {
        **counts,
        **ratings,
        "feedback": feedback_total,
        "avg_working_days": None if average is None else Decimal(str(average)).quantize(Decimal("0.1")),
        "closure_rate": _rate(counts["closed"], counts["due"]),
        "on_time_rate": _rate(counts["closed_on_time"], counts["due"]),
        "reopen_rate": _rate(counts["reopened"], counts["due"]),
        "rework_rate": _rate(counts["reworked"], counts["due"]),
        "extension_rate": _rate(counts["extended"], counts["due"]),
        "response_on_time_rate": _rate(counts["answered_on_time"], counts["answered"]),
        "satisfaction_rate": _rate(content, feedback_total),
    }


# The ledger's cards are cached (Redis in production) per scope, filter and period. Every write to
# an issue or its feedback moves the generation on, so a cached figure is never older than the last
# write the database committed; the time limit only bounds what bulk writes (seeding) leave behind.
MEASURES_TTL = 300
GENERATION_KEY = "issues:measures:generation"


def measures_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # A fresh start (or an evicted key) never reuses an old number: begin from the clock.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return int(generation)


def new_generation() -> None:
    """Every cached measure is stale from now on."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # missing: the next read starts a new one
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)


def measures_changed() -> None:
    """An issue or its feedback was written: every cached measure is stale.

    Moved on at once (the writer's next page counts its own change) and again at commit,
    so a page that read the old rows while the transaction was open is not kept.
    """
    new_generation()
    transaction.on_commit(new_generation)


def cached_issue_measures(
    issues: QuerySet[Issue], *, scope_key: str, filter_key: str, start: datetime.date, end: datetime.date
) -> dict:
    """``issue_measures`` of ``issues``, cached under the scope, the filter and the period.

    ``scope_key`` must name everything that decides which issues the user sees
    (``Scope.cache_key``) and ``filter_key`` every filter applied: an entry is shared only by
    users who would have counted the same issues.
    """
    database = connection.settings_dict["NAME"]  # two portals (or test databases) may share one Redis
    raw = f"{database}|{measures_generation()}|{scope_key}|{filter_key}|{start.isoformat()}|{end.isoformat()}"
    key = "issues:measures:" + hashlib.sha256(raw.encode()).hexdigest()
    measures = cache.get(key)
    if measures is None:
        measures = issue_measures(issues, start=start, end=end)
        cache.set(key, measures, MEASURES_TTL)
    return measures


def closure_rate(issues: QuerySet[Issue], *, start: datetime.date, end: datetime.date) -> Decimal | None:
    return issue_measures(issues, start=start, end=end)["closure_rate"]


def on_time_rate(issues: QuerySet[Issue], *, start: datetime.date, end: datetime.date) -> Decimal | None:
    return issue_measures(issues, start=start, end=end)["on_time_rate"]


def satisfaction_rate(issues: QuerySet[Issue], *, start: datetime.date, end: datetime.date) -> Decimal | None:
    return issue_measures(issues, start=start, end=end)["satisfaction_rate"]
