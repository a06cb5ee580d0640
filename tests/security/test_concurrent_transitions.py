"""Item 11: the one-winner transitions of funding applications and platform proposals,
with real threads on PostgreSQL (the ledger's own are in tests/issues/test_concurrency.py).

Two people act on the same application or proposal at the same moment, each from the
copy their page loaded: exactly one action applies, the other is refused, and the
timeline, grants and notifications hold the winner's action once.
"""

from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accounts.models import Notification, Role
from platforms.matching import AGREE, DECLINE, ProposalState
from platforms.procurement import services as procurement
from platforms.procurement.models import PurchaseProposal
from policies.funding import services as funding_services
from policies.funding.errors import StateConflict
from policies.funding.models import FundingApplication, FundingEvent, FundingGrant, FundingState
from tests.concurrency import at_once, postgres_only
from tests.factories import UserFactory
from tests.funding.conftest import MONDAY, funding, under_review  # noqa: F401  (funding is a fixture)
from tests.procurement.conftest import chain, today  # noqa: F401  (fixtures)
from tests.procurement.test_services import post

pytestmark = [pytest.mark.django_db(transaction=True), postgres_only]


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY, tick=False):
        yield


def test_approve_and_reject_of_one_application_at_once_one_wins(monday, funding):  # noqa: F811
    application = under_review(funding)
    colleague = UserFactory(username="manager-2", role=Role.MANAGER, name="钱主任")
    loaded = [FundingApplication.objects.get(pk=application.pk) for _ in range(2)]  # both pages, one version
    last_notification = Notification.objects.order_by("pk").values_list("pk", flat=True).last() or 0

    outcomes = at_once(
        lambda: funding_services.funding_application_approve(
            application=loaded[0], actor=funding.manager, amount=Decimal("80")
        ),
        lambda: funding_services.funding_application_reject(application=loaded[1], actor=colleague, reason="材料不全"),
    )

    applied = [outcome for outcome in outcomes if isinstance(outcome, FundingApplication)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, StateConflict)]
    assert (len(applied), len(refused)) == (1, 1), outcomes
    stored = FundingApplication.objects.get(pk=application.pk)
    assert stored.version == application.version + 1
    assert stored.state == applied[0].state
    decisions = FundingEvent.objects.filter(application=application, action__in=["approve", "reject"])
    assert decisions.count() == 1
    if stored.state == FundingState.APPROVED:
        assert FundingGrant.objects.filter(application=application).count() == 2  # district 60 %, zone 40 %
    else:
        assert not FundingGrant.objects.filter(application=application).exists()
    # The enterprise hears the winner's decision only.
    kinds = set(Notification.objects.filter(pk__gt=last_notification).values_list("kind", flat=True))
    assert kinds == {"funding_approved" if stored.state == FundingState.APPROVED else "funding_rejected"}


def test_two_approvals_of_one_application_at_once_grant_once(monday, funding):  # noqa: F811
    application = under_review(funding)
    loaded = [FundingApplication.objects.get(pk=application.pk) for _ in range(2)]

    outcomes = at_once(
        *[
            lambda copy=copy, amount=amount: funding_services.funding_application_approve(
                application=copy, actor=funding.manager, amount=Decimal(amount)
            )
            for copy, amount in zip(loaded, ("80", "60"), strict=True)
        ]
    )

    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["ApplicationChanged", "FundingApplication"]
    winner = next(outcome for outcome in outcomes if isinstance(outcome, FundingApplication))
    stored = FundingApplication.objects.get(pk=application.pk)
    assert stored.approved_amount == winner.approved_amount
    assert sum(FundingGrant.objects.filter(application=application).values_list("granted_amount", flat=True)) == (
        winner.approved_amount
    )
    assert FundingEvent.objects.filter(application=application, action="approve").count() == 1


def test_buyer_agrees_while_supplier_declines_one_proposal_one_wins(cast, chain):  # noqa: F811
    supplier_user = UserFactory(username="knuckles", role=Role.ENTERPRISE_USER, enterprise=chain.knuckles)
    proposal = post(cast).proposals.get(supplier=chain.knuckles)
    loaded = [PurchaseProposal.objects.get(pk=proposal.pk) for _ in range(2)]
    last_notification = Notification.objects.order_by("pk").values_list("pk", flat=True).last() or 0

    outcomes = at_once(
        lambda: procurement.purchase_proposal_act(proposal=loaded[0], actor=cast.enterprise_user_a, action=AGREE),
        lambda: procurement.purchase_proposal_act(
            proposal=loaded[1], actor=supplier_user, action=DECLINE, reason="产能已满"
        ),
    )

    moved = [outcome for outcome in outcomes if isinstance(outcome, PurchaseProposal)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert (len(moved), len(refused)) == (1, 1), outcomes
    stored = PurchaseProposal.objects.get(pk=proposal.pk)
    assert stored.state == moved[0].state and stored.state in (ProposalState.AGREED, ProposalState.DECLINED)
    assert stored.version == proposal.version + 1
    assert stored.decided_by == (cast.enterprise_user_a if stored.state == ProposalState.AGREED else supplier_user)
    # The other side was told once, of the winner's action, and the loser told no one.
    told = list(Notification.objects.filter(pk__gt=last_notification))
    assert len(told) >= 1
    assert {notification.recipient for notification in told}.isdisjoint({stored.decided_by})
