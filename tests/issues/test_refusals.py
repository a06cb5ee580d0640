"""Every illegal action is refused with a clear error and changes nothing."""

import pytest

from issues import services
from issues.errors import InvalidInput, IssueChanged, NotPermitted, StateConflict
from issues.models import Issue, Rating
from tests.issues.conftest import BUILDERS, accepted, at_bureau, at_task_force, fresh, in_progress, resolved, submitted
from tests.issues.helpers import snapshot

# The valid arguments of each action (what is left to go wrong is the state or the role).
VALID_ARGS = {
    "accept": {},
    "reject": {"reason": "不属于服务范围"},
    "start": {},
    "escalate": {"reason": "需上级协调"},
    "return": {"reason": "分派有误"},
    "extend": {"days": 2, "reason": "材料未齐"},
    "approve_extension": {"approve": True},
    "resolve": {"resolution": "已办理"},
    "verify": {"passed": True},
    "feedback": {"rating": Rating.SATISFIED},
    "close": {},
    "merge": {},
}

# States from which each action is legal (issues.policy.RULES).
LEGAL_FROM = {
    "accept": {"submitted"},
    "reject": {"submitted"},
    "start": {"accepted"},
    "escalate": {"accepted", "in_progress"},
    "return": set(),  # grid-level issues cannot be returned; tested at bureau level below
    "extend": {"accepted", "in_progress"},
    "approve_extension": set(),  # needs a pending request
    "resolve": {"accepted", "in_progress"},
    "verify": {"resolved"},
    "feedback": {"resolved"},
    "close": {"resolved"},
    "merge": {"submitted", "accepted", "in_progress"},
}


def call(action: str, issue: Issue, actor, ledger, **overrides):
    kwargs = {**VALID_ARGS[action], **overrides}
    if action == "accept":
        kwargs.setdefault("category", ledger.financing)
    if action == "merge":
        kwargs.setdefault("into", accepted(ledger, title="另一个问题"))
    return services.ACTIONS[action](issue=issue, actor=actor, **kwargs)


def refused(error_class, action, issue, actor, ledger, **overrides):
    before = snapshot(issue)
    with pytest.raises(error_class) as caught:
        call(action, issue, actor, ledger, **overrides)
    if action == "merge":  # the merge target built for the call is not part of what must not change
        before["events"] = snapshot(issue)["events"]
        before["notifications"] = snapshot(issue)["notifications"]
    assert snapshot(issue) == before
    assert str(caught.value.message)  # a clear message
    return caught.value


WRONG_STATE_CASES = [
    (state, action)
    for state in BUILDERS
    for action in VALID_ARGS
    if state not in LEGAL_FROM[action] and action != "feedback"
]


@pytest.mark.parametrize(("state", "action"), WRONG_STATE_CASES)
def test_an_action_in_the_wrong_state_is_a_conflict(ledger, state, action):
    issue = BUILDERS[state](ledger)
    # The manager may do everything but feedback, so only the state is wrong.
    refused(StateConflict, action, issue, ledger.manager, ledger)


@pytest.mark.parametrize("state", [s for s in BUILDERS if s != "resolved"])
def test_feedback_on_an_issue_that_is_not_resolved_is_a_conflict(ledger, state):
    refused(StateConflict, "feedback", BUILDERS[state](ledger), ledger.enterprise_user_a, ledger)


WRONG_ROLE_CASES = [
    # (how to build the issue, action, who tries)
    (submitted, "accept", "bureau_user_x"),
    (submitted, "accept", "officer_b"),
    (submitted, "accept", "leader_b"),
    (submitted, "accept", "enterprise_user_a"),
    (submitted, "reject", "enterprise_user_a"),
    (accepted, "start", "bureau_user_x"),
    (accepted, "resolve", "enterprise_user_a"),
    (accepted, "escalate", "enterprise_user_a"),
    (at_bureau, "resolve", "officer_a"),  # the grid no longer holds it
    (at_bureau, "start", "bureau_user_y"),  # another bureau
    (at_bureau, "return", "officer_a"),
    (at_bureau, "escalate", "officer_a"),
    (at_bureau, "extend", "officer_a"),
    (at_task_force, "return", "bureau_user_x"),  # only a bureau returns to the grid
    (resolved, "verify", "bureau_user_x"),
    (resolved, "verify", "enterprise_user_a"),
    (resolved, "close", "enterprise_user_a"),
    (resolved, "feedback", "manager"),  # the manager may do everything but feedback
    (resolved, "feedback", "officer_a"),
    (resolved, "feedback", "enterprise_user_b"),  # another enterprise
    (in_progress, "merge", "enterprise_user_a"),
]


