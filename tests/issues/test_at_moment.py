"""Every transition can be recorded ``at`` an earlier moment (the demo seeder replays history so):
the event, the timestamps and each deadline count from that moment, not from today."""

from common.workdays import add_working_days, working_days_between
from issues import services
from issues.models import ExtensionRequest, IssueEvent, Rating, Source, State
from tests.issues.conftest import at, fresh


def test_a_story_recorded_in_the_past_counts_its_deadlines_from_its_moments(ledger):
    # Today is Monday 2 November 2026; the story happens in September (1 October holidays far ahead).
    submitted_at = at(2026, 9, 7, 9)  # a Monday
    issue = services.issue_submit(
        enterprise=ledger.enterprise_a,
        actor=ledger.enterprise_user_a,
        title="订单不足",
        description="希望对接区内采购。",
        source=Source.ENTERPRISE,
        at=submitted_at,
    )
    assert fresh(issue).created_at == submitted_at
    assert str(issue.response_due_on) == "2026-09-08"
    issue = services.issue_accept(issue=issue, actor=ledger.officer_a, category=ledger.financing, at=at(2026, 9, 8))
    financing_days = ledger.financing.days_for(issue.level)
    assert issue.accepted_at == at(2026, 9, 8) and issue.responded_at == at(2026, 9, 8)
    assert issue.due_on == add_working_days(at(2026, 9, 8).date(), financing_days)
    issue = services.issue_start(issue=issue, actor=ledger.officer_a, at=at(2026, 9, 9))
    issue = services.issue_escalate(issue=issue, actor=ledger.officer_a, reason="需科室办理", at=at(2026, 9, 10))
    assert issue.due_on == add_working_days(at(2026, 9, 10).date(), ledger.financing.days_for(issue.level))
    request = services.issue_request_extension(
        issue=issue, actor=ledger.bureau_user_x, days=2, reason="等待评估", at=at(2026, 9, 11)
    )
    assert request.requested_at == at(2026, 9, 11)
    old_due = request.old_due_on
    request = services.issue_decide_extension(
        issue=fresh(issue), actor=ledger.leader_a, approve=True, at=at(2026, 9, 14)
    )
    assert request.decided_at == at(2026, 9, 14) and request.new_due_on == add_working_days(old_due, 2)
    issue = services.issue_start(issue=fresh(issue), actor=ledger.bureau_user_x, at=at(2026, 9, 15))
    issue = services.issue_resolve(issue=issue, actor=ledger.bureau_user_x, resolution="已对接", at=at(2026, 9, 17))
    assert issue.resolved_at == at(2026, 9, 17) and issue.handling_working_days == working_days_between(
        at(2026, 9, 8).date(), at(2026, 9, 17).date()
    )
    feedback = services.issue_feedback(
        issue=issue, actor=ledger.enterprise_user_a, rating=Rating.DISSATISFIED, comment="未解决", at=at(2026, 9, 18)
    )
    issue = fresh(issue)
    assert feedback.at == at(2026, 9, 18) and issue.state == State.IN_PROGRESS
    assert issue.due_on == add_working_days(at(2026, 9, 18).date(), ledger.financing.rework_days_for(issue.level))
    issue = services.issue_resolve(issue=issue, actor=ledger.bureau_user_x, resolution="再次办理", at=at(2026, 9, 21))
    issue = services.issue_verify(issue=issue, actor=ledger.officer_a, passed=False, note="未解决", at=at(2026, 9, 22))
    assert issue.due_on == add_working_days(at(2026, 9, 22).date(), ledger.financing.rework_days_for(issue.level))
    issue = services.issue_resolve(issue=issue, actor=ledger.bureau_user_x, resolution="第三次", at=at(2026, 9, 23))
    issue = services.issue_close(issue=issue, actor=ledger.officer_a, at=at(2026, 9, 24))
    assert issue.closed_at == at(2026, 9, 24)
    moments = list(IssueEvent.objects.filter(issue=issue).values_list("at", flat=True))
    assert moments == sorted(moments) and moments[-1] == at(2026, 9, 24)
    assert ExtensionRequest.objects.get().decided_at == at(2026, 9, 14)


def test_reject_merge_and_comment_take_their_moment(ledger):
    def report(title):
        return services.issue_submit(
            enterprise=ledger.enterprise_a,
            actor=ledger.officer_a,
            title=title,
            description="走访发现",
            source=Source.VISIT,
            at=at(2026, 9, 7),
        )

    rejected = services.issue_reject(issue=report("甲"), actor=ledger.officer_a, reason="不属于范围", at=at(2026, 9, 8))
    assert rejected.responded_at == at(2026, 9, 8)
    original, duplicate = report("乙"), report("丙")
    services.issue_comment(issue=original, actor=ledger.officer_a, body="备注", internal=True, at=at(2026, 9, 8, 11))
    services.issue_merge(issue=duplicate, actor=ledger.officer_a, into=original, at=at(2026, 9, 8, 12))
    assert list(IssueEvent.objects.filter(issue=original).values_list("action", "at")) == [
        ("submit", at(2026, 9, 7)),
        ("note", at(2026, 9, 8, 11)),
        ("merged_in", at(2026, 9, 8, 12)),
    ]
    assert IssueEvent.objects.get(issue=duplicate, action="merge").at == at(2026, 9, 8, 12)
