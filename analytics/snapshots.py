"""Where the dashboards get a month's rows: the stored snapshot, or the live "this month so far".

A finished month is read from ``MonthlyReport`` (one query). The current month
is computed on demand by the same ``monthly_rows`` the job uses and cached
briefly (``settings.ANALYTICS_LIVE_CACHE_SECONDS``, 300 s by default), so a
busy morning of managers costs one computation every few minutes.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from analytics.aggregates import Period
from analytics.models import MonthlyReport
from analytics.monthly import ReportRow, monthly_rows
from common.periods import Month

DEFAULT_LIVE_CACHE_SECONDS = 300


@dataclass
class MonthData:
    month: Month
    rows: list
    is_live: bool
    computed_at: datetime.datetime | None

    @property
    def available(self) -> bool:
        return bool(self.rows)

    def of_type(self, scope_type: str) -> list:
        return [row for row in self.rows if row.scope_type == scope_type]

    def get(self, scope_type: str, scope_id) -> "ReportRow | MonthlyReport | None":
        scope_id = str(scope_id)
        return next((row for row in self.rows if row.scope_type == scope_type and row.scope_id == scope_id), None)


def live_cache_key(month: Month) -> str:
    return f"analytics:live:{month}"


def live_rows(month: Month) -> tuple[list[ReportRow], datetime.datetime]:
    """The month so far, from the cache or computed now."""
    cached = cache.get(live_cache_key(month))
    if cached is None:
        computed_at = timezone.now()
        rows = monthly_rows(Period.so_far(month, computed_at))
        cached = {"computed_at": computed_at.isoformat(), "rows": [row.as_dict() for row in rows]}
        timeout = getattr(settings, "ANALYTICS_LIVE_CACHE_SECONDS", DEFAULT_LIVE_CACHE_SECONDS)
        cache.set(live_cache_key(month), cached, timeout)
    return [ReportRow(**row) for row in cached["rows"]], parse_datetime(cached["computed_at"])


def month_data(month: Month, *, stored: QuerySet[MonthlyReport] | None = None) -> MonthData:
    """``month``'s rows: live while it runs, the snapshot once it has ended (empty if never analysed).

    ``stored`` narrows the snapshot read to the rows a page needs (already scoped by the caller).
    """
    if not month.has_ended():
        rows, computed_at = live_rows(month)
        return MonthData(month, rows, True, computed_at)
    qs = stored if stored is not None else MonthlyReport.objects.all()
    rows = list(qs.filter(month=month.first_day))
    computed_at = max((row.computed_at for row in rows), default=None)
    return MonthData(month, rows, False, computed_at)


def trend(*, scope_type: str, scope_id, month: Month, months: int = 12, current: MonthData | None = None) -> list:
    """``(Month, metrics or None)`` for the ``months`` months ending with ``month``, oldest first.

    Finished months come from snapshots (one query); the running month from ``current``.
    """
    series = [month.minus(offset) for offset in range(months - 1, -1, -1)]
    stored = dict(
        MonthlyReport.objects.filter(
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