@pytest.mark.parametrize(("build", "action", "who"), WRONG_ROLE_CASES)
def test_an_action_by_the_wrong_role_is_refused(ledger, build, action, who):
    issue = build(ledger)
    error_class = StateConflict if (build, action) == (at_task_force, "return") else NotPermitted
    refused(error_class, action, issue, getattr(ledger, who), ledger)


def test_return_at_grid_level_is_a_conflict(ledger):
    refused(StateConflict, "return", in_progress(ledger), ledger.manager, ledger)


def test_escalation_stops_at_the_task_force(ledger):
    error = refused(StateConflict, "escalate", at_task_force(ledger), ledger.manager, ledger)
    assert "专班" in str(error.message)


MISSING_REASON_CASES = [
    (submitted, "reject", {"reason": "  "}),
    (accepted, "escalate", {"reason": ""}),
    (at_bureau, "return", {"reason": ""}),
    (accepted, "extend", {"reason": ""}),
    (accepted, "extend", {"days": 0}),
    (accepted, "extend", {"days": 31}),
    (accepted, "resolve", {"resolution": ""}),
    (resolved, "verify", {"passed": False, "note": ""}),
]


@pytest.mark.parametrize(("build", "action", "overrides"), MISSING_REASON_CASES)
def test_a_missing_reason_is_refused(ledger, build, action, overrides):
    issue = build(ledger)
    actor = ledger.bureau_user_x if build is at_bureau else ledger.officer_a
    refused(InvalidInput, action, issue, actor, ledger, **overrides)


def test_dissatisfied_feedback_needs_a_comment_and_an_unknown_rating_is_refused(ledger):
    issue = resolved(ledger)
    refused(InvalidInput, "feedback", issue, ledger.enterprise_user_a, ledger, rating=Rating.DISSATISFIED, comment="")
    refused(InvalidInput, "feedback", issue, ledger.enterprise_user_a, ledger, rating="great")


def test_accept_needs_a_category(ledger):
    refused(InvalidInput, "accept", submitted(ledger), ledger.officer_a, ledger, category=None)


def test_extension_rules(ledger):
    issue = in_progress(ledger)
    services.issue_request_extension(issue=issue, actor=ledger.officer_a, days=2, reason="材料未齐")
    issue = fresh(issue)
    # One pending request at a time.
    refused(StateConflict, "extend", issue, ledger.officer_a2, ledger)
    # A plain officer is no leader; the requester cannot approve his own request.
    refused(NotPermitted, "approve_extension", issue, ledger.officer_a2, ledger)
    refused(NotPermitted, "approve_extension", issue, ledger.officer_a, ledger)
    refused(NotPermitted, "approve_extension", issue, ledger.leader_b, ledger)
    # Refusing needs a reason.
    refused(InvalidInput, "approve_extension", issue, ledger.leader_a, ledger, approve=False, note="")


def test_merge_rules(ledger):
    issue = submitted(ledger)
    refused(InvalidInput, "merge", issue, ledger.officer_a, ledger, into=issue)
    other_enterprise = accepted(ledger, enterprise=ledger.enterprise_b)
    refused(InvalidInput, "merge", issue, ledger.manager, ledger, into=other_enterprise)
    closed_target = BUILDERS["closed"](ledger)
    refused(InvalidInput, "merge", fresh(issue), ledger.officer_a, ledger, into=closed_target)


def test_a_stale_copy_is_told_the_issue_changed(ledger):
    issue = accepted(ledger)
    stale = Issue.objects.get(pk=issue.pk)
    services.issue_start(issue=issue, actor=ledger.officer_a)

    before = snapshot(issue)
    with pytest.raises(IssueChanged):
        services.issue_resolve(issue=stale, actor=ledger.officer_a2, resolution="已办理")
    assert snapshot(issue) == before


def test_an_enterprise_user_cannot_add_internal_notes_or_submit_for_another_enterprise(ledger):
    issue = accepted(ledger)
    before = snapshot(issue)
    with pytest.raises(NotPermitted):
        services.issue_comment(issue=issue, actor=ledger.enterprise_user_a, body="内部", internal=True)
    with pytest.raises(NotPermitted):
        services.issue_comment(issue=issue, actor=ledger.enterprise_user_b, body="别家的", internal=False)
    with pytest.raises(NotPermitted):
        services.issue_submit(
            enterprise=ledger.enterprise_b,
            actor=ledger.enterprise_user_a,
            title="冒名",
            description="x",
            source="enterprise",
        )
    assert snapshot(issue) == before
