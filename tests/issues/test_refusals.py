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


STATE_LABELS = {
    "submitted": "待受理",
    "accepted": "已立案",
    "in_progress": "办理中",
    "resolved": "已办结",
    "closed": "已销号",
    "rejected": "不予立案",
    "merged": "已合并",
}
# What each action says when the issue is in a state it cannot be taken from.
WRONG_STATE_MESSAGES = {
    "accept": "只能受理待受理的问题。",
    "reject": "只能对待受理的问题作不予立案。",
    "start": "只能签收已立案、尚未办理的问题。",
    "escalate": "只能升级已立案或办理中的问题。",
    "return": "只能退回已立案或办理中的问题。",
    "extend": "只能为已立案或办理中的问题申请延期。",
    "approve_extension": "该问题没有可审批的延期申请。",
    "resolve": "只能办结已立案或办理中的问题。",
    "verify": "只能核查已办结的问题。",
    "feedback": "只能评价已办结的问题。",
    "close": "只能对已办结的问题销号。",
    "merge": "只能合并尚未办结的问题。",
}
# In the states an action is taken from, what is missing: a bureau holding it, a pending request.
MISSING_CONDITION_MESSAGES = {
    "return": "只有业务科室承办的问题才能退回网格。",
    "approve_extension": "该问题没有待审批的延期申请。",
}
OUT_OF_SCOPE = "问题不存在或不在您的权限范围内。"
NOT_PERMITTED = "您无权执行此操作：仅限{}。"


def wrong_state_message(action: str, state: str) -> str:
    if action in MISSING_CONDITION_MESSAGES and state in ("accepted", "in_progress"):
        return MISSING_CONDITION_MESSAGES[action]
    return f"{WRONG_STATE_MESSAGES[action]} 当前状态：{STATE_LABELS[state]}。"


def refused(error_class, action, issue, actor, ledger, *, message: str, **overrides):
    before = snapshot(issue)
    with pytest.raises(error_class) as caught:
        call(action, issue, actor, ledger, **overrides)
    if action == "merge":  # the merge target built for the call is not part of what must not change
        before["events"] = snapshot(issue)["events"]
        before["notifications"] = snapshot(issue)["notifications"]
    assert snapshot(issue) == before
    assert str(caught.value.message) == message
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
    refused(StateConflict, action, issue, ledger.manager, ledger, message=wrong_state_message(action, state))


@pytest.mark.parametrize("state", [s for s in BUILDERS if s != "resolved"])
def test_feedback_on_an_issue_that_is_not_resolved_is_a_conflict(ledger, state):
    issue = BUILDERS[state](ledger)
    refused(
        StateConflict,
        "feedback",
        issue,
        ledger.enterprise_user_a,
        ledger,
        message=wrong_state_message("feedback", state),
    )


WRONG_ROLE_CASES = [
    # (how to build the issue, action, who tries, what they are told)
    (submitted, "accept", "bureau_user_x", OUT_OF_SCOPE),
    (submitted, "accept", "officer_b", OUT_OF_SCOPE),
    (submitted, "accept", "leader_b", OUT_OF_SCOPE),
    (submitted, "accept", "enterprise_user_a", NOT_PERMITTED.format("受理单位（网格、所属片区负责人或承办科室）")),
    (submitted, "reject", "enterprise_user_a", NOT_PERMITTED.format("受理单位（网格、所属片区负责人或承办科室）")),
    (accepted, "start", "bureau_user_x", OUT_OF_SCOPE),
    (accepted, "resolve", "enterprise_user_a", NOT_PERMITTED.format("当前承办单位")),
    (accepted, "escalate", "enterprise_user_a", NOT_PERMITTED.format("当前承办单位（网格升级至科室，科室升级至专班）")),
    (at_bureau, "resolve", "officer_a", NOT_PERMITTED.format("当前承办单位")),  # the grid no longer holds it
    (at_bureau, "start", "bureau_user_y", OUT_OF_SCOPE),  # another bureau
    (at_bureau, "return", "officer_a", NOT_PERMITTED.format("当前承办科室")),
    (at_bureau, "escalate", "officer_a", NOT_PERMITTED.format("当前承办单位（网格升级至科室，科室升级至专班）")),
    (at_bureau, "extend", "officer_a", NOT_PERMITTED.format("当前承办单位（且没有待审批的延期申请）")),
    (
        at_task_force,
        "return",
        "bureau_user_x",
        MISSING_CONDITION_MESSAGES["return"],
    ),  # only a bureau returns to the grid
    (resolved, "verify", "bureau_user_x", OUT_OF_SCOPE),
    (resolved, "verify", "enterprise_user_a", NOT_PERMITTED.format("所属网格员或片区负责人")),
    (resolved, "close", "enterprise_user_a", NOT_PERMITTED.format("所属网格员或片区负责人")),
    (
        resolved,
        "feedback",
        "manager",
        NOT_PERMITTED.format("提出问题的企业"),
    ),  # the manager may do everything but feedback
    (resolved, "feedback", "officer_a", NOT_PERMITTED.format("提出问题的企业")),
    (resolved, "feedback", "enterprise_user_b", OUT_OF_SCOPE),  # another enterprise
    (in_progress, "merge", "enterprise_user_a", NOT_PERMITTED.format("受理或承办单位")),
]


