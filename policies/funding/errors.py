"""Why a funding (or training) action was refused. Every refusal changes nothing.

Pages show ``message``; the API answers ``http_status``: a wrong state or a lost race
is 409, a missing reason or a bad value 400, a role that may not act 403. An
application outside the user's scope never reaches a service: the selectors answer 404.
"""

from django.utils.translation import gettext_lazy as _


class TransitionError(Exception):
    http_status = 400
    code = "transition_error"

    def __init__(self, message, *, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class InvalidInput(TransitionError):
    http_status = 400
    code = "invalid_input"


class NotPermitted(TransitionError):
    http_status = 403
    code = "not_permitted"


class StateConflict(TransitionError):
    http_status = 409
    code = "state_conflict"


class ApplicationChanged(StateConflict):
    code = "application_changed"

    def __init__(self, message=None):
        super().__init__(message or _("该申报已被他人更新，请刷新后再操作。"))
