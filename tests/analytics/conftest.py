"""A hand-built October 2026 in the fixed cast, with its right answers written in the tests.

Districts A (grid GA: enterprise_a growth, enterprise_a_key leading) and
B (grid GB: enterprise_b struggling). Times are Asia/Shanghai (+08:00).
"""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from common.periods import IsoWeek
from enterprises.models import EmploymentRecord, Industry, OperatingIndicator, Tier, TierChange
from fieldwork.models import Visit, WeeklyTracking
from fieldwork.services import visit_create, weekly_tracking_record
from issues.history import ledger_facts
from issues.models import Action, Feedback, Issue, IssueEvent, Level, Rating, State
from tests.factories import CategoryFactory, EnterpriseFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime.datetime:
    """``"2026-10-31 23:30"`` in Asia/Shanghai."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def fresh_cache_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield


@pytest.fixture
def mid_november():
    """Now is 2026-11-15 10:00 in Shanghai: October has ended, November is running."""
    with time_machine.travel(at("2026-11-15 10:00"), tick=False):
        yield


def make_visit(enterprise, officer, when: str) -> Visit:
    """A visit logged through the service at the moment it took place."""
    return visit_create(officer=officer, enterprise=enterprise, findings="走访了解生产经营情况。", at=at(when))


def make_tracking(enterprise, officer, monday: datetime.date, tracked_at: str, **figures) -> WeeklyTracking:
    """The week of ``monday`` tracked through the service at ``tracked_at``."""
    tracking, _created = weekly_tracking_record(
        officer=officer, enterprise=enterprise, week=IsoWeek.of(monday), at=at(tracked_at), **figures
    )
    return tracking


def make_issue(enterprise, *, created: str, **fields) -> Issue:
    """An issue in the state ``fields`` describe, with the timeline that led there (``write_timeline``)."""
    issue = Issue.objects.create(
        enterprise=enterprise, title=fields.pop("title", "问题"), description="说明", source="visit", **fields
    )
    Issue.objects.filter(pk=issue.pk).update(created_at=at(created))
    issue.refresh_from_db()
    write_timeline(issue)
    return issue


def write_timeline(issue: Issue) -> None:
    """The events the services would have written to reach the issue's fields, at the fields' times.

    The month's figures read the ledger as its events left it (``issues.history``), so a
    hand-built issue needs its timeline: submitted at ``created_at``, accepted at ``accepted_at``,
    a 不满意 for each ``reopen_count``, resolved at ``resolved_at``, closed at ``closed_at``.
    """
    minute = datetime.timedelta(minutes=1)
    steps = [(issue.created_at, Action.SUBMIT, State.SUBMITTED, {"to_due_on": None})]
    if issue.state in (State.REJECTED, State.MERGED):
        action = Action.REJECT if issue.state == State.REJECTED else Action.MERGE
        steps.append((issue.created_at + minute, action, issue.state, {"to_due_on": None}))
    if issue.accepted_at:
        steps.append((issue.accepted_at, Action.ACCEPT, State.ACCEPTED, {}))
        if issue.state != State.ACCEPTED:
            steps.append((issue.accepted_at + minute, Action.START, State.IN_PROGRESS, {}))
    if issue.resolved_at:
        for round_ in range(issue.reopen_count):
            moment = issue.resolved_at - (issue.reopen_count - round_) * 2 * minute
            steps.append((moment, Action.RESOLVE, State.RESOLVED, {}))
            steps.append((moment + minute, Action.FEEDBACK, State.IN_PROGRESS, {}))
        steps.append((issue.resolved_at, Action.RESOLVE, State.RESOLVED, {}))
    if issue.closed_at:
        steps.append((issue.closed_at, Action.CLOSE, State.CLOSED, {}))
    from_state = ""
    for moment, action, to_state, overrides in steps:
        IssueEvent.objects.create(
            issue=issue,
            at=moment,
            action=action,
            from_state=from_state,
            to_state=to_state,
            **{**ledger_facts(issue), **overrides},
        )
        from_state = to_state


@pytest.fixture
def october(cast):
    """The October 2026 data set (see the module docstring and each test's expected figures)."""
    c = cast
    enterprise_a = c.enterprise_a  # grid A, growth, equipment
    enterprise_a_key = EnterpriseFactory(
        name="甲龙头有限公司", grid=c.grid_a, tier=Tier.LEADING, industry=Industry.ELECTRONICS
    )
    enterprise_b = c.enterprise_b
    enterprise_b.tier = Tier.STRUGGLING
    enterprise_b.save()

    # Visits: the two at the month's edges test Shanghai midnight.
    make_visit(enterprise_a, c.officer_a, "2026-10-05 10:00")
    make_visit(enterprise_a, c.officer_a, "2026-10-31 23:30")  # October
    make_visit(enterprise_a_key, c.officer_a, "2026-11-01 00:10")  # November
    make_visit(enterprise_b, c.officer_b, "2026-10-01 00:05")  # October (UTC: 30 Sep)
    make_visit(enterprise_b, c.officer_b, "2026-09-30 23:50")  # September

    # Weekly tracking. October's weeks are those of the Mondays 5, 12, 19 and 26 October.
    monday = datetime.date(2026, 10, 5)
    week = datetime.timedelta(days=7)
    make_tracking(enterprise_a_key, c.officer_a, monday, "2026-10-06 09:00")
    make_tracking(enterprise_a_key, c.officer_a, monday + week, "2026-10-13 09:00")
    make_tracking(enterprise_a_key, c.officer_a, monday + 3 * week, "2026-11-02 09:00")  # late
    make_tracking(enterprise_b, c.officer_b, datetime.date(2026, 9, 28), "2026-09-29 09:00")  # a September week
    make_tracking(enterprise_b, c.officer_b, monday + 2 * week, "2026-10-20 09:00")
    make_tracking(enterprise_a, c.officer_a, monday + week, "2026-10-14 09:00")  # growth: once a month

    # Employment (headcount) and output.
    september, october_first = datetime.date(2026, 9, 1), datetime.date(2026, 10, 1)
    EmploymentRecord.objects.create(enterprise=enterprise_a, month=september, headcount=100)
    EmploymentRecord.objects.create(enterprise=enterprise_a, month=october_first, headcount=110)
    EmploymentRecord.objects.create(enterprise=enterprise_a_key, month=september, headcount=200)
    EmploymentRecord.objects.create(enterprise=enterprise_a_key, month=october_first, headcount=195)
    EmploymentRecord.objects.create(enterprise=enterprise_b, month=october_first, headcount=50)
    OperatingIndicator.objects.create(enterprise=enterprise_a, month=october_first, output_value="100.50")
    OperatingIndicator.objects.create(enterprise=enterprise_a_key, month=october_first, output_value="1000.00")

    TierChange.objects.create(
        enterprise=enterprise_b, from_tier="", to_tier=Tier.GROWTH, reason="建档", changed_at=at("2026-10-01 09:00")
    )
    TierChange.objects.create(
        enterprise=enterprise_b,
        from_tier=Tier.GROWTH,
        to_tier=Tier.STRUGGLING,
        reason="订单下滑",
        changed_at=at("2026-10-10 09:00"),
    )

    finance = CategoryFactory(code="financing", name="融资", default_bureau=c.bureau_x)
    labour = CategoryFactory(code="labour", name="用工", default_bureau=c.bureau_y)
    i1 = make_issue(
        enterprise_a,
        created="2026-10-03 09:00",
        category=finance,
        state=State.CLOSED,
        level=Level.GRID,
        handler=c.officer_a,
        due_on=datetime.date(2026, 10, 9),
        accepted_at=at("2026-10-03 10:00"),
        resolved_at=at("2026-10-08 15:00"),
        closed_at=at("2026-10-10 09:00"),
        handling_working_days=3,
    )
    i2 = make_issue(
        enterprise_a,
        created="2026-10-20 09:00",
        category=finance,
        state=State.IN_PROGRESS,
        level=Level.BUREAU,
        bureau=c.bureau_x,
        handler=c.bureau_user_x,
        due_on=datetime.date(2026, 10, 28),
        accepted_at=at("2026-10-20 10:00"),
    )
    i3 = make_issue(
        enterprise_b,
        created="2026-09-25 09:00",
        category=labour,
        state=State.CLOSED,
        level=Level.GRID,
        handler=c.officer_b,
        due_on=datetime.date(2026, 10, 9),
        accepted_at=at("2026-09-25 10:00"),
        resolved_at=at("2026-10-10 00:30"),  # one day late in Shanghai (still 9 October in UTC)
        closed_at=at("2026-10-12 09:00"),
        handling_working_days=6,
        reopen_count=1,
    )
    i4 = make_issue(enterprise_b, created="2026-10-31 23:59", state=State.SUBMITTED)
    i5 = make_issue(enterprise_a_key, created="2026-10-15 09:00", category=finance, state=State.REJECTED)
    make_issue(enterprise_a_key, created="2026-10-16 09:00", state=State.MERGED, duplicate_of=i5)
    make_issue(
        enterprise_a,
        created="2026-08-01 09:00",
        state=State.CLOSED,
        due_on=datetime.date(2026, 8, 6),
        resolved_at=at("2026-08-05 09:00"),
        closed_at=at("2026-09-02 09:00"),
        handling_working_days=4,
    )
    i8 = make_issue(
        enterprise_b,
        created="2026-10-02 09:00",
        category=labour,
        state=State.RESOLVED,
        level=Level.GRID,
        handler=c.officer_b,
        due_on=datetime.date(2026, 11, 5),
        accepted_at=at("2026-10-02 10:00"),
        resolved_at=at("2026-10-30 09:00"),
    )
    Feedback.objects.create(issue=i1, author=c.enterprise_user_a, rating=Rating.SATISFIED, at=at("2026-10-10 09:00"))
    Feedback.objects.create(
        issue=i3, author=c.enterprise_user_b, rating=Rating.DISSATISFIED, comment="没解决", at=at("2026-10-11 09:00")
    )
    Feedback.objects.create(issue=i3, author=c.enterprise_user_b, rating=Rating.BASICALLY, at=at("2026-10-12 09:00"))
    Feedback.objects.create(issue=i8, author=c.enterprise_user_b, rating=Rating.SATISFIED, at=at("2026-11-01 00:05"))
    return SimpleNamespace(
        **vars(c),
        enterprise_a_key=enterprise_a_key,
        finance=finance,
        labour=labour,
        issues=SimpleNamespace(i1=i1, i2=i2, i3=i3, i4=i4, i5=i5, i8=i8),
    )
