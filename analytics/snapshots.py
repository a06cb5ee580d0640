"""Where the dashboards get a month's rows: always stored rows, never an aggregate in the request.

A finished month is read from its final ``MonthlyReport`` rows (one query). The running month is
read from its provisional rows, which ``analytics.tasks.refresh_running_month`` writes every few
minutes (beat) and soon after a write that changes the figures (``analytics.freshness``, debounced,
on commit). The page shows when they were computed.

When the running month has no rows yet (a fresh install, the first minutes of a month) or they are
older than the last write: a small zone (at most ``ANALYTICS_RUNNING_SYNC_MAX_ENTERPRISES``
enterprises, where the whole analysis takes a fraction of a second) computes them once in the
request, so the figures move at once; a province shows the rows it has (or says the figures are
being prepared) and leaves the work to the job it enqueues.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, FloatField, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from analytics import freshness
from analytics.models import MonthlyReport
from common.periods import Month
from enterprises.models import Enterprise

logger = logging.getLogger(__name__)

# The demo zone (287 enterprises) computes in the request; a generated province of 2,000 does not
# (its whole running month took 30–50 s on the shared two cores, bench/README.md 2026-12-07).
DEFAULT_SYNC_MAX_ENTERPRISES = 500
# How long a small zone's page waits for the running month's lock held by another process.
SMALL_ZONE_WAIT_SECONDS = 10


@dataclass
class MonthData:
    month: Month
    rows: list
    is_live: bool
    computed_at: datetime.datetime | None
    # The running month has no rows yet: the job computing them has been asked for.
    preparing: bool = False
    # The month's stored rows as a query, those left out of ``rows`` included (for ``ranked``).
    source: QuerySet | None = None

    @property
    def available(self) -> bool:
        return bool(self.rows)

    def of_type(self, scope_type: str) -> list:
        return [row for row in self.rows if row.scope_type == scope_type]

    def get(self, scope_type: str, scope_id) -> MonthlyReport | None:
        scope_id = str(scope_id)
        return next((row for row in self.rows if row.scope_type == scope_type and row.scope_id == scope_id), None)

    def ranked(self, scope_type: str, *, whole_up_to: int, ends: int) -> tuple[list, list, int]:
        """The rows of ``scope_type`` (left out of ``rows``) as ``(first, last, count)``: all of them
        in their stored order as ``first`` when there are at most ``whole_up_to``; else the ``ends``
        best by evaluation score (best first) and the ``ends`` worst (the unscored last), each read
        by the database in that order, so a province's thousands of rows are never loaded."""
        if self.source is None:
            return [], [], 0
        of_type = self.source.filter(scope_type=scope_type)
        head = list(of_type.order_by("position")[: whole_up_to + 1])
        if len(head) <= whole_up_to:
            return head, [], len(head)
        count = of_type.count()
        scored = of_type.alias(score=Cast(KT("metrics__evaluation_score"), FloatField()))
        best = scored.order_by(F("score").desc(nulls_last=True), "scope_name", "pk")[:ends]
        worst = scored.order_by(F("score").asc(nulls_first=True), "-scope_name", "-pk")[:ends]
        return list(best), list(reversed(worst)), count


def _small_zone() -> bool:
    """At most ``ANALYTICS_RUNNING_SYNC_MAX_ENTERPRISES`` enterprises (a count that stops at the bound)."""
    bound = getattr(settings, "ANALYTICS_RUNNING_SYNC_MAX_ENTERPRISES", DEFAULT_SYNC_MAX_ENTERPRISES)
    return Enterprise.objects.order_by()[: bound + 1].count() <= bound


def month_data(
    month: Month, *, stored: QuerySet[MonthlyReport] | None = None, leave_out: tuple[str, ...] = ()
) -> MonthData:
    """``month``'s stored rows: the provisional ones while it runs, the final ones once it has ended
    (empty if never analysed). ``stored`` narrows the read to the rows a page needs (already scoped
    by the caller); the scope types in ``leave_out`` are not loaded (``MonthData.ranked`` reads them)."""
    qs = stored if stored is not None else MonthlyReport.objects.all()
    if month.has_ended():
        source = qs.filter(month=month.first_day, provisional=False)
        rows = list(source.exclude(scope_type__in=leave_out))
        computed_at = max((row.computed_at for row in rows), default=None)
        return MonthData(month, rows, False, computed_at, source=source)
    if month == Month.current() and not freshness.is_fresh(month):
        if _small_zone():
            # Another process computing them (the beat job, a second request) holds the lock for a
            # moment in a small zone: wait for it, then compute from where it left off.
            freshness.refresh_running(wait=SMALL_ZONE_WAIT_SECONDS)
        else:
            freshness.refresh_soon()
    source = qs.filter(month=month.first_day, provisional=True)
    rows = list(source.exclude(scope_type__in=leave_out))
    computed_at = max((row.computed_at for row in rows), default=None)
    return MonthData(month, rows, True, computed_at, preparing=not rows, source=source)


def trend(*, scope_type: str, scope_id, month: Month, months: int = 12, current: MonthData | None = None) -> list:
    """``(Month, metrics or None)`` for the ``months`` months ending with ``month``, oldest first.

    Finished months come from snapshots (one query); the running month from ``current``.
    """
    series = [month.minus(offset) for offset in range(months - 1, -1, -1)]
    stored = dict(
        MonthlyReport.objects.filter(
            provisional=False,
            scope_type=scope_type,
            scope_id=str(scope_id),
            month__gte=series[0].first_day,
            month__lte=series[-1].first_day,
        ).values_list("month", "metrics")
    )
    points = []
    for point in series:
        metrics = stored.get(point.first_day)
        if metrics is None and current is not None and current.is_live and point == current.month:
            row = current.get(scope_type, scope_id)
            metrics = row.metrics if row else None
        points.append((point, metrics))
    return points
