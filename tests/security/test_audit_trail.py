"""Item 9: the audit trail (django-simple-history) and its read-only 变更记录 section.

Enterprises, users and groups had their history before (tests/profile,
tests/security/test_admin_privileges.py); refused accesses and sign-in events are in the
security log (tests/security/test_security_log.py). Here: the other records keep theirs,
the bulk writes go through simple_history's helpers, and only managers and
administrators see the section on an object's page, which offers nothing to edit.
"""

import datetime
import re

import pytest
from django.urls import reverse

from emergency.models import Incident
from enterprises.models import EmploymentRecord, Enterprise, OperatingIndicator, Product, SupplyLink
from issues import services as issue_services
from issues.models import Issue
from platforms.financing.models import FinancingNeed, Referral
from platforms.labour.models import LabourPosting, LabourProposal, Transfer
from platforms.matching import CONTACT, proposal_transition, proposals_expire
from platforms.procurement.models import Deal, PurchaseNeed, PurchaseProposal, RetoolingCase
from platforms.service_projects.models import ServiceProject
from platforms.space.models import CustomBuildCase, Lease, SpaceDemand, SpaceListing, SpaceProposal
from platforms.supply_chain.models import Recommendation
from policies.funding.models import FundingApplication
from policies.models import Policy, PolicyClause
from tests.issues.conftest import ledger, submitted  # noqa: F401  (ledger is a fixture)
from tests.procurement.conftest import chain, today  # noqa: F401  (fixtures)
from tests.procurement.test_services import post

pytestmark = pytest.mark.django_db

SECTION = re.compile(r'<section[^>]*id="change-history".*?</section>', re.S)

AUDITED = [
    Enterprise,
    Product,
    SupplyLink,
    EmploymentRecord,
    OperatingIndicator,
    Issue,
    Policy,
    PolicyClause,
    FundingApplication,
    Incident,
    FinancingNeed,
    Referral,
    LabourPosting,
    LabourProposal,
    Transfer,
    PurchaseNeed,
    PurchaseProposal,
    Deal,
    RetoolingCase,
    ServiceProject,
    SpaceListing,
    SpaceDemand,
    SpaceProposal,
    Lease,
    CustomBuildCase,
    Recommendation,
]


@pytest.mark.parametrize("model", AUDITED, ids=lambda model: model.__name__)
def test_every_audited_record_keeps_its_history(model):
    assert model.history.model.__name__ == f"Historical{model.__name__}"


def section(response) -> str:
    found = SECTION.search(response.content.decode())
    return found.group(0) if found else ""


def test_a_manager_sees_who_changed_an_issue_and_what(ledger, client_for):  # noqa: F811
    issue = submitted(ledger)
    issue_services.issue_accept(issue=issue, actor=ledger.officer_a, category=ledger.financing)

    html = section(client_for(ledger.manager).get(reverse("issues:detail", args=[issue.pk])))

    assert "变更记录" in html
    assert "张网格" in html  # the officer who accepted
    assert "修改" in html and "新建" in html
    assert "状态：待受理 → 已立案" in html
    assert "类别：— → 融资贷款" in html
    # Read only: nothing in it to submit or change.
    assert not re.search(r"<(form|input|button|textarea|select)\b", html)


def test_an_admin_sees_it_too(ledger, client_for):  # noqa: F811
    issue = submitted(ledger)
    assert "变更记录" in section(client_for(ledger.admin).get(reverse("issues:detail", args=[issue.pk])))


def test_the_admin_reads_a_records_history_on_its_admin_page_and_cannot_revert_it(ledger, client_for):  # noqa: F811
    issue = submitted(ledger)
    issue_services.issue_accept(issue=issue, actor=ledger.officer_a, category=ledger.financing)
    version = issue.history.earliest()
    client = client_for(ledger.admin)

    listing = client.get(reverse("admin:issues_issue_history", args=[issue.pk]))
    past = client.get(reverse("admin:issues_issue_simple_history", args=[issue.pk, version.history_id]))
    revert = client.post(reverse("admin:issues_issue_simple_history", args=[issue.pk, version.history_id]), {})

    assert (listing.status_code, past.status_code, revert.status_code) == (200, 200, 403)
    assert "张网格" in listing.content.decode()
    assert Issue.objects.get(pk=issue.pk).state == "accepted"


@pytest.mark.parametrize("persona", ["officer_a", "leader_a", "enterprise_user_a"])
def test_others_who_see_the_issue_do_not_see_its_history(ledger, client_for, persona):  # noqa: F811
    issue = submitted(ledger)
    issue_services.issue_accept(issue=issue, actor=ledger.officer_a, category=ledger.financing)

    response = client_for(getattr(ledger, persona)).get(reverse("issues:detail", args=[issue.pk]))

    assert response.status_code == 200
    assert section(response) == ""
    assert "change-history" not in response.content.decode()


def test_the_policy_page_shows_it_to_managers_only(cast, client_for):
    policy = Policy.objects.create(
        title="稳岗扶持政策",
        level="district",
        issuing_body="区人社局",
        key_points="要点",
        state="published",
        apply_from=datetime.date(2026, 1, 1),
        apply_to=datetime.date(2026, 12, 31),
    )
    policy.key_points = "新的要点"
    policy._history_user = cast.manager
    policy.save()
    url = reverse("policies:detail", args=[policy.pk])

    manager_view = section(client_for(cast.manager).get(url))
    officer_view = client_for(cast.officer_a).get(url)

    assert "王主任" in manager_view and "新的要点" in manager_view
    assert officer_view.status_code == 200 and section(officer_view) == ""


def test_a_proposal_transition_and_the_expiry_job_write_history(cast, chain):  # noqa: F811
    proposal = post(cast).proposals.get(supplier=chain.knuckles)
    before = proposal.history.count()

    proposal_transition(proposal, action=CONTACT, actor=cast.officer_a)

    latest = proposal.history.latest()
    assert proposal.history.count() == before + 1
    assert (latest.history_type, latest.state, latest.history_user) == ("~", "contacted", cast.officer_a)

    others = list(PurchaseProposal.objects.exclude(pk=proposal.pk).filter(state="proposed"))
    expired = proposals_expire(today=proposal.expires_on + datetime.timedelta(days=1))
    assert expired == len(others) + 1
    for expired_proposal in [proposal, *others]:
        row = expired_proposal.history.latest()
        assert (row.state, row.history_change_reason) == ("expired", "超过有效期未答复，自动过期")
