"""The rules of the labour platform: transfers within what was posted, the three confirmations, expiry."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from platforms.labour.figures import labour_proposal_counts, transfer_person_times
from platforms.labour.models import LabourProposal, Transfer
from platforms.labour.services import (
    labour_posting_close,
    labour_posting_update,
    labour_proposal_act,
    labour_propose,
    labour_transfer_record,
)
from platforms.matching import AGREE, CONTACT, DECLINE, proposals_expire
from tests.labour.conftest import labour_snapshot, posting

CONFIRMED = {"workers_consent": True, "contract_unchanged": True, "no_fee": True}


@pytest.fixture
def agreed(firms, cast):
    """20 welders on offer, 15 wanted, the pair proposed and agreed."""
    surplus = posting(firms.struggling, "surplus", skills=["welder"], count=20)
    demand = posting(firms.growing, "demand", skills=["welder"], count=15)
    proposal = labour_propose(surplus=surplus, demand=demand)
    labour_proposal_act(proposal=proposal, action=CONTACT, actor=cast.officer_a)
    proposal.refresh_from_db()
    return labour_proposal_act(proposal=proposal, action=AGREE, actor=firms.growing_user)


def record(actor, proposal, *, count, **overrides):
    arguments = {
        "actor": actor,
        "from_enterprise": proposal.surplus.enterprise,
        "to_enterprise": proposal.demand.enterprise,
        "count": count,
        "starts_on": proposal.demand.starts_on,
        "ends_on": proposal.demand.ends_on,
        "proposal": proposal,
        **CONFIRMED,
    }
    return labour_transfer_record(**{**arguments, **overrides})


def test_a_transfer_within_the_need_is_recorded_and_counted(agreed, cast):
    transfer = record(cast.officer_a, agreed, count=10)
    record(cast.officer_a, agreed, count=5)

    assert (transfer.surplus_posting, transfer.demand_posting) == (agreed.surplus, agreed.demand)
    assert transfer_person_times() == 15


def test_a_transfer_may_not_move_more_than_needed_and_nothing_is_saved(agreed, cast):
    record(cast.officer_a, agreed, count=10)
    before = labour_snapshot()

    with pytest.raises(ValidationError) as refused:
        record(cast.officer_a, agreed, count=6)  # 10 + 6 > 15 needed

    assert refused.value.message_dict == {"count": ["超过需求人数：共 15 人，已调配 10 人次，本次最多 5 人次。"]}
    assert labour_snapshot() == before


def test_a_transfer_may_not_move_more_than_posted_as_surplus(firms, cast):
    surplus = posting(firms.struggling, "surplus", skills=["welder"], count=8)
    demand = posting(firms.growing, "demand", skills=["welder"], count=30)
    before = labour_snapshot()

    with pytest.raises(ValidationError) as refused:
        labour_transfer_record(
            actor=cast.manager,
            from_enterprise=firms.struggling,
            to_enterprise=firms.growing,
            surplus_posting=surplus,
            demand_posting=demand,
            count=9,
            starts_on=surplus.starts_on,
            ends_on=surplus.ends_on,
            **CONFIRMED,
        )

    assert refused.value.message_dict == {"count": ["超过富余人数：共 8 人，已调配 0 人次，本次最多 8 人次。"]}
    assert labour_snapshot() == before


@pytest.mark.parametrize("missing", ["workers_consent", "contract_unchanged", "no_fee"])
def test_a_transfer_without_the_three_confirmations_is_refused(agreed, cast, missing):
    before = labour_snapshot()

    with pytest.raises(ValidationError) as refused:
        record(cast.officer_a, agreed, count=5, **{missing: False})

    assert refused.value.message_dict == {missing: ["共享用工须确认此项后才能登记。"]}
    assert labour_snapshot() == before


def test_only_zone_staff_record_transfers(agreed, cast):
    before = labour_snapshot()
    with pytest.raises(PermissionDenied):
        record(cast.enterprise_user_a, agreed, count=5)
    with pytest.raises(ValidationError) as refused:
        record(cast.officer_b, agreed, count=5)  # neither firm is in grid B
    assert list(refused.value.message_dict) == ["from_enterprise"]
    assert labour_snapshot() == before


def test_a_transfer_needs_an_agreed_proposal(firms, cast):
    proposal = labour_propose(
        surplus=posting(firms.struggling, "surplus", skills=["welder"], count=20),
        demand=posting(firms.growing, "demand", skills=["welder"], count=15),
    )
    with pytest.raises(ValidationError) as refused:
        record(cast.officer_a, proposal, count=5)
    assert refused.value.message_dict == {"proposal": ["只能依据已达成的匹配登记调配。"]}
    assert Transfer.objects.count() == 0


def test_a_proposal_expires_by_itself_and_then_cannot_be_agreed(firms, cast, time_machine):
    proposal = labour_propose(
        surplus=posting(firms.struggling, "surplus", skills=["welder"], count=20),
        demand=posting(firms.growing, "demand", skills=["welder"], count=15, days=200),
    )
    assert proposal.expires_on == datetime.date(2025, 7, 16)

    time_machine.move_to(datetime.datetime(2025, 7, 16, 12, 0, tzinfo=datetime.UTC), tick=False)
    assert proposals_expire() == 0  # the last day is still open
    time_machine.move_to(datetime.datetime(2025, 7, 17, 12, 0, tzinfo=datetime.UTC), tick=False)
    assert proposals_expire() >= 1
    proposal.refresh_from_db()
    assert proposal.state == "expired"
    before = labour_snapshot()

    with pytest.raises(ValidationError) as refused:
        labour_proposal_act(proposal=proposal, action=AGREE, actor=firms.growing_user)

    assert refused.value.message_dict == {"state": ["该匹配已结束（已达成、未达成或已过期），不能再确认达成。"]}
    assert labour_snapshot() == before


def test_a_proposal_past_its_date_is_refused_even_before_the_job_runs(firms, time_machine):
    proposal = labour_propose(
        surplus=posting(firms.struggling, "surplus", skills=["welder"], count=20),
        demand=posting(firms.growing, "demand", skills=["welder"], count=15),
    )
    time_machine.move_to(datetime.datetime(2025, 8, 1, 12, 0, tzinfo=datetime.UTC), tick=False)
    before = labour_snapshot()

    with pytest.raises(ValidationError) as refused:
        labour_proposal_act(proposal=proposal, action=AGREE, actor=firms.growing_user)

    assert refused.value.message_dict == {"state": ["该匹配已过有效期，不能再处理。"]}
    assert labour_snapshot() == before


def test_declining_needs_a_reason_and_an_outsider_cannot_answer(firms, cast):
    proposal = labour_propose(
        surplus=posting(firms.struggling, "surplus", skills=["welder"], count=20),
        demand=posting(firms.growing, "demand", skills=["welder"], count=15),
    )
    before = labour_snapshot()
    with pytest.raises(ValidationError):
        labour_proposal_act(proposal=proposal, action=DECLINE, actor=firms.growing_user, reason=" ")
    with pytest.raises(PermissionDenied):
        labour_proposal_act(proposal=proposal, action=AGREE, actor=cast.enterprise_user_b)
    with pytest.raises(PermissionDenied):
        labour_proposal_act(proposal=proposal, action=AGREE, actor=cast.bureau_user_x)
    assert labour_snapshot() == before

    declined = labour_proposal_act(proposal=proposal, action=DECLINE, actor=firms.growing_user, reason="工期不合")
    assert (declined.state, declined.decline_reason, declined.decided_by) == (
        "declined",
        "工期不合",
        firms.growing_user,
    )


def test_a_posting_cannot_shrink_below_what_was_transferred_and_closing_declines_its_proposals(agreed, cast, firms):
    record(cast.officer_a, agreed, count=12)
    other = labour_propose(surplus=agreed.surplus, demand=posting(firms.backbone, "demand", skills=["welder"], count=5))
    before = labour_snapshot()

    with pytest.raises(ValidationError) as refused:
        labour_posting_update(actor=cast.enterprise_user_a, posting=agreed.surplus, count=11)

    assert refused.value.message_dict == {"count": ["已调配 12 人次，人数不能少于此数。"]}
    assert labour_snapshot() == before
    labour_posting_close(actor=cast.enterprise_user_a, posting=agreed.surplus)
    other.refresh_from_db()
    assert (other.state, other.decline_reason) == ("declined", "用工信息已关闭")


def test_an_enterprise_cannot_change_another_firms_posting(agreed, cast):
    before = labour_snapshot()
    with pytest.raises(ValidationError) as refused:
        labour_posting_update(actor=cast.enterprise_user_b, posting=agreed.surplus, count=30)
    assert list(refused.value.message_dict) == ["enterprise"]
    assert labour_snapshot() == before


def test_figures_count_by_start_date_and_district_from_the_records(agreed, cast, firms, time_machine):
    record(cast.officer_a, agreed, count=6, starts_on=datetime.date(2025, 6, 20), ends_on=datetime.date(2025, 7, 30))
    record(cast.officer_a, agreed, count=4, starts_on=datetime.date(2025, 7, 1), ends_on=datetime.date(2025, 7, 30))
    other = labour_propose(
        surplus=posting(firms.struggling_b, "surplus", skills=["welder"], count=9),
        demand=posting(firms.backbone, "demand", skills=["welder"], count=9),
    )
    labour_proposal_act(proposal=other, action=AGREE, actor=cast.officer_b)
    record(cast.officer_b, LabourProposal.objects.get(pk=other.pk), count=9, starts_on=datetime.date(2025, 6, 30))

    june = {"date_from": datetime.date(2025, 6, 1), "date_to": datetime.date(2025, 6, 30)}
    assert transfer_person_times(**june) == 15
    assert transfer_person_times(**june, district_id=cast.district_a.pk) == 6
    assert transfer_person_times(date_to=datetime.date(2025, 7, 31)) == 19
    assert transfer_person_times(date_from=datetime.date(2025, 7, 1)) == 4
    assert labour_proposal_counts(**june) == {"made": 2, "agreed": 2}
    assert labour_proposal_counts(**june, district_id=cast.district_b.pk) == {"made": 1, "agreed": 1}
    assert labour_proposal_counts(date_from=datetime.date(2025, 7, 1)) == {"made": 0, "agreed": 0}
