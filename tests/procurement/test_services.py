"""The procurement rules: posting a need proposes suppliers; proposals move by the shared table;
a deal from a proposal agrees it; a retooling case is a struggling firm supplying a leader.
Every refusal changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from accounts.models import Notification, Role
from enterprises.models import Industry, Tier
from platforms.matching import AGREE, CONTACT, DECLINE, ProposalState, proposals_expire
from platforms.procurement import services
from platforms.procurement.models import Deal, PurchaseProposal, RetoolingState
from tests.factories import UserFactory
from tests.procurement.helpers import snapshot


def post(cast, actor=None, **overrides):
    fields = dict(
        buyer=cast.enterprise_a,
        item="制动器",
        category=Industry.AUTOMOTIVE,
        quantity=Decimal("500"),
        unit="套",
        needed_by=datetime.date(2025, 9, 30),
        description="年度框架采购",
    )
    fields.update(overrides)
    return services.purchase_need_post(actor=actor or cast.enterprise_user_a, **fields)


def test_posting_a_need_proposes_the_ranked_suppliers_and_tells_them(cast, chain):
    supplier_user = UserFactory(username="brakes", role=Role.ENTERPRISE_USER, enterprise=chain.brakes)

    need = post(cast)

    proposals = list(need.proposals.order_by("-score", "id"))
    assert [(p.supplier, p.product, p.score, p.state) for p in proposals] == [
        (chain.brakes, chain.brakes_main, 80, ProposalState.PROPOSED),
        (chain.knuckles, chain.knuckles_main, 60, ProposalState.PROPOSED),
        (chain.discs, chain.discs_main, 40, ProposalState.PROPOSED),
    ]
    assert proposals[0].reason_summary == "同属汽车及零部件 · 产品“制动器总成”对应“制动器”"
    # Open for 30 days from today (before the need's date).
    assert {p.expires_on for p in proposals} == {datetime.date(2025, 7, 16)}
    assert list(Notification.objects.filter(recipient=supplier_user).values_list("title", flat=True)) == [
        "内配推荐：甲企业有限公司 需要“制动器”"
    ]
    # Proposing again adds nothing and tells nobody twice.
    assert services.purchase_proposals_generate(need=need) == []
    assert Notification.objects.count() == 1


def test_a_need_due_soon_gives_proposals_that_end_on_its_date(cast, chain):
    need = post(cast, needed_by=datetime.date(2025, 6, 20))
    assert set(need.proposals.values_list("expires_on", flat=True)) == {datetime.date(2025, 6, 20)}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"quantity": Decimal("0")}, "quantity"),
        ({"quantity": Decimal("-3")}, "quantity"),
        ({"needed_by": datetime.date(2025, 6, 15)}, "needed_by"),
        ({"item": ""}, "item"),
        ({"category": "spaceships"}, "category"),
    ],
)
def test_a_bad_need_is_refused_naming_the_field_and_nothing_is_saved(cast, chain, overrides, field):
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        post(cast, **overrides)
    assert field in refused.value.message_dict
    assert snapshot() == before


def test_an_enterprise_posts_only_for_itself(cast, chain):
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        post(cast, actor=cast.enterprise_user_b)
    assert list(refused.value.message_dict) == ["buyer"]
    assert snapshot() == before


def test_an_enterprise_edits_only_its_own_need(cast, chain):
    need = post(cast)
    before = snapshot()

    with pytest.raises(Http404):
        services.purchase_need_update(need=need, actor=cast.enterprise_user_b, quantity=Decimal("1"))
    with pytest.raises(Http404):
        services.purchase_need_update(need=need, actor=cast.officer_b, quantity=Decimal("1"))
    assert snapshot() == before

    changed = services.purchase_need_update(need=need, actor=cast.enterprise_user_a, quantity=Decimal("800"))
    assert (changed.quantity, changed.version) == (Decimal("800"), 1)


def test_a_stale_edit_is_refused(cast, chain):
    need = post(cast)
    services.purchase_need_update(need=need, actor=cast.enterprise_user_a, unit="件")
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.purchase_need_update(need=need, actor=cast.officer_a, version=0, unit="个")
    assert list(refused.value.message_dict) == ["version"]
    assert snapshot() == before


def test_proposal_contact_then_agree_by_the_buyer(cast, chain):
    need = post(cast)
    proposal = need.proposals.get(supplier=chain.knuckles)

    contacted = services.purchase_proposal_act(proposal=proposal, actor=cast.officer_a, action=CONTACT)
    agreed = services.purchase_proposal_act(proposal=contacted, actor=cast.enterprise_user_a, action=AGREE)

    assert (agreed.state, agreed.decided_by, agreed.version) == (ProposalState.AGREED, cast.enterprise_user_a, 2)
    assert agreed.contacted_at is not None


def test_the_supplier_may_decline_with_a_reason_but_not_agree(cast, chain):
    supplier_user = UserFactory(username="brakes", role=Role.ENTERPRISE_USER, enterprise=chain.brakes)
    proposal = post(cast).proposals.get(supplier=chain.brakes)
    before = snapshot()

    with pytest.raises(PermissionDenied):
        services.purchase_proposal_act(proposal=proposal, actor=supplier_user, action=AGREE)
    with pytest.raises(ValidationError) as refused:
        services.purchase_proposal_act(proposal=proposal, actor=supplier_user, action=DECLINE, reason="  ")
    assert list(refused.value.message_dict) == ["reason"]
    assert snapshot() == before

    declined = services.purchase_proposal_act(proposal=proposal, actor=supplier_user, action=DECLINE, reason="产能已满")
    assert (declined.state, declined.decline_reason) == (ProposalState.DECLINED, "产能已满")


def test_outsiders_do_not_find_a_proposal(cast, chain):
    proposal = post(cast).proposals.get(supplier=chain.knuckles)  # buyer and supplier both in district A
    before = snapshot()
    for outsider in (cast.officer_b, cast.enterprise_user_b, cast.bureau_user_x, cast.leader_b):
        with pytest.raises(Http404):
            services.purchase_proposal_act(proposal=proposal, actor=outsider, action=CONTACT)
    assert snapshot() == before


def test_a_proposal_expires_by_itself_and_then_cannot_be_agreed(cast, chain, time_machine):
    proposal = post(cast).proposals.get(supplier=chain.brakes)
    assert proposal.expires_on == datetime.date(2025, 7, 16)

    # The day after it lapses, the daily job expires it (and a second run changes nothing).
    time_machine.move_to(datetime.datetime(2025, 7, 17, 1, 0, tzinfo=datetime.UTC), tick=False)
    assert proposals_expire() == 3
    assert proposals_expire() == 0
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.EXPIRED

    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.purchase_proposal_act(proposal=proposal, actor=cast.enterprise_user_a, action=AGREE)
    assert list(refused.value.message_dict) == ["state"]
    with pytest.raises(ValidationError):
        services.deal_record(
            actor=cast.officer_a, proposal=proposal, amount=Decimal("12"), deal_on=datetime.date(2025, 7, 17)
        )
    assert snapshot() == before


def test_a_proposal_past_its_date_is_refused_even_before_the_job_runs(cast, chain, time_machine):
    proposal = post(cast).proposals.get(supplier=chain.brakes)
    services.purchase_proposal_act(proposal=proposal, actor=cast.officer_a, action=CONTACT)
    proposal.refresh_from_db()
    # The morning after its last day, before the daily job has expired it.
    time_machine.move_to(datetime.datetime(2025, 7, 16, 17, 0, tzinfo=datetime.UTC), tick=False)
    before = snapshot()

    with pytest.raises(ValidationError) as refused:
        services.purchase_proposal_act(proposal=proposal, actor=cast.enterprise_user_a, action=AGREE)

    assert refused.value.message_dict == {"state": ["该匹配已过有效期，不能再处理。"]}
    assert snapshot() == before
    assert proposals_expire() == 3


def test_a_deal_from_a_proposal_agrees_it_in_the_same_transaction(cast, chain):
    proposal = post(cast).proposals.get(supplier=chain.brakes)

    deal = services.deal_record(
        actor=cast.officer_a, proposal=proposal, amount=Decimal("86.50"), deal_on=datetime.date(2025, 6, 16)
    )

    proposal.refresh_from_db()
    assert proposal.state == ProposalState.AGREED
    assert (deal.buyer, deal.seller, deal.item, deal.amount) == (
        cast.enterprise_a,
        chain.brakes,
        "制动器总成",
        Decimal("86.50"),
    )
    # A proposal becomes one deal only.
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.deal_record(actor=cast.officer_a, proposal=proposal, amount=Decimal("1"), deal_on=deal.deal_on)
    assert list(refused.value.message_dict) == ["proposal"]
    assert snapshot() == before


def test_a_deal_that_fails_leaves_the_proposal_open(cast, chain):
    proposal = post(cast).proposals.get(supplier=chain.brakes)
    before = snapshot()
    with pytest.raises(ValidationError):
        # The amount is checked after the proposal is agreed: the whole transaction rolls back.
        services.deal_record(
            actor=cast.officer_a, proposal=proposal, amount=Decimal("-5"), deal_on=datetime.date(2025, 6, 16)
        )
    assert snapshot() == before
    assert PurchaseProposal.objects.get(pk=proposal.pk).state == ProposalState.PROPOSED


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": Decimal("0")}, "amount"),
        ({"amount": Decimal("-1")}, "amount"),
        ({"deal_on": datetime.date(2025, 6, 17)}, "deal_on"),
        ({"seller": None}, "seller"),
    ],
)
def test_a_bad_deal_is_refused_naming_the_field(cast, chain, overrides, field):
    fields = dict(
        buyer=cast.enterprise_a,
        seller=chain.knuckles,
        item="转向节",
        amount=Decimal("20"),
        deal_on=datetime.date(2025, 6, 1),
    )
    fields.update(overrides)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.deal_record(actor=cast.officer_a, **fields)
    assert field in refused.value.message_dict
    assert snapshot() == before
    assert Deal.objects.count() == 0


def test_a_retooling_case_is_a_struggling_firm_supplying_a_leader(cast, chain):
    case = services.retooling_case_record(
        actor=cast.officer_a,
        enterprise=chain.knuckles,
        leader=chain.leader,
        from_products="农用车桥",
        to_products="乘用车转向节",
        started_on=datetime.date(2025, 3, 1),
    )
    assert (case.state, case.recorded_by) == (RetoolingState.NEGOTIATING, cast.officer_a)

    moved = services.retooling_case_advance(case=case, actor=cast.leader_a, state=RetoolingState.SUPPLYING)
    assert (moved.state, moved.version) == (RetoolingState.SUPPLYING, 1)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.retooling_case_advance(case=moved, actor=cast.officer_a, state=RetoolingState.TRIAL)
    assert list(refused.value.message_dict) == ["state"]
    # The leader's officer sees the case but it is the retooled firm's grid that records it.
    with pytest.raises(PermissionDenied):
        services.retooling_case_advance(case=moved, actor=cast.officer_b, state=RetoolingState.STOPPED)
    with pytest.raises(Http404):
        services.retooling_case_advance(case=moved, actor=cast.enterprise_user_b, state=RetoolingState.STOPPED)
    assert snapshot() == before


def test_a_retooling_case_needs_a_struggling_firm_and_a_leading_one(cast, chain):
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.retooling_case_record(
            actor=cast.manager,
            enterprise=chain.brakes,  # growth, not struggling
            leader=chain.knuckles,  # struggling, not a leader
            from_products="刹车片",
            to_products="制动器",
            started_on=datetime.date(2025, 3, 1),
        )
    assert sorted(refused.value.message_dict) == ["enterprise", "leader"]
    with pytest.raises(ValidationError) as refused:
        services.retooling_case_record(
            actor=cast.officer_b,  # the firm is in grid A
            enterprise=chain.knuckles,
            leader=chain.leader,
            from_products="车桥",
            to_products="转向节",
            started_on=datetime.date(2025, 3, 1),
        )
    assert list(refused.value.message_dict) == ["enterprise"]
    assert chain.knuckles.tier == Tier.STRUGGLING
    assert snapshot() == before


def test_totals_are_computed_from_the_records_on_their_own_dates(cast, chain):
    from platforms.procurement import figures

    # Given two deals in May and one in June, one of them from an agreed proposal
    proposal = post(cast).proposals.get(supplier=chain.knuckles)
    services.deal_record(
        actor=cast.officer_a, proposal=proposal, amount=Decimal("50.25"), deal_on=datetime.date(2025, 6, 2)
    )
    for day, amount in ((3, "100"), (28, "20.5")):
        services.deal_record(
            actor=cast.officer_a,
            buyer=cast.enterprise_a,
            seller=chain.brakes,
            item="制动器总成",
            amount=Decimal(amount),
            deal_on=datetime.date(2025, 5, day),
        )

    may = figures.in_zone_purchasing(start=datetime.date(2025, 5, 1), end=datetime.date(2025, 5, 31))
    june = figures.in_zone_purchasing(start=datetime.date(2025, 6, 1), end=datetime.date(2025, 6, 30))
    assert may == {"deals": 2, "amount": Decimal("120.50")}
    assert june == {"deals": 1, "amount": Decimal("50.25")}
    assert figures.in_zone_purchasing() == {"deals": 3, "amount": Decimal("170.75")}
    assert figures.in_zone_purchasing(district_id=cast.district_b.pk) == {"deals": 0, "amount": Decimal("0.00")}
    assert figures.proposal_figures() == {"made": 3, "agreed": 1}
    assert figures.proposal_figures(start=datetime.date(2025, 5, 1), end=datetime.date(2025, 5, 31)) == {
        "made": 0,
        "agreed": 0,
    }
    assert figures.retooling_figures() == {"cases": 0, "leaders": 0}
