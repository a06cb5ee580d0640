"""The "Done when" of issue 10 ("Policies to the right enterprise, funding won, finance and services
delivered"), walked through on the seeded demo zone, as its users meet it:

``enterprise-001`` opens a pushed policy (the receipt is recorded), sees a clause it may be eligible for
with the reasons, and registers for a training; ``officer-01`` sees the missing-fact tasks of grid 01; the
manager's dashboard shows 5,878 万元 = 1,781 + 1,984 + 2,113 by funding level and the financing figures,
and they move when a disbursement (and a loan) is added.

The demo's dates are fixed (2026), so the walk happens on Monday 7 December 2026, when two trainings are
still ahead.
"""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Count, F, Q
from django.test import Client

from accounts.models import User
from platforms.financing.models import Bank, Loan
from policies.funding.models import FundingGrant, FundingState
from policies.funding.services import funding_disbursement_record
from policies.models import Answer, EligibilityResult, PolicyPush, PushState
from policies.trainings.models import Registration, RegistrationState, TrainingSession
from tests.conftest import new_cache

pytestmark = pytest.mark.django_db

SEATED = (RegistrationState.REGISTERED, RegistrationState.ATTENDED)
NOW = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def monday_7_december():
    with time_machine.travel(NOW, tick=False):
        yield


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def outcome(html: str, key: str) -> str:
    return re.search(rf'data-outcome="{key}">([^<]*)<', html).group(1)


def test_enterprise_001_opens_a_pushed_policy_and_the_receipt_is_recorded(demo_zone):
    user = User.objects.get(username="enterprise-001")
    push = PolicyPush.objects.filter(enterprise=user.enterprise, state=PushState.DELIVERED).order_by("pk").first()
    assert push is not None, "the demo leaves enterprise-001 a push it has not opened"
    client = signed_in("enterprise-001")
    assert push.policy.title in page(client, "/my/")

    page(client, push.policy.get_absolute_url())

    push.refresh_from_db()
    assert (push.state, push.opened_at, push.opened_by) == (PushState.OPENED, NOW, user)


def test_enterprise_001_sees_a_clause_it_may_be_eligible_for_with_the_reasons(demo_zone):
    user = User.objects.get(username="enterprise-001")
    results = EligibilityResult.objects.filter(enterprise=user.enterprise, answer=Answer.ELIGIBLE)
    result = next((item for item in results.select_related("clause__policy").order_by("pk") if item.reasons), None)
    assert result is not None, "the demo finds enterprise-001 eligible for a clause, with reasons"
    reasons = result.reasons  # the criteria met, as the trace recorded them

    for url in ("/my/", "/policies/mine/"):
        html = page(signed_in("enterprise-001"), url)
        assert f"{result.clause.policy.title} · {result.clause.title}" in html
        assert "可能符合" in html
        assert "依据：" + "；".join(reasons) in html


def test_enterprise_001_registers_for_a_training(demo_zone):
    user = User.objects.get(username="enterprise-001")
    taken = Count("registrations", filter=Q(registrations__state__in=SEATED))
    session = (
        TrainingSession.objects.filter(starts_at__gt=NOW)
        .annotate(taken=taken)
        .filter(taken__lt=F("capacity"))
        .order_by("starts_at")
        .first()
    )
    assert session is not None, "the demo has a training with free places still ahead on 7 December 2026"
    before = Registration.objects.filter(enterprise=user.enterprise, session=session).count()

    response = signed_in("enterprise-001").post(
        f"/policies/trainings/{session.pk}/register/", {"attendee_name": "熊宁芳", "attendee_phone": "13551303429"}
    )

    assert response.status_code == 302
    registration = Registration.objects.filter(enterprise=user.enterprise, session=session).latest("pk")
    assert Registration.objects.filter(enterprise=user.enterprise, session=session).count() == before + 1
    assert (registration.attendee_name, registration.state, registration.registered_by) == (
        "熊宁芳",
        RegistrationState.REGISTERED,
        user,
    )


def test_officer_01_sees_the_missing_fact_tasks_of_grid_01(demo_zone):
    unknown = EligibilityResult.objects.filter(answer=Answer.UNKNOWN, clause__policy__state="published")
    grid_01 = set(unknown.filter(enterprise__grid__code="01").values_list("enterprise__name", flat=True))
    elsewhere = set(unknown.exclude(enterprise__grid__code="01").values_list("enterprise__name", flat=True))
    assert grid_01 and elsewhere, "the demo has unknown answers in grid 01 and in other grids"

    html = page(signed_in("officer-01"), "/")
    # The task panel only: the home's other panels may name another grid's firm where it is a
    # counterpart of one of grid 01's (a platform proposal between the two).
    start = html.index('<section class="card shadow-sm mb-3 panel-missing-facts"')
    panel = html[start : html.index("</section>", start)]

    assert "待采集信息" in panel
    assert "重庆骏展化工有限公司" in grid_01  # enterprise-001, missing its 信息化项目投资
    for name in grid_01:
        assert name in panel, name
    assert not [name for name in elsewhere if name in panel]


def test_the_managers_dashboard_shows_the_funds_and_financing_and_they_move(demo_zone, settings):
    html = page(signed_in("manager"), "/analytics/")
    assert [outcome(html, key) for key in ("funds-total", "funds-municipal", "funds-local", "funds-central")] == [
        "5,878",
        "1,781",
        "1,984",
        "2,113",
    ]
    assert 1781 + 1984 + 2113 == 5878
    assert [outcome(html, key) for key in ("matchmaking-banks", "matchmaking-enterprises")] == ["7", "73"]
    assert [outcome(html, key) for key in ("credit", "loans", "extensions", "extensions-amount")] == [
        "1.35",
        "9.89",
        "231",
        "1.00",
    ]
    assert [outcome(html, key) for key in ("reloans-enterprises", "reloans")] == ["7", "2.35"]

    manager = User.objects.get(username="manager")
    grant = (
        FundingGrant.objects.filter(
            granted_amount__gte=F("disbursed_amount") + 10,
            application__state=FundingState.APPROVED,
            level="municipal",
        )
        .select_related("application")
        .order_by("pk")
        .first()
    )
    assert grant is not None, "the demo has an approved municipal grant not paid in full"
    funding_disbursement_record(application=grant.application, actor=manager, level="municipal", amount=Decimal("10"))
    Loan.objects.create(
        enterprise=grant.application.enterprise,
        bank=Bank.objects.order_by("pk").first(),
        amount=Decimal("1000"),
        granted_on=NOW.date(),
        term_months=12,
    )
    new_cache(settings)  # the panel is cached for ten minutes; a new view after that reads the new records

    html = page(signed_in("manager"), "/analytics/")
    assert [outcome(html, key) for key in ("funds-total", "funds-municipal", "funds-local", "funds-central")] == [
        "5,888",
        "1,791",
        "1,984",
        "2,113",
    ]
    assert outcome(html, "loans") == "9.99"
