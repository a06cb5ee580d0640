"""What the platforms' rows share: who wrote a row, the open/closed state, and the rules a row checks the same way.

``written_by`` is the user link every posting, record and case carries (发布人 / 登记人): kept
when the user is deleted, no reverse accessor on the user. ``check_period`` ("an end is not
before its start") adds to a ``clean()``'s ``errors`` dict, and the API inputs and forms ask the
same ``ends_before_starts``; ``check_version`` refuses a change made on a stale copy; ``checked_save``
is the last step of every service that writes a row.
"""

import datetime
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class OpenState(models.TextChoices):
    """A posting's, listing's or demand's state: on offer until its firm or staff close it."""

    OPEN = "open", _("发布中")
    CLOSED = "closed", _("已关闭")


Row = TypeVar("Row", bound=models.Model)

STALE_COPY = _("数据已被其他操作修改，请刷新后重试。")

# The message of the commonest date rule, worded as the postings and transfers show it.
ENDS_BEFORE_STARTS = _("结束日期不能早于开始日期。")


def written_by(verbose_name: str, *, blank: bool = True) -> models.ForeignKey:
    """The user who posted or recorded the row (``settings.AUTH_USER_MODEL``, SET_NULL, no reverse name)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=blank,
        on_delete=models.SET_NULL,
        related_name="+",
    )


def ends_before_starts(starts_on: datetime.date | None, ends_on: datetime.date | None) -> bool:
    """Whether a period ends before it starts (an open end or start never does)."""
    return bool(starts_on and ends_on and ends_on < starts_on)


def check_period(errors: dict, starts_on, ends_on, *, field: str = "ends_on", message=ENDS_BEFORE_STARTS) -> None:
    """Name ``field`` in ``errors`` when the period ends before it starts."""
    if ends_before_starts(starts_on, ends_on):
        errors[field] = [message]


def check_version(current: int, given: int | None, message=STALE_COPY) -> None:
    """Refuse (400 on ``version``) a change made on a copy read before someone else's: ``given`` is the
    version the user saw, None when they did not say."""
    if given is not None and given != current:
        raise ValidationError({"version": [message]})


def raise_errors(errors: dict) -> None:
    """The end of every ``clean()``: refuse with all the fields named, or pass."""
    if errors:
        raise ValidationError(errors)


def checked_save(row: Row) -> Row:
    """Save ``row`` only once it passes every rule it checks alone (``full_clean``), so a refused row writes
    nothing; the row, saved, for the caller to return or build on."""
    row.full_clean()
    row.save()
    return row
