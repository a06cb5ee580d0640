"""``generate_scale``: synthetic province-scale data for benchmarks."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Role
from analytics.scale.organisation import USCC_PREFIX
from enterprises.models import Enterprise, EnterpriseContact, TierChange
from enterprises.registry.uscc import validate_uscc
from fieldwork.models import Visit, WeeklyTracking
from grids.models import District, GridTeam
from issues.history import issues_as_of
from issues.models import OPEN_STATES, Issue, IssueEvent, Level, Source, State
from tests.seed.snapshot import all_rows

pytestmark = pytest.mark.django_db


def generate(**options) -> str:
    output = StringIO()
    call_command("generate_scale", stdout=output, **options)
    return output.getvalue()


def test_generates_the_organisation_and_enterprises_in_batches_with_progress():
    output = generate(enterprises=25, districts=2, grids=5, batch_size=10)

    assert District.objects.filter(code__startswith="S").count() == 2
    teams = GridTeam.objects.filter(code__startswith="S").prefetch_related("officers")
    assert teams.count() == 5
    for team in teams:
        assert team.leader.role == Role.GRID_OFFICER
        assert list(team.officers.all()) == [team.leader]
    synthetic = Enterprise.objects.filter(uscc__startswith=USCC_PREFIX)
    assert synthetic.count() == 25
    # Spread over every grid team, each with its contact and 建档 row, every USCC valid.
    assert synthetic.values("grid").distinct().count() == 5
    assert EnterpriseContact.objects.filter(enterprise__in=synthetic, is_primary=True).count() == 25
    assert TierChange.objects.filter(enterprise__in=synthetic, reason="建档").count() == 25
    for uscc in synthetic.values_list("uscc", flat=True):
        validate_uscc(uscc)
    # Three batches of at most ten, each reported.
    assert "10/25 (40%)" in output and "20/25 (80%)" in output and "25/25 (100%)" in output


def test_the_same_size_again_changes_nothing_and_a_larger_size_tops_up():
    generate(enterprises=12, districts=1, grids=3, batch_size=5)
    before = all_rows()

    output = generate(enterprises=12, districts=1, grids=3, batch_size=5)
    assert all_rows() == before
    assert "nothing to add" in output

    generate(enterprises=20, districts=1, grids=3, batch_size=5)
    assert Enterprise.objects.filter(uscc__startswith=USCC_PREFIX).count() == 20
    assert GridTeam.objects.filter(code__startswith="S").count() == 3


def test_synthetic_rows_do_not_touch_other_data(cast):
    generate(enterprises=5, districts=1, grids=1)
    assert Enterprise.objects.exclude(uscc__startswith=USCC_PREFIX).count() == 2
    assert set(GridTeam.objects.exclude(code__startswith="S").values_list("code", flat=True)) == {"GA", "GB"}


@pytest.mark.parametrize(
    "options",
    [
        {"enterprises": -1},
        {"enterprises": 10, "districts": 0},
        {"enterprises": 10, "districts": 5, "grids": 2},
        {"enterprises": 10, "batch_size": 0},
        {"enterprises": 10, "visits_per_enterprise": -1},
        {"enterprises": 10, "issues_per_enterprise": 2, "months": 0},
    ],
)
def test_bad_sizes_are_refused_and_nothing_is_written(options):
    with pytest.raises(CommandError):
        generate(**options)
    assert not District.objects.exists()
    assert not Enterprise.objects.exists()


def test_a_province_gets_visits_tracking_and_a_ledger_whose_timelines_match_the_rows():
    output = generate(
        enterprises=30, districts=2, grids=4, visits_per_enterprise=3, issues_per_enterprise=4, months=6, batch_size=8
    )

    synthetic = Enterprise.objects.filter(uscc__startswith=USCC_PREFIX)
    assert Visit.objects.filter(enterprise__in=synthetic).count() == 30 * 3
    assert Issue.objects.filter(enterprise__in=synthetic).count() == 30 * 4
    # Twelve recent weeks, about one in twelve left untracked, never twice in a week.
    tracked = WeeklyTracking.objects.filter(enterprise__in=synthetic).count()
    assert 30 * 12 * 0.8 < tracked < 30 * 12
    assert "activity 30/30 (100%)" in output
    # History, not future: no event after the day it was generated on (Asia/Shanghai), whatever the hour.
    end_of_today = datetime.datetime.combine(
        timezone.localdate() + datetime.timedelta(days=1), datetime.time(), tzinfo=timezone.get_current_timezone()
    )
    assert not IssueEvent.objects.filter(issue__enterprise__in=synthetic, at__gte=end_of_today).exists()
    # Every issue's state, deadline and level are what its last event says (issues.history reads them).
    for issue in issues_as_of(end_of_today):
        assert (issue.as_of_state, issue.as_of_due_on, issue.as_of_level) == (issue.state, issue.due_on, issue.level)
    ledger = Issue.objects.filter(enterprise__in=synthetic)
    assert ledger.filter(state=State.CLOSED).exists() and ledger.filter(state__in=OPEN_STATES).exists()
    assert not ledger.filter(state=State.CLOSED, closed_at__isnull=True).exists()
    for issue in ledger.filter(level=Level.BUREAU):
        assert list(issue.bureaus_involved.values_list("pk", flat=True)) == [issue.bureau_id]
    # Issues raised at a visit are linked to it, and were raised after it.
    for issue in ledger.filter(source=Source.VISIT).prefetch_related("source_visits"):
        [visit] = issue.source_visits.all()
        assert visit.visited_at < issue.created_at
    # The id sequences moved past the generated rows: the services can add to the ledger.
    assert Visit.objects.create(
        enterprise=synthetic.first(), officer=issue.created_by, visited_at=timezone.now()
    ).pk > max(Visit.objects.exclude(findings="").values_list("pk", flat=True))


def test_activity_is_added_once_per_enterprise():
    generate(enterprises=6, districts=1, grids=2, visits_per_enterprise=2, issues_per_enterprise=2)
    before = all_rows()

    output = generate(enterprises=6, districts=1, grids=2, visits_per_enterprise=2, issues_per_enterprise=2)
    assert all_rows() == before
    assert "nothing to add" in output

    generate(enterprises=8, districts=1, grids=2, visits_per_enterprise=2, issues_per_enterprise=2)
    assert Issue.objects.count() == 8 * 2
    assert Visit.objects.count() == 8 * 2
