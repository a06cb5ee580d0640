"""A reopened (不满意) or reworked (核查未通过) issue starts a new handling deadline.

Given an issue resolved on Monday 2 November 2026 (grid level, due Thursday 5 November),
the enterprise's 不满意 comes on Tuesday 10 November, when that deadline has passed: the
issue must not be overdue at once, nor escalate itself at the next hourly sweep, and its
earlier resolution is history, not the current result.
"""

import datetime

import pytest

from issues import services
from issues.figures import SLA_OVERDUE
from issues.models import Action, IssueEvent, Level, Rating, State
from issues.selectors import sla_status
from issues.sweep import deadline_sweep
from tests.conftest import login
from tests.issues.conftest import at, fresh, resolved
from tests.issues.helpers import actions_of

pytestmark = pytest.mark.django_db

TUESDAY_AFTER = at(2026, 11, 10)


@pytest.fixture
def resolved_then_late(ledger, frozen_monday):
    issue = resolved(ledger)
    assert issue.due_on == datetime.date(2026, 11, 5)
    frozen_monday.move_to(TUESDAY_AFTER)
    return fresh(issue)


def reopen(ledger, issue):
    return services.issue_feedback(
        issue=issue, actor=ledger.enterprise_user_a, rating=Rating.DISSATISFIED, comment="供应商还没联系我们。"
    )


def test_dissatisfied_feedback_restarts_the_handling_clock(ledger, resolved_then_late):
    reopen(ledger, resolved_then_late)

    issue = fresh(resolved_then_late)
    assert issue.state == State.IN_PROGRESS
    # Grid level: 3 working days after Tuesday 10 November.
    assert issue.due_on == datetime.date(2026, 11, 13)
    assert sla_status(issue) != SLA_OVERDUE
    assert issue.reopen_count == 1
    # The earlier result is no longer the issue's result.
    assert issue.resolution == ""
    assert issue.resolved_at is None
    assert issue.handling_working_days is None
    event = IssueEvent.objects.filter(issue=issue).latest("at", "id")
    assert (event.action, event.to_state, event.to_due_on) == (
        Action.FEEDBACK,
        State.IN_PROGRESS,
        datetime.date(2026, 11, 13),
    )
    assert event.data == {"rating": "dissatisfied", "due_on": "2026-11-13"}


def test_a_reopened_issue_is_not_escalated_by_the_next_sweep(ledger, resolved_then_late):
    reopen(ledger, resolved_then_late)
    before = actions_of(resolved_then_late)

    deadline_sweep(now=at(2026, 11, 10, 11))

    issue = fresh(resolved_then_late)
    assert (issue.level, issue.state, issue.escalation_count) == (Level.GRID, State.IN_PROGRESS, 0)
    assert actions_of(issue) == before


def test_the_reopened_issue_escalates_only_when_its_new_deadline_is_missed(ledger, resolved_then_late):
    reopen(ledger, resolved_then_late)

    # New deadline Friday 13 November; more than 2 working days over it is Thursday 19 November.
    deadline_sweep(now=at(2026, 11, 19, 11))

    issue = fresh(resolved_then_late)
    assert (issue.level, issue.escalation_count) == (Level.BUREAU, 1)


def test_the_rework_limit_of_a_category_sets_the_new_deadline(ledger, frozen_monday):
    ledger.financing.grid_rework_days = 1
    ledger.financing.save()
    issue = resolved(ledger)
    frozen_monday.move_to(TUESDAY_AFTER)

    services.issue_verify(issue=fresh(issue), actor=ledger.officer_a, passed=False, note="现场核查仍未对接。")

    issue = fresh(issue)
    assert (issue.state, issue.rework_count, issue.due_on) == (State.IN_PROGRESS, 1, datetime.date(2026, 11, 11))
    assert (issue.resolution, issue.resolved_at) == ("", None)


def test_without_a_rework_limit_the_level_limit_applies(ledger):
    assert ledger.financing.rework_days_for(Level.GRID) == ledger.financing.grid_days
    assert ledger.financing.rework_days_for(Level.BUREAU) == ledger.financing.bureau_days
    ledger.financing.task_force_rework_days = 7
    assert ledger.financing.rework_days_for(Level.TASK_FORCE) == 7


def test_a_second_resolution_counts_its_own_working_days(ledger, resolved_then_late, frozen_monday):
    reopen(ledger, resolved_then_late)
    frozen_monday.move_to(at(2026, 11, 12))

    issue = services.issue_resolve(issue=fresh(resolved_then_late), actor=ledger.officer_a, resolution="已签约。")

    # From acceptance (2 November) to the second resolution (12 November): 8 working days.
    assert (issue.state, issue.resolution, issue.handling_working_days) == (State.RESOLVED, "已签约。", 8)


def test_the_enterprise_is_told_what_happens_next(ledger, resolved_then_late):
    client = login(ledger.enterprise_user_a)

    response = client.post(
        f"/issues/{resolved_then_late.pk}/act/feedback/",
        {
            "feedback-rating": "dissatisfied",
            "feedback-comment": "供应商还没联系我们。",
            "feedback-version": resolved_then_late.version,
        },
        follow=True,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "问题已退回甲网格重新办理，新的办结时限为 2026年11月13日；办结后将再次请您评价。" in html
    assert "已逾期" not in html


def test_the_page_shows_the_earlier_resolution_as_history(ledger, resolved_then_late):
    reopen(ledger, resolved_then_late)

    html = login(ledger.enterprise_user_a).get(f"/issues/{resolved_then_late.pk}/").content.decode()

    history = html[html.index('id="earlier-resolutions"') :]
    assert "此前的办理结果（已退回重新办理）" in history
    assert "已对接三家区内采购商。" in history
    assert "供应商还没联系我们。" in history
    assert 'id="resolution-title"' not in html  # no current result shown while it is being redone
    assert "新的办结时限为 2026年11月13日" in html
