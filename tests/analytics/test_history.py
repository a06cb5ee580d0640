"""A past month's figures are what was true in that month, whenever they are computed.

Given November 2026 built through the services (grid team A):
- A: accepted 2 Nov (due 5 Nov), never resolved in November: due, overdue;
- B: accepted 16 Nov (due 19 Nov), extended by 5 working days on 18 Nov (due 26 Nov),
  resolved 25 Nov and closed by the enterprise's 满意 on 26 Nov: due, closed on time;
- C: accepted 23 Nov (due 26 Nov), resolved 25 Nov, not yet rated at the month's end: due, not closed;
- D: accepted 24 Nov (due 27 Nov), an extension asked on 26 Nov and approved only on 1 Dec:
  due in November, overdue there.
When, in December, the sweep escalates A to a bureau, D's extension is approved, C is rated
不满意 (reopened on a new deadline), resolved again and closed, and the monthly analysis of
November runs again: every stored row is the same as the first time.
"""

import datetime

import pytest
import time_machine

from analytics.models import MonthlyReport
from analytics.monthly import monthly_analysis_run
from common.periods import Month
from issues import services
from issues.models import Level, Rating, Source, State
from issues.sweep import deadline_sweep
from tests.analytics.conftest import at
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

NOVEMBER = Month(2026, 11)


def stored_rows() -> list[tuple]:
    return list(
        MonthlyReport.objects.filter(month=NOVEMBER.first_day)
        .order_by("scope_type", "scope_id")
        .values_list("scope_type", "scope_id", "metrics")
    )


def submit(cast, title: str):
    return services.issue_submit(
        enterprise=cast.enterprise_a,
        actor=cast.enterprise_user_a,
        title=title,
        description="说明",
        source=Source.ENTERPRISE,
    )


def accept_and_start(cast, issue, category):
    issue = services.issue_accept(issue=issue, actor=cast.officer_a, category=category)
    return services.issue_start(issue=issue, actor=cast.officer_a)


@pytest.fixture
def november(cast):
    category = CategoryFactory(code="financing", name="融资", default_bureau=cast.bureau_x)
    issues = {}
    with time_machine.travel(at("2026-11-02 10:00"), tick=False) as clock:
        issues["a"] = accept_and_start(cast, submit(cast, "A"), category)
        clock.move_to(at("2026-11-16 10:00"))
        issues["b"] = accept_and_start(cast, submit(cast, "B"), category)
        clock.move_to(at("2026-11-18 10:00"))
        services.issue_request_extension(issue=issues["b"], actor=cast.officer_a, days=5, reason="等待评估")
        issues["b"].refresh_from_db()
        services.issue_decide_extension(issue=issues["b"], actor=cast.leader_a, approve=True)
        clock.move_to(at("2026-11-23 10:00"))
        issues["c"] = accept_and_start(cast, submit(cast, "C"), category)
        clock.move_to(at("2026-11-24 10:00"))
        issues["d"] = accept_and_start(cast, submit(cast, "D"), category)
        clock.move_to(at("2026-11-25 10:00"))
        issues["b"].refresh_from_db()
        services.issue_resolve(issue=issues["b"], actor=cast.officer_a, resolution="已办")
        issues["c"] = services.issue_resolve(issue=issues["c"], actor=cast.officer_a, resolution="已办")
        clock.move_to(at("2026-11-26 10:00"))
        issues["b"].refresh_from_db()
        services.issue_feedback(issue=issues["b"], actor=cast.enterprise_user_a, rating=Rating.SATISFIED)
        services.issue_request_extension(issue=issues["d"], actor=cast.officer_a, days=5, reason="等待评估")
    for issue in issues.values():
        issue.refresh_from_db()
    assert [issues[key].due_on for key in "abcd"] == [
        datetime.date(2026, 11, 5),
        datetime.date(2026, 11, 26),
        datetime.date(2026, 11, 26),
        datetime.date(2026, 11, 27),
    ]
    return issues


