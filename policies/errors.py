"""Why a policy action was refused. Every refusal changes nothing.

Pages show ``message``; the API answers ``http_status``: a wrong state or a stale copy is a
conflict (409), a bad value 400, a role that may not act 403. An object outside the user's
scope never reaches a service: the selectors answer 404 first.
"""

from django.utils.translation import gettext_lazy as _


class PolicyError(Exception):
    http_status = 400
    code = "policy_error"

    def __init__(self, message, *, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field  # the input it is about, for a form to show it under that field


class InvalidInput(PolicyError):
    code = "invalid_input"


class NotPermitted(PolicyError):
    http_status = 403
    code = "not_permitted"


class StateConflict(PolicyError):
    http_status = 409
    code = "state_conflict"


class Changed(StateConflict):
    code = "changed"

    def __init__(self, message=None):
        super().__init__(message or _("内容已被他人更新，请刷新后再操作。"))
