"""Every platform's proposals answer through one base (``platforms.apis.ProposalViewSet``): the same
three actions, the same input and refusals, one lapse rule — a proposal past its date, or expired
by the daily job, cannot be agreed — and every error answer in the OpenAPI schema."""

import datetime
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from enterprises.models import Industry, Product
from platforms.apis import ProposalViewSet
from platforms.labour.apis import LabourProposalViewSet
from platforms.labour.models import LabourPosting, LabourProposal
from platforms.procurement.apis import PurchaseProposalViewSet
from platforms.procurement.models import PurchaseNeed, PurchaseProposal
from platforms.space.apis import SpaceProposalViewSet
from platforms.space.models import SpaceDemand, SpaceListing, SpaceProposal
from platforms.tasks import expire_proposals
from tests.conftest import login
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db


def _labour(cast, expires_on):
    span = {"starts_on": expires_on, "ends_on": expires_on + datetime.timedelta(days=60)}
    surplus = LabourPosting.objects.create(
        enterprise=cast.enterprise_a, kind="surplus", skills=["welder"], count=20, **span
    )
    demand = LabourPosting.objects.create(
        enterprise=cast.enterprise_b, kind="demand", skills=["welder"], count=15, **span
    )
    return LabourProposal.objects.create(surplus=surplus, demand=demand, score=50, expires_on=expires_on)


def _procurement(cast, expires_on):
    need = PurchaseNeed.objects.create(
        buyer=cast.enterprise_a,
        item="制动器",
        category=Industry.AUTOMOTIVE,
        quantity=Decimal("500"),
        unit="套",
        needed_by=expires_on + datetime.timedelta(days=30),
    )
    product = Product.objects.create(enterprise=cast.enterprise_b, name="盘式制动器", category="汽车零部件")
    return PurchaseProposal.objects.create(
        need=need, product=product, supplier=cast.enterprise_b, score=50, expires_on=expires_on
    )


def _space(cast, expires_on):
    listing = SpaceListing.objects.create(
        owner=cast.enterprise_b,
        kind="plant",
        title="乙企业闲置厂房",
        area_m2=Decimal("1200"),
        address="兴业路 1 号",
        district=cast.district_b,
        available_from=expires_on,
    )
    demand = SpaceDemand.objects.create(
        enterprise=cast.enterprise_a,
        kind="plant",
        area_min_m2=Decimal("1000"),
        area_max_m2=Decimal("1500"),
        needed_from=expires_on,
        industry=Industry.AUTOMOTIVE,
    )
    return SpaceProposal.objects.create(demand=demand, listing=listing, score=50, expires_on=expires_on)


PLATFORMS = {
    "labour": ("/api/labour-proposals/", _labour),
    "procurement": ("/api/purchase-proposals/", _procurement),
    "space": ("/api/space-proposals/", _space),
}


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_every_platforms_proposals_share_the_one_base():
    for viewset in (LabourProposalViewSet, PurchaseProposalViewSet, SpaceProposalViewSet):
        assert issubclass(viewset, ProposalViewSet)
        # Each gives only its queryset, serializer, filters and the call of its own service.
        assert "act" in vars(viewset) and "_act" not in vars(viewset)


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_a_proposal_past_its_date_or_expired_by_the_job_cannot_be_agreed(cast, platform):
    route, build = PLATFORMS[platform]
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    proposal = build(cast, yesterday)
    officer = login(cast.officer_a)
    url = f"{route}{proposal.pk}/agree/"

    lapsed = post(officer, url)

    assert lapsed.status_code == 400
    assert lapsed.json() == {"state": ["该匹配已过有效期，不能再处理。"]}
    proposal.refresh_from_db()
    assert (proposal.state, proposal.version) == ("proposed", 0)

    # The daily job expires it; an expired proposal is refused too.
    assert expire_proposals() == 1
    proposal.refresh_from_db()
    assert proposal.state == "expired"
    expired = post(officer, url)
    assert expired.status_code == 400 and list(expired.json()) == ["state"]
    proposal.refresh_from_db()
    assert (proposal.state, proposal.version) == ("expired", 1)


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_the_shared_actions_their_input_and_their_refusals(cast, platform):
    route, build = PLATFORMS[platform]
    proposal = build(cast, timezone.localdate() + datetime.timedelta(days=30))
    officer = login(cast.officer_a)

    assert post(officer, f"{route}{proposal.pk}/decline/").json() == {"reason": ["该字段是必填项。"]}
    assert post(officer, f"{route}{proposal.pk}/contact/", {"colour": "red"}).json() == {"colour": ["未知字段。"]}
    assert post(officer, f"{route}{proposal.pk}/contact/", {"expected_version": 4}).json() == {
        "version": ["该匹配已被他人处理，请刷新后重试。"]
    }
    outsider = UserFactory(
        role=Role.ENTERPRISE_USER, enterprise=EnterpriseFactory(name="丁企业有限公司", grid=cast.grid_b)
    )
    for stranger in (outsider, cast.bureau_user_x):
        assert post(login(stranger), f"{route}{proposal.pk}/contact/").status_code == 404
    proposal.refresh_from_db()
    assert (proposal.state, proposal.version) == ("proposed", 0)

    contacted = post(officer, f"{route}{proposal.pk}/contact/", {"expected_version": 0})
    assert contacted.status_code == 200
    assert (contacted.json()["state"], contacted.json()["version"]) == ("contacted", 1)
    declined = post(officer, f"{route}{proposal.pk}/decline/", {"reason": "价格未谈拢", "expected_version": 1})
    assert declined.status_code == 200
    assert (declined.json()["state"], declined.json()["decline_reason"]) == ("declined", "价格未谈拢")


def test_the_schema_documents_every_answer_of_every_proposal_action(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for route, _build in PLATFORMS.values():
        for action, shape in (
            ("contact", "ProposalActionInput"),
            ("agree", "ProposalActionInput"),
            ("decline", "ProposalDeclineInput"),
        ):
            operation = schema["paths"][f"{route}{{id}}/{action}/"]["post"]
            assert {"200", "400", "403", "404", "409"} <= set(operation["responses"]), (route, action)
            body = operation["requestBody"]["content"]["application/json"]["schema"]
            assert body == {"$ref": f"#/components/schemas/{shape}Request"}
