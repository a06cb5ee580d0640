"""The request of a page behind ``login_required``, as the type checker should see it."""

from django.http import HttpRequest

from accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A request ``login_required`` let through: its ``user`` is a portal user, never anonymous."""

    user: User
