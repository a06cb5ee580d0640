"""Closing an incident offers each affected enterprise what the portal has for it: the ledger entry
for its open need, the relief policies the matching found, its running loans (renewal or
extension) and the zone's vacancies (共享用工) — shown to the enterprise and its officers only."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from emergency.models import ReliefOffer
from emergency.relief import relief_offers_make
from emergency.services import Report, incident_close, response_entry_add
from platforms.financing.models import Bank, Loan, LoanExtension
from platforms.labour.models import LabourPosting, PostingState
from policies.models import Answer, EligibilityResult
from tests.conftest import login
from tests.policies.conftest import make_policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers_ready(flood):
    """What the portal holds before closing: a policy clause the matching found the riverside firm
    eligible for (and enterprise A not), loans running and repaid, vacancies open and closed."""
    cast, river = flood.cast, flood.riverside
    today = timezone.localdate()
    now = timezone.now()
    relief = make_policy(title="受灾企业纾困补助")
    clause = relief.clauses.get()
    EligibilityResult.objects.create(enterprise=river, clause=clause, answer=Answer.ELIGIBLE, evaluated_at=now)
    EligibilityResult.objects.create(
        enterprise=cast.enterprise_a, clause=clause, answer=Answer.INELIGIBLE, evaluated_at=now
    )
    bank = Bank.objects.create(name="重庆测试银行经开区支行", short_name="测试银行")
    running = Loan.objects.create(
        enterprise=river,
        bank=bank,
        amount=Decimal("300"),
        granted_on=today - datetime.timedelta(days=100),
        term_months=12,
    )
    repaid = Loan.objects.create(
        enterprise=river,
        bank=bank,
        amount=Decimal("80"),
        granted_on=today - datetime.timedelta(days=800),
        term_months=12,
    )
    # A loan past its first maturity but extended beyond today still runs.
    extended = Loan.objects.create(
        enterprise=river,
        bank=bank,
        amount=Decimal("50"),
        granted_on=today - datetime.timedelta(days=400),
        term_months=12,
    )
    LoanExtension.objects.create(
        loan=extended,
        kind="extension",
        amount=Decimal("50"),
        approved_on=today - datetime.timedelta(days=60),
        new_maturity_on=today + datetime.timedelta(days=30),
    )
    span = {"starts_on": today - datetime.timedelta(days=5), "ends_on": today + datetime.timedelta(days=60)}
    vacancy = LabourPosting.objects.create(
        enterprise=cast.enterprise_b, kind="demand", skills=["welder"], count=10, **span
    )
    LabourPosting.objects.create(
        enterprise=cast.enterprise_b, kind="demand", skills=["welder"], count=5, state=PostingState.CLOSED, **span
    )
    own = LabourPosting.objects.create(enterprise=river, kind="demand", skills=["welder"], count=3, **span)
    response_entry_add(affected=flood.row_river, actor=cast.officer_a, report=Report(needs="清淤设备两台"))
    flood.clause, flood.running, flood.repaid, flood.extended = clause, running, repaid, extended
    flood.vacancy, flood.own_vacancy = vacancy, own
    return flood


def test_closing_offers_each_affected_enterprise_what_the_portal_has_for_it(offers_ready):
    flood = offers_ready

    incident_close(incident=flood.incident, actor=flood.cast.manager, note="洪水退去")

    river = ReliefOffer.objects.get(affected=flood.row_river)
    flood.row_river.refresh_from_db()
    assert flood.row_river.follow_up_issue.title == "灾后需求：清淤设备两台"
    assert list(river.policy_clauses.all()) == [flood.clause]
    assert list(river.loans.order_by("pk")) == [flood.running, flood.extended]
    # Other firms' open vacancies only: not its own, not a closed one.
    assert list(river.vacancies.all()) == [flood.vacancy]
    other = ReliefOffer.objects.get(affected=flood.row_a)
    assert (list(other.policy_clauses.all()), list(other.loans.all())) == ([], [])
    assert set(other.vacancies.all()) == {flood.vacancy, flood.own_vacancy}
    assert ReliefOffer.objects.count() == 2


def test_the_offer_is_told_once_to_the_enterprise_and_its_officer(offers_ready):
    flood = offers_ready
    incident_close(incident=flood.incident, actor=flood.cast.manager)
    offer = ReliefOffer.objects.get(affected=flood.row_river)

    for user in flood.riverside_users:
        [notice] = Notification.objects.filter(recipient=user, kind="emergency_closed")
        assert notice.url == reverse("emergency:relief", args=[flood.incident.pk, flood.row_river.pk])
    assert offer.get_absolute_url() == notice.url
    [officer_notice] = Notification.objects.filter(recipient=flood.cast.officer_a, kind="emergency_relief")
    assert officer_notice.title == "8·19 洪峰过境：2 家企业的灾后支持清单已生成"
    assert not Notification.objects.filter(recipient=flood.cast.officer_b, kind="emergency_relief").exists()

    # Making the offers again offers nothing twice.
    assert relief_offers_make(incident=flood.incident) == []
    assert ReliefOffer.objects.count() == 2


def test_no_offer_while_the_incident_is_open(offers_ready):
    flood = offers_ready
    page = login(flood.riverside_users[0]).get(
        reverse("emergency:relief", args=[flood.incident.pk, flood.row_river.pk])
    )
    assert page.status_code == 404
    assert ReliefOffer.objects.count() == 0


def test_the_enterprise_and_its_officer_read_the_offer_and_nobody_else(offers_ready):
    flood = offers_ready
    incident_close(incident=flood.incident, actor=flood.cast.manager)
    flood.row_river.refresh_from_db()
    url = reverse("emergency:relief", args=[flood.incident.pk, flood.row_river.pk])

    page = login(flood.riverside_users[0]).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "受灾企业纾困补助" in text
    assert "测试银行" in text and "300" in text and "80.00" not in text
    assert "乙企业有限公司" in text and "尚缺 10 人" in text
    assert reverse("issues:detail", args=[flood.row_river.follow_up_issue_id]) in text
    assert reverse("labour:posting_create") + "?kind=surplus" in text
    assert reverse("financing:extension_create", args=[flood.running.pk]) not in text  # staff record extensions

    officer_page = login(flood.cast.officer_a).get(url)
    assert officer_page.status_code == 200
    assert reverse("financing:extension_create", args=[flood.running.pk]) in officer_page.content.decode()

    for outsider in (flood.cast.enterprise_user_a, flood.cast.officer_b, flood.cast.enterprise_user_b):
        assert login(outsider).get(url).status_code == 404


def test_the_enterprise_home_and_the_board_link_to_the_offer(offers_ready):
    flood = offers_ready
    incident_close(incident=flood.incident, actor=flood.cast.manager)
    url = reverse("emergency:relief", args=[flood.incident.pk, flood.row_river.pk])

    home = login(flood.riverside_users[0]).get(reverse("enterprises:my_enterprise"))
    assert url in home.content.decode()
    board = login(flood.cast.officer_a).get(reverse("emergency:board", args=[flood.incident.pk]))
    assert url in board.content.decode()


def test_the_offer_through_the_api_for_the_enterprise_and_its_officer_only(offers_ready):
    flood = offers_ready
    url = f"/api/incidents/{flood.incident.pk}/enterprises/{flood.row_river.pk}/relief/"
    # While the incident runs there is no offer yet.
    assert login(flood.riverside_users[0]).get(url).status_code == 404

    incident_close(incident=flood.incident, actor=flood.cast.manager)
    flood.row_river.refresh_from_db()

    answer = login(flood.riverside_users[0]).get(url)
    assert answer.status_code == 200
    offer = answer.json()
    assert offer["enterprise"] == flood.riverside.pk
    assert offer["follow_up_issue"] == flood.row_river.follow_up_issue_id
    assert [clause["id"] for clause in offer["policy_clauses"]] == [flood.clause.pk]
    assert sorted(loan["id"] for loan in offer["loans"]) == sorted([flood.running.pk, flood.extended.pk])
    assert [vacancy["id"] for vacancy in offer["vacancies"]] == [flood.vacancy.pk]
    assert login(flood.cast.officer_a).get(url).json() == offer

    for outsider in (flood.cast.enterprise_user_a, flood.cast.officer_b, flood.cast.enterprise_user_b):
        assert login(outsider).get(url).status_code == 404
    assert (
        login(flood.riverside_users[0]).get(f"/api/incidents/{flood.incident.pk}/enterprises/x/relief/").status_code
        == 404
    )
