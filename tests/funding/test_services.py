"""The funding application's life: drafts, window, review, approval split, partial payments."""

import datetime
import threading
from decimal import Decimal

import pytest
import time_machine
from django.db import connection

from accounts.models import Notification
from policies.funding import services
from policies.funding.errors import InvalidInput, NotPermitted, StateConflict
from policies.funding.models import Disbursement, FundingApplication, FundingEvent, FundingState
from tests.funding.conftest import SHANGHAI, approved, draft, snapshot, submitted, under_review

pytestmark = pytest.mark.django_db


def fresh(application):
    return FundingApplication.objects.get(pk=application.pk)


def test_the_happy_path_writes_one_event_per_step(funding):
    application = draft(funding)
    application = services.funding_application_submit(application=application, actor=funding.enterprise_user_a)
    application = services.funding_application_review(application=application, actor=funding.bureau_user_x)
    application = services.funding_application_approve(
        application=application, actor=funding.bureau_user_x, amount=Decimal("80")
    )
    assert application.state == FundingState.APPROVED
    assert application.approved_amount == Decimal("80")
    grants = {grant.level: grant.granted_amount for grant in application.grants.all()}
    assert grants == {"district": Decimal("48.00"), "zone": Decimal("32.00")}
    services.funding_disbursement_record(
        application=application, actor=funding.bureau_user_x, level="district", amount=Decimal("48")
    )
    application = fresh(application)
    assert application.state == FundingState.APPROVED  # partially paid: the zone has not paid yet
    services.funding_disbursement_record(
        application=application, actor=funding.manager, level="zone", amount=Decimal("32")
    )
    application = fresh(application)
    assert application.state == FundingState.DISBURSED
    events = list(FundingEvent.objects.filter(application=application).values_list("action", "from_state", "to_state"))
    assert events == [
        ("create", "", "draft"),
        ("submit", "draft", "submitted"),
        ("review", "submitted", "under_review"),
        ("approve", "under_review", "approved"),
        ("disburse", "approved", "approved"),
        ("disburse", "approved", "disbursed"),
    ]


def test_an_officer_who_drafts_is_the_guide(funding):
    application = draft(funding, actor=funding.officer_a)
    assert application.guided_by == funding.officer_a


def test_submitting_tells_the_reviewing_bureau(funding):
    submitted(funding)
    assert list(Notification.objects.values_list("recipient__username", "kind")) == [("bureau-x", "funding_submitted")]


def test_the_split_adds_up_to_the_approved_amount_exactly(funding):
    assert services.split_by_shares(Decimal("10.01"), {"central": 0, "municipal": 0, "district": 60, "zone": 40}) == {
        "district": Decimal("6.01"),
        "zone": Decimal("4.00"),
    }
    assert sum(
        services.split_by_shares(Decimal("0.03"), {"district": 34, "zone": 33, "central": 33}).values()
    ) == Decimal("0.03")


def test_approving_more_than_requested_is_refused(funding):
    application = under_review(funding, amount="50")
    before = snapshot(application)
    with pytest.raises(InvalidInput) as caught:
        services.funding_application_approve(application=application, actor=funding.manager, amount=Decimal("50.01"))
    assert caught.value.field == "amount"
    assert snapshot(application) == before


@pytest.mark.parametrize("amount", ["0", "-1", "1.001", "NaN"])
def test_a_bad_amount_is_refused(funding, amount):
    before = FundingApplication.objects.count()
    with pytest.raises(InvalidInput):
        draft(funding, amount=amount)
    assert FundingApplication.objects.count() == before


def test_above_the_clause_maximum_is_refused(funding):
    funding.shared.max_amount = Decimal("30")
    funding.shared.save()
    with pytest.raises(InvalidInput, match="单户最高支持 30"):
        draft(funding, amount="31")
    assert FundingApplication.objects.count() == 0


def test_a_rejection_needs_a_reason(funding):
    application = under_review(funding)
    before = snapshot(application)
    with pytest.raises(InvalidInput):
        services.funding_application_reject(application=application, actor=funding.manager, reason="  ")
    assert snapshot(application) == before


def test_a_stale_copy_is_refused(funding):
    application = submitted(funding)
    stale = FundingApplication.objects.get(pk=application.pk)
    services.funding_application_review(application=application, actor=funding.manager)
    with pytest.raises(StateConflict):
        services.funding_application_reject(application=stale, actor=funding.manager, reason="重复")
    assert fresh(application).state == FundingState.UNDER_REVIEW


# --- the window ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "allowed"),
    [
        (datetime.datetime(2025, 12, 31, 23, 59, tzinfo=SHANGHAI), False),  # the evening before it opens
        (
            datetime.datetime(2026, 1, 1, 0, 1, tzinfo=SHANGHAI),
            True,
        ),  # just after midnight in Shanghai (still 2025 in UTC)
        (datetime.datetime(2026, 12, 31, 23, 59, tzinfo=SHANGHAI), True),  # the last day, late
        (datetime.datetime(2027, 1, 1, 0, 1, tzinfo=SHANGHAI), False),  # closed
    ],
)
def test_submitting_is_allowed_only_inside_the_window(funding, day, allowed):
    application = draft(funding)
    before = snapshot(application)
    with time_machine.travel(day, tick=False):
        if allowed:
            assert (
                services.funding_application_submit(application=application, actor=funding.enterprise_user_a).state
                == "submitted"
            )
        else:
            with pytest.raises(StateConflict, match="不在该政策的申报期内"):
                services.funding_application_submit(application=application, actor=funding.enterprise_user_a)
            assert snapshot(application) == before


