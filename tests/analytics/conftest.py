"""October 2026 in the fixed cast, with its right answers written in the tests.

Every visit, week of tracking and issue step goes through its service with ``at=`` the moment it
happened, so the month holds no state the services would refuse.

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
from issues import services
from issues.models import Issue, Rating, Source
from tests.factories import CategoryFactory, EnterpriseFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
MINUTE = datetime.timedelta(minutes=1)


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

    # Time limits chosen so the services give the deadlines October needs: a bureau handles 融资 in 6
    # working days (i2 falls due 28 October); the grid handles 用工 in 22 (i8 falls due 5 November),
    # and a reworked 用工 issue in 1 (i3, reopened on 8 October, falls due on the 9th).
    finance = CategoryFactory(code="financing", name="融资", default_bureau=c.bureau_x, bureau_days=6)
    labour = CategoryFactory(code="labour", name="用工", default_bureau=c.bureau_y, grid_days=22, grid_rework_days=1)

    # The ledger, each issue taken through the services at the times of its steps.
    def submit(enterprise, officer, created: str, category=None):
        return services.issue_submit(
            enterprise=enterprise,
            actor=officer,
            title="问题",
            description="说明",
            source=Source.VISIT,
            category=category,
            at=at(created),
        )

    def fresh(issue):
        """The issue as the last step left it (a step that returns another row leaves ours stale)."""
        return Issue.objects.get(pk=issue.pk)

    def handled(issue, officer, accepted: str):
        """Accepted at ``accepted`` and taken in hand a minute later."""
        issue = services.issue_accept(issue=issue, actor=officer, at=at(accepted))
        return services.issue_start(issue=issue, actor=officer, at=at(accepted) + MINUTE)

    i1 = handled(submit(enterprise_a, c.officer_a, "2026-10-03 09:00", finance), c.officer_a, "2026-10-03 10:00")
    i1 = services.issue_resolve(issue=i1, actor=c.officer_a, resolution="已办结", at=at("2026-10-08 15:00"))
    services.issue_feedback(issue=i1, actor=c.enterprise_user_a, rating=Rating.SATISFIED, at=at("2026-10-10 09:00"))

    i2 = services.issue_accept(
        issue=submit(enterprise_a, c.officer_a, "2026-10-20 09:00", finance),
        actor=c.officer_a,
        at=at("2026-10-20 10:00"),
    )
    i2 = services.issue_escalate(
        issue=i2, actor=c.officer_a, reason="需财政局协调", bureau=c.bureau_x, at=at("2026-10-20 10:00") + MINUTE
    )
    i2 = services.issue_start(issue=i2, actor=c.bureau_user_x, at=at("2026-10-20 10:00") + 2 * MINUTE)

    i3 = handled(submit(enterprise_b, c.officer_b, "2026-09-25 09:00", labour), c.officer_b, "2026-09-25 10:00")
    i3 = services.issue_resolve(issue=i3, actor=c.officer_b, resolution="已办结", at=at("2026-10-08 09:00"))
    services.issue_feedback(
        issue=i3, actor=c.enterprise_user_b, rating=Rating.DISSATISFIED, comment="没解决", at=at("2026-10-08 10:00")
    )
    i3 = services.issue_resolve(issue=fresh(i3), actor=c.officer_b, resolution="再次办结", at=at("2026-10-10 00:30"))
    services.issue_feedback(issue=i3, actor=c.enterprise_user_b, rating=Rating.BASICALLY, at=at("2026-10-12 09:00"))

    i4 = submit(enterprise_b, c.officer_b, "2026-10-31 23:59")
    i5 = submit(enterprise_a_key, c.officer_a, "2026-10-15 09:00", finance)
    duplicate = submit(enterprise_a_key, c.officer_a, "2026-10-16 09:00")
    services.issue_merge(issue=duplicate, actor=c.officer_a, into=i5, at=at("2026-10-16 09:01"))
    i5 = services.issue_reject(issue=fresh(i5), actor=c.officer_a, reason="不属于受理范围", at=at("2026-10-16 09:02"))

    old = handled(submit(enterprise_a, c.officer_a, "2026-08-01 09:00", finance), c.officer_a, "2026-08-01 10:00")
    old = services.issue_resolve(issue=old, actor=c.officer_a, resolution="已办结", at=at("2026-08-05 09:00"))
    services.issue_close(issue=old, actor=c.officer_a, at=at("2026-09-02 09:00"))

    i8 = handled(submit(enterprise_b, c.officer_b, "2026-10-02 09:00", labour), c.officer_b, "2026-10-02 10:00")
    i8 = services.issue_resolve(issue=i8, actor=c.officer_b, resolution="已办结", at=at("2026-10-30 09:00"))
    services.issue_feedback(issue=i8, actor=c.enterprise_user_b, rating=Rating.SATISFIED, at=at("2026-11-01 00:05"))
    i1, i2, i3, i4, i5, i8 = (fresh(issue) for issue in (i1, i2, i3, i4, i5, i8))
    return SimpleNamespace(
        **vars(c),
        enterprise_a_key=enterprise_a_key,
        finance=finance,
        labour=labour,
        issues=SimpleNamespace(i1=i1, i2=i2, i3=i3, i4=i4, i5=i5, i8=i8),
    )
