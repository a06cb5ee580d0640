"""The steps every transition takes, shared by the service modules.

``lock_for`` (scope, row lock, version, rule — in that order, by ``common.transitions``),
``record_event``, the files (``check_files``, ``attach_files``) and the deadlines
(``handling_deadline``, ``restart_handling``).
"""

import datetime
from collections.abc import Sequence
from typing import Any, TypeAlias, cast

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from common.files import validate_upload
from common.transitions import lock_for_action, require_visible
from common.workdays import add_working_days
from issues import policy
from issues.errors import InvalidInput, IssueChanged
from issues.history import ledger_facts
from issues.models import (
    Attachment,
    Category,
    Issue,
    IssueEvent,
    State,
)
from issues.selectors import issues_visible

# An uploaded file as the forms and the API hand it over.
Upload: TypeAlias = "UploadedFile[Any]"


def local_day(at: datetime.datetime) -> datetime.date:
    return timezone.localdate(at)


def _in_scope(actor: User | None) -> QuerySet[Issue] | None:
    """The issues ``actor`` may act on; None where no scope applies (a manager, a job)."""
    return None if actor is None or policy.is_manager(actor) else issues_visible(user=actor)


def refuse_out_of_scope(issue: Issue, *, actor: User | None) -> None:
    require_visible(issue, visible=_in_scope(actor), out_of_scope=_("问题不存在或不在您的权限范围内。"))


def lock_for(issue: Issue, *, action: str, actor: User | None) -> Issue:
    """Lock the row and refuse a stale copy, another scope, a wrong state or role."""
    refuse_out_of_scope(issue, actor=actor)
    return lock_for_action(
        issue,
        changed=IssueChanged,
        require=None if actor is None else (lambda locked: policy.require(action, locked, actor)),
        actor=actor,
        related=("enterprise__grid__district", "category", "bureau", "task_force"),
    )


def record_event(
    issue: Issue,
    *,
    actor: User | None,
    action: str,
    from_state: str,
    at: datetime.datetime,
    reason: str = "",
    note: str = "",
    is_internal: bool = False,
    data: dict[str, Any] | None = None,
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


def check_files(files: Sequence[Upload]) -> None:
    for upload in files:
        try:
            validate_upload(upload)
        except ValidationError as error:
            raise InvalidInput(f"{upload.name}: {' '.join(error.messages)}") from error


def attach_files(
    issue: Issue, event: IssueEvent, files: Sequence[Upload], *, actor: User | None, internal: bool
) -> None:
    for upload in files:
        attachment = Attachment(
            issue=issue,
            event=event,
            name=(upload.name or "file")[:200],
            size=upload.size or 0,
            uploaded_by=actor,
            uploaded_at=event.at,
            is_internal=internal,
        )
        attachment.file.save(upload.name or "file", upload, save=False)
        attachment.full_clean()
        attachment.save()


def category_of(issue: Issue) -> Category:
    """The category of an issue past intake (accepting one requires it)."""
    return cast(Category, issue.category)


def deadline_of(issue: Issue) -> datetime.date:
    """The handling deadline of an accepted issue (set on acceptance, kept while it is open)."""
    return cast(datetime.date, issue.due_on)


def handling_deadline(issue: Issue, *, today: datetime.date) -> datetime.date:
    return add_working_days(today, category_of(issue).days_for(issue.level))


def restart_handling(issue: Issue, *, today: datetime.date) -> datetime.date:
    """Send a resolved issue back to work (不满意, or a failed check) on a new handling deadline.

    The earlier resolution is history: it stays in the timeline (its ``resolve`` event) and leaves
    the issue's current fields, so the page does not show it as the result.
    """
    issue.state = State.IN_PROGRESS
    due_on = add_working_days(today, category_of(issue).rework_days_for(issue.level))
    issue.due_on = due_on
    issue.resolution = ""
    issue.resolved_at = None
    issue.handling_working_days = None
    return due_on


def is_unit_person(actor: User | None) -> bool:
    return bool(actor and actor.role in (Role.GRID_OFFICER, Role.BUREAU_STAFF))
