"""The ledger's order, kept by the database in ``ledger_rank`` and ``running_deadline`` and served by
one index: what someone must act on first (soonest deadline first, the response deadline while
submitted), then resolved issues awaiting feedback, then the finished ones, newest first."""

import datetime

import pytest
from django.db import connection
from django.db.models import Q

from issues.models import Issue, State, ledger_rank_of
from issues.selectors import issue_list
from tests.issues.conftest import accepted, closed, fresh, in_progress, merged, rejected, resolved, submitted
from tests.issues.test_ledger_filters import ledger_page, ledger_titles

pytestmark = pytest.mark.django_db


def test_each_state_gets_its_rank_and_running_deadline(ledger):
    waiting = submitted(ledger, title="待受理")
    taken = accepted(ledger, title="已立案")
    working = in_progress(ledger, title="办理中")
    done = resolved(ledger, title="已办结")
    finished = closed(ledger)
    refused = rejected(ledger)
    duplicate = merged(ledger)

    ranks = {
        issue.title: (fresh(issue).ledger_rank, fresh(issue).running_deadline)
        for issue in (waiting, taken, working, done)
    }
    assert ranks == {
        "待受理": (0, fresh(waiting).response_due_on),
        "已立案": (0, fresh(taken).due_on),
        "办理中": (0, fresh(working).due_on),
        "已办结": (1, None),
    }
    for issue in (finished, refused, duplicate):
        assert (fresh(issue).ledger_rank, fresh(issue).running_deadline) == (2, None)
    # The ledger's state filter narrows by the rank it reads off each state (issues.models.ledger_rank_of).
    for issue in (waiting, taken, working, done, finished, refused, duplicate):
        assert ledger_rank_of(fresh(issue).state) == fresh(issue).ledger_rank, issue.state
    assert {fresh(issue).state for issue in (waiting, taken, working, done, finished, refused, duplicate)} == set(
        State.values
    )


def test_the_ledger_lists_in_that_order_and_follows_a_transition(ledger, client_for):
    done = resolved(ledger, title="已办结")
    later = in_progress(ledger, title="晚到期")
    Issue.objects.filter(pk=later.pk).update(due_on=datetime.date(2026, 11, 20))
    sooner = in_progress(ledger, title="早到期")
    Issue.objects.filter(pk=sooner.pk).update(due_on=datetime.date(2026, 11, 5))
    finished = closed(ledger)

    order = list(issue_list(user=ledger.manager).values_list("pk", flat=True))
    assert order[:4] == [sooner.pk, later.pk, done.pk, finished.pk]

    # The database recomputes the columns on every write: the finished one moves to the end.
    Issue.objects.filter(pk=sooner.pk).update(state="closed")
    order = list(issue_list(user=ledger.manager).values_list("pk", flat=True))
    assert order.index(sooner.pk) > order.index(done.pk)

    titles = ledger_titles(ledger_page(client_for(ledger.manager)))
    assert titles.index("晚到期") < titles.index("已办结") < titles.index("早到期")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_the_order_is_read_from_its_index_not_sorted(ledger):
    for number in range(3):
        in_progress(ledger, title=f"问题{number}")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = issue_list(user=ledger.manager)[:30].explain()
    assert "issue_ledger_order" in plan
    assert "Sort" not in plan.split("issue_ledger_order")[0].splitlines()[-1]


def test_behind_read_from_the_order_columns_is_the_two_clocks_run_out(ledger):
    """``figures.behind`` narrows the two clocks by ``ledger_rank`` and ``running_deadline`` (for the
    index): those columns alone pick the same issues as either clock run out, the handling deadline
    of an open issue or the response deadline of a submitted one, on the day before, of and after
    each deadline."""
    from issues import figures

    issues = [submitted(ledger), accepted(ledger), in_progress(ledger), resolved(ledger), closed(ledger)]
    issues += [rejected(ledger), merged(ledger)]
    # A resolved or closed issue keeps the deadline it had: no clock runs, so never behind.
    deadlines = {fresh(issue).due_on or fresh(issue).response_due_on for issue in issues} - {None}
    days = sorted({day + datetime.timedelta(days=shift) for day in deadlines for shift in (-1, 0, 1)})
    assert len(days) >= 3

    seen = set()
    for today in days:
        by_clocks = figures.overdue(on=today) | figures.response_overdue(on=today)
        expected = set(Issue.objects.filter(by_clocks).values_list("pk", flat=True))
        by_columns = Q(ledger_rank=0, running_deadline__lt=today)
        assert set(Issue.objects.filter(by_columns).values_list("pk", flat=True)) == expected
        assert set(Issue.objects.filter(figures.behind(today=today)).values_list("pk", flat=True)) == expected
        seen |= expected
    # Each clock ran out on some day: the submitted issue's response clock and the open ones' handling clock.
    assert {issues[0].pk, issues[1].pk, issues[2].pk} <= seen
    assert not seen & {issue.pk for issue in issues[3:]}
