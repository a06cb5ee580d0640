"""Who may take which action on an issue, in which state.

The table ``RULES`` is the single statement of the rules (see the summary in
``issues.services``). Services call ``require()`` before writing; pages call
``allowed_actions()`` to show only the buttons a user may press.
"""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.scoping import is_manager as is_manager  # re-exported: services and pages ask policy.is_manager
from accounts.scoping import scope_for
from common import rules
from common.rules import Rule
from issues.models import OPEN_STATES, ExtensionRequest, ExtensionState, Issue, Level, Source, State

# Action names, as the API spells them (underscored here).
ACCEPT = "accept"
REJECT = "reject"
START = "start"
ESCALATE = "escalate"
RETURN = "return"
EXTEND = "extend"
APPROVE_EXTENSION = "approve_extension"
RESOLVE = "resolve"
VERIFY = "verify"
FEEDBACK = "feedback"
CLOSE = "close"
MERGE = "merge"
NOTE = "note"
REPLY = "reply"


# Who may register an issue (on the page or through the API), and as which source.
SUBMIT_SOURCES: dict[str, str] = {
    Role.ENTERPRISE_USER: Source.ENTERPRISE,
    Role.GRID_OFFICER: Source.VISIT,
    Role.DISTRICT_LEADER: Source.MANAGER,
    Role.MANAGER: Source.MANAGER,
    Role.ADMIN: Source.MANAGER,
}


def submit_source(user: User | None) -> str | None:
    """The source an issue ``user`` registers gets; None when the role may not register one."""
    return SUBMIT_SOURCES.get(scope_for(user).role)


def is_grid_side(user: User | None, issue: Issue) -> bool:
    """An officer or leader of the enterprise's grid, its district leader, or a manager."""
    return scope_for(user).acts_for_grid(issue.enterprise.grid_id)


def is_leader(user: User | None, issue: Issue) -> bool:
    """The grid leader of the enterprise's grid, its district leader, or a manager."""
    scope = scope_for(user)
    if scope.role == Role.GRID_OFFICER:
        return scope.acts_for_grid(issue.enterprise.grid_id) and issue.enterprise.grid.leader_id == getattr(
            user, "pk", None
        )
    return scope.acts_for_grid(issue.enterprise.grid_id)


def in_holding_bureau(user: User | None, issue: Issue) -> bool:
    """Bureau staff of the bureau (or a bureau of the task force) that holds the issue now."""
    scope = scope_for(user)
    if not scope.is_bureau or issue.level == Level.GRID:
        return False
    # Asked once per issue and bureau: a page asks it for every button.
    answers: dict[tuple[object, ...], bool] = issue.__dict__.setdefault("_held_by", {})
    key = (scope.bureau_id, issue.level, issue.bureau_id, issue.task_force_id)
    if key not in answers:
        answers[key] = Issue.objects.filter(pk=issue.pk).filter(scope.holding_bureau_filter()).exists()
    return answers[key]


def holds(user: User | None, issue: Issue) -> bool:
    """The handling unit: the grid at grid level, the bureau or task force above it; managers always."""
    if is_manager(user):
        return True
    if issue.level == Level.GRID:
        return is_grid_side(user, issue)
    return in_holding_bureau(user, issue)


def is_own_enterprise(user: User | None, issue: Issue) -> bool:
    return scope_for(user).speaks_for(issue.enterprise_id)


def is_zone_staff(user: User | None, issue: Issue) -> bool:
    """Any zone staff: the role alone decides (the caller found the issue through the scope)."""
    return scope_for(user).is_staff_side


def _holds_or_grid_side(user: User | None, issue: Issue) -> bool:
    return holds(user, issue) or is_grid_side(user, issue)


# What the issue itself must allow, whoever asks (checked by ``require`` before the role).


def can_go_up(issue: Issue) -> bool:
    """The grid sends to a bureau, a bureau to the task force; the task force is the top."""
    return issue.level != Level.TASK_FORCE


def held_at_bureau_level(issue: Issue) -> bool:
    return issue.level == Level.BUREAU


def has_pending_extension(issue: Issue) -> bool:
    return pending_extension(issue) is not None


def has_no_pending_extension(issue: Issue) -> bool:
    return pending_extension(issue) is None


def _returner(user: User | None, issue: Issue) -> bool:
    return is_manager(user) or in_holding_bureau(user, issue)


