"""Why an action was refused — one set of refusals for every app. Every refusal changes nothing.

Pages show ``message`` to the user; the API answers ``http_status`` (``common.api.refusal_response``):
a wrong state or a lost race is a conflict (409), a missing reason or a bad value a bad request
(400, naming ``field`` when there is one), a role that may not act 403. An object outside the
user's scope never reaches a service: the selectors answer 404 first.
"""

from django.utils.functional import Promise


class TransitionError(Exception):
    """Base of every refused action."""

    http_status = 400
    code = "transition_error"

    def __init__(self, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class InvalidInput(TransitionError):
    """A reason or other required value is missing or wrong."""

    http_status = 400
    code = "invalid_input"


class NotPermitted(TransitionError):
    """The user's role may not take this action on this object."""

    http_status = 403
    code = "not_permitted"


class StateConflict(TransitionError):
    """The object is in a state from which this action is not possible."""

    http_status = 409
    code = "state_conflict"
