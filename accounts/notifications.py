"""Notifications: the one way any app tells a person something."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Notification, Role, User

_quiet: ContextVar[bool] = ContextVar("notifications_quiet", default=False)


def enterprise_people(*, enterprise_id: int) -> QuerySet[User]:
    """The active accounts of an enterprise: whom a notice to the enterprise reaches."""
    return User.objects.filter(role=Role.ENTERPRISE_USER, enterprise_id=enterprise_id, is_active=True)


def bureau_people(*, bureau_id: int) -> QuerySet[User]:
    """The active staff of a bureau: whom a notice to the bureau reaches."""
    return User.objects.filter(role=Role.BUREAU_STAFF, bureau_id=bureau_id, is_active=True)


@contextmanager
def quiet() -> Iterator[None]:
    """Tell nobody while the block runs: ``notify`` writes no notification and queues no email.

    For replaying history through the services (the demo seeders): the events happened
    months ago, so nobody is to be told of them now, and nothing may be emailed.
    """
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def is_quiet() -> bool:
    """Inside ``quiet()``: callers may skip working out whom to tell."""
    return _quiet.get()


def notify(
    *, recipient: User, kind: str, title: str, body: str = "", url: str = "", dedupe_key: str | None = None
) -> Notification | None:
    """Create a notification and queue its email after commit.

    Returns None when ``dedupe_key`` was already used (nothing is sent twice), or inside ``quiet()``.
    """
    if is_quiet():
        return None
    if dedupe_key and Notification.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient, kind=kind, title=title[:200], body=body, url=url, dedupe_key=dedupe_key
            )
    except IntegrityError:
        # A concurrent run created it between the check and the insert.
        return None
    if recipient.email:
        from accounts.tasks import send_notification_email

        transaction.on_commit(lambda: send_notification_email.delay(notification.pk))
    return notification


def notifications_for(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one (or, with no id, all) of the user's notifications read."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
