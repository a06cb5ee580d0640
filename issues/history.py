"""The ledger as it stood at a moment, read from the timeline.

Every ``IssueEvent`` records, beside ``to_state``, what the ledger said of the issue once it had
happened: its deadline, level, bureau and handler (``ledger_facts``). The state of any issue at a
moment is therefore the one its last event before that moment left it in, and a month's figures
computed from these (``analytics.aggregates``, ``analytics.evaluation``) are the same whenever
they are computed: a later escalation, extension, reopening or second resolution adds events
after the month and changes nothing in it (DESIGN §4).
"""

import datetime

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery

from issues.models import Action, Issue, IssueEvent, State


def ledger_facts(issue: Issue) -> dict:
    """The columns an event copies from the issue it was written for, after the change."""
    return {
        "to_due_on": issue.due_on,
        "to_level": issue.level,
        "to_bureau_id": issue.bureau_id,
        "to_handler_id": issue.handler_id,
    }


def issues_as_of(moment: datetime.datetime, issues: QuerySet[Issue] | None = None) -> QuerySet[Issue]:
    """The issues that existed before ``moment``, each annotated with what it was just before it.

    ``as_of_state``, ``as_of_due_on``, ``as_of_level``, ``as_of_bureau_id`` and ``as_of_handler_id``
    come from its last event before ``moment``; ``reopened_by`` is true when a 不满意 had sent it back
    to work by then. Fields that can only move once (``created_at``, and ``resolved_at``,
    ``closed_at`` and ``handling_working_days`` of an issue closed by then: closed is final) are
    read from the row.
    """
    last = IssueEvent.objects.filter(issue=OuterRef("pk"), at__lt=moment).order_by("-at", "-id")
    queryset = Issue.objects.all() if issues is None else issues
    return queryset.filter(created_at__lt=moment).annotate(
        as_of_state=Subquery(last.values("to_state")[:1]),
        as_of_due_on=Subquery(last.values("to_due_on")[:1]),
        as_of_level=Subquery(last.values("to_level")[:1]),
        as_of_bureau_id=Subquery(last.values("to_bureau_id")[:1]),
        as_of_handler_id=Subquery(last.values("to_handler_id")[:1]),
        reopened_by=Exists(
            IssueEvent.objects.filter(
                issue=OuterRef("pk"), at__lt=moment, action=Action.FEEDBACK, to_state=State.IN_PROGRESS
            )
        ),
    )


def last_events_as_of(moment: datetime.datetime, issues: QuerySet[Issue] | None = None) -> QuerySet[IssueEvent]:
    """``issues_as_of`` read the other way round: one row per issue, its last event before ``moment``.

    The rows carry the same ``as_of_*`` names and ``reopened_by`` as ``issues_as_of``, so the
    ``figures.AS_OF`` filters read them unchanged, and the issue's own fields through ``issue__``.
    Each issue's last event is looked up once (one index probe per issue), where ``issues_as_of``
    repeats its correlated subquery at every reference: the monthly figures refer to the state and
    the deadline a dozen times in one query. An issue without an event before ``moment`` has no row
    (every issue has its 提交 event at ``created_at``; ``issues_as_of`` gives such an issue nulls,
    which no figure counts).
    """
    queryset = Issue.objects.all() if issues is None else issues
    last = IssueEvent.objects.filter(issue=OuterRef("pk"), at__lt=moment).order_by("-at", "-id")
    last_ids = (
        queryset.filter(created_at__lt=moment)
        .order_by()
        .annotate(last_event_id=Subquery(last.values("pk")[:1]))
        .values("last_event_id")
    )
    return IssueEvent.objects.filter(pk__in=last_ids).annotate(
        as_of_state=F("to_state"),
        as_of_due_on=F("to_due_on"),
        as_of_level=F("to_level"),
        as_of_bureau_id=F("to_bureau_id"),
        as_of_handler_id=F("to_handler_id"),
        reopened_by=Exists(
            IssueEvent.objects.filter(
                issue=OuterRef("issue"), at__lt=moment, action=Action.FEEDBACK, to_state=State.IN_PROGRESS
            )
        ),
    )


def resolved_between(start: datetime.datetime, end: datetime.datetime, *, issue: str = "pk") -> Exists:
    """For an Issue queryset (or, with ``issue="issue"``, an IssueEvent one): resolved (办结) at least
    once in ``[start, end)``, whatever happened after."""
    return Exists(IssueEvent.objects.filter(issue=OuterRef(issue), action=Action.RESOLVE, at__gte=start, at__lt=end))


def unit_at_feedback() -> dict:
    """For a Feedback queryset: the issue's bureau and handler when the feedback was given."""
    events = IssueEvent.objects.filter(issue=OuterRef("issue"), at__lte=OuterRef("at")).order_by("-at", "-id")
    return {
        "as_of_bureau_id": Subquery(events.values("to_bureau_id")[:1]),
        "as_of_handler_id": Subquery(events.values("to_handler_id")[:1]),
    }
