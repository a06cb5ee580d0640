"""Eligibility on hand-built enterprises: three answers, the trace, stored results."""

import pytest
from django.utils import timezone

from enterprises.models import OperatingIndicator
from policies import eligibility, services
from policies.models import Answer, ClauseCriterion, EligibilityResult, EnterpriseFact
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def record(enterprise, key, value):
    EnterpriseFact.objects.update_or_create(
        enterprise=enterprise, key=key, defaults={"value": value, "recorded_at": timezone.now()}
    )


def result_for(enterprise, clause):
    eligibility.evaluate_enterprises(enterprise_ids=[enterprise.pk])
    return EligibilityResult.objects.get(enterprise=enterprise, clause=clause)


def test_all_hard_criteria_met_is_eligible_with_the_soft_score(library):
    # Given an equipment maker that invested 300 万元 in informatization and spent 80 万元 on R&D
    enterprise = EnterpriseFactory(industry="equipment", grid=library.cast.grid_a)
    record(enterprise, "informatization_investment", 300)
    record(enterprise, "rd_spend", 80)

    result = result_for(enterprise, library.clause)

    assert result.answer == Answer.ELIGIBLE
    assert result.missing_facts == []
    assert result.decided_by is None
    assert result.score == 100
    assert [step["outcome"] for step in result.trace] == ["pass", "pass", "pass"]
    assert result.reasons == [
        "行业 属于 装备制造、电子信息",
        "信息化项目投资 不低于 200 万元",
        "研发投入（上年） 不低于 50 万元",
    ]


def test_a_missing_fact_is_unknown_never_zero_and_names_what_to_collect(library):
    # Given an equipment maker whose informatization investment nobody has recorded
    enterprise = EnterpriseFactory(industry="equipment", grid=library.cast.grid_a)

    result = result_for(enterprise, library.clause)

    assert result.answer == Answer.UNKNOWN
    assert result.missing_facts == ["informatization_investment"]  # the soft rd_spend does not block
    assert result.decided_by.fact == "informatization_investment"
    step = result.trace[1]
    assert step["outcome"] == "unknown"
    assert step["actual"] is None
    assert step["actual_text"] == "未知"
    assert step["article"] == "第三条第（一）项"
    assert result.trace[2]["outcome"] == "unknown" and result.trace[2]["hard"] is False
    assert result.score == 0


def test_a_failing_hard_criterion_decides_ineligible_even_with_facts_missing(library):
    # Given a food company (wrong industry) with nothing recorded
    enterprise = EnterpriseFactory(industry="food", grid=library.cast.grid_a)

    result = result_for(enterprise, library.clause)

    assert result.answer == Answer.INELIGIBLE
    assert result.missing_facts == []
    assert result.decided_by.fact == "industry"
    assert result.trace[0]["outcome"] == "fail"
    assert result.trace[0]["actual"] == "food"


def test_a_recorded_zero_is_a_fact_and_fails(library):
    enterprise = EnterpriseFactory(industry="electronics", grid=library.cast.grid_a)
    record(enterprise, "informatization_investment", 0)

    result = result_for(enterprise, library.clause)

    assert result.answer == Answer.INELIGIBLE
    assert result.trace[1]["actual"] == 0


def test_latest_indicator_is_read_and_employees_zero_counts_as_missing(cast):
    from datetime import date

    from tests.policies.conftest import make_policy

    policy = make_policy(
        title="稳岗扶持",
        level="district",
        shares={"district": 100},
        criteria=[
            {"fact": "output_value", "operator": "gte", "value": 100},
            {"fact": "employees", "operator": "gte", "value": 50},
        ],
    )
    clause = policy.clauses.get()
    enterprise = EnterpriseFactory(grid=cast.grid_a, employees=0)
    OperatingIndicator.objects.create(enterprise=enterprise, month=date(2026, 1, 1), output_value=500)
    OperatingIndicator.objects.create(enterprise=enterprise, month=date(2026, 2, 1), output_value=None)
    OperatingIndicator.objects.create(enterprise=enterprise, month=date(2025, 12, 1), output_value=20)

    result = result_for(enterprise, clause)

    # The newest month with a figure (January: 500) passes; employees 0 means "not filled in".
    assert result.trace[0]["actual"] == "500"
    assert result.trace[0]["outcome"] == "pass"
    assert result.answer == Answer.UNKNOWN
    assert result.missing_facts == ["employees"]


