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


# Each recorded action and the rule of the state machine (``issues.policy.RULES``) it went through.
RULE_OF_ACTION = {
    "accept": "accept",
    "reject": "reject",
    "start": "start",
    "escalate": "escalate",
    "return": "return",
    "extend_request": "extend",
    "extend_approve": "approve_extension",
    "extend_refuse": "approve_extension",
    "resolve": "resolve",
    "verify_pass": "verify",
    "verify_fail": "verify",
    "feedback": "feedback",
    "close": "close",
    "merge": "merge",
    "note": "note",
    "reply": "reply",
}
# Actions that leave the state as it was.
IN_PLACE = {"extend_request", "extend_approve", "extend_refuse", "note", "reply", "merged_in"}


def test_every_demo_timeline_replays_through_the_state_machine(demo_zone):
    """Each event starts from the state the one before left, in a state its rule allows; the issue's
    counters and version are what its events add up to; nobody was notified of the replayed past."""
    from accounts.models import Notification
    from issues.policy import RULES

    for issue in Issue.objects.prefetch_related("events"):
        events = list(issue.events.all())
        assert (events[0].action, events[0].to_state) == ("submit", "submitted"), issue.pk
        state, version, counts = "submitted", 0, {}
        for event in events[1:]:
            assert event.from_state == state, (issue.pk, event.action)
            if event.action == "merged_in":
                assert event.to_state == state
                continue
            assert state in RULES[RULE_OF_ACTION[event.action]].states, (issue.pk, event.action, state)
            if event.action in IN_PLACE:
                assert event.to_state == state, (issue.pk, event.action)
            version += event.action not in ("note", "reply")
            key = (event.action, event.data.get("rating") == "dissatisfied")
            counts[key] = counts.get(key, 0) + 1
            state = event.to_state
        assert state == issue.state and version == issue.version, issue.pk
        assert issue.escalation_count == counts.get(("escalate", False), 0)
        assert issue.rework_count == counts.get(("verify_fail", False), 0)
        assert issue.reopen_count == counts.get(("feedback", True), 0)
        assert issue.extension_count == counts.get(("extend_approve", False), 0)
    assert not Notification.objects.filter(kind__startswith="issue_").exists()


def test_the_seeder_writes_the_ledger_only_through_the_services(db, monkeypatch):
    """Every service the seeder may call is wrapped and counted: each event, feedback and extension
    request of the demo ledger was written by one call of its service."""
    from collections import Counter

    from issues import services
    from issues.models import ExtensionRequest

    calls: Counter[str] = Counter()

    def counted(name, service):
        def call(**kwargs):
            calls[name] += 1
            return service(**kwargs)

        return call

    for name in services.__all__:
        if name.startswith("issue_"):
            monkeypatch.setattr(services, name, counted(name, getattr(services, name)))
    grids_demo.seed_demo_data(stdout=StringIO())
    enterprises_demo.seed_demo_data(stdout=StringIO())
    demo.seed_demo_data(stdout=StringIO())
    events = Counter(IssueEvent.objects.values_list("action", flat=True))
    assert calls["issue_submit"] == Issue.objects.count() == events["submit"]
    for name, actions in {
        "issue_accept": ["accept"],
        "issue_reject": ["reject"],
        "issue_start": ["start"],
        "issue_escalate": ["escalate"],
        "issue_request_extension": ["extend_request"],
        "issue_decide_extension": ["extend_approve", "extend_refuse"],
        "issue_resolve": ["resolve"],
        "issue_verify": ["verify_pass", "verify_fail"],
        "issue_feedback": ["feedback"],
        "issue_close": ["close"],
        "issue_merge": ["merge"],
        "issue_comment": ["note", "reply"],
    }.items():
        assert calls[name] == sum(events[action] for action in actions), name
    played = ("issue_accept", "issue_reject", "issue_start", "issue_escalate", "issue_decide_extension")
    played += ("issue_resolve", "issue_verify", "issue_feedback", "issue_merge", "issue_comment")
    assert all(calls[name] > 0 for name in played), calls
    assert calls["issue_feedback"] == Feedback.objects.count()
    assert calls["issue_request_extension"] == ExtensionRequest.objects.count()
