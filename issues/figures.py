"""The ledger's figures, each defined once as a query expression (DESIGN §3).

"Counted", "due", "closed on time", "overdue", "due soon" and "satisfied" are
written here and nowhere else. The ledger's badges and filters, the measures of
``issues.metrics``, the monthly aggregates and the officer evaluation of
``analytics`` and the deadline sweep all build their filters from them.

They read an issue through ``Columns``: the live ledger (``LIVE``), or the issue
as it stood at the end of a period (``AS_OF``: the annotations of
``issues.history.issues_as_of`` or ``last_events_as_of`` plus ``resolved_on``, the
local date of its resolution), so a month's figures stay what they were however its
issues moved later.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, CharField, F, Q, Value, When

from common.workdays import add_working_days
from issues.models import OPEN_STATES, Rating, State

# What the SLA badge says of an issue's running clock.
SLA_OK = "ok"
SLA_DUE_SOON = "due_soon"
SLA_OVERDUE = "overdue"


@dataclass(frozen=True)
class Columns:
    """Where the figures read an issue's state, handling deadline and resolution date."""

    state: str
    due_on: str
    resolved_on: str


LIVE = Columns(state="state", due_on="due_on", resolved_on="resolved_at__date")
AS_OF = Columns(state="as_of_state", due_on="as_of_due_on", resolved_on="resolved_on")


def counted(columns: Columns = LIVE) -> Q:
    """Issues that count in the figures: every one but the rejected and the merged."""
    return ~Q(**{f"{columns.state}__in": [State.REJECTED, State.MERGED]})


def due(*, start: datetime.date, before: datetime.date, columns: Columns = LIVE) -> Q:
    """Counted issues whose handling deadline falls in ``[start, before)``."""
    return counted(columns) & Q(**{f"{columns.due_on}__gte": start, f"{columns.due_on}__lt": before})


def closed(columns: Columns = LIVE) -> Q:
    return Q(**{columns.state: State.CLOSED})


def resolved_in_time(columns: Columns = LIVE) -> Q:
    """Resolved on or before the handling deadline (a closed issue's resolution is its last)."""
    return Q(**{f"{columns.resolved_on}__isnull": False, f"{columns.resolved_on}__lte": F(columns.due_on)})


def closed_on_time(columns: Columns = LIVE) -> Q:
    """按期结案: closed, and resolved on or before the handling deadline."""
    return closed(columns) & resolved_in_time(columns)


def overdue(*, on: datetime.date, columns: Columns = LIVE) -> Q:
    """The handling clock ran out: still accepted or in progress, the deadline before ``on``."""
    return Q(**{f"{columns.state}__in": OPEN_STATES, f"{columns.due_on}__lt": on})


def response_overdue(*, on: datetime.date) -> Q:
    """The response clock ran out: still submitted, the response deadline before ``on``."""
    return Q(state=State.SUBMITTED, response_due_on__lt=on)


def due_soon(*, today: datetime.date) -> Q:
    """The handling deadline is today or the next working day."""
    return Q(state__in=OPEN_STATES, due_on__gte=today, due_on__lte=add_working_days(today, 1))


def response_due_soon(*, today: datetime.date) -> Q:
    return Q(state=State.SUBMITTED, response_due_on__gte=today, response_due_on__lte=add_working_days(today, 1))


def behind(*, today: datetime.date) -> Q:
    """The ledger's 已逾期: either clock ran out.

    ``Issue.ledger_rank`` 0 (a clock runs: submitted, or open) with ``Issue.running_deadline`` (the
    response deadline while submitted, the handling deadline while open) passed says the same of
    every issue (``tests/issues/test_ledger_order.py``); stated beside the clocks, it lets the
    index ``issue_ledger_order``, which carries the state and both deadlines, answer as one range
    read from the index alone: a province's overdue count in 11 ms instead of 312.
    """
    return (overdue(on=today) | response_overdue(on=today)) & Q(ledger_rank=0, running_deadline__lt=today)


def nearly_behind(*, today: datetime.date) -> Q:
    """The ledger's 即将到期: either clock runs out today or on the next working day."""
    return due_soon(today=today) | response_due_soon(today=today)


def clock_running() -> Q:
    return Q(state=State.SUBMITTED, response_due_on__isnull=False) | Q(state__in=OPEN_STATES, due_on__isnull=False)


def sla(*, today: datetime.date) -> Case:
    """The SLA badge of each issue: overdue, due soon, ok, or None when no clock runs."""
    return Case(
        When(behind(today=today), then=Value(SLA_OVERDUE)),
        When(nearly_behind(today=today), then=Value(SLA_DUE_SOON)),
        When(clock_running(), then=Value(SLA_OK)),
        default=Value(None),
        output_field=CharField(),
    )


def satisfied() -> Q:
    """Feedback that counts as satisfied: 满意 or 基本满意."""
    return Q(rating__in=[Rating.SATISFIED, Rating.BASICALLY])
