"""The labour pages: posting, seeing proposals with reasons, answering them, recording transfers."""

import pytest

from accounts.models import Role
from enterprises.models import Tier
from platforms.labour.models import LabourPosting, LabourProposal, Transfer
from tests.conftest import login
from tests.factories import EnterpriseFactory, UserFactory
from tests.labour.conftest import TODAY, labour_snapshot, posting


def test_done_when_a_struggling_firm_posts_20_surplus_workers_and_sees_growing_firms_vacancies(firms, cast):
    # Given growing firms' vacancies, and one from another struggling firm
    vacancy = posting(firms.growing, "demand", skills=["welder"], count=15)
    backbone_vacancy = posting(firms.backbone, "demand", skills=["assembler", "welder"], count=30)
    posting(firms.struggling_b, "demand", skills=["forklift"], count=5)  # nothing in common
    client = login(cast.enterprise_user_a)  # the struggling firm's user

    # When it posts 20 surplus welders
    response = client.post(
        "/platforms/labour/postings/new/",
        {
            "kind": "surplus",
            "skills": ["welder", "assembler"],
            "count": "20",
            "starts_on": "2025-06-20",
            "ends_on": "2025-09-30",
            "skills_note": "持证焊工 12 人",
        },
    )

    # Then the posting is its own, and the growing firms' vacancies are proposed with their reasons
    surplus = LabourPosting.objects.get(kind="surplus")
    assert (surplus.enterprise, surplus.count, surplus.created_by) == (firms.struggling, 20, cast.enterprise_user_a)
    assert response.status_code == 302 and response.url == f"/platforms/labour/postings/{surplus.pk}/"
    page = client.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("丙汽配有限公司") < html.index("丁电子有限公司")
    assert "工种相符：焊工 · 可供 20 人 ≥ 需 15 人" not in html  # reasons are listed one per line
    for reason in ("工种相符：焊工", "可供 20 人 ≥ 需 15 人", "同一片区", "同属汽车及零部件", "困难企业 → 成长型企业"):
        assert reason in html
    assert "困难企业 → 骨干企业" in html
    assert "戊机械有限公司" not in html
    assert list(LabourProposal.objects.filter(surplus=surplus).order_by("-score").values_list("demand", "score")) == [
        (vacancy.pk, 100),
        (backbone_vacancy.pk, 67),  # 35 skills + 17 (20 of 30) + 15 the flow
    ]

    # And it may answer a proposal from the page
    best = LabourProposal.objects.get(demand=vacancy)
    answered = client.post(f"/platforms/labour/proposals/{best.pk}/contact/", {"posting": surplus.pk})
    assert answered.url == f"/platforms/labour/postings/{surplus.pk}/"
    best.refresh_from_db()
    assert best.state == "contacted"


def test_an_enterprise_edits_only_its_own_postings_others_get_404(firms, cast):
    theirs = posting(cast.enterprise_b, "demand", skills=["welder"], count=5)
    before = labour_snapshot()
    client = login(cast.enterprise_user_a)

    assert client.get(f"/platforms/labour/postings/{theirs.pk}/").status_code == 404
    assert client.get(f"/platforms/labour/postings/{theirs.pk}/edit/").status_code == 404
    edited = client.post(
        f"/platforms/labour/postings/{theirs.pk}/edit/",
        {"skills": ["welder"], "count": "50", "starts_on": "2025-06-16", "ends_on": "2025-09-14"},
    )
    assert edited.status_code == 404
    assert client.post(f"/platforms/labour/postings/{theirs.pk}/close/").status_code == 404
    assert labour_snapshot() == before

    own = posting(cast.enterprise_a, "surplus", skills=["welder"], count=5)
    saved = client.post(
        f"/platforms/labour/postings/{own.pk}/edit/",
        {"skills": ["welder", "cnc"], "count": "7", "starts_on": "2025-06-16", "ends_on": "2025-09-14", "version": "0"},
    )
    own.refresh_from_db()
    assert saved.status_code == 302
    assert (own.count, own.skills, own.version) == (7, ["welder", "cnc"], 1)


