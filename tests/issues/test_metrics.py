"""The ledger measures as SQL aggregates over a queryset and a period."""

import datetime
from decimal import Decimal

from issues import services
from issues.metrics import closure_rate, issue_measures
from issues.models import Issue, Rating
from tests.issues.conftest import accepted, at, at_task_force, in_progress, rejected

D = datetime.date
NOVEMBER = {"start": D(2026, 11, 1), "end": D(2026, 11, 30)}


def test_measures_over_a_month(ledger, frozen_monday):
    # All accepted on Monday 2 November (due Thursday 5 November) unless said otherwise.
    on_time = accepted(ledger, title="按期办结")
    late = accepted(ledger, title="逾期办结")
    extended = in_progress(ledger, title="延期办理中")
    reopened = accepted(ledger, title="不满意重办")
    rejected(ledger)
    services.issue_request_extension(issue=extended, actor=ledger.officer_a2, days=2, reason="材料未齐")
    services.issue_decide_extension(issue=Issue.objects.get(pk=extended.pk), actor=ledger.officer_a, approve=True)

    frozen_monday.move_to(at(2026, 11, 3))
    reopened = services.issue_resolve(issue=reopened, actor=ledger.officer_a, resolution="第一次办结")
    services.issue_feedback(
        issue=reopened, actor=ledger.enterprise_user_a, rating=Rating.DISSATISFIED, comment="未解决"
    )

    frozen_monday.move_to(at(2026, 11, 4))
    on_time = services.issue_resolve(issue=on_time, actor=ledger.officer_a, resolution="已办结")
    services.issue_feedback(issue=on_time, actor=ledger.enterprise_user_a, rating=Rating.SATISFIED)
    reopened = services.issue_resolve(
        issue=Issue.objects.get(pk=reopened.pk), actor=ledger.officer_a, resolution="再次办结"
    )
    services.issue_feedback(issue=reopened, actor=ledger.enterprise_user_a, rating=Rating.BASICALLY)

    frozen_monday.move_to(at(2026, 11, 9))
    late = services.issue_resolve(issue=late, actor=ledger.officer_a, resolution="办结晚了")
    services.issue_close(issue=late, actor=ledger.officer_a)

    frozen_monday.move_to(at(2026, 12, 1))
    accepted(ledger, title="十二月的问题")  # due 4 December: outside the period

    measures = issue_measures(Issue.objects.all(), **NOVEMBER)

    assert (measures["due"], measures["closed"], measures["closed_on_time"], measures["missed_deadline"]) == (
        4,
        3,
        2,
        2,
    )
    assert measures["closure_rate"] == Decimal("75.0")
    assert measures["on_time_rate"] == Decimal("50.0")
    assert measures["reopen_rate"] == Decimal("25.0")
    assert measures["extension_rate"] == Decimal("25.0")
    assert measures["rework_rate"] == Decimal("0.0")
    assert (measures["satisfied"], measures["basically"], measures["dissatisfied"]) == (1, 1, 1)
    assert measures["satisfaction_rate"] == Decimal("66.7")
    assert measures["avg_working_days"] == Decimal("3.0")  # (2 + 5 + 2) / 3
    assert measures["response_on_time_rate"] == Decimal("100.0")
    assert measures["overdue_now"] == 1  # the extended one, due 9 November, still in progress
    assert closure_rate(Issue.objects.filter(title="按期办结"), **NOVEMBER) == Decimal("100.0")


def test_nothing_due_gives_no_rate_rather_than_zero(ledger):
    measures = issue_measures(Issue.objects.all(), start=D(2026, 1, 1), end=D(2026, 1, 31))
    assert measures["due"] == 0
    assert measures["closure_rate"] is None and measures["satisfaction_rate"] is None


def test_a_joined_queryset_counts_each_issue_once(ledger, django_assert_max_num_queries):
    at_task_force(ledger)  # involves bureaus X and Y
    joined = Issue.objects.filter(bureaus_involved__in=[ledger.bureau_x, ledger.bureau_y])
    assert joined.count() == 2
    with django_assert_max_num_queries(2):
        measures = issue_measures(joined, start=D(2026, 11, 1), end=D(2026, 12, 31))
    assert measures["due"] == 1