def december_moves(cast, issues) -> None:
    with time_machine.travel(at("2026-12-01 09:00"), tick=False) as clock:
        services.issue_decide_extension(issue=issues["d"], actor=cast.leader_a, approve=True)
        clock.move_to(at("2026-12-02 10:00"))
        deadline_sweep(now=at("2026-12-02 10:00"))
        services.issue_feedback(
            issue=issues["c"], actor=cast.enterprise_user_a, rating=Rating.DISSATISFIED, comment="没解决"
        )
        clock.move_to(at("2026-12-04 10:00"))
        issues["c"].refresh_from_db()
        services.issue_resolve(issue=issues["c"], actor=cast.officer_a, resolution="再次办理")
        issues["c"].refresh_from_db()
        services.issue_feedback(issue=issues["c"], actor=cast.enterprise_user_a, rating=Rating.SATISFIED)
    for issue in issues.values():
        issue.refresh_from_db()
    # The moves happened: the ledger's current fields say December's story now.
    assert (issues["a"].level, issues["a"].due_on > datetime.date(2026, 12, 1)) == (Level.BUREAU, True)
    assert issues["d"].due_on == datetime.date(2026, 12, 4)
    assert (issues["c"].state, issues["c"].reopen_count) == (State.CLOSED, 1)


def test_november_figures_are_those_true_in_november(cast, november):
    with time_machine.travel(at("2026-12-01 06:00"), tick=False):
        monthly_analysis_run(month=NOVEMBER)

    zone = MonthlyReport.objects.get(month=NOVEMBER.first_day, scope_type="zone").metrics
    assert (zone["issues_due"], zone["issues_overdue"], zone["issues_closed_due"], zone["issues_on_time"]) == (
        4,
        2,
        1,
        1,
    )
    assert (zone["issues_resolved"], zone["issues_closed"], zone["issues_open"]) == (2, 1, 3)
    assert (zone["grid_issues_due"], zone["issues_reopened"]) == (4, 0)
    assert zone["on_time_rate"] == 0.25
    officer = MonthlyReport.objects.get(month=NOVEMBER.first_day, scope_type="officer", scope_id=str(cast.officer_a.pk))
    assert (officer.metrics["grid_issues_due"], officer.metrics["grid_issues_on_time"]) == (4, 1)


def test_recomputing_november_after_december_moved_its_issues_gives_the_same_rows(cast, november):
    with time_machine.travel(at("2026-12-01 06:00"), tick=False):
        monthly_analysis_run(month=NOVEMBER)
    first = stored_rows()

    december_moves(cast, november)
    with time_machine.travel(at("2026-12-15 06:00"), tick=False):
        monthly_analysis_run(month=NOVEMBER)

    assert stored_rows() == first


def test_a_backfill_a_year_later_gives_the_same_rows(cast, november):
    with time_machine.travel(at("2026-12-01 06:00"), tick=False):
        monthly_analysis_run(month=NOVEMBER)
    first = stored_rows()
    december_moves(cast, november)
    MonthlyReport.objects.all().delete()

    with time_machine.travel(at("2027-11-20 06:00"), tick=False):
        monthly_analysis_run(month=NOVEMBER)

    assert stored_rows() == first


def test_december_counts_the_reopening_and_the_second_resolution(cast, november):
    december_moves(cast, november)

    with time_machine.travel(at("2027-01-01 06:00"), tick=False):
        monthly_analysis_run(month=Month(2026, 12))

    zone = MonthlyReport.objects.get(month=datetime.date(2026, 12, 1), scope_type="zone").metrics
    # C (resolved again on 4 Dec) is December's second resolution of C, counted in December too.
    assert zone["issues_resolved"] == 1
    assert zone["issues_closed"] == 1


def test_the_issues_a_month_leaves_out_change_none_of_its_figures(cast, november, monkeypatch):
    """December reads only the issues that can count in it: B (closed 26 Nov, due 26 Nov) is left out,
    and reading every issue instead gives the same figures, per group and per officer."""
    from analytics import aggregates
    from analytics.aggregates import Period, issue_metrics
    from analytics.evaluation import officer_metrics
    from issues.models import Issue

    december_moves(cast, november)
    december = Period.whole(Month(2026, 12))
    assert set(aggregates._may_count(december, None).values_list("pk", flat=True)) == {
        november[key].pk for key in "acd"
    }
    groups = (None, "category_id", "enterprise__grid_id", "as_of_bureau_id")
    kept = [issue_metrics(december, group) for group in groups]
    officers = officer_metrics(december)

    monkeypatch.setattr(
        aggregates, "_may_count", lambda period, issues: Issue.objects.all() if issues is None else issues
    )
    assert [issue_metrics(december, group) for group in groups] == kept
    assert officer_metrics(december) == officers
