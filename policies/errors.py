"""Why a policy action was refused. Every refusal changes nothing.

Pages show ``message``; the API answers ``http_status``: a wrong state or a stale copy is a
conflict (409), a bad value 400, a role that may not act 403. An object outside the user's
scope never reaches a service: the selectors answer 404 first.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from common.errors import InvalidInput, NotPermitted, StateConflict, TransitionError

# The policies' name for the shared base of every refusal.
PolicyError = TransitionError

__all__ = ["Changed", "InvalidInput", "NotPermitted", "PolicyError", "StateConflict"]


class Changed(StateConflict):
    code = "changed"

    def __init__(self, message: str | Promise | None = None) -> None:
        super().__init__(message or _("内容已被他人更新，请刷新后再操作。"))
