"""Every clause's criteria against its own test cases: those of the demo library and of the fixtures."""

import pytest

from policies import eligibility
from policies.demo_data import POLICIES
from policies.models import ClauseCriterion, PolicyClause

pytestmark = pytest.mark.django_db


def _criteria(specs) -> list[ClauseCriterion]:
    criteria = []
    for position, spec in enumerate(specs, start=1):
        criterion = ClauseCriterion(
            fact=spec["fact"],
            operator=spec["operator"],
            value=spec["value"],
            is_hard=spec.get("is_hard", True),
            position=position,
        )
        criterion.clean()
        criteria.append(criterion)
    return criteria


DEMO_CASES = [
    pytest.param(clause["criteria"], case, id=f"{policy['title']}#{clause['number']}:{case['name']}")
    for policy in POLICIES
    for clause in policy["clauses"]
    for case in clause["cases"]
]


@pytest.mark.parametrize("criteria, case", DEMO_CASES)
def test_every_demo_case_holds(criteria, case):
    assert eligibility.evaluate_facts(_criteria(criteria), case["facts"]).answer == case["expected"]


def test_every_demo_clause_has_cases_for_each_answer_it_can_give():
    for policy in POLICIES:
        for clause in policy["clauses"]:
            assert clause["cases"], f"{policy['title']} #{clause['number']} has no test cases"


def test_every_stored_clause_passes_its_cases(library):
    # The fixtures' clauses, and any clause saved with cases: stored cases run against stored criteria.
    from policies import services

    services.clause_save(
        policy=library.policy,
        actor=None,
        number=2,
        title="上云补贴",
        shares={"municipal": 100},
        criteria=[{"fact": "informatization_investment", "operator": "gte", "value": 20}],
        cases=[
            {"name": "够", "facts": {"informatization_investment": 30}, "expected": "eligible"},
            {"name": "缺", "facts": {}, "expected": "unknown"},
        ],
    )
    checked = 0
    for clause in PolicyClause.objects.prefetch_related("criteria", "cases"):
        for case in clause.cases.all():
            assert eligibility.evaluate_facts(list(clause.criteria.all()), case.facts).answer == case.expected, (
                case.name
            )
            checked += 1
    assert checked == 2


def test_a_case_contradicting_its_criteria_is_refused_and_nothing_saved(library):
    from django.core.exceptions import ValidationError

    from policies import services

    before = list(PolicyClause.objects.values_list("pk", flat=True))
    with pytest.raises(ValidationError) as refused:
        services.clause_save(
            policy=library.policy,
            actor=None,
            number=3,
            title="错用例",
            shares={"municipal": 100},
            criteria=[{"fact": "rd_spend", "operator": "gte", "value": 100}],
            cases=[{"name": "少", "facts": {"rd_spend": 10}, "expected": "eligible"}],
        )
    assert "cases" in refused.value.message_dict
    # clause_save runs in one transaction: the test's savepoint shows what a caller sees after the refusal.
    assert list(PolicyClause.objects.values_list("pk", flat=True)) == before


@pytest.mark.parametrize(
    "spec, field",
    [
        ({"fact": "colour", "operator": "eq", "value": "red"}, "fact"),
        ({"fact": "rd_spend", "operator": "in", "value": [1]}, "operator"),
        ({"fact": "rd_spend", "operator": "gte", "value": "many"}, "value"),
        ({"fact": "industry", "operator": "in", "value": ["mining"]}, "value"),
        ({"fact": "above_scale", "operator": "eq", "value": "yes"}, "value"),
    ],
)
def test_a_criterion_is_checked_against_the_fact_registry(spec, field):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        ClauseCriterion(**spec).clean()
    assert field in refused.value.message_dict