def test_an_open_ended_window_accepts_any_day(funding):
    policy = funding.shared.policy
    policy.apply_from = None
    policy.apply_to = None
    policy.save()
    with time_machine.travel(datetime.datetime(2030, 6, 1, tzinfo=SHANGHAI), tick=False):
        application = services.funding_application_submit(application=draft(funding), actor=funding.enterprise_user_a)
    assert application.state == FundingState.SUBMITTED


def test_an_exempt_clause_takes_no_application_but_a_direct_grant(funding):
    with pytest.raises(InvalidInput, match="免申即享"):
        draft(funding, clause=funding.exempt)
    assert FundingApplication.objects.count() == 0
    grant = services.funding_exempt_grant(
        enterprise=funding.enterprise_a,
        clause=funding.exempt,
        amount=Decimal("12"),
        reviewing_bureau=funding.bureau_x,
        actor=funding.bureau_user_x,
    )
    assert grant.state == FundingState.APPROVED
    assert list(grant.grants.values_list("level", "granted_amount")) == [("zone", Decimal("12.00"))]


def test_only_the_bureau_grants_an_exempt_clause(funding):
    with pytest.raises(NotPermitted):
        services.funding_exempt_grant(
            enterprise=funding.enterprise_a,
            clause=funding.exempt,
            amount=Decimal("12"),
            reviewing_bureau=funding.bureau_x,
            actor=funding.bureau_user_y,
        )
    assert FundingApplication.objects.count() == 0


def test_an_unpublished_policy_takes_no_application(funding):
    funding.shared.policy.state = "draft"
    funding.shared.policy.save()
    with pytest.raises(InvalidInput):
        draft(funding)
    assert FundingApplication.objects.count() == 0


# --- disbursed never above approved -----------------------------------------------------------


def test_a_level_never_pays_more_than_its_grant(funding):
    application = approved(funding, amount="80")  # district 48, zone 32
    services.funding_disbursement_record(
        application=application, actor=funding.manager, level="district", amount=Decimal("40")
    )
    application = fresh(application)
    before = snapshot(application)
    with pytest.raises(InvalidInput, match="尚可拨付 8.00 万元") as caught:
        services.funding_disbursement_record(
            application=application, actor=funding.manager, level="district", amount=Decimal("8.01")
        )
    assert caught.value.field == "amount"
    assert snapshot(application) == before


def test_the_total_never_exceeds_the_approved_amount(funding):
    application = disbursed_all = approved(funding, amount="80")
    for level, amount in (("district", "48"), ("zone", "32")):
        services.funding_disbursement_record(
            application=fresh(disbursed_all), actor=funding.manager, level=level, amount=Decimal(amount)
        )
    application = fresh(application)
    before = snapshot(application)
    with pytest.raises(StateConflict):  # fully paid: no further payment at any level
        services.funding_disbursement_record(
            application=application, actor=funding.manager, level="zone", amount=Decimal("0.01")
        )
    assert snapshot(application) == before
    assert sum(Disbursement.objects.values_list("amount", flat=True)) == application.approved_amount


def test_a_level_that_pays_no_share_is_refused(funding):
    application = approved(funding)
    before = snapshot(application)
    with pytest.raises(InvalidInput, match="不由中央承担资金"):
        services.funding_disbursement_record(
            application=application, actor=funding.manager, level="central", amount=Decimal("1")
        )
    assert snapshot(application) == before


@pytest.mark.parametrize(
    ("on", "message"),
    [(datetime.date(2026, 11, 3), "不能晚于今天"), (datetime.date(2026, 1, 1), "不能早于批准日期")],
)
def test_a_payment_date_outside_approval_to_today_is_refused(funding, on, message):
    application = approved(funding)
    before = snapshot(application)
    with pytest.raises(InvalidInput, match=message):
        services.funding_disbursement_record(
            application=application, actor=funding.manager, level="zone", amount=Decimal("1"), on=on
        )
    assert snapshot(application) == before


@pytest.mark.django_db(transaction=True)
def test_two_payments_at_once_never_overpay(funding):
    """Two clerks record the last 32 万元 of the zone's share at the same moment: one wins."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite has no row locks; the guard is select_for_update on PostgreSQL")
    application = approved(funding, amount="80")
    results = []

    def pay():
        try:
            services.funding_disbursement_record(
                application=FundingApplication.objects.get(pk=application.pk),
                actor=funding.manager,
                level="zone",
                amount=Decimal("32"),
            )
            results.append("paid")
        except (InvalidInput, StateConflict):
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=pay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["paid", "refused"]
    assert sum(Disbursement.objects.values_list("amount", flat=True)) == Decimal("32.00")
