"""What every transition shares: the row lock, the version check, events, files, deadlines."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from common.files import validate_upload
from common.workdays import add_working_days
from issues import policy
from issues.errors import InvalidInput, IssueChanged, NotPermitted
from issues.history import ledger_facts
from issues.models import (
    Attachment,
    Issue,
    IssueEvent,
    State,
)
from issues.selectors import issues_visible

MAX_EXTENSION_DAYS = 30


# --- Plumbing ------------------------------------------------------------------


def _today(at: datetime.datetime) -> datetime.date:
    return timezone.localdate(at)


def _required(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(message)
    return value


def _lock(issue: Issue, *, action: str, actor: User | None) -> Issue:
    """Lock the row and refuse a stale copy, another scope, a wrong state or role."""
    if actor is not None and not policy.is_manager(actor):
        if not issues_visible(user=actor).filter(pk=issue.pk).exists():
            raise NotPermitted(_("问题不存在或不在您的权限范围内。"))
    locked = (
        Issue.objects.select_for_update(of=("self",))
        .select_related("enterprise__grid__district", "category", "bureau", "task_force")
        .get(pk=issue.pk)
    )
    if locked.version != issue.version:
        raise IssueChanged()
    if actor is not None:
        policy.require(action, locked, actor)
    locked._history_user = actor  # the 变更记录 names who acted, also outside a request (API, jobs)
    return locked


def _save(issue: Issue) -> None:
    issue.version += 1
    issue.full_clean()
    issue.save()


def _event(
    issue: Issue,
    *,
    actor: User | None,
    action: str,
    from_state: str,
    at: datetime.datetime,
    reason: str = "",
    note: str = "",
    is_internal: bool = False,
    data: dict | None = None,
) -> IssueEvent:
    return IssueEvent.objects.create(
        issue=issue,
        actor=actor,
        at=at,
        action=action,
        from_state=from_state,
        to_state=issue.state,
        reason=reason,
        note=note,
        is_internal=is_internal,
        data=data or {},
        **ledger_facts(issue),
    )


def _check_files(files: Sequence[UploadedFile]) -> None:
    for upload in files:
        try:
            validate_upload(upload)
        except ValidationError as error:
            raise InvalidInput(f"{upload.name}: {' '.join(error.messages)}") from error


def _attach(
    issue: Issue, event: IssueEvent, files: Sequence[UploadedFile], *, actor: User | None, internal: bool
) -> None:
    for upload in files:
        attachment = Attachment(
            issue=issue,
            event=event,
            name=(upload.name or "file")[:200],
            size=upload.size,
            uploaded_by=actor,
            uploaded_at=event.at,
            is_internal=internal,
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.full_clean()
        attachment.save()


def _deadline(issue: Issue, *, today: datetime.date) -> datetime.date:
    return add_working_days(today, issue.category.days_for(issue.level))


def _restart(issue: Issue, *, today: datetime.date) -> None:
    """Send a resolved issue back to work (不满意, or a failed check) on a new handling deadline.

    The earlier resolution is history: it stays in the timeline (its ``resolve`` event) and leaves
    the issue's current fields, so the page does not show it as the result.
    """
    issue.state = State.IN_PROGRESS
    issue.due_on = add_working_days(today, issue.category.rework_days_for(issue.level))
    issue.resolution = ""
    issue.resolved_at = None
    issue.handling_working_days = None


def _is_unit_person(actor: User | None) -> bool:
    return bool(actor and actor.role in (Role.GRID_OFFICER, Role.BUREAU_STAFF))
