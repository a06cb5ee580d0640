"""The issue state machine. Pages, API, Celery and commands all call these."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from enterprises.models import Enterprise
from issues.models import Category, Issue, IssueEvent, Source, State


@transaction.atomic
def issue_submit(
    *,
    enterprise: Enterprise,
    actor: User | None,
    title: str,
    description: str,
    source: str,
    category: Category | None = None,
) -> Issue:
    """Record a new problem as ``submitted``; the response clock starts."""
    if source not in Source.values:
        raise ValidationError({"source": _("未知的问题来源。")})
    issue = Issue(
        enterprise=enterprise,
        title=title.strip(),
        description=description.strip(),
        source=source,
        category=category,
        state=State.SUBMITTED,
        created_by=actor,
    )
    issue.full_clean()
    issue.save()
    IssueEvent.objects.create(
        issue=issue, actor=actor, at=timezone.now(), action="submit", from_state="", to_state=State.SUBMITTED
    )
    return issue
