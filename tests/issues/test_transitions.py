"""Every legal transition by the right role: the state, the clock, the counters and the timeline."""

import datetime

import pytest

from accounts.models import Notification
from issues import services
from issues.models import ExtensionState, Feedback, IssueEvent, Level, Rating, State
from tests.issues.conftest import (
    accepted,
    at,
    at_bureau,
    at_task_force,
    fresh,
    in_progress,
    resolved,
    submitted,
)
from tests.issues.helpers import actions_of

D = datetime.date


def told(user, kind=None) -> list[str]:
    qs = Notification.objects.filter(recipient=user)
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.values_list("title", flat=True))


def test_submit_starts_the_response_clock_and_tells_the_grid(ledger):
    issue = submitted(ledger)

    assert issue.state == State.SUBMITTED
    assert issue.level == Level.GRID
    assert issue.response_due_on == D(2026, 11, 3)  # Monday + 1 working day
    assert actions_of(issue) == ["submit"]
    assert told(ledger.officer_a, "issue_submitted")
    assert told(ledger.officer_a2, "issue_submitted")
    assert not told(ledger.officer_b)


def test_submit_before_a_holiday_gives_the_first_working_day_after_it(ledger, frozen_monday):
    frozen_monday.move_to(at(2026, 9, 30, 16))
    issue = submitted(ledger)
    assert issue.response_due_on == D(2026, 10, 8)


@pytest.mark.parametrize("who", ["officer_a", "officer_a2", "leader_a", "manager"])
def test_the_grid_side_accepts_and_the_handling_clock_starts(ledger, who):
    actor = getattr(ledger, who)
    issue = services.issue_accept(issue=submitted(ledger), actor=actor, category=ledger.financing, severity="urgent")

    issue = fresh(issue)
    assert issue.state == State.ACCEPTED
    assert issue.category == ledger.financing
    assert issue.severity == "urgent"
    assert issue.due_on == D(2026, 11, 5)  # grid level: 3 working days
    assert issue.accepted_at is not None and issue.responded_at is not None
    assert issue.version == 1
    event = issue.events.last()
    assert (event.action, event.actor, event.from_state, event.to_state) == ("accept", actor, "submitted", "accepted")
    assert told(ledger.enterprise_user_a, "issue_accepted")


def test_accept_uses_the_category_time_limit(ledger):
    issue = services.issue_accept(issue=submitted(ledger), actor=ledger.officer_a, category=ledger.tax)
    assert issue.due_on == D(2026, 11, 4)  # tax: 2 working days at grid level


def test_accept_over_the_national_day_holiday(ledger, frozen_monday):
    frozen_monday.move_to(at(2026, 9, 30))
    issue = services.issue_accept(issue=submitted(ledger), actor=ledger.officer_a, category=ledger.financing)
    # 8 Oct (Thu), 9 Oct (Fri), 10 Oct (adjusted working Saturday).
    assert issue.due_on == D(2026, 10, 10)


def test_reject_with_a_reason_tells_the_enterprise(ledger):
    issue = services.issue_reject(issue=submitted(ledger), actor=ledger.officer_a, reason="属于司法诉讼事项")

    issue = fresh(issue)
    assert issue.state == State.REJECTED
    assert issue.responded_at is not None
    assert issue.events.last().reason == "属于司法诉讼事项"
    assert told(ledger.enterprise_user_a, "issue_rejected")


def test_start_makes_the_actor_the_handler(ledger):
    issue = services.issue_start(issue=accepted(ledger), actor=ledger.officer_a2)
    assert (fresh(issue).state, fresh(issue).handler) == (State.IN_PROGRESS, ledger.officer_a2)


def test_escalate_to_a_bureau_moves_level_deadline_and_tells_the_bureau(ledger):
    issue = services.issue_escalate(
        issue=in_progress(ledger), actor=ledger.officer_a, reason="需财政局协调贴息", bureau=ledger.bureau_x
    )

    issue = fresh(issue)
    assert issue.level == Level.BUREAU
    assert issue.bureau == ledger.bureau_x
    assert issue.state == State.ACCEPTED  # the bureau signs for it next
    assert issue.handler is None
    assert issue.due_on == D(2026, 11, 16)  # bureau level: 10 working days from today
    assert issue.escalation_count == 1
    assert list(issue.bureaus_involved.all()) == [ledger.bureau_x]
    event = issue.events.last()
    assert event.reason == "需财政局协调贴息"
    assert event.data["from_level"] == "grid" and event.data["to_level"] == "bureau"
    assert told(ledger.bureau_user_x, "issue_escalated")
    assert not told(ledger.bureau_user_y)


