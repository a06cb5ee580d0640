"""The trainings demo: attendance at past sessions, a full one with a waitlist; idempotent."""

from io import StringIO

import pytest

from enterprises.registry import demo as enterprises_demo
from grids import demo as grids_demo
from policies.trainings import demo
from policies.trainings.models import Registration, RegistrationState, TrainingSession


@pytest.fixture
def demo_zone(db):
    grids_demo.seed_demo_data(stdout=StringIO())
    enterprises_demo.seed_demo_data(stdout=StringIO())
    demo.seed_demo_data(stdout=StringIO())


def test_the_demo_has_attendance_and_a_waitlist_and_runs_twice_harmlessly(demo_zone):
    assert TrainingSession.objects.count() == 7
    assert set(Registration.objects.values_list("state", flat=True)) == set(RegistrationState.values)
    full = TrainingSession.objects.get(topic="2027 年度技改扶持申报预备会")
    assert full.registrations.filter(state=RegistrationState.WAITLISTED).exists()
    assert full.registrations.filter(state__in=["registered", "attended"]).count() == full.capacity
    before = list(Registration.objects.order_by("pk").values())
    demo.seed_demo_data(stdout=StringIO())
    assert list(Registration.objects.order_by("pk").values()) == before
