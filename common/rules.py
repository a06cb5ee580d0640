"""The shape every state machine's rule table takes (the ledger, funding, policies, incidents).

Each app keeps its own table of ``Rule`` rows — which states an action starts from, who may
take it, and the Chinese reasons shown when it is refused — and asks ``check()`` before a
write and ``permitted()`` for the buttons a page shows. The refusals are the shared ones of
``common.errors``, so the API answers every app's refusals alike.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from common.errors import NotPermitted, StateConflict


@dataclass(frozen=True)
class Rule:
    states: tuple[str, ...]
    # Called with the user, then the objects the table's ``check`` is given (the row, …).
    who: Callable[..., bool]
    who_text: str | Promise
    state_text: str | Promise
    # A further condition on the row (level, a pending request), with the refusal shown when it fails.
    condition: Callable[..., bool] | None = None
    condition_text: str | Promise = ""


def check(rule: Rule, *subjects: object, state: str, user: object, state_display: str | None = None) -> None:
    """Refuse (and explain) an action in the wrong state, failing its condition, or by the wrong person.

    ``subjects`` (the row first) go to ``rule.who`` after the user, and to ``rule.condition``.
    With ``state_display`` the state refusal also names the current state.
    """
    if state not in rule.states:
        if state_display is None:
            raise StateConflict(rule.state_text)
        raise StateConflict(_("%(rule)s 当前状态：%(state)s。") % {"rule": rule.state_text, "state": state_display})
    if rule.condition is not None and not rule.condition(*subjects):
        raise StateConflict(rule.condition_text)
    if not rule.who(user, *subjects):
        raise NotPermitted(_("您无权执行此操作：仅限%(who)s。") % {"who": rule.who_text})


def permitted(actions: Iterable[str], require: Callable[[str], None]) -> set[str]:
    """The actions ``require`` lets through (for showing only the buttons that work)."""
    allowed = set()
    for action in actions:
        try:
            require(action)
        except (StateConflict, NotPermitted):
            continue
        allowed.add(action)
    return allowed
