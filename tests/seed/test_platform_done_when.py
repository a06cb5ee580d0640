"""Done when (issue "The four platforms … and the emergency mode"), on the seeded demo zone:

* as ``enterprise-NNN`` of a struggling firm you post 20 surplus workers and see growing firms'
  vacancies proposed with reasons;
* as the manager you declare a flood for one district, the board lists every affected enterprise
  and who is unreached, and after acknowledgements and response logs it shows 83 evacuated and
  the unreached list empty;
* the dashboard shows 600 人次 transferred.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import Role, User
from analytics.outcomes import OUTCOME_LINES
from emergency import demo as emergency_demo
from emergency.models import AffectedEnterprise, Incident, ReliefOffer
from enterprises.models import Enterprise, Tier
from grids.models import District
from platforms.labour.models import LabourPosting, LabourProposal, PostingKind, PostingState

pytestmark = pytest.mark.django_db

EVACUATED = 83


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_struggling_firm_posts_20_surplus_workers_and_sees_growing_firms_vacancies(demo_zone):
    today = timezone.localdate()
    vacancy = (
        LabourPosting.objects.filter(
            kind=PostingKind.DEMAND,
            state=PostingState.OPEN,
            ends_on__gte=today + datetime.timedelta(days=30),
            enterprise__tier__in=(Tier.GROWTH, Tier.BACKBONE, Tier.LEADING),
        )
        .order_by("pk")
        .first()
    )
    user = (
        User.objects.filter(
            username__startswith="enterprise-", role=Role.ENTERPRISE_USER, enterprise__tier=Tier.STRUGGLING
        )
        .order_by("username")
        .first()
    )
    browser = client_for(user)

    response = browser.post(
        reverse("labour:posting_create"),
        {
            "kind": "surplus",
            "skills": vacancy.skills,
            "count": "20",
            "starts_on": today.isoformat(),
            "ends_on": (today + datetime.timedelta(days=60)).isoformat(),
            "note": "订单下滑，一线员工富余",
        },
    )

    posting = LabourPosting.objects.get(
        enterprise=user.enterprise, kind=PostingKind.SURPLUS, count=20, note__startswith="订单下滑"
    )
    assert response.status_code == 302 and response["Location"] == posting.get_absolute_url()
    proposals = list(LabourProposal.objects.filter(surplus=posting).select_related("demand__enterprise"))
    assert proposals, "no vacancy was proposed"
    assert all(p.demand.enterprise.tier != Tier.STRUGGLING for p in proposals)
    assert vacancy.pk in {p.demand_id for p in proposals}
    page = browser.get(posting.get_absolute_url()).content.decode()
    for proposal in proposals:
        assert proposal.demand.enterprise.name in page
        assert proposal.reasons
        for reason in proposal.reasons:
            assert escape(reason["text"]) in page


def test_the_manager_declares_a_flood_and_the_board_ends_with_83_evacuated_and_nobody_unreached(demo_zone):
    manager = client_for(User.objects.get(username="manager"))
    district = District.objects.order_by("code").first()
    in_district = set(Enterprise.objects.filter(grid__district=district).values_list("pk", flat=True))

    response = manager.post(
        reverse("emergency:declare"),
        {"district": district.pk, "kind": "flood", "title": "汛期洪峰演练核查", "whole_district": "on"},
    )
    incident = Incident.objects.get(title="汛期洪峰演练核查")
    assert response.status_code == 302

    board = manager.get(reverse("emergency:board", args=[incident.pk]))
    assert {row.enterprise_id for row in board.context["unreached"]} == in_district
    assert board.context["reached"] == []

    rows = list(AffectedEnterprise.objects.filter(incident=incident).select_related("enterprise").order_by("pk"))
    shares = [EVACUATED // len(rows) + (1 if index < EVACUATED % len(rows) else 0) for index in range(len(rows))]
    for index, (row, evacuated) in enumerate(zip(rows, shares, strict=True)):
        own = User.objects.filter(enterprise=row.enterprise, role=Role.ENTERPRISE_USER, is_active=True).first()
        if own is not None and index % 3:
            assert client_for(own).post(reverse("emergency:acknowledge", args=[incident.pk])).status_code == 302
        else:  # reached by phone, acknowledged on its behalf
            manager.post(reverse("emergency:call", args=[incident.pk, row.pk]), {"outcome": "reached"})
        logged = manager.post(
            reverse("emergency:row", args=[incident.pk, row.pk]), {"evacuated": str(evacuated), "on_site": "0"}
        )
        assert logged.status_code == 302

    board = manager.get(reverse("emergency:board", args=[incident.pk]))
    html = board.content.decode()
    assert board.context["totals"].evacuated == EVACUATED
    assert board.context["unreached"] == []
    assert 'id="unreached-empty"' in html
    assert f'<div class="value" id="total-evacuated">{EVACUATED}</div>' in html
    assert f'<div class="value" id="total-acknowledged">{len(rows)} / {len(rows)}</div>' in html


def test_the_dashboard_shows_600_person_times_transferred(demo_zone):
    html = client_for(User.objects.get(username="manager")).get("/analytics/", follow=True).content.decode()
    line = next(line for line in OUTCOME_LINES if line.key == "transfers")
    assert (str(line.label), str(line.unit)) == ("共享用工调剂", "人次")
    row = html[html.index(f">{line.label}</th>") :]
    row = row[: row.index("</tr>")]
    assert f'<td class="small text-muted">{line.unit}</td>' in row
    assert row.count('data-outcome="transfers">600</td>') == 1


def test_the_demo_flood_closed_through_the_service_and_offered_each_enterprise_its_relief(demo_zone):
    """``incident_close`` at the flood's end made one relief offer per affected enterprise, dated
    then, from what the apps' matching found; nobody was notified of it now."""
    from accounts.models import Notification

    incident = Incident.objects.get(title=emergency_demo.TITLE)
    assert incident.closed_at == emergency_demo.CLOSED_AT and incident.closed_by.username == "manager"
    offers = ReliefOffer.objects.filter(affected__incident=incident)
    assert offers.count() == incident.affected.count() > 0
    assert set(offers.values_list("created_at", flat=True)) == {emergency_demo.CLOSED_AT}
    assert offers.filter(policy_clauses__isnull=False).exists() or offers.filter(loans__isnull=False).exists()
    assert not Notification.objects.filter(kind__startswith="emergency_").exists()
