"""Funding pages: scoped (outsiders 404), the action forms, and a constant number of queries."""

import datetime
import re
from decimal import Decimal

import pytest

from policies.funding.models import FundingApplication, FundingState
from tests.conftest import login
from tests.factories import EnterpriseFactory
from tests.funding.conftest import approved, draft, snapshot, submitted, under_review

pytestmark = pytest.mark.django_db

# Who sees an application of enterprise A reviewed by bureau X, once submitted.
SEES = {
    "manager": 200,
    "leader_a": 200,
    "officer_a": 200,
    "bureau_user_x": 200,
    "enterprise_user_a": 200,
    "leader_b": 404,
    "officer_b": 404,
    "bureau_user_y": 404,
    "enterprise_user_b": 404,
}


@pytest.mark.parametrize(("persona", "status"), SEES.items())
def test_the_detail_page_is_scoped(funding, persona, status):
    application = submitted(funding)
    response = login(getattr(funding, persona)).get(f"/policies/funding/{application.pk}/")
    assert response.status_code == status


def test_a_bureau_does_not_see_a_draft(funding):
    application = draft(funding)
    assert login(funding.bureau_user_x).get(f"/policies/funding/{application.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("persona", "expected"), [("manager", 2), ("officer_a", 1), ("bureau_user_y", 0), ("leader_b", 1)]
)
def test_the_list_shows_only_the_scope(funding, persona, expected):
    submitted(funding)
    submitted(funding, enterprise=funding.enterprise_b, bureau=funding.bureau_x)
    response = login(getattr(funding, persona)).get("/policies/funding/")
    assert response.status_code == 200
    assert len(response.context["applications"]) == expected


def test_the_list_filters_by_state_level_and_district(funding):
    submitted(funding)
    approved(funding, clause=funding.municipal, enterprise=funding.enterprise_b)
    client = login(funding.manager)
    assert [a.state for a in client.get("/policies/funding/?state=approved").context["applications"]] == ["approved"]
    assert len(client.get("/policies/funding/?level=municipal").context["applications"]) == 1
    assert len(client.get("/policies/funding/?level=zone").context["applications"]) == 1
    district_b = client.get(f"/policies/funding/?district={funding.district_b.pk}").context["applications"]
    assert [a.enterprise for a in district_b] == [funding.enterprise_b]


def test_the_enterprise_sees_its_own_list_and_the_staff_list_redirects(funding):
    submitted(funding)
    submitted(funding, enterprise=funding.enterprise_b)
    client = login(funding.enterprise_user_a)
    assert client.get("/policies/funding/").url == "/policies/funding/mine/"
    assert [a.enterprise for a in client.get("/policies/funding/mine/").context["applications"]] == [
        funding.enterprise_a
    ]
    assert login(funding.officer_a).get("/policies/funding/mine/").status_code == 404


def test_the_bureau_queue_holds_what_it_reviews(funding):
    submitted(funding)
    under_review(funding, enterprise=funding.enterprise_b)
    approved(funding)
    submitted(funding, bureau=funding.bureau_y)
    response = login(funding.bureau_user_x).get("/policies/funding/queue/")
    assert [a.state for a in response.context["applications"]] == ["submitted", "under_review"]
    assert login(funding.officer_a).get("/policies/funding/queue/").status_code == 404


def test_the_enterprise_files_and_submits_a_new_application(funding):
    client = login(funding.enterprise_user_a)
    assert client.get("/policies/funding/new/").status_code == 200
    response = client.post(
        "/policies/funding/new/",
        {
            "clause": funding.shared.pk,
            "amount_requested": "66.5",
            "reviewing_bureau": funding.bureau_x.pk,
            "purpose": "技改",
            "then_submit": "1",
        },
    )
    application = FundingApplication.objects.get()
    assert response.url == f"/policies/funding/{application.pk}/"
    assert (application.enterprise, application.state, application.amount_requested) == (
        funding.enterprise_a,
        FundingState.SUBMITTED,
        Decimal("66.50"),
    )


def test_an_exempt_clause_is_not_offered(funding):
    response = login(funding.enterprise_user_a).post(
        "/policies/funding/new/",
        {"clause": funding.exempt.pk, "amount_requested": "5", "reviewing_bureau": funding.bureau_x.pk},
    )
    assert response.status_code == 200
    assert "clause" in response.context["form"].errors
    assert FundingApplication.objects.count() == 0