def test_escalate_without_a_named_bureau_uses_the_category_default(ledger):
    issue = services.issue_escalate(issue=accepted(ledger), actor=ledger.officer_a, reason="专业问题")
    assert fresh(issue).bureau == ledger.financing.default_bureau


def test_the_bureau_signs_and_escalates_to_the_task_force(ledger):
    issue = services.issue_start(issue=at_bureau(ledger), actor=ledger.bureau_user_x)
    assert fresh(issue).handler == ledger.bureau_user_x

    issue = services.issue_escalate(issue=issue, actor=ledger.bureau_user_x, reason="涉及税务、财政多部门")

    issue = fresh(issue)
    assert issue.level == Level.TASK_FORCE
    assert issue.task_force == ledger.task_force
    assert issue.due_on == D(2026, 11, 30)  # task force: 20 working days
    assert issue.escalation_count == 2
    assert set(issue.bureaus_involved.all()) == {ledger.bureau_x, ledger.bureau_y}
    assert told(ledger.bureau_user_y, "issue_escalated")


def test_a_task_force_member_bureau_resolves(ledger):
    issue = services.issue_resolve(issue=at_task_force(ledger), actor=ledger.bureau_user_y, resolution="专班会商解决")
    assert fresh(issue).state == State.RESOLVED


def test_return_sends_the_issue_back_to_the_grid_and_keeps_the_bureau_involved(ledger):
    issue = services.issue_return(issue=at_bureau(ledger), actor=ledger.bureau_user_x, reason="属网格协调事项")

    issue = fresh(issue)
    assert issue.level == Level.GRID
    assert issue.bureau is None
    assert issue.state == State.ACCEPTED
    assert issue.due_on == D(2026, 11, 5)
    assert list(issue.bureaus_involved.all()) == [ledger.bureau_x]
    assert issue.events.last().reason == "属网格协调事项"
    assert told(ledger.officer_a, "issue_returned")


def test_extension_approved_by_the_district_leader_moves_the_deadline_and_counts(ledger):
    issue = in_progress(ledger)
    assert issue.due_on == D(2026, 11, 5)

    request = services.issue_request_extension(issue=issue, actor=ledger.officer_a, days=2, reason="企业材料未齐")
    assert fresh(issue).due_on == D(2026, 11, 5)  # nothing moves before approval
    assert told(ledger.leader_a, "issue_extension")

    services.issue_decide_extension(issue=fresh(issue), actor=ledger.leader_a, approve=True, note="同意")

    issue = fresh(issue)
    request.refresh_from_db()
    assert issue.due_on == D(2026, 11, 9)  # Thu 5 + 2 working days (Fri 6, Mon 9)
    assert issue.extension_count == 1
    assert (request.state, request.old_due_on, request.new_due_on) == (
        ExtensionState.APPROVED,
        D(2026, 11, 5),
        D(2026, 11, 9),
    )
    assert actions_of(issue)[-2:] == ["extend_request", "extend_approve"]
    assert told(ledger.officer_a, "issue_extension")


def test_extension_refused_keeps_the_deadline_and_is_not_counted(ledger):
    issue = in_progress(ledger)
    services.issue_request_extension(issue=issue, actor=ledger.officer_a2, days=5, reason="等待评估")
    # The grid leader (not the requester) may decide.
    services.issue_decide_extension(issue=fresh(issue), actor=ledger.officer_a, approve=False, note="时间充足")

    issue = fresh(issue)
    assert issue.due_on == D(2026, 11, 5)
    assert issue.extension_count == 0
    assert issue.extensions.get().state == ExtensionState.REFUSED


def test_resolve_records_the_result_and_asks_the_enterprise_for_feedback(ledger):
    issue = services.issue_resolve(issue=in_progress(ledger), actor=ledger.officer_a, resolution="已对接两家银行")

    issue = fresh(issue)
    assert issue.state == State.RESOLVED
    assert issue.resolution == "已对接两家银行"
    assert issue.resolved_at is not None
    assert issue.handling_working_days == 0
    assert told(ledger.enterprise_user_a, "issue_resolved")


