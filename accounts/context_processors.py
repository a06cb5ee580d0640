"""Template context every page gets: the bell's unread count, counted only when the nav shows it."""

from django.utils.functional import SimpleLazyObject

from accounts.notifications import unread_count


def notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user=user))}