def _extension_approver(user: User | None, issue: Issue) -> bool:
    # Nobody approves their own request, except a manager acting as the zone.
    pending = pending_extension(issue)
    if pending is None or not is_leader(user, issue):
        return False
    return pending.requested_by_id != getattr(user, "pk", None) or is_manager(user)


RULES: dict[str, Rule] = {
    ACCEPT: Rule(
        (State.SUBMITTED,), holds, _("受理单位（网格、所属片区负责人或承办科室）"), _("只能受理待受理的问题。")
    ),
    REJECT: Rule(
        (State.SUBMITTED,), holds, _("受理单位（网格、所属片区负责人或承办科室）"), _("只能对待受理的问题作不予立案。")
    ),
    START: Rule((State.ACCEPTED,), holds, _("当前承办单位"), _("只能签收已立案、尚未办理的问题。")),
    ESCALATE: Rule(
        OPEN_STATES,
        holds,
        _("当前承办单位（网格升级至科室，科室升级至专班）"),
        _("只能升级已立案或办理中的问题。"),
        condition=can_go_up,
        condition_text=_("问题已由联合服务专班办理，无法继续升级。"),
    ),
    RETURN: Rule(
        OPEN_STATES,
        _returner,
        _("当前承办科室"),
        _("只能退回已立案或办理中的问题。"),
        condition=held_at_bureau_level,
        condition_text=_("只有业务科室承办的问题才能退回网格。"),
    ),
    EXTEND: Rule(
        OPEN_STATES,
        holds,
        _("当前承办单位（且没有待审批的延期申请）"),
        _("只能为已立案或办理中的问题申请延期。"),
        condition=has_no_pending_extension,
        condition_text=_("已有一条延期申请等待审批。"),
    ),
    APPROVE_EXTENSION: Rule(
        OPEN_STATES,
        _extension_approver,
        _("网格负责人或片区负责人（不能审批本人的申请）"),
        _("该问题没有可审批的延期申请。"),
        condition=has_pending_extension,
        condition_text=_("该问题没有待审批的延期申请。"),
    ),
    RESOLVE: Rule(OPEN_STATES, holds, _("当前承办单位"), _("只能办结已立案或办理中的问题。")),
    VERIFY: Rule((State.RESOLVED,), is_grid_side, _("所属网格员或片区负责人"), _("只能核查已办结的问题。")),
    FEEDBACK: Rule((State.RESOLVED,), is_own_enterprise, _("提出问题的企业"), _("只能评价已办结的问题。")),
    CLOSE: Rule((State.RESOLVED,), is_grid_side, _("所属网格员或片区负责人"), _("只能对已办结的问题销号。")),
    MERGE: Rule(
        (State.SUBMITTED, State.ACCEPTED, State.IN_PROGRESS),
        _holds_or_grid_side,
        _("受理或承办单位"),
        _("只能合并尚未办结的问题。"),
    ),
    NOTE: Rule(
        (State.SUBMITTED, State.ACCEPTED, State.IN_PROGRESS, State.RESOLVED, State.CLOSED, State.REJECTED),
        is_zone_staff,
        _("园区工作人员"),
        _("已合并的问题不能再添加记录。"),
    ),
    REPLY: Rule(
        (State.SUBMITTED, State.ACCEPTED, State.IN_PROGRESS, State.RESOLVED),
        lambda user, issue: is_zone_staff(user, issue) or is_own_enterprise(user, issue),
        _("园区工作人员或提出问题的企业"),
        _("已销号、不予立案或已合并的问题不能再回复。"),
    ),
}


def pending_extension(issue: Issue) -> ExtensionRequest | None:
    # Asked by several rules for one page: read once per issue object.
    if "_pending_extension" not in issue.__dict__:
        issue.__dict__["_pending_extension"] = issue.extensions.filter(state=ExtensionState.PENDING).first()
    pending: ExtensionRequest | None = issue.__dict__["_pending_extension"]
    return pending


def require(action: str, issue: Issue, user: User | None) -> None:
    """Refuse (and explain) an action in the wrong state or by the wrong role."""
    rules.check(RULES[action], issue, state=issue.state, user=user, state_display=issue.get_state_display())


def allowed_actions(issue: Issue, user: User) -> set[str]:
    """The actions ``user`` may take on ``issue`` now (for showing buttons)."""
    return rules.permitted(RULES, lambda action: require(action, issue, user))
