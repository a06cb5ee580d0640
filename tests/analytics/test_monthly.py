"""The monthly analysis on the hand-built October 2026 (conftest): every figure written out here."""

import pytest
from django.core.exceptions import ValidationError

from analytics.metrics import Dimension
from analytics.models import MonthlyReport
from analytics.monthly import monthly_analysis_run
from common.periods import Month
from issues.metrics import issue_measures
from issues.models import Issue

pytestmark = pytest.mark.usefixtures("mid_november")

OCTOBER = Month(2026, 10)


def report(scope_type: str, scope_id) -> dict:
    return MonthlyReport.objects.get(month=OCTOBER.first_day, scope_type=scope_type, scope_id=str(scope_id)).metrics


def test_zone_figures(october):
    monthly_analysis_run(month=OCTOBER)
    zone = report(Dimension.ZONE, "zone")
    assert zone["enterprises"] == 3
    # enterprise_a twice (one at 23:30 on the 31st), enterprise_b once (00:05 on the 1st); not the
    # visit at 00:10 on 1 November nor the one at 23:50 on 30 September.
    assert zone["visits"] == 3
    assert zone["visited_enterprises"] == 2
    assert zone["visit_coverage"] == 0.6667
    # Two key enterprises × four weeks + one growth enterprise once = 9 due; 3 + 1 + 1 done; one late.
    assert zone["tracking_expected"] == 9
    assert zone["tracking_done"] == 5
    assert zone["tracking_completion"] == 0.5556
    assert zone["tracking_timely"] == 4
    assert zone["tracking_timeliness"] == 0.4444
    assert zone["headcount"] == 355
    assert zone["employment_change"] == 5  # +10 and −5; enterprise_b has no September figure
    assert zone["output_value"] == 1100.5
    assert zone["tier_changes"] == 1  # the 建档 row is not a change
    assert (zone["tier_leading"], zone["tier_backbone"], zone["tier_growth"], zone["tier_struggling"]) == (1, 0, 1, 1)


def test_zone_issue_figures(october):
    monthly_analysis_run(month=OCTOBER)
    zone = report(Dimension.ZONE, "zone")
    assert zone["issues_opened"] == 5  # i1 i2 i4 i5 i8; not the merged duplicate, not September's i3
    assert zone["issues_resolved"] == 3  # i1, i3 (00:30 on 10 October), i8
    assert zone["issues_closed"] == 2
    assert zone["issues_open"] == 3  # i2, i4, i8
    assert zone["issues_overdue"] == 1  # i2, due 28 October and unresolved
    assert zone["issues_due"] == 3  # i1, i2, i3
    assert zone["closure_rate"] == 0.6667
    assert zone["on_time_rate"] == 0.3333  # i3 was resolved a day late in Shanghai time
    # i1: accepted Saturday 3 October (National Day), resolved Thursday the 8th: 1 working day; i3: 6.
    assert zone["avg_days_to_resolve"] == 3.5
    assert zone["reopen_rate"] == 0.3333
    assert zone["grid_issues_due"] == 2
    assert zone["grid_on_time_rate"] == 0.5
    assert zone["feedback_count"] == 3  # the 1 November feedback is November's
    assert zone["satisfaction_rate"] == 0.6667
    # The platforms had no record in October: zero, not unknown (their figures: tests/analytics/test_outcomes.py).
    assert (zone["financing_loans"], zone["financing_credit"], zone["worker_transfers"], zone["space_leases"]) == (
        0.0,
        0.0,
        0,
        0,
    )


def test_district_and_grid_figures(october):
    monthly_analysis_run(month=OCTOBER)
    district_a = report(Dimension.DISTRICT, october.district_a.pk)
    assert (district_a["enterprises"], district_a["visits"], district_a["visit_coverage"]) == (2, 2, 0.5)
    assert (district_a["tracking_expected"], district_a["tracking_done"]) == (5, 4)
    assert (district_a["issues_opened"], district_a["issues_due"], district_a["on_time_rate"]) == (3, 2, 0.5)
    assert district_a["satisfaction_rate"] == 1.0
    assert [item["name"] for item in district_a["by_category"]] == ["融资"]
    assert district_a["by_category"][0]["issues_opened"] == 3
    assert [(item["name"], item["issues_overdue"]) for item in district_a["by_bureau"]] == [("财政局", 1)]
    district_b = report(Dimension.DISTRICT, october.district_b.pk)
    assert (district_b["enterprises"], district_b["visits"], district_b["visit_coverage"]) == (1, 1, 1.0)
    assert (district_b["tracking_expected"], district_b["tracking_done"], district_b["tracking_completion"]) == (
        4,
        1,
        0.25,
    )
    assert (district_b["issues_opened"], district_b["issues_resolved"], district_b["issues_open"]) == (2, 2, 2)
    assert (district_b["closure_rate"], district_b["on_time_rate"], district_b["reopen_rate"]) == (1.0, 0.0, 1.0)
    assert district_b["satisfaction_rate"] == 0.5
    assert [(item["name"], item["issues_opened"]) for item in district_b["by_category"]] == [("未分类", 1), ("用工", 1)]
    # Grid teams: the officers' evaluation inputs, team-wide.
    grid_a = report(Dimension.GRID, october.grid_a.pk)
    assert grid_a["evaluation_score"] == 73.0  # 30×0.5 + 30×0.6 + 25×1 + 15×1
    grid_b = report(Dimension.GRID, october.grid_b.pk)
    assert grid_b["evaluation_score"] == 45.0  # 30×1 + 30×0.25 + 25×0 + 15×0.5
    row = MonthlyReport.objects.get(month=OCTOBER.first_day, scope_type=Dimension.GRID, scope_id=str(october.grid_a.pk))
    assert (row.parent_name, row.district_id) == ("甲片区", october.district_a.pk)


