"""The article's outcomes on the manager's dashboard, computed from the demo's records.

Done when (issue "Policies to the right enterprise …"): the dashboard shows 5,878 万元 =
1,781 + 1,984 + 2,113 by funding level and the financing figures, and they move when a
disbursement is added; (issue "The four platforms …"): it shows 600 人次 transferred.
"""

from decimal import Decimal

import pytest
from django.db.models import F
from django.test import Client

from accounts.models import User
from policies.funding.models import FundingGrant, FundingState
from policies.funding.services import funding_disbursement_record

pytestmark = pytest.mark.django_db


def outcome(html: str, key: str) -> str:
    start = html.index(f'data-outcome="{key}">') + len(f'data-outcome="{key}">')
    return html[start : html.index("</td>", start)]


def dashboard(username: str = "manager") -> str:
    client = Client()
    client.force_login(User.objects.get(username=username))
    response = client.get("/analytics/", follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_the_managers_dashboard_shows_the_articles_outcomes(demo_zone):
    html = dashboard()

    assert outcome(html, "funds-total") == "5,878"
    assert outcome(html, "funds-municipal") == "1,781"
    assert outcome(html, "funds-local") == "1,984"
    assert outcome(html, "funds-central") == "2,113"
    assert outcome(html, "credit") == "1.35"
    assert outcome(html, "loans") == "9.89"
    assert outcome(html, "transfers") == "600"


def test_a_new_disbursement_moves_the_total(demo_zone):
    grant = (
        FundingGrant.objects.filter(granted_amount__gt=F("disbursed_amount"), application__state=FundingState.APPROVED)
        .select_related("application")
        .order_by("pk")
        .first()
    )
    assert grant is not None, "the demo has an approved grant not paid in full"

    funding_disbursement_record(
        application=grant.application,
        actor=User.objects.get(username="manager"),
        level=grant.level,
        amount=Decimal("10"),
    )

    assert outcome(dashboard(), "funds-total") == "5,888"


def test_a_district_leader_sees_his_districts_share_only(demo_zone):
    zone, district = dashboard(), dashboard("district-1")

    assert int(outcome(district, "transfers").replace(",", "")) < int(outcome(zone, "transfers").replace(",", ""))