def test_verification_passed_closes(ledger):
    issue = services.issue_verify(issue=resolved(ledger), actor=ledger.officer_a2, passed=True, note="现场核实")
    issue = fresh(issue)
    assert issue.state == State.CLOSED and issue.closed_at is not None
    assert issue.rework_count == 0


def test_failed_verification_is_rework_and_counts(ledger):
    issue = services.issue_verify(issue=resolved(ledger), actor=ledger.officer_a2, passed=False, note="企业反映未落实")

    issue = fresh(issue)
    assert issue.state == State.IN_PROGRESS
    assert issue.rework_count == 1
    event = issue.events.last()
    assert (event.action, event.reason) == ("verify_fail", "企业反映未落实")


@pytest.mark.parametrize("rating", [Rating.SATISFIED, Rating.BASICALLY])
def test_satisfied_feedback_closes(ledger, rating):
    services.issue_feedback(issue=resolved(ledger), actor=ledger.enterprise_user_a, rating=rating, comment="感谢")

    feedback = Feedback.objects.get()
    assert (feedback.rating, feedback.comment, feedback.author) == (rating, "感谢", ledger.enterprise_user_a)
    assert feedback.issue.state == State.CLOSED
    assert feedback.issue.reopen_count == 0


def test_dissatisfied_feedback_reopens_and_counts(ledger):
    issue = resolved(ledger)
    services.issue_feedback(
        issue=issue, actor=ledger.enterprise_user_a, rating=Rating.DISSATISFIED, comment="贷款仍未到位"
    )

    issue = fresh(issue)
    assert issue.state == State.IN_PROGRESS
    assert issue.reopen_count == 1
    assert issue.events.last().reason == "贷款仍未到位"
    assert told(ledger.officer_a, "issue_feedback")

    # Resolved again, then satisfied: closed, the reopening still counted.
    issue = services.issue_resolve(issue=issue, actor=ledger.officer_a, resolution="贷款已发放")
    services.issue_feedback(issue=issue, actor=ledger.enterprise_user_a, rating=Rating.SATISFIED)
    issue = fresh(issue)
    assert (issue.state, issue.reopen_count, issue.feedbacks.count()) == (State.CLOSED, 1, 2)


def test_close_by_the_officer(ledger):
    issue = services.issue_close(issue=resolved(ledger), actor=ledger.officer_a, note="企业电话确认满意")
    assert fresh(issue).state == State.CLOSED


def test_merge_a_duplicate_tells_the_enterprise(ledger):
    original = accepted(ledger, title="融资难")
    duplicate = submitted(ledger, title="贷款难")

    services.issue_merge(issue=duplicate, actor=ledger.officer_a, into=original)

    duplicate = fresh(duplicate)
    assert duplicate.state == State.MERGED
    assert duplicate.duplicate_of == original
    assert actions_of(original)[-1] == "merged_in"
    assert told(ledger.enterprise_user_a, "issue_merged")


def test_internal_notes_and_replies(ledger):
    issue = accepted(ledger)
    services.issue_comment(issue=issue, actor=ledger.officer_a, body="企业法人电话不通", internal=True)
    services.issue_comment(issue=issue, actor=ledger.officer_a, body="我们已联系银行", internal=False)
    services.issue_comment(issue=issue, actor=ledger.enterprise_user_a, body="补充流水材料", internal=False)

    notes = list(
        IssueEvent.objects.filter(issue=issue, action__in=["note", "reply"]).values_list("note", "is_internal")
    )
    assert notes == [("企业法人电话不通", True), ("我们已联系银行", False), ("补充流水材料", False)]
    assert fresh(issue).version == issue.version  # notes do not change the issue
    assert told(ledger.enterprise_user_a, "issue_reply") == ["您反映的问题有新回复：订单不足，需要对接采购"]


def test_the_full_path_writes_one_event_per_step(ledger):
    issue = at_bureau(ledger)
    issue = services.issue_start(issue=issue, actor=ledger.bureau_user_x)
    issue = services.issue_resolve(issue=issue, actor=ledger.bureau_user_x, resolution="已办理")
    services.issue_feedback(issue=issue, actor=ledger.enterprise_user_a, rating=Rating.SATISFIED)

    assert actions_of(issue) == ["submit", "accept", "escalate", "start", "resolve", "feedback"]
    assert fresh(issue).version == 5
