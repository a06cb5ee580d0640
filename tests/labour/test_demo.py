"""The demo data of the labour and space platforms: the article's figures, computed from the records."""

import io

import pytest
from django.db.models import Sum

from platforms.labour import demo as labour_demo
from platforms.labour.figures import transfer_person_times
from platforms.labour.models import LabourPosting, LabourProposal, Transfer
from platforms.matching import ProposalState
from platforms.space import demo as space_demo
from platforms.space.figures import lease_totals
from platforms.space.models import BuildState, CustomBuildCase, Lease, SpaceProposal


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from django.db import transaction

    from enterprises.registry import demo as enterprises_demo
    from grids import demo as grids_demo

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        out = io.StringIO()
        for step in (grids_demo, enterprises_demo, labour_demo, space_demo):
            step.seed_demo_data(stdout=out)
    yield out.getvalue()
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


pytestmark = pytest.mark.django_db


def test_exactly_600_person_times_moved_from_struggling_firms(demo):
    assert Transfer.objects.aggregate(total=Sum("count"))["total"] == 600
    assert transfer_person_times() == 600
    assert set(Transfer.objects.values_list("from_enterprise__tier", flat=True)) == {"struggling"}
    assert set(Transfer.objects.values_list("to_enterprise__tier", flat=True)) <= {"growth", "backbone", "leading"}
    # Every transfer keeps within what its postings offered and needed, with the three rules ticked.
    for posting in LabourPosting.objects.filter(kind="surplus"):
        assert sum(Transfer.objects.filter(surplus_posting=posting).values_list("count", flat=True)) <= posting.count
    assert not Transfer.objects.filter(no_fee=False).exists()


def test_proposals_in_every_state_on_both_platforms(demo):
    for model in (LabourProposal, SpaceProposal):
        assert set(model.objects.values_list("state", flat=True)) == set(ProposalState.values), model


def test_struggling_firms_plants_leased_by_others_and_a_custom_built_plant_on_idle_land(demo):
    leases = Lease.objects.select_related("listing__owner", "tenant")
    assert leases.count() == 6 and lease_totals()["count"] == 6
    assert all(lease.listing.owner.tier == "struggling" and lease.tenant != lease.listing.owner for lease in leases)
    assert all(lease.area_m2 <= lease.listing.area_m2 for lease in leases)
    delivered = CustomBuildCase.objects.get(state=BuildState.DELIVERED)
    assert delivered.land.kind == "land" and delivered.delivered_on is not None


def test_a_second_run_changes_nothing(demo):
    models = (LabourPosting, LabourProposal, Transfer, SpaceProposal, Lease)
    counts = [model.objects.count() for model in models]
    out = io.StringIO()
    labour_demo.seed_demo_data(stdout=out)
    space_demo.seed_demo_data(stdout=out)
    assert [model.objects.count() for model in models] == counts
