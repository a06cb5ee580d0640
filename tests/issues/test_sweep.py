"""The deadline sweep with time travel: due soon, overdue, auto-escalation, and idempotence."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Notification
from issues import services
from issues.models import IssueEvent, Level, State
from issues.sweep import deadline_sweep
from issues.tasks import deadline_sweep as deadline_sweep_task
from tests.issues.conftest import accepted, at, fresh, submitted

D = datetime.date


def notifications(kind: str) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", "dedupe_key"))


def events(issue, action: str) -> int:
    return IssueEvent.objects.filter(issue=issue, action=action).count()


@pytest.fixture
def due_thursday(ledger):
    """Accepted by officer A on Monday 2 November: due Thursday 5 November (grid, 3 working days)."""
    issue = accepted(ledger)
    assert issue.due_on == D(2026, 11, 5)
    return issue


def test_nothing_happens_while_there_is_time(ledger, due_thursday):
    result = deadline_sweep()
    assert (result.due_soon, result.overdue, result.escalated) == (0, 0, 0)
    assert not Notification.objects.filter(kind__in=["issue_due_soon", "issue_overdue"]).exists()


def test_due_soon_warns_the_handler_once(ledger, due_thursday, frozen_monday):
    frozen_monday.move_to(at(2026, 11, 4, 9))  # Wednesday: one working day left
    first = deadline_sweep()
    second = deadline_sweep()

    assert first.notified == 1 and second.notified == 0
    assert notifications("issue_due_soon") == [
        ("officer-a", f"issue:{due_thursday.pk}:due-soon:2026-11-05:{ledger.officer_a.pk}")
    ]
    assert events(due_thursday, "overdue") == 0


def test_overdue_is_flagged_once_and_tells_handler_and_leaders(ledger, due_thursday, frozen_monday):
    frozen_monday.move_to(at(2026, 11, 6, 10))  # Friday: one working day late
    deadline_sweep()
    deadline_sweep()

    assert events(due_thursday, "overdue") == 1
    assert [username for username, _ in notifications("issue_overdue")] == ["leader-a", "officer-a"]
    issue = fresh(due_thursday)
    assert (issue.level, issue.state, issue.escalation_count) == (Level.GRID, State.ACCEPTED, 0)


def test_two_working_days_late_is_not_yet_escalated(ledger, due_thursday, frozen_monday):
    frozen_monday.move_to(at(2026, 11, 9, 10))  # Monday: Fri + Mon = 2 working days late
    assert deadline_sweep().escalated == 0
    assert fresh(due_thursday).level == Level.GRID


def test_three_working_days_late_escalates_exactly_once(ledger, due_thursday, frozen_monday):
    frozen_monday.move_to(at(2026, 11, 10, 10))  # Tuesday: Fri, Mon, Tue = 3 working days late
    first = deadline_sweep()
    notified_after_first = Notification.objects.count()
    second = deadline_sweep()

    assert (first.escalated, second.escalated) == (1, 0)
    assert Notification.objects.count() == notified_after_first
    issue = fresh(due_thursday)
    assert issue.level == Level.BUREAU
    assert issue.bureau == ledger.financing.default_bureau
    assert issue.due_on == D(2026, 11, 24)  # 10 working days from Tuesday 10 November
    assert issue.escalation_count == 1
    escalation = issue.events.get(action="escalate")
    assert escalation.actor is None
    assert escalation.data["auto"] is True and escalation.data["from_level"] == "grid"
    assert escalation.at == at(2026, 11, 10, 10)
    assert Notification.objects.filter(recipient=ledger.bureau_user_x, kind="issue_escalated").count() == 1


def test_auto_escalation_happens_once_per_level(ledger, due_thursday, frozen_monday):
    frozen_monday.move_to(at(2026, 11, 10, 10))
    deadline_sweep()
    # The bureau returns it; the grid is late again: flagged, but not escalated a second time from the grid.
    issue = services.issue_return(issue=fresh(due_thursday), actor=ledger.bureau_user_x, reason="属网格事项")
    assert issue.due_on == D(2026, 11, 13)
    frozen_monday.move_to(at(2026, 11, 19, 10))
    result = deadline_sweep()

    issue = fresh(issue)
    assert result.escalated == 0
    assert issue.level == Level.GRID
    assert events(issue, "overdue") == 2  # one per deadline
    assert events(issue, "escalate") == 1


def test_an_overdue_bureau_issue_goes_to_the_task_force_and_then_managers_are_told(ledger, due_thursday, frozen_monday):
    frozen_monday.move_to(at(2026, 11, 10, 10))
    deadline_sweep()  # grid → bureau, due 24 November
    frozen_monday.move_to(at(2026, 11, 27, 10))  # Wed 25, Thu 26, Fri 27: 3 working days late
    deadline_sweep()
    issue = fresh(due_thursday)
    assert (issue.level, issue.task_force) == (Level.TASK_FORCE, ledger.task_force)

    frozen_monday.move_to(at(2027, 1, 6, 10))  # far past the task force deadline (22 Dec): nowhere higher
    deadline_sweep()
    deadline_sweep()
    assert fresh(issue).level == Level.TASK_FORCE
    # Told once that it is overdue (managers lead the task force) and once that it is far behind.
    titles = sorted(
        Notification.objects.filter(recipient=ledger.manager, kind="issue_overdue").values_list("title", flat=True)
    )
    assert titles == ["专班办理问题严重逾期：订单不足，需要对接采购", "问题已逾期：订单不足，需要对接采购"]


def test_the_response_clock_flags_an_issue_nobody_accepted(ledger, frozen_monday):
    issue = submitted(ledger)  # response due Tuesday 3 November
    frozen_monday.move_to(at(2026, 11, 4, 10))
    first = deadline_sweep()
    second = deadline_sweep()

    assert (first.response_overdue, second.response_overdue) == (1, 0)
    assert events(issue, "response_overdue") == 1
    assert Notification.objects.filter(recipient=ledger.officer_a, kind="issue_response_overdue").count() == 1
    assert fresh(issue).state == State.SUBMITTED


def test_resolved_and_closed_issues_are_left_alone(ledger, due_thursday, frozen_monday):
    services.issue_resolve(issue=due_thursday, actor=ledger.officer_a, resolution="已办理")
    frozen_monday.move_to(at(2026, 11, 20, 10))
    result = deadline_sweep()
    assert (result.overdue, result.escalated) == (0, 0)


def test_the_command_runs_the_sweep_for_a_given_moment(ledger, due_thursday):
    out = StringIO()
    call_command("run_deadline_sweep", "--at", "2026-11-10 10:00", stdout=out)
    call_command("run_deadline_sweep", "--at", "2026-11-10 10:00", stdout=StringIO())

    assert "1 escalated" in out.getvalue()
    assert events(due_thursday, "escalate") == 1
    assert fresh(due_thursday).events.get(action="escalate").at == at(2026, 11, 10, 10)


def test_the_command_refuses_a_moment_it_cannot_read(db):
    with pytest.raises(CommandError):
        call_command("run_deadline_sweep", "--at", "next tuesday")


def test_the_celery_task_takes_an_iso_moment(ledger, due_thursday):
    result = deadline_sweep_task("2026-11-10T10:00:00+08:00")
    assert result["escalated"] == 1
