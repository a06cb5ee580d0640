"""Demo history: the monthly analysis of the last twelve months and the last weekly close.

Runs after every other demo step (``seed_demo`` calls it last), so the
manager's dashboard opens on twelve months of trends and the current month
live. Deterministic for a given day, and idempotent: a month or week already
analysed is left as it is, so a second ``seed_demo`` changes no row (not even
a computation time). To recompute one, run ``run_monthly --month …``.
"""

from analytics.metrics import Dimension
from analytics.models import MonthlyReport, WeeklyClose
from analytics.monthly import monthly_analysis_run
from analytics.weekly import weekly_close_run
from common.periods import Month, previous_week

HISTORY_MONTHS = 12


def seed_demo_data(*, stdout) -> None:
    last = Month.current().previous
    months = [last.minus(offset) for offset in range(HISTORY_MONTHS - 1, -1, -1)]
    done = set(
        MonthlyReport.objects.filter(
            scope_type=Dimension.ZONE, provisional=False, month__in=[month.first_day for month in months]
        ).values_list("month", flat=True)
    )
    for month in months:
        if month.first_day in done:
            continue
        result = monthly_analysis_run(month=month)
        stdout.write(f"  月度分析 {month}：{result.rows} 行快照，{result.workbooks} 份报表")
    stdout.write(f"  月度分析：{len(months) - len(done)} 个月新算，{len(done)} 个月已有")
    week = previous_week()
    if WeeklyClose.objects.filter(iso_year=week.year, iso_week=week.week).exists():
        stdout.write(f"  周跟踪关账 {week.code}：已有")
        return
    close = weekly_close_run(week=week)
    stdout.write(
        f"  周跟踪关账 {week.code}：应跟踪 {close.close.expected}，未跟踪 {close.close.missed}，"
        f"分类调整建议 {close.suggestions_created} 条"
    )