@pytest.mark.parametrize(("build", "action", "who", "message"), WRONG_ROLE_CASES)
def test_an_action_by_the_wrong_role_is_refused(ledger, build, action, who, message):
    issue = build(ledger)
    error_class = StateConflict if (build, action) == (at_task_force, "return") else NotPermitted
    refused(error_class, action, issue, getattr(ledger, who), ledger, message=message)


def test_return_at_grid_level_is_a_conflict(ledger):
    refused(
        StateConflict,
        "return",
        in_progress(ledger),
        ledger.manager,
        ledger,
        message=MISSING_CONDITION_MESSAGES["return"],
    )


def test_escalation_stops_at_the_task_force(ledger):
    message = "问题已由联合服务专班办理，无法继续升级。"
    refused(StateConflict, "escalate", at_task_force(ledger), ledger.manager, ledger, message=message)


MISSING_REASON_CASES = [
    (submitted, "reject", {"reason": "  "}, "不予立案必须填写理由。"),
    (accepted, "escalate", {"reason": ""}, "升级必须填写理由。"),
    (at_bureau, "return", {"reason": ""}, "退回必须填写理由。"),
    (accepted, "extend", {"reason": ""}, "申请延期必须填写理由。"),
    (accepted, "extend", {"days": 0}, "延期天数须为 1 至 30 个工作日。"),
    (accepted, "extend", {"days": 31}, "延期天数须为 1 至 30 个工作日。"),
    (accepted, "resolve", {"resolution": ""}, "办结必须填写办理结果。"),
    (resolved, "verify", {"passed": False, "note": ""}, "核查未通过必须填写原因。"),
]


@pytest.mark.parametrize(("build", "action", "overrides", "message"), MISSING_REASON_CASES)
def test_a_missing_reason_is_refused(ledger, build, action, overrides, message):
    issue = build(ledger)
    actor = ledger.bureau_user_x if build is at_bureau else ledger.officer_a
    refused(InvalidInput, action, issue, actor, ledger, message=message, **overrides)


def test_dissatisfied_feedback_needs_a_comment_and_an_unknown_rating_is_refused(ledger):
    issue = resolved(ledger)
    user = ledger.enterprise_user_a
    message = "选择不满意时请说明原因。"
    refused(InvalidInput, "feedback", issue, user, ledger, message=message, rating=Rating.DISSATISFIED, comment="")
    message = "请选择评价：满意、基本满意或不满意。"
    refused(InvalidInput, "feedback", issue, user, ledger, message=message, rating="great")


def test_accept_needs_a_category(ledger):
    message = "受理立案需要选择问题类别。"
    refused(InvalidInput, "accept", submitted(ledger), ledger.officer_a, ledger, message=message, category=None)


def test_extension_rules(ledger):
    issue = in_progress(ledger)
    services.issue_request_extension(issue=issue, actor=ledger.officer_a, days=2, reason="材料未齐")
    issue = fresh(issue)
    # One pending request at a time.
    refused(StateConflict, "extend", issue, ledger.officer_a2, ledger, message="已有一条延期申请等待审批。")
    # A plain officer is no leader; the requester cannot approve his own request.
    leaders_only = NOT_PERMITTED.format("网格负责人或片区负责人（不能审批本人的申请）")
    refused(NotPermitted, "approve_extension", issue, ledger.officer_a2, ledger, message=leaders_only)
    refused(NotPermitted, "approve_extension", issue, ledger.officer_a, ledger, message=leaders_only)
    refused(NotPermitted, "approve_extension", issue, ledger.leader_b, ledger, message=OUT_OF_SCOPE)
    # Refusing needs a reason.
    message = "不予延期必须填写理由。"
    refused(InvalidInput, "approve_extension", issue, ledger.leader_a, ledger, message=message, approve=False, note="")


def test_merge_rules(ledger):
    issue = submitted(ledger)
    refused(InvalidInput, "merge", issue, ledger.officer_a, ledger, message="不能与问题本身合并。", into=issue)
    other_enterprise = accepted(ledger, enterprise=ledger.enterprise_b)
    message = "只能合并同一企业的问题。"
    refused(InvalidInput, "merge", issue, ledger.manager, ledger, message=message, into=other_enterprise)
    closed_target = BUILDERS["closed"](ledger)
    message = "目标问题已销号，不能并入。"
    refused(InvalidInput, "merge", fresh(issue), ledger.officer_a, ledger, message=message, into=closed_target)


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
