"""The demo reproduces FACTS.md exactly, from records, and a second run changes nothing."""

from decimal import Decimal
from io import StringIO

import pytest
from django.db import transaction

from enterprises.registry import demo as enterprises_demo
from grids import demo as grids_demo
from platforms.financing import demo as financing_demo
from platforms.financing import figures
from platforms.financing.models import CreditLine, Loan, LoanExtension, Referral, ReferralEvent, ReferralState
from platforms.service_projects import demo as projects_demo
from platforms.service_projects.figures import service_figures
from platforms.service_projects.models import ServiceProject
from tests.seed.snapshot import all_rows

STEPS = (grids_demo, enterprises_demo, financing_demo, projects_demo)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The steps this platform's demo builds on, then ours, once per module (rolled back after)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            for step in STEPS:
                step.seed_demo_data(stdout=StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_matchmaking_7_banks_73_enterprises():
    assert figures.matchmaking() == figures.MatchmakingFigure(events=1, banks=7, enterprises=73)


def test_credit_loans_extensions_and_reloans_equal_the_article():
    assert figures.credit_granted().amount == Decimal("13500")
    assert figures.credit_granted().amount_yi == Decimal("1.35")
    assert figures.loans_granted().amount == Decimal("98900")
    assert figures.loans_granted().amount_yi == Decimal("9.89")
    extensions = figures.extensions_granted()
    assert (extensions.count, extensions.amount) == (231, Decimal("10000"))
    reloans = figures.reloans_granted()
    assert (reloans.enterprises, reloans.amount, reloans.amount_yi) == (7, Decimal("23500"), Decimal("2.35"))


def test_referrals_in_every_state_each_step_an_event():
    assert set(Referral.objects.values_list("state", flat=True)) == set(ReferralState.values)
    # One event for the referral, one per step after it.
    steps = {"referred": 1, "visited": 2, "intent": 3, "credit_approved": 4, "disbursed": 5, "declined": 3}
    expected = sum(steps[state] for state in Referral.objects.values_list("state", flat=True))
    assert ReferralEvent.objects.count() == expected
    assert (
        CreditLine.objects.filter(referral__isnull=False).count()
        == Referral.objects.filter(state__in=(ReferralState.CREDIT_APPROVED, ReferralState.DISBURSED)).count()
    )
    assert (
        Loan.objects.filter(referral__isnull=False).count()
        == Referral.objects.filter(state=ReferralState.DISBURSED).count()
    )


def test_every_row_passes_validation():
    for model in (CreditLine, Loan, LoanExtension, ServiceProject):
        for row in model.objects.all():
            row.full_clean()


def test_service_projects_equal_the_article():
    result = service_figures()
    assert (result["cloud"].projects, result["cloud"].enterprises) == (12, 12)
    assert result["smart_upgrade"].projects == 62
    assert result["cost_saving"].value == Decimal("15000")
    assert (result["tax_confirmation"].enterprises, result["tax_confirmation"].value) == (10, Decimal("1830"))
    live = result["live_stream"]
    assert (live.enterprises, live.units, live.value) == (1, 26180, Decimal("8149"))
    assert result["schooling"].enterprises == 42


def test_a_second_run_changes_nothing():
    before = all_rows()
    financing_demo.seed_demo_data(stdout=StringIO())
    projects_demo.seed_demo_data(stdout=StringIO())
    assert all_rows() == before
