"""Who may do what to a policy or a push, in which state: the one table (cf. ``issues.policy``).

====================  ==============================  ==================================================
action                from state(s)                   who
====================  ==============================  ==================================================
edit (修改)            draft, published                manager, admin
attach (上传附件)      draft, published                manager, admin
publish (发布)         draft                           manager, admin
expire (失效)          published                       manager, admin
push (推送)            published                       grid officer / district leader (own grids), manager,
                                                      admin — to enterprises in their scope only
open (查看)            delivered                       a signed-in user of the pushed enterprise (opening
                                                      again, or by anyone else, records nothing)
acknowledge (确认)     delivered, opened               a user of the pushed enterprise
explain (当面解读)      delivered, opened               the grid side of the enterprise: its officers, its
                                                      district leader, a manager (on its behalf)
====================  ==============================  ==================================================

Officers, district leaders and bureau staff read policies (drafts too, staff side only);
enterprise users read published and expired ones. Services call ``require()`` after the
scope check and the row lock; pages call ``allowed()`` to show only the buttons that work.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.scoping import scope_for
from common import rules
from common.rules import Rule
from policies.models import Policy, PolicyPush, PolicyState, PushState

EDIT = "edit"
ATTACH = "attach"
PUBLISH = "publish"
EXPIRE = "expire"
PUSH = "push"
OPEN = "open"
ACKNOWLEDGE = "acknowledge"
EXPLAIN = "explain"


def is_editor(user: User | None) -> bool:
    """Who keeps the library: managers and admins."""
    return scope_for(user).sees_zone


def is_pusher(user: User | None) -> bool:
    """Who pushes policies: the editors and the grid side (to enterprises in their scope)."""
    return is_editor(user) or scope_for(user).is_grid_side


def may_record_facts(user: User | None) -> bool:
    """Who records the facts the matching lacks: the people who push (editors and the grid side)."""
    return is_pusher(user)


def _own_enterprise(user: User | None, push: PolicyPush) -> bool:
    return scope_for(user).speaks_for(push.enterprise_id)


def _grid_side(user: User | None, push: PolicyPush) -> bool:
    return scope_for(user).acts_for_grid(push.enterprise.grid_id)


EDITORS = _("管委会/经发局领导或系统管理员")
OPEN_STATES = (PolicyState.DRAFT, PolicyState.PUBLISHED)


def _editors_only(states: tuple[str, ...], wrong_state: str | Promise) -> Rule:
    """A library-keeping action: in ``states``, by an editor (``is_editor``); ``wrong_state`` otherwise."""
    return Rule(states, lambda user, policy: is_editor(user), EDITORS, wrong_state)


POLICY_RULES: dict[str, Rule] = {
    EDIT: _editors_only(OPEN_STATES, _("已失效的政策不能再修改。")),
    ATTACH: _editors_only(OPEN_STATES, _("已失效的政策不能再上传附件。")),
    PUBLISH: _editors_only((PolicyState.DRAFT,), _("只能发布草稿状态的政策。")),
    EXPIRE: _editors_only((PolicyState.PUBLISHED,), _("只能将已发布的政策设为失效。")),
    PUSH: Rule(
        (PolicyState.PUBLISHED,),
        lambda user, policy: is_pusher(user),
        _("网格员、片区负责人或管委会/经发局领导"),
        _("只能推送已发布的政策。"),
    ),
}

PUSH_RULES: dict[str, Rule] = {
    OPEN: Rule((PushState.DELIVERED,), _own_enterprise, _("被推送企业的用户"), _("该推送已查看过。")),
    ACKNOWLEDGE: Rule(
        (PushState.DELIVERED, PushState.OPENED), _own_enterprise, _("被推送企业的用户"), _("该推送已确认。")
    ),
    EXPLAIN: Rule(
        (PushState.DELIVERED, PushState.OPENED),
        _grid_side,
        _("企业所在网格的网格员、片区负责人或管委会/经发局领导"),
        _("该推送已确认，无需再登记当面解读。"),
    ),
}


def require(action: str, obj: Policy | PolicyPush, user: User | None) -> None:
    """Refuse (and explain) an action in the wrong state or by the wrong person."""
    table = POLICY_RULES if isinstance(obj, Policy) else PUSH_RULES
    rules.check(table[action], obj, state=obj.state, user=user, state_display=obj.get_state_display())


def allowed(obj: Policy | PolicyPush, user: User | None) -> set[str]:
    """The actions ``user`` may take on ``obj`` now (for showing buttons)."""
    table = POLICY_RULES if isinstance(obj, Policy) else PUSH_RULES
    return rules.permitted(table, lambda action: require(action, obj, user))
