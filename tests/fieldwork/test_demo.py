"""fieldwork.demo: full visit coverage, weekly/monthly tracking, deterministic and idempotent."""

import datetime
import io

import time_machine
from django.utils import timezone

from common.periods import IsoWeek
from enterprises.models import Tier
from fieldwork import demo
from fieldwork.models import Visit, WeeklyTracking
from issues.models import Source
from issues.services import issue_submit
from tests.factories import EnterpriseFactory

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2026, 11, 25, 14, 0, tzinfo=SHANGHAI)


def build_zone(cast):
    tiers = [Tier.LEADING, Tier.BACKBONE, Tier.STRUGGLING, Tier.GROWTH, Tier.GROWTH]
    for number, tier in enumerate(tiers):
        EnterpriseFactory(name=f"演示企业{number}", tier=tier, grid=cast.grid_a if number % 2 else cast.grid_b)


def snapshot():
    visits = list(
        Visit.objects.order_by("enterprise__uscc", "visited_at").values_list(
            "enterprise__uscc", "officer__username", "visited_at", "mode", "findings", "output_value", "employees"
        )
    )
    trackings = list(
        WeeklyTracking.objects.order_by("enterprise__uscc", "week_start").values_list(
            "enterprise__uscc", "iso_year", "iso_week", "officer__username", "tracked_at", "employees", "risk_orders"
        )
    )
    links = list(Visit.raised_issues.through.objects.order_by("issue_id").values_list("issue_id", "visit__visited_at"))
    return visits, trackings, links


def seed():
    with time_machine.travel(NOW, tick=False):
        demo.seed_demo_data(stdout=io.StringIO())


def test_every_enterprise_is_visited_within_the_year_by_an_officer_of_its_grid(cast):
    build_zone(cast)

    seed()

    for enterprise in cast.grid_a.enterprises.all() | cast.grid_b.enterprises.all():
        visits = list(enterprise.visits.all())
        assert visits, enterprise.name
        assert len(visits) == demo.VISITS_PER_YEAR[enterprise.tier]
        for visit in visits:
            assert NOW - datetime.timedelta(days=366) < visit.visited_at < NOW
            assert visit.officer in enterprise.grid.officers.all()
            local = timezone.localtime(visit.visited_at)
            assert local.weekday() < 5 and 9 <= local.hour < 18


def test_key_enterprises_are_tracked_weekly_with_a_few_gaps_and_growth_ones_monthly(cast):
    build_zone(cast)

    seed()

    this_week = IsoWeek.of(NOW.date())
    last_twelve = {this_week.minus(offset).monday for offset in range(1, 13)}
    for enterprise in cast.grid_a.enterprises.all() | cast.grid_b.enterprises.all():
        weeks = list(enterprise.weekly_trackings.values_list("week_start", flat=True))
        assert all(week <= this_week.monday for week in weeks)
        if enterprise.is_key:
            assert len(set(weeks) & last_twelve) >= 9
        else:
            months = [week.replace(day=1) for week in weeks]
            assert len(months) == len(set(months)) >= 2  # one entry a month, no more


def test_the_demo_is_idempotent(cast):
    build_zone(cast)
    seed()
    first = snapshot()

    seed()

    assert snapshot() == first


def test_the_demo_is_deterministic(cast):
    build_zone(cast)
    seed()
    first = snapshot()
    Visit.objects.all().delete()
    WeeklyTracking.objects.all().delete()

    seed()

    assert snapshot() == first


def test_problems_raised_during_visits_are_linked_to_a_visit_once(cast):
    build_zone(cast)
    with time_machine.travel(NOW - datetime.timedelta(days=20), tick=False):
        issue = issue_submit(
            enterprise=cast.enterprise_a,
            actor=cast.officer_a,
            title="用电不足",
            description="二期投产后负荷不够",
            source=Source.VISIT,
        )

    seed()
    seed()

    visit = issue.source_visits.get()
    assert visit.enterprise == cast.enterprise_a
    assert visit.officer == cast.officer_a
    assert visit.visited_at < issue.created_at