def test_my_postings_lists_only_the_firms_own_and_is_for_enterprise_users(firms, cast):
    own = posting(cast.enterprise_a, "surplus", skills=["welder"], count=5)
    posting(cast.enterprise_b, "demand", skills=["welder"], count=5)

    page = login(cast.enterprise_user_a).get("/platforms/labour/mine/")

    assert [p.pk for p in page.context["page_obj"]] == [own.pk]
    assert login(cast.officer_a).get("/platforms/labour/mine/").status_code == 404
    assert login(cast.bureau_user_x).get("/platforms/labour/").status_code == 404


def test_the_post_form_refuses_bad_input_and_saves_nothing(firms, cast):
    client = login(cast.enterprise_user_a)
    response = client.post(
        "/platforms/labour/postings/new/",
        {"kind": "surplus", "skills": ["welder"], "count": "0", "starts_on": "2025-07-01", "ends_on": "2025-06-01"},
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"count", "ends_on"}
    assert LabourPosting.objects.count() == 0


def test_the_officer_records_a_transfer_with_the_three_rules_ticked(firms, cast):
    surplus = posting(firms.struggling, "surplus", skills=["welder"], count=20)
    demand = posting(firms.growing, "demand", skills=["welder"], count=15)
    from platforms.labour.services import labour_proposal_act, labour_propose

    proposal = labour_propose(surplus=surplus, demand=demand)
    labour_proposal_act(proposal=proposal, action="agree", actor=cast.officer_a)
    client = login(cast.officer_a)
    form_page = client.get(f"/platforms/labour/proposals/{proposal.pk}/transfer/")
    assert "员工与原企业的劳动合同关系不变" in form_page.content.decode()

    unticked = client.post(
        f"/platforms/labour/proposals/{proposal.pk}/transfer/",
        {"count": "15", "starts_on": "2025-06-20", "ends_on": "2025-08-31", "workers_consent": "on"},
    )
    assert set(unticked.context["form"].errors) == {"contract_unchanged", "no_fee"}
    assert Transfer.objects.count() == 0

    done = client.post(
        f"/platforms/labour/proposals/{proposal.pk}/transfer/",
        {
            "count": "15",
            "starts_on": "2025-06-20",
            "ends_on": "2025-08-31",
            "workers_consent": "on",
            "contract_unchanged": "on",
            "no_fee": "on",
        },
    )
    assert done.url == "/platforms/labour/transfers/"
    assert Transfer.objects.get().count == 15
    listing = client.get("/platforms/labour/transfers/")
    assert listing.context["zone_total"] == 15
    assert login(cast.enterprise_user_a).get(f"/platforms/labour/proposals/{proposal.pk}/transfer/").status_code == 404


def _many_postings(cast, n):
    for index in range(n):
        firm = EnterpriseFactory(grid=cast.grid_a, tier=Tier.GROWTH)
        UserFactory(role=Role.ENTERPRISE_USER, enterprise=firm)
        demand = posting(firm, "demand", skills=["welder"], count=5 + index)
        from platforms.labour.services import labour_propose

        labour_propose(surplus=cast.surplus, demand=demand)


@pytest.mark.parametrize("size", [2, 12])
def test_lists_and_a_postings_proposals_keep_a_constant_number_of_queries(
    firms, cast, size, django_assert_max_num_queries
):
    cast.surplus = posting(cast.enterprise_a, "surplus", skills=["welder"], count=300, days=200)
    _many_postings(cast, size)
    client = login(cast.officer_a)
    with django_assert_max_num_queries(12):
        assert client.get("/platforms/labour/").status_code == 200
    # The filters are the query's (SQL), not a pass over the rows afterwards.
    with django_assert_max_num_queries(12):
        filtered = client.get("/platforms/labour/", {"kind": "demand", "state": "open"})
    assert filtered.context["page_obj"].paginator.count == size
    assert {row.kind for row in filtered.context["page_obj"]} == {"demand"}
    with django_assert_max_num_queries(14):
        assert client.get(f"/platforms/labour/postings/{cast.surplus.pk}/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/platforms/labour/transfers/").status_code == 200
    assert TODAY.year == 2025
