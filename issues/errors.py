"""Why a transition was refused. Every refusal changes nothing.

Pages show ``message`` to the user; the API maps each class to a status code
(``http_status``): a wrong state or a lost race is a conflict (409), a missing
reason or bad value is a bad request (400), a role that may not act is 403.
An issue outside the user's scope never reaches a service: the selectors
answer 404 first.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from common.errors import InvalidInput, NotPermitted, StateConflict, TransitionError

__all__ = ["InvalidInput", "IssueChanged", "NotPermitted", "StateConflict", "TransitionError"]


class IssueChanged(StateConflict):
    """Someone else changed the issue since this user loaded it (a lost race)."""

    code = "issue_changed"

    def __init__(self, message: str | Promise | None = None) -> None:
        super().__init__(message or _("该问题已被他人更新，请刷新后再操作。"))
