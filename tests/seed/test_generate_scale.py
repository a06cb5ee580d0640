"""``generate_scale``: synthetic province-scale data for benchmarks."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Role
from analytics.management.commands.generate_scale import USCC_PREFIX
from enterprises.models import Enterprise, EnterpriseContact, TierChange
from enterprises.uscc import validate_uscc
from grids.models import District, GridTeam
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
    ],
)
def test_bad_sizes_are_refused_and_nothing_is_written(options):
    with pytest.raises(CommandError):
        generate(**options)
    assert not District.objects.exists()
    assert not Enterprise.objects.exists()