def test_recording_the_missing_fact_re_evaluates_and_ticks_the_task_off(library):
    from policies.selectors import missing_fact_tasks

    enterprise = library.cast.enterprise_a  # an equipment maker (the factory's default)
    library.cast.enterprise_b.industry = "food"  # out of the policy's industries
    library.cast.enterprise_b.save()
    eligibility.evaluate_enterprises()
    [task] = missing_fact_tasks(user=library.cast.officer_a)
    assert task.enterprise_id == enterprise.pk
    assert task.facts == [("informatization_investment", "信息化项目投资")]
    assert missing_fact_tasks(user=library.cast.officer_b) == []  # B's enterprise is simply ineligible

    services.fact_record(
        enterprise=enterprise, actor=library.cast.officer_a, key="informatization_investment", value="260"
    )

    assert EligibilityResult.objects.get(enterprise=enterprise, clause=library.clause).answer == Answer.ELIGIBLE
    assert missing_fact_tasks(user=library.cast.officer_a) == []
    fact = EnterpriseFact.objects.get(enterprise=enterprise)
    assert (fact.value, fact.recorded_by, fact.source) == (260, library.cast.officer_a, "visit")


def test_an_officer_of_another_grid_cannot_record_a_fact(library):
    from policies.errors import NotPermitted

    with pytest.raises(NotPermitted):
        services.fact_record(
            enterprise=library.cast.enterprise_a, actor=library.cast.officer_b, key="rd_spend", value="10"
        )
    assert EnterpriseFact.objects.count() == 0


def test_drafts_are_not_matched_and_expiry_drops_results(library):
    eligibility.evaluate_enterprises()
    assert set(EligibilityResult.objects.values_list("clause__policy", flat=True)) == {library.policy.pk}

    services.policy_expire(policy=library.policy, actor=library.cast.manager)

    assert EligibilityResult.objects.count() == 0


def test_a_profile_change_schedules_one_re_evaluation_after_commit(
    library, django_capture_on_commit_callbacks, eager_celery
):
    # Given a transaction that creates an enterprise and changes it twice
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enterprise = EnterpriseFactory(grid=library.cast.grid_a, industry="equipment")
        enterprise.industry = "food"
        enterprise.save()
        enterprise.name = "改名企业有限公司"
        enterprise.save()
        # Nothing is evaluated before the commit.
        assert not EligibilityResult.objects.filter(enterprise=enterprise).exists()

    # Then one evaluation ran after commit, on the committed profile
    assert len([c for c in callbacks if getattr(c, "policies_enterprise_id", None) == enterprise.pk]) == 1
    result = EligibilityResult.objects.get(enterprise=enterprise)
    assert (result.answer, result.trace[0]["actual"]) == (Answer.INELIGIBLE, "food")


def test_nightly_task_is_scheduled_and_idempotent(library):
    from django.conf import settings

    from policies.tasks import evaluate_all

    assert settings.CELERY_BEAT_SCHEDULE["policies-evaluate-eligibility"]["task"] == "policies.tasks.evaluate_all"
    first = evaluate_all()
    rows = list(EligibilityResult.objects.order_by("pk").values_list("enterprise", "clause", "answer"))
    second = evaluate_all()

    assert first == second == 2
    assert list(EligibilityResult.objects.order_by("pk").values_list("enterprise", "clause", "answer")) == rows


