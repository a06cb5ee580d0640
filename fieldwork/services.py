"""Every write of field work. Pages, the API, the admin and the demo call these."""

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.files import MAX_FILES_PER_VISIT, Upload, validate_uploads
from common.periods import IsoWeek, local_zone
from enterprises.models import Enterprise
from fieldwork.models import ContactMode, Visit, VisitAttachment, WeeklyTracking
from fieldwork.selectors import may_log_for
from issues.models import Category, Source
from issues.services import issue_submit

MAX_PROBLEMS = 10
# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = datetime.timedelta(minutes=5)
# Visits are logged at the gate or soon after; a year back covers late entries.
OLDEST_VISIT = datetime.timedelta(days=366)


@dataclass(frozen=True)
class RaisedProblem:
    """A problem raised during a visit; it becomes a submitted issue."""

    title: str
    description: str
    category: Category | None = None


def _check_may_log(*, officer: User, enterprise: Enterprise) -> None:
    if not may_log_for(user=officer, enterprise=enterprise):
        raise ValidationError({"enterprise": _("只能为本人所在网格的企业登记走访和周跟踪。")})


def _check_problems(problems: Sequence[RaisedProblem]) -> None:
    if len(problems) > MAX_PROBLEMS:
        raise ValidationError({"problems": _("一次走访最多登记 %(max)d 个问题。") % {"max": MAX_PROBLEMS}})
    for number, problem in enumerate(problems, start=1):
        if not problem.title.strip() or not problem.description.strip():
            raise ValidationError({"problems": _("第 %(n)d 个问题缺少标题或描述。") % {"n": number}})


def _check_says_what_happened(*, findings: str, problems: Sequence[RaisedProblem]) -> None:
    """A visit records what was found or done: its findings, or a problem it raised."""
    if not findings.strip() and not problems:
        raise ValidationError({"findings": _("请填写走访情况，或登记至少一个发现的问题。")})


def _check_attachments(attachments: Sequence[Upload]) -> None:
    try:
        validate_uploads(attachments, max_files=MAX_FILES_PER_VISIT)
    except ValidationError as error:
        raise ValidationError({"attachments": error.messages}) from error


def visit_create(
    *,
    officer: User,
    enterprise: Enterprise,
    visited_at: datetime.datetime | None = None,
    mode: str = ContactMode.ON_SITE,
    met_with: str = "",
    findings: str = "",
    output_value: Decimal | None = None,
    orders_trend: str = "",
    employees: int | None = None,
    capacity_use: int | None = None,
    has_difficulties: bool = False,
    problems: Sequence[RaisedProblem] = (),
    attachments: Sequence[Upload] = (),
    client_key: uuid.UUID | None = None,
    at: datetime.datetime | None = None,
) -> Visit:
    """Log a visit, submit each raised problem to the ledger and store the files.

    ``client_key`` is the idempotency key the officer's phone gave the visit: sent again
    (a queued visit whose answer was lost, a second tap), the visit already stored under
    that key is returned as it is, with ``replayed`` set, and nothing new is written. A key
    used by another officer or for another enterprise is refused on ``client_key``.

    A visit must say what was found or done: non-blank ``findings`` (走访情况:
    what was learned or done at the enterprise), or at least one problem raised
    during the visit (``problems``, each with a title and a description). The
    rest only adds detail to that account and makes no visit on its own: who
    was met, the mode, the operating figures (output, orders trend, employees,
    capacity use), the 存在困难 flag (a difficulty worth noting is written in
    the findings or raised as a problem) and attachments. A visit without
    either is refused on ``findings``.

    All or nothing: a bad file, a bad problem or a bad field refuses the whole
    visit before anything is written; the rows go in one transaction, and files
    already written to storage are removed if that transaction fails.

    ``at`` is the moment the visit is recorded (default now): the visit time defaults to it and
    is checked against it, the row's timestamps and the raised problems' submission follow it
    (a seeder or a fixture records a past visit as it was recorded then).
    """
    _check_may_log(officer=officer, enterprise=enterprise)
    if client_key is not None:
        earlier = _visit_with_key(client_key, officer=officer, enterprise=enterprise)
        if earlier is not None:
            return earlier
    _check_problems(problems)
    _check_says_what_happened(findings=findings, problems=problems)
    _check_attachments(attachments)
    now = at or timezone.now()
    visited_at = visited_at or now
    if visited_at > now + CLOCK_SKEW:
        raise ValidationError({"visited_at": _("走访时间不能晚于当前时间。")})
    if visited_at < now - OLDEST_VISIT:
        raise ValidationError({"visited_at": _("走访时间不能早于一年前。")})
    visit = Visit(
        enterprise=enterprise,
        officer=officer,
        visited_at=visited_at,
        mode=mode,
        met_with=met_with.strip(),
        findings=findings.strip(),
        output_value=output_value,
        orders_trend=orders_trend,
        employees=employees,
        capacity_use=capacity_use,
        # A visit that raised a problem found a difficulty, whatever the box said.
        has_difficulties=has_difficulties or bool(problems),
        client_key=client_key,
    )
    visit.full_clean(validate_unique=False)  # the key's uniqueness is the database's (a concurrent twin below)

    stored_files: list[str] = []
    try:
        with transaction.atomic():
            visit.save()
            if at is not None:
                # The timestamps are stamped on insert; a visit recorded for an earlier moment keeps it.
                Visit.objects.filter(pk=visit.pk).update(created_at=at, updated_at=at)
                visit.created_at = visit.updated_at = at
            issues = []
            for number, problem in enumerate(problems, start=1):
                try:
                    issues.append(
                        issue_submit(
                            enterprise=enterprise,
                            actor=officer,
                            title=problem.title,
                            description=problem.description,
                            source=Source.VISIT,
                            category=problem.category,
                            at=at,
                        )
                    )
                except ValidationError as error:
                    raise ValidationError(
                        {"problems": [_("第 %(n)d 个问题：") % {"n": number} + m for m in error.messages]}
                    ) from error
            if issues:
                visit.raised_issues.add(*issues)
            for upload in attachments:
                attachment = VisitAttachment(
                    visit=visit,
                    original_name=Path(upload.name or "file").name[:200],
                    size=upload.size or 0,
                    uploaded_by=officer,
                )
                attachment.file.save(upload.name or "file", upload, save=False)
                stored_files.append(attachment.file.name or "")
                attachment.save()
    except BaseException as error:
        for name in stored_files:
            default_storage.delete(name)
        if client_key is not None and isinstance(error, IntegrityError):
            # The same visit sent twice at once: the other request stored it first.
            earlier = _visit_with_key(client_key, officer=officer, enterprise=enterprise)
            if earlier is not None:
                return earlier
        raise
    visit.replayed = False  # type: ignore[attr-defined]
    return visit


