"""The hourly deadline sweep: due-soon warnings, overdue flags, auto-escalation.

Idempotent for a given moment: notifications carry dedupe keys (per issue, per
deadline, per person) and the OVERDUE / RESPONSE_OVERDUE events and automatic
escalations are written only after checking, under a row lock, that they are
not there yet. Running it twice in the same hour tells nobody twice and writes
no second event.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common.workdays import working_days_between
from issues import figures, notices
from issues.errors import TransitionError
from issues.models import Action, Issue, IssueEvent, Level
from issues.services import issue_escalate
from issues.services.steps import record_event

logger = logging.getLogger(__name__)

# Overdue by more than this many working days → one level up (once per level).
AUTO_ESCALATE_AFTER_WORKING_DAYS = 2


@dataclass
class SweepResult:
    due_soon: int = 0
    overdue: int = 0
    response_overdue: int = 0
    escalated: int = 0
    notified: int = 0


def _issues(condition: Q):
    return (
        Issue.objects.filter(condition)
        .select_related("enterprise__grid__district", "enterprise__grid__leader", "category", "bureau", "task_force")
        .order_by("id")
    )


@transaction.atomic
def _flag_once(issue: Issue, *, action: str, due_on: datetime.date, at: datetime.datetime) -> bool:
    """Write the ``action`` event for this deadline unless it exists; True when written."""
    Issue.objects.select_for_update().filter(pk=issue.pk).first()
    if IssueEvent.objects.filter(issue=issue, action=action, data__due_on=due_on.isoformat()).exists():
        return False
    record_event(
        issue,
        actor=None,
        action=action,
        from_state=issue.state,
        at=at,
        note=_("已超过时限 %(due)s。") % {"due": due_on},
        data={"due_on": due_on.isoformat(), "level": issue.level},
    )
    return True


def _auto_escalated_from(issue: Issue, level: str) -> bool:
    return IssueEvent.objects.filter(
        issue=issue, action=Action.ESCALATE, data__auto=True, data__from_level=level
    ).exists()


def deadline_sweep(*, now: datetime.datetime | None = None) -> SweepResult:
    """Run the sweep as of ``now`` (default: the current time)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = SweepResult()

    # The response clock: submitted issues nobody accepted or rejected in time.
    for issue in _issues(figures.response_overdue(on=today)):
        result.response_overdue += _flag_once(
            issue, action=Action.RESPONSE_OVERDUE, due_on=issue.response_due_on, at=now
        )
        result.notified += notices.tell(
            [*notices.unit_members(issue), *notices.leaders(issue)],
            issue=issue,
            kind="issue_response_overdue",
            title=_("问题超时未受理：%(title)s") % {"title": issue.title},
            body=_("受理时限为 %(due)s。") % {"due": issue.response_due_on},
            key=f"response-overdue:{issue.response_due_on.isoformat()}",
        )

    # Due soon: due today or on the next working day.
    for issue in _issues(figures.due_soon(today=today)):
        result.due_soon += 1
        result.notified += notices.tell(
            notices.handlers(issue),
            issue=issue,
            kind="issue_due_soon",
            title=_("问题即将到期：%(title)s") % {"title": issue.title},
            body=_("办结时限为 %(due)s，请抓紧办理。") % {"due": issue.due_on},
            key=f"due-soon:{issue.due_on.isoformat()}",
        )

    # Overdue: flag once per deadline, tell the handler and the leaders, escalate when far behind.
    for issue in _issues(figures.overdue(on=today)):
        result.overdue += _flag_once(issue, action=Action.OVERDUE, due_on=issue.due_on, at=now)
        result.notified += notices.tell(
            [*notices.handlers(issue), *notices.leaders(issue)],
            issue=issue,
            kind="issue_overdue",
            title=_("问题已逾期：%(title)s") % {"title": issue.title},
            body=_("办结时限为 %(due)s（%(unit)s）。") % {"due": issue.due_on, "unit": issue.get_level_display()},
            key=f"overdue:{issue.due_on.isoformat()}",
        )
        late = working_days_between(issue.due_on, today)
        if late <= AUTO_ESCALATE_AFTER_WORKING_DAYS:
            continue
        if issue.level == Level.TASK_FORCE:
            result.notified += notices.tell(
                notices.managers(),
                issue=issue,
                kind="issue_overdue",
                title=_("专班办理问题严重逾期：%(title)s") % {"title": issue.title},
                body=_("已逾期 %(days)d 个工作日。") % {"days": late},
                key=f"overdue-top:{issue.due_on.isoformat()}",
            )
            continue
        if _auto_escalated_from(issue, issue.level):
            continue
        try:
            issue_escalate(
                issue=issue,
                actor=None,
                automatic=True,
                at=now,
                reason=_("逾期超过 %(days)d 个工作日，系统自动升级。") % {"days": AUTO_ESCALATE_AFTER_WORKING_DAYS},
            )
        except TransitionError as error:
            # Changed by someone while we looked (or no task force configured): next hour decides again.
            logger.warning("auto-escalation of issue %s skipped: %s", issue.pk, error.message)
            continue
        result.escalated += 1
    return result