def _clause(criteria):
    from tests.policies.conftest import make_policy

    return make_policy(
        title="中小企业纾困资金", level="district", shares={"district": 100}, criteria=criteria
    ).clauses.get()


@pytest.mark.parametrize(
    ("employees", "revenue", "size"),
    [
        (350, 2500, "medium"),
        (1200, 30000, "medium"),  # large needs both bounds: revenue below 40,000 万元 falls a class
        (25, 400, "small"),
        (25, 200, "micro"),
        (10, None, "micro"),  # fewer than 20 people is 微型 whatever the revenue
    ],
)
def test_size_is_worked_out_by_the_national_rule(cast, employees, revenue, size):
    # Given a clause for 中型 and 小型 firms only, and an enterprise with these figures
    clause = _clause([{"fact": "size", "operator": "in", "value": ["small", "medium"], "article": "第二条"}])
    enterprise = EnterpriseFactory(grid=cast.grid_a, employees=employees)
    if revenue is not None:
        record(enterprise, "last_year_revenue", revenue)

    result = result_for(enterprise, clause)

    assert result.trace[0]["actual"] == size
    assert result.answer == (Answer.ELIGIBLE if size in ("small", "medium") else Answer.INELIGIBLE)


def test_a_size_that_depends_on_a_missing_revenue_is_unknown_and_asks_for_the_revenue(cast):
    clause = _clause([{"fact": "size", "operator": "in", "value": ["small", "medium"], "article": "第二条"}])
    enterprise = EnterpriseFactory(grid=cast.grid_a, employees=350)  # 中型 or 小型 or 微型, by the revenue

    result = result_for(enterprise, clause)

    assert result.answer == Answer.UNKNOWN
    assert result.missing_facts == ["last_year_revenue"]  # what the officer can collect, not "size"
    assert (result.trace[0]["actual"], result.trace[0]["actual_text"]) == (None, "未知")
    nobody_counted = EnterpriseFactory(grid=cast.grid_a, employees=0)
    assert result_for(nobody_counted, clause).missing_facts == ["employees", "last_year_revenue"]


def test_a_case_may_state_the_size_or_the_figures_it_comes_from():
    criteria = [ClauseCriterion(fact="size", operator="eq", value="small", position=1)]

    assert eligibility.evaluate_facts(criteria, {"size": "small"}).answer == Answer.ELIGIBLE
    assert eligibility.evaluate_facts(criteria, {"employees": 25, "last_year_revenue": 400}).answer == Answer.ELIGIBLE
    assert eligibility.evaluate_facts(criteria, {"employees": 25}).missing == ["last_year_revenue"]


@pytest.mark.parametrize(
    ("change", "deciding_fact"),
    [
        ({"tier": "growth"}, "tier"),
        ({"ownership": "state"}, "ownership"),
        ({"above_scale": False}, "above_scale"),
        ({"grid": "b"}, "district"),
    ],
)
def test_each_profile_fact_is_read_from_the_enterprise(cast, change, deciding_fact):
    # Given a clause for struggling private 规上 firms of district A
    clause = _clause(
        [
            {"fact": "tier", "operator": "eq", "value": "struggling"},
            {"fact": "ownership", "operator": "eq", "value": "private"},
            {"fact": "above_scale", "operator": "eq", "value": True},
            {"fact": "district", "operator": "eq", "value": cast.district_a.code},
        ]
    )
    fits = {"tier": "struggling", "ownership": "private", "above_scale": True, "grid": cast.grid_a}
    assert result_for(EnterpriseFactory(**fits), clause).answer == Answer.ELIGIBLE

    # When one of them differs, that criterion decides: ineligible
    if change.get("grid") == "b":
        change = {"grid": cast.grid_b}
    result = result_for(EnterpriseFactory(**(fits | change)), clause)

    assert result.answer == Answer.INELIGIBLE
    assert result.decided_by.fact == deciding_fact
