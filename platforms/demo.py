"""What the matching platforms' demo steps share: whose account posts for a firm, backdating a row
written today, and leaving the current proposals in every state.

The steps write through the services (the demo obeys the pages' rules); only the timestamps are set
afterwards, so a past deal reads as past.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from accounts.models import Role, User
from platforms.matching import AGREE, CONTACT, DECLINE, EXPIRE, proposal_transition


def users_by_enterprise() -> dict[int, User]:
    """Each firm's first enterprise user (by username), who posts for it."""
    found: dict[int, User] = {}
    for user in User.objects.filter(role=Role.ENTERPRISE_USER, enterprise__isnull=False).order_by("username"):
        found.setdefault(user.enterprise_id, user)
    return found


def backdate(model, pk: int, moment: datetime.datetime, **fields) -> None:
    """Date a row the services wrote today at ``moment`` (with any other ``fields`` of its past)."""
    model.objects.filter(pk=pk).update(created_at=moment, updated_at=moment, **fields)


def leave_in_every_state(
    proposals: Iterable[Any],
    *,
    act: Callable[..., Any],
    actor_of: Callable[[Any], User],
    reasons: Sequence[str],
    contact_before_agree: bool,
) -> None:
    """Leave the proposals, in turn, proposed, contacted, declined (for one of ``reasons``), expired and agreed.

    ``act`` is the platform's ``*_proposal_act``; ``actor_of(proposal)`` who answers it. A platform whose
    agreements follow a call is contacted first (``contact_before_agree``).
    """
    for index, proposal in enumerate(proposals):
        actor = actor_of(proposal)
        step = index % 5
        if step == 1:
            act(proposal=proposal, action=CONTACT, actor=actor)
        elif step == 2:
            act(proposal=proposal, action=DECLINE, actor=actor, reason=reasons[index % len(reasons)])
        elif step == 3:
            proposal_transition(proposal, action=EXPIRE, actor=None)
        elif step == 4:
            if contact_before_agree:
                proposal = act(proposal=proposal, action=CONTACT, actor=actor)
            act(proposal=proposal, action=AGREE, actor=actor)