def test_the_bureau_approves_on_the_page(funding):
    application = under_review(funding)
    client = login(funding.bureau_user_x)
    page = client.get(f"/policies/funding/{application.pk}/")
    assert [item["action"] for item in page.context["action_forms"]] == ["approve", "reject"]
    response = client.post(
        f"/policies/funding/{application.pk}/act/approve/",
        {"approve-version": application.version, "approve-amount": "70"},
    )
    assert response.status_code == 302
    assert FundingApplication.objects.get(pk=application.pk).approved_amount == Decimal("70.00")


def test_a_refused_page_action_changes_nothing(funding):
    application = approved(funding, amount="80")
    before = snapshot(application)
    response = login(funding.bureau_user_x).post(
        f"/policies/funding/{application.pk}/act/disburse/",
        {
            "disburse-version": application.version,
            "disburse-level": "zone",
            "disburse-amount": "32.01",
            "disburse-on": "2026-11-02",
        },
    )
    assert response.status_code == 400
    assert "尚可拨付 32.00 万元" in response.content.decode()
    assert snapshot(application) == before


def test_an_outsider_cannot_act(funding):
    application = under_review(funding)
    before = snapshot(application)
    response = login(funding.bureau_user_y).post(
        f"/policies/funding/{application.pk}/act/reject/", {"reject-reason": "x"}
    )
    assert response.status_code == 404
    assert snapshot(application) == before


def _many(funding, count):
    for number in range(count):
        enterprise = EnterpriseFactory(grid=funding.grid_a if number % 2 else funding.grid_b)
        application = approved(funding, enterprise=enterprise, amount="10")
        del application


@pytest.mark.parametrize("path", ["/policies/funding/", "/policies/funding/queue/"])
def test_list_pages_keep_a_constant_number_of_queries(funding, path, django_assert_max_num_queries):
    client = login(funding.manager)
    _many(funding, 2)
    submitted(funding)
    with django_assert_max_num_queries(12) as small:
        client.get(path)
    _many(funding, 12)
    for _number in range(5):
        submitted(funding)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(path)


def test_my_list_keeps_a_constant_number_of_queries(funding, django_assert_max_num_queries):
    client = login(funding.enterprise_user_a)
    submitted(funding)
    with django_assert_max_num_queries(12) as small:
        client.get("/policies/funding/mine/")
    for _number in range(6):
        approved(funding)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/policies/funding/mine/")


