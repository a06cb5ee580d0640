"""The demo flood of 19 August: 83 evacuated in all, every enterprise reached and restored, closed."""

from io import StringIO

import pytest

from emergency import demo
from emergency.figures import incident_totals
from emergency.models import AckMethod, Incident, Notice, ReliefOffer, ResponseEntry, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_flood():
    from enterprises.registry import demo as enterprises_demo
    from grids import demo as grids_demo

    for step in (grids_demo, enterprises_demo, demo):
        step.seed_demo_data(stdout=StringIO())
    return Incident.objects.get()


def test_the_flood_reproduces_the_article(demo_flood):
    totals = incident_totals(incident=demo_flood)
    assert totals.evacuated == 83
    assert totals.on_site == 0
    assert totals.affected >= 8 and totals.acknowledged == totals.affected and totals.unreached == 0
    assert totals.restored == totals.affected
    assert 0 < totals.acknowledged_on_behalf < totals.affected
    assert demo_flood.state == State.CLOSED and demo_flood.district.code == "D4"
    assert str(demo_flood.declared_at.date()) == "2026-08-19"
    assert not Notice.objects.filter(sent_at__isnull=True).exists()
    assert Notice.objects.filter(affected__isnull=False).count() == totals.affected
    # Every affected enterprise: an officer on site (arrival time) and its goods moved.
    arrived = ResponseEntry.objects.filter(arrived_at__isnull=False)
    moved = ResponseEntry.objects.exclude(goods_moved="")
    for reported in (arrived, moved):
        assert reported.values("affected").distinct().count() == totals.affected
    for step in ("drainage", "desilting", "pollution", "disinfection"):
        assert ResponseEntry.objects.filter(**{step: True}).count() == totals.affected
    assert set(demo_flood.affected.values_list("ack_method", flat=True)) == {AckMethod.SELF, AckMethod.ON_BEHALF}
    # Closed through ``incident_close``: each affected enterprise has its relief offer, made at the close.
    assert demo_flood.closed_at == demo.CLOSED_AT and demo_flood.version == 2
    assert set(ReliefOffer.objects.values_list("affected__incident", "created_at")) == {(demo_flood.pk, demo.CLOSED_AT)}
    assert ReliefOffer.objects.count() == totals.affected


def test_a_second_run_changes_nothing(demo_flood):
    counts = (
        Incident.objects.count(),
        ResponseEntry.objects.count(),
        Notice.objects.count(),
        ReliefOffer.objects.count(),
    )
    demo.seed_demo_data(stdout=StringIO())
    assert (
        Incident.objects.count(),
        ResponseEntry.objects.count(),
        Notice.objects.count(),
        ReliefOffer.objects.count(),
    ) == counts
