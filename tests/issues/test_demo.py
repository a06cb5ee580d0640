"""The demo ledger: every state and level, overdue and reopened issues; deterministic and idempotent."""

from io import StringIO

import pytest

from enterprises.registry import demo as enterprises_demo
from grids import demo as grids_demo
from issues import demo
from issues.models import Category, Feedback, Issue, IssueEvent, Level, ResponseTemplate, State


def _rows():
    return (
        list(Issue.objects.order_by("pk").values()),
        list(IssueEvent.objects.order_by("pk").values()),
        list(Feedback.objects.order_by("pk").values()),
        list(Category.objects.order_by("pk").values()),
        list(ResponseTemplate.objects.order_by("pk").values()),
    )


@pytest.fixture
def demo_zone(db):
    grids_demo.seed_demo_data(stdout=StringIO())
    enterprises_demo.seed_demo_data(stdout=StringIO())
    demo.seed_demo_data(stdout=StringIO())


def test_the_demo_ledger_shows_every_state_and_level(demo_zone):
    assert set(Issue.objects.values_list("state", flat=True)) == set(State.values)
    open_levels = set(Issue.objects.filter(state__in=["accepted", "in_progress"]).values_list("level", flat=True))
    assert open_levels == set(Level.values)
    assert Issue.objects.filter(state__in=["accepted", "in_progress"], due_on__lt="2026-11-02").exists()  # overdue
    assert Issue.objects.filter(reopen_count__gt=0).exists()
    assert Issue.objects.filter(rework_count__gt=0).exists()
    assert Issue.objects.filter(extension_count__gt=0).exists()
    assert Issue.objects.get(state="merged").duplicate_of.state in ("submitted", "accepted", "in_progress")
    # enterprise-001 has a resolved issue to give feedback on.
    assert Issue.objects.filter(enterprise__users__username="enterprise-001", state="resolved").exists()
    # Categories name their bureaus by code, as the article's difficulties.
    assert Category.objects.get(code="schooling").default_bureau.code == "education"
    assert Category.objects.get(code="financing").default_bureau.code == "finance-office"
    # Every bureau that held an issue is involved (the bureaus' enterprise scope depends on it).
    for issue in Issue.objects.exclude(level="grid").prefetch_related("bureaus_involved"):
        assert issue.bureau_id in {bureau.pk for bureau in issue.bureaus_involved.all()}


def test_the_timeline_of_every_demo_issue_is_consistent(demo_zone):
    for issue in Issue.objects.prefetch_related("events"):
        events = list(issue.events.all())
        assert events[0].action == "submit"
        states = [event.to_state for event in events if event.to_state]
        assert states[-1] == issue.state, issue.pk
        assert all(a.at <= b.at for a, b in zip(events, events[1:], strict=False)), issue.pk


def test_seeding_twice_changes_nothing(demo_zone):
    before = _rows()
    out = StringIO()
    demo.seed_demo_data(stdout=out)
    assert _rows() == before
    assert "nothing to do" in out.getvalue()
