"""What the policy pages (the library, pushes, trainings) share."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest

from common.errors import TransitionError


def act_and_tell(
    request: HttpRequest, success: str, service: Callable[..., Any], **arguments: Any
) -> TransitionError | None:
    """Run ``service(**arguments)`` for a POST and say how it went as a message: the refusal's
    own words (it changed nothing) or ``success``. Returns the refusal, ``None`` when done."""
    try:
        service(**arguments)
    except TransitionError as error:
        messages.error(request, error.message)
        return error
    messages.success(request, success)
    return None