def test_tier_industry_bureau_and_category_rows(october):
    monthly_analysis_run(month=OCTOBER)
    leading = report(Dimension.TIER, "leading")
    assert (leading["enterprises"], leading["visits"], leading["tracking_done"], leading["issues_opened"]) == (
        1,
        0,
        3,
        1,
    )
    assert report(Dimension.TIER, "backbone")["enterprises"] == 0  # every tier has a row
    assert report(Dimension.INDUSTRY, "electronics")["enterprises"] == 1
    assert not MonthlyReport.objects.filter(scope_type=Dimension.INDUSTRY, scope_id="food").exists()
    bureau_x = report(Dimension.BUREAU, october.bureau_x.pk)
    assert (
        bureau_x["issues_opened"],
        bureau_x["issues_due"],
        bureau_x["issues_overdue"],
        bureau_x["on_time_rate"],
    ) == (
        1,
        1,
        1,
        0.0,
    )
    assert report(Dimension.BUREAU, october.bureau_y.pk)["issues_opened"] == 0
    assert report(Dimension.CATEGORY, october.finance.pk)["issues_opened"] == 3
    labour = report(Dimension.CATEGORY, october.labour.pk)
    assert (labour["issues_opened"], labour["issues_resolved"], labour["issues_closed"]) == (1, 2, 1)
    assert report(Dimension.CATEGORY, "none")["issues_opened"] == 1


def test_officer_evaluation(october):
    monthly_analysis_run(month=OCTOBER)
    officer_a = report(Dimension.OFFICER, october.officer_a.pk)
    assert (officer_a["enterprises"], officer_a["visited_enterprises"], officer_a["visit_coverage"]) == (2, 1, 0.5)
    assert (officer_a["tracking_expected"], officer_a["tracking_done"], officer_a["tracking_timely"]) == (5, 4, 3)
    assert (officer_a["grid_issues_due"], officer_a["grid_on_time_rate"], officer_a["satisfaction_rate"]) == (
        1,
        1.0,
        1.0,
    )
    assert officer_a["evaluation_score"] == 73.0
    officer_b = report(Dimension.OFFICER, october.officer_b.pk)
    assert (officer_b["visit_coverage"], officer_b["tracking_timeliness"], officer_b["grid_on_time_rate"]) == (
        1.0,
        0.25,
        0.0,
    )
    assert officer_b["satisfaction_rate"] == 0.5
    assert officer_b["evaluation_score"] == 45.0
    row = MonthlyReport.objects.get(scope_type=Dimension.OFFICER, scope_id=str(october.officer_b.pk))
    assert (row.scope_name, row.parent_name, row.district_id) == ("陈网格", "乙网格", october.district_b.pk)


def test_same_definitions_as_the_ledger(october):
    """The dashboards and the ledger header agree: issues.metrics computes the same rates."""
    monthly_analysis_run(month=OCTOBER)
    zone = report(Dimension.ZONE, "zone")
    ledger = issue_measures(Issue.objects.all(), start=OCTOBER.first_day, end=OCTOBER.last_day)
    assert ledger["due"] == zone["issues_due"]
    assert ledger["closed"] == zone["issues_closed_due"]
    assert ledger["closed_on_time"] == zone["issues_on_time"]
    assert float(ledger["on_time_rate"]) == round(zone["on_time_rate"] * 100, 1)
    assert float(ledger["closure_rate"]) == round(zone["closure_rate"] * 100, 1)
    assert float(ledger["satisfaction_rate"]) == round(zone["satisfaction_rate"] * 100, 1)
    assert float(ledger["avg_working_days"]) == zone["avg_days_to_resolve"]
    assert float(ledger["reopen_rate"]) == round(zone["reopen_rate"] * 100, 1)


def snapshot() -> list[tuple]:
    return list(
        MonthlyReport.objects.order_by("pk").values_list(
            "pk", "month", "scope_type", "scope_id", "scope_name", "metrics"
        )
    )


def test_rerun_leaves_the_same_rows(october):
    first = monthly_analysis_run(month=OCTOBER)
    before = snapshot()
    second = monthly_analysis_run(month=OCTOBER)
    assert snapshot() == before
    assert first.rows == second.rows == len(before)
    assert second.removed == 0


def test_rerun_removes_rows_of_scopes_that_are_gone(october):
    monthly_analysis_run(month=OCTOBER)
    october.labour.issues.update(category=None)
    october.labour.delete()
    result = monthly_analysis_run(month=OCTOBER)
    assert result.removed == 1
    assert not MonthlyReport.objects.filter(scope_type=Dimension.CATEGORY, scope_id=str(october.labour.pk)).exists()


def test_a_month_that_has_not_ended_is_refused(october):
    with pytest.raises(ValidationError, match="尚未结束"):
        monthly_analysis_run(month=Month(2026, 11))
    assert not MonthlyReport.objects.exists()


def test_months_are_separate(october):
    """September holds only what happened in September (Shanghai time)."""
    monthly_analysis_run(month=Month(2026, 9))
    september = report_for(Month(2026, 9))
    assert september["visits"] == 1  # 23:50 on 30 September
    assert september["issues_opened"] == 1  # i3
    assert september["issues_closed"] == 1  # the August issue, closed 2 September
    assert september["tracking_done"] == 1  # enterprise_b's week of 28 September


def report_for(month: Month) -> dict:
    return MonthlyReport.objects.get(month=month.first_day, scope_type=Dimension.ZONE).metrics