def test_the_enterprise_home_shows_the_funding_panel(funding):
    application = approved(funding, amount="80")
    from policies.funding import services

    services.funding_disbursement_record(
        application=application,
        actor=funding.manager,
        level="zone",
        amount=Decimal("32"),
        on=datetime.date(2026, 11, 2),
    )
    submitted(funding, clause=funding.municipal)
    response = login(funding.enterprise_user_a).get("/my/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "累计到位扶持资金 32.00 万元" in html
    panel = html[html.index('id="funding-panel"') : html.index("</section>", html.index('id="funding-panel"'))]
    # Its applications, newest first, each with its state.
    assert re.findall(r'<a href="/policies/funding/\d+/">([^<]+)</a>', panel) == [
        funding.municipal.title,
        funding.shared.title,
    ]
    assert "已提交" in panel and "已批准" in panel
    assert "乙企业" not in panel


@pytest.mark.parametrize("persona", ["manager", "enterprise_user_a"])
def test_the_detail_page_keeps_its_query_count_as_payments_grow(funding, persona, django_assert_max_num_queries):
    """Given an approved application paid once, then five times more, its page reads the same number of
    queries: the grants, payments and timeline are read in one query each, never one per row."""
    from policies.funding import services

    application = approved(funding, amount="80")

    def pay(times: int) -> None:
        for _number in range(times):
            services.funding_disbursement_record(
                application=FundingApplication.objects.get(pk=application.pk),
                actor=funding.manager,
                level="district",
                amount=Decimal("1"),
            )

    client = login(getattr(funding, persona))
    pay(1)
    client.get(f"/policies/funding/{application.pk}/")  # warm the session
    with django_assert_max_num_queries(20) as small:
        assert client.get(f"/policies/funding/{application.pk}/").status_code == 200
    pay(5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"/policies/funding/{application.pk}/").status_code == 200


def test_the_list_offers_only_the_districts_the_user_sees(funding):
    """The district filter's choices come from grids.selectors.district_list (the one scope), so a
    district outside the user's scope is neither offered nor named on the page."""
    leader = login(funding.leader_a).get("/policies/funding/")
    bureau = login(funding.bureau_user_x).get(f"/policies/funding/?district={funding.district_b.pk}")

    assert [district.pk for district in leader.context["districts"]] == [funding.district_a.pk]
    assert list(bureau.context["districts"]) == []
    assert funding.district_b.name not in bureau.content.decode()


def _funnel_rows(html: str) -> dict[str, dict[str, int]]:
    """``{grid code: {stage: count}}`` from the policy page's funnel table."""
    rows = {}
    for grid, cells in re.findall(r'<tr data-grid="(\w*)">(.*?)</tr>', html):
        rows[grid] = {key: int(value) for key, value in re.findall(r'data-stage="(\w+)">(\d+)<', cells)}
    return rows


def test_the_policy_page_shows_its_funnel_by_district_and_grid(funding):
    """Given the shared policy pushed to A (opened) and B; A has applied, B was granted 80 and paid 48;
    a third firm of grid A applied without a push. The page counts pushed → opened → applied → granted
    → disbursed per grid, and the officer of grid A sees grid A's row only."""
    from policies import services as policy_services
    from policies.funding import services

    policy = funding.shared.policy
    policy_services.push_send(
        policy=policy, actor=funding.manager, enterprises=[funding.enterprise_a, funding.enterprise_b]
    )
    login(funding.enterprise_user_a).get(f"/policies/{policy.pk}/")  # the receipt
    submitted(funding)
    submitted(funding, enterprise=EnterpriseFactory(grid=funding.grid_a))
    draft(funding, enterprise=EnterpriseFactory(grid=funding.grid_a))  # a draft is not applied yet
    paid = approved(funding, enterprise=funding.enterprise_b, amount="80")
    services.funding_disbursement_record(
        application=paid, actor=funding.manager, level="district", amount=Decimal("48")
    )

    manager = login(funding.manager).get(f"/policies/{policy.pk}/").content.decode()
    officer = login(funding.officer_a).get(f"/policies/{policy.pk}/").content.decode()

    stages = ("pushed", "opened", "acknowledged", "applied", "granted", "disbursed")
    grid_a = dict(zip(stages, (1, 1, 0, 2, 0, 0), strict=True))
    grid_b = dict(zip(stages, (1, 0, 0, 1, 1, 1), strict=True))
    assert _funnel_rows(manager) == {"GA": grid_a, "GB": grid_b}
    assert _funnel_rows(officer) == {"GA": grid_a}
    assert all(label in manager for label in ("已申报", "已获批", "已拨付"))


def _funnel_districts(html: str) -> list[tuple[str, dict[str, int], list[str]]]:
    """``[(district code, {stage: sum}, [its grid codes, in order])]`` from the funnel table: one
    ``<tbody>`` per district, the district's line first, then its grids' lines."""
    districts = []
    for body in re.findall(
        r"<tbody>(.*?)</tbody>", html.split('class="table table-sm table-hover small mb-0 funnel-table"')[1], re.S
    ):
        code, cells = re.search(r'<tr class="table-light fw-semibold" data-district="(\w*)">(.*?)</tr>', body).groups()
        sums = {key: int(value) for key, value in re.findall(r'data-stage="(\w+)">(\d+)<', cells)}
        districts.append((code, sums, re.findall(r'<tr data-grid="(\w*)">', body)))
    return districts


def test_the_policy_funnel_groups_the_grids_under_their_district_with_its_sums(funding):
    """Given the shared policy pushed to A and B, and a firm of a second grid of district 甲 that applied
    without a push: the table shows 甲's line (the sums of its two grids) followed by its grids, then 乙's
    line and its grid; the headings do not wrap and the figures are right-aligned."""
    from policies import services as policy_services
    from tests.factories import GridTeamFactory

    policy = funding.shared.policy
    policy_services.push_send(
        policy=policy, actor=funding.manager, enterprises=[funding.enterprise_a, funding.enterprise_b]
    )
    submitted(funding)
    second_grid = GridTeamFactory(code="GA2", district=funding.district_a)
    submitted(funding, enterprise=EnterpriseFactory(grid=second_grid))

    html = login(funding.manager).get(f"/policies/{policy.pk}/").content.decode()

    stages = ("pushed", "opened", "acknowledged", "applied", "granted", "disbursed")
    assert _funnel_districts(html) == [
        ("A", dict(zip(stages, (1, 0, 0, 2, 0, 0), strict=True)), ["GA", "GA2"]),
        ("B", dict(zip(stages, (1, 0, 0, 0, 0, 0), strict=True)), ["GB"]),
    ]
    head = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
    assert re.findall(r'<th scope="col" class="([^"]*)">', head) == ["text-nowrap"] + ["text-end text-nowrap"] * 6
    assert '<div class="table-responsive mt-3">' in html
