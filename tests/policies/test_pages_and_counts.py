"""Where users meet policies (the homes' panels, 我的政策, the fact form) and constant query counts."""

import pytest
from django.urls import reverse
from django.utils import timezone

from policies import eligibility, services
from policies.models import EligibilityResult, EnterpriseFact
from tests.conftest import login
from tests.factories import EnterpriseFactory
from tests.policies.conftest import make_policy

pytestmark = pytest.mark.django_db


def test_the_officer_home_lists_facts_to_collect_and_pushes_to_explain(library):
    cast = library.cast
    eligibility.evaluate_enterprises()
    services.push_send(policy=library.policy, actor=cast.officer_a, enterprises=[cast.enterprise_a])

    html = login(cast.officer_a).get(reverse("fieldwork:officer_home")).content.decode()

    assert "政策匹配 · 待采集信息" in html and "信息化项目投资" in html
    assert reverse("policies:fact_record", args=[cast.enterprise_a.pk]) in html
    assert "待解读的政策推送" in html and "甲企业有限公司 · 企业信息化专项资金" in html
    assert "乙企业有限公司" not in html


def test_the_fact_form_records_and_ticks_off(library):
    cast = library.cast
    eligibility.evaluate_enterprises()
    url = reverse("policies:fact_record", args=[cast.enterprise_a.pk])

    bad = login(cast.officer_a).post(url, {"key": "informatization_investment", "value": "-5", "source": "visit"})
    assert bad.status_code == 400 and "不能为负数" in bad.content.decode()
    assert EnterpriseFact.objects.count() == 0

    good = login(cast.officer_a).post(url, {"key": "informatization_investment", "value": "300", "source": "visit"})
    assert good.status_code == 302
    assert EligibilityResult.objects.get(enterprise=cast.enterprise_a).answer == "eligible"
    html = login(cast.officer_a).get(reverse("fieldwork:officer_home")).content.decode()
    assert "最近已采集" in html and "300 万元" in html


def test_the_enterprise_home_and_mine_show_pushes_unread_first_and_candidates(library):
    cast = library.cast
    other = make_policy(
        title="园区稳岗扶持",
        level="zone",
        shares={"zone": 100},
        criteria=[{"fact": "tier", "operator": "eq", "value": "growth"}],
    )
    eligibility.evaluate_enterprises()
    first = services.push_send(policy=library.policy, actor=cast.officer_a, enterprises=[cast.enterprise_a]).created[0]
    services.push_send(policy=other, actor=cast.officer_a, enterprises=[cast.enterprise_a])
    services.push_open(push=first, actor=cast.enterprise_user_a)

    for url in (reverse("enterprises:my_enterprise"), reverse("policies:mine")):
        html = login(cast.enterprise_user_a).get(url).content.decode()
        assert html.index("园区稳岗扶持") < html.index("企业信息化专项资金</a>")  # unread first
        assert "可能符合" in html and "待补充信息" in html and "还缺：信息化项目投资" in html


def test_the_api_records_a_fact_with_strict_input(library):
    client = login(library.cast.officer_a)
    unknown = client.post(
        "/api/enterprise-facts/",
        {"enterprise": library.cast.enterprise_a.pk, "key": "rd_spend", "value": "10", "colour": "x"},
        content_type="application/json",
    )
    outside = client.post(
        "/api/enterprise-facts/",
        {"enterprise": library.cast.enterprise_b.pk, "key": "rd_spend", "value": "10"},
        content_type="application/json",
    )
    bad_value = client.post(
        "/api/enterprise-facts/",
        {"enterprise": library.cast.enterprise_a.pk, "key": "high_tech_certified", "value": "maybe"},
        content_type="application/json",
    )
    good = client.post(
        "/api/enterprise-facts/",
        {"enterprise": library.cast.enterprise_a.pk, "key": "high_tech_certified", "value": "true"},
        content_type="application/json",
    )

    assert (unknown.status_code, "colour" in unknown.json()) == (400, True)
    assert (outside.status_code, "enterprise" in outside.json()) == (400, True)
    assert (bad_value.status_code, "value" in bad_value.json()) == (400, True)
    assert good.status_code == 201 and good.json()["value"] is True
    assert EnterpriseFact.objects.count() == 1


def _grow(cast, n):
    for index in range(n):
        policy = make_policy(title=f"扶持政策{index:03d}", level="zone", shares={"zone": 100}, criteria=[])
        enterprise = EnterpriseFactory(grid=cast.grid_a)
        EnterpriseFact.objects.create(enterprise=enterprise, key="rd_spend", value=10, recorded_at=timezone.now())
        services.push_send(policy=policy, actor=cast.manager, enterprises=[enterprise])
    eligibility.evaluate_enterprises()


@pytest.mark.parametrize("size", [2, 12])
def test_the_policy_list_keeps_its_query_count(cast, size, django_assert_max_num_queries):
    _grow(cast, size)
    client = login(cast.officer_a)
    client.get("/policies/")  # warm the session
    with django_assert_max_num_queries(8):
        assert client.get("/policies/", {"q": "扶持"}).status_code == 200
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/policies/").json()["results"]) == size


@pytest.mark.parametrize("size", [2, 12])
def test_the_eligibility_list_keeps_its_query_count(cast, size, django_assert_max_num_queries):
    _grow(cast, size)
    client = login(cast.officer_a)
    client.get("/api/eligibility-results/")
    with django_assert_max_num_queries(8):
        body = client.get("/api/eligibility-results/").json()
    assert body["count"] == (size + 1) * size  # every enterprise of grid A × every clause
    with django_assert_max_num_queries(8):
        assert client.get("/api/eligibility-results/", {"answer": "eligible", "page_size": 500}).status_code == 200


@pytest.mark.parametrize("size", [2, 12])
def test_the_enterprise_pages_keep_their_query_count(cast, size, django_assert_max_num_queries):
    _grow(cast, size)
    from policies.models import Policy

    policies = list(Policy.objects.order_by("pk"))
    services.push_send(policy=policies[0], actor=cast.manager, enterprises=[cast.enterprise_a])
    client = login(cast.enterprise_user_a)
    client.get("/policies/mine/")
    with django_assert_max_num_queries(8):
        assert client.get("/policies/mine/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/api/policy-pushes/").status_code == 200


def _clauses(policy, count: int) -> None:
    for number in range(2, count + 2):
        services.clause_save(
            policy=policy,
            actor=None,
            number=number,
            title=f"补助{number}",
            shares={"municipal": 100},
            criteria=[
                {"fact": "rd_spend", "operator": "gte", "value": number},
                {"fact": "employees", "operator": "gte", "value": 10, "is_hard": False},
            ],
            cases=[{"name": "缺", "facts": {}, "expected": "unknown"}],
        )


@pytest.mark.parametrize("persona", ["manager", "enterprise_user_a"])
def test_the_policy_page_keeps_its_query_count_as_clauses_grow(library, persona, django_assert_max_num_queries):
    """Given the policy with 2 clauses, then 12, its page (clauses with their criteria, the funnel or the
    enterprise's answers) reads the same number of queries."""
    client = login(getattr(library.cast, persona))
    url = f"/policies/{library.policy.pk}/"
    _clauses(library.policy, 1)
    eligibility.evaluate_enterprises()
    client.get(url)  # warm the session
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    _clauses(library.policy, 11)
    eligibility.evaluate_enterprises()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