def _visit_with_key(client_key: uuid.UUID, *, officer: User, enterprise: Enterprise) -> Visit | None:
    """The visit already stored under this idempotency key (``replayed`` set), or None."""
    earlier = Visit.objects.filter(client_key=client_key).first()
    if earlier is None:
        return None
    if earlier.officer_id != officer.pk or earlier.enterprise_id != enterprise.pk:
        raise ValidationError({"client_key": _("该提交标识已被另一条走访记录使用。")})
    earlier.replayed = True  # type: ignore[attr-defined]
    return earlier


def weekly_tracking_record(
    *,
    officer: User,
    enterprise: Enterprise,
    week: IsoWeek | None = None,
    mode: str = ContactMode.PHONE,
    output_value: Decimal | None = None,
    orders_trend: str = "",
    employees: int | None = None,
    capacity_use: int | None = None,
    risk_orders: bool = False,
    risk_funding: bool = False,
    risk_labour: bool = False,
    risk_safety: bool = False,
    note: str = "",
    at: datetime.datetime | None = None,
) -> tuple[WeeklyTracking, bool]:
    """Record the enterprise's tracking for an ISO week (this week by default).

    One row per enterprise per week: a second entry for the same week updates
    that row's figures. ``tracked_at`` stays the time of the first entry (a
    growth enterprise's tracking counts for the month of that day, and a later
    correction must not move it into another month); ``updated_at`` records
    the last edit. Returns ``(tracking, created)``.

    ``at`` is the moment of the entry (default now): the default week is the ISO week of its
    day in Asia/Shanghai, a week that has not begun by then is refused, and ``tracked_at``
    (on a new row), ``created_at`` and ``updated_at`` follow it.
    """
    _check_may_log(officer=officer, enterprise=enterprise)
    now = at or timezone.now()
    today = timezone.localdate(now, timezone=local_zone())
    week = week or IsoWeek.of(today)
    if week.monday > today:
        raise ValidationError({"week": _("不能填报尚未开始的周。")})
    values = {
        "mode": mode,
        "output_value": output_value,
        "orders_trend": orders_trend,
        "employees": employees,
        "capacity_use": capacity_use,
        "risk_orders": risk_orders,
        "risk_funding": risk_funding,
        "risk_labour": risk_labour,
        "risk_safety": risk_safety,
        "note": note.strip(),
        "week_start": week.monday,
        "officer": officer,
    }
    first_entry = {**values, "tracked_at": now}
    keys = {"enterprise": enterprise, "iso_year": week.year, "iso_week": week.week}
    # Check the values on a throw-away row; the unique key is the upsert's, not an error.
    WeeklyTracking(**keys, **first_entry).full_clean(validate_unique=False, validate_constraints=False)
    # update_or_create locks the row (or retries a racing insert) on the unique key;
    # only a new row gets a tracked time, an update keeps the first one.
    tracking, created = WeeklyTracking.objects.update_or_create(**keys, defaults=values, create_defaults=first_entry)
    if at is not None:
        # The timestamps are stamped on save; an entry recorded for an earlier moment keeps it.
        stamps = {"updated_at": at, **({"created_at": at} if created else {})}
        WeeklyTracking.objects.filter(pk=tracking.pk).update(**stamps)
        for field, value in stamps.items():
            setattr(tracking, field, value)
    return tracking, created
