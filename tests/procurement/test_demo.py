"""The procurement and supply-chain demo: on the demo enterprises' real products and links, every
proposal state, a retooling case for a leader, vehicle-chain recommendations; a second run changes nothing."""

import io
from importlib import import_module

import pytest
from django.db import transaction

from enterprises.models import Industry, Product, SupplyLink, Tier
from platforms.matching import ProposalState
from platforms.procurement import figures
from platforms.procurement.models import Deal, PurchaseNeed, PurchaseProposal, RetoolingCase
from platforms.supply_chain import figures as chain_figures
from platforms.supply_chain.models import Outcome, Recommendation

PREREQUISITES = ("grids.demo", "enterprises.registry.demo", "enterprises.profile.demo")
MINE = ("platforms.procurement.demo", "platforms.supply_chain.demo")


def _run(modules) -> None:
    for module in modules:
        import_module(module).seed_demo_data(stdout=io.StringIO())


def _rows() -> dict:
    return {
        model.__name__: list(model.objects.order_by("id").values())
        for model in (PurchaseNeed, PurchaseProposal, Deal, RetoolingCase, Recommendation)
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo steps once per module, inside a transaction rolled back after the module's last test
    (as ``tests/seed/conftest.py``), so other modules start from an empty database."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            _run(PREREQUISITES)
            _run(MINE)
            first = _rows()
            _run(MINE)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield first
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.mark.django_db
def test_a_second_run_changes_nothing(demo):
    assert _rows() == demo


@pytest.mark.django_db
def test_needs_and_proposals_in_every_state_on_real_products(demo):
    assert PurchaseNeed.objects.count() == 16
    assert set(PurchaseProposal.objects.values_list("state", flat=True)) == set(ProposalState.values)
    product_names = set(Product.objects.values_list("name", flat=True))
    assert set(PurchaseNeed.objects.values_list("item", flat=True)) <= product_names
    assert all(p.product.enterprise_id == p.supplier_id for p in PurchaseProposal.objects.select_related("product"))


@pytest.mark.django_db
def test_deals_follow_the_supply_links_and_the_totals_are_their_sum(demo):
    linked = set(SupplyLink.objects.filter(customer__isnull=False).values_list("supplier_id", "customer_id", "product"))
    for deal in Deal.objects.filter(proposal__isnull=True):
        assert (deal.seller_id, deal.buyer_id, deal.item) in linked
    assert (
        Deal.objects.filter(proposal__isnull=False).count()
        == PurchaseProposal.objects.filter(deal__isnull=False).count()
    )
    total = figures.in_zone_purchasing()
    assert total["deals"] == Deal.objects.count()
    assert total["amount"] == sum(Deal.objects.values_list("amount", flat=True))


@pytest.mark.django_db
def test_struggling_firms_retooled_for_zone_leaders(demo):
    cases = RetoolingCase.objects.select_related("enterprise", "leader")
    assert cases.count() == 3
    assert {(c.enterprise.tier, c.leader.tier) for c in cases} == {(Tier.STRUGGLING, Tier.LEADING)}


@pytest.mark.django_db
def test_recommendations_in_vehicle_manufacturing_with_outcomes(demo):
    recommendations = Recommendation.objects.select_related("recommended", "for_enterprise")
    assert recommendations.filter(from_suggestion=True).count() == 10
    assert recommendations.filter(by_enterprise__isnull=False).count() > 0
    assert set(recommendations.values_list("outcome", flat=True)) == set(Outcome.values)
    assert all(Industry.AUTOMOTIVE in (r.recommended.industry, r.for_enterprise.industry) for r in recommendations)
    assert chain_figures.recommendation_figures()["deals"] == recommendations.filter(outcome=Outcome.DEAL).count()
