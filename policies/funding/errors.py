"""Why a funding (or training) action was refused. Every refusal changes nothing.

Pages show ``message``; the API answers ``http_status``: a wrong state or a lost race
is 409, a missing reason or a bad value 400, a role that may not act 403. An
application outside the user's scope never reaches a service: the selectors answer 404.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from common.errors import InvalidInput, NotPermitted, StateConflict, TransitionError

__all__ = ["ApplicationChanged", "InvalidInput", "NotPermitted", "StateConflict", "TransitionError"]


class ApplicationChanged(StateConflict):
    code = "application_changed"

    def __init__(self, message: str | Promise | None = None) -> None:
        super().__init__(message or _("该申报已被他人更新，请刷新后再操作。"))
