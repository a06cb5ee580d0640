"""录入 / 修改条款: staff who keep the library add and edit a policy's clauses, criteria and test cases.

Only roles that may edit the policy reach the pages (others 404, nothing changed); bad input answers 400
naming the field and saves nothing; a saved clause is what the eligibility reads.
"""

import pytest

from policies.models import ClauseCriterion, CriterionCase, PolicyClause, PolicyState


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "30",
    }


def clause_post(**overrides) -> dict:
    """A new clause 2 with one hard criterion, one soft one, an empty extra row and two cases."""
    data = {
        "number": "2",
        "title": "上云用云补助",
        "article": "第四条",
        "mode": "apply",
        "amount_rule": "按投入的 20% 补助",
        "max_amount": "50",
        "share_central": "0",
        "share_municipal": "60",
        "share_district": "0",
        "share_zone": "40",
        **management("criteria", 3),
        "criteria-0-fact": "informatization_investment",
        "criteria-0-operator": "gte",
        "criteria-0-value": "100",
        "criteria-0-weight": "hard",
        "criteria-0-article": "第四条第（一）项",
        "criteria-1-fact": "industry",
        "criteria-1-operator": "in",
        "criteria-1-value": "equipment、electronics",
        "criteria-1-weight": "soft",
        "criteria-1-article": "",
        "criteria-2-fact": "",
        "criteria-2-operator": "",
        "criteria-2-value": "",
        "criteria-2-weight": "hard",
        "criteria-2-article": "",
        **management("cases", 2),
        "cases-0-name": "投入够",
        "cases-0-facts": '{"informatization_investment": 150}',
        "cases-0-expected": "eligible",
        "cases-1-name": "不知投入",
        "cases-1-facts": "",
        "cases-1-expected": "unknown",
    }
    data.update(overrides)
    return data


def stored(policy) -> dict:
    """Everything a refused request must leave as it was."""
    return {
        "clauses": list(PolicyClause.objects.filter(policy=policy).order_by("pk").values()),
        "criteria": list(ClauseCriterion.objects.filter(clause__policy=policy).order_by("pk").values()),
        "cases": list(CriterionCase.objects.filter(clause__policy=policy).order_by("pk").values()),
    }


def test_a_manager_adds_a_clause_with_its_criteria_and_cases(library, client_for):
    policy = library.policy
    response = client_for(library.cast.manager).post(f"/policies/{policy.pk}/clauses/new/", clause_post())

    assert response.status_code == 302
    assert response["Location"] == f"{policy.get_absolute_url()}#clause-2"
    clause = policy.clauses.get(number=2)
    assert (clause.title, clause.share_municipal, clause.share_zone, str(clause.max_amount)) == (
        "上云用云补助",
        60,
        40,
        "50.00",
    )
    assert [(c.fact, c.operator, c.value, c.is_hard) for c in clause.criteria.all()] == [
        ("informatization_investment", "gte", 100, True),
        ("industry", "in", ["equipment", "electronics"], False),
    ]
    assert [(case.name, case.facts, case.expected) for case in clause.cases.all()] == [
        ("投入够", {"informatization_investment": 150}, "eligible"),
        ("不知投入", {}, "unknown"),
    ]


def test_the_page_opens_with_the_next_number_and_the_edit_page_with_the_clause(library, client_for):
    client = client_for(library.cast.manager)
    new = client.get(f"/policies/{library.policy.pk}/clauses/new/")
    assert new.status_code == 200
    assert new.context["form"].initial["number"] == 2

    edit = client.get(f"/policies/{library.policy.pk}/clauses/{library.clause.pk}/edit/")
    assert edit.status_code == 200
    assert [row.initial["fact"] for row in edit.context["criteria"].initial_forms] == [
        "industry",
        "informatization_investment",
        "rd_spend",
    ]
    assert edit.context["criteria"].initial_forms[0].initial["value"] == "equipment、electronics"
    detail = client.get(library.policy.get_absolute_url()).content.decode()
    assert f"/policies/{library.policy.pk}/clauses/new/" in detail
    assert f"/policies/{library.policy.pk}/clauses/{library.clause.pk}/edit/" in detail


def test_editing_a_clause_replaces_its_criteria_and_keeps_its_number(library, client_for):
    policy, clause = library.policy, library.clause
    # The page showed the three stored criteria: two rewritten, the third ticked 删除.
    data = clause_post(number="9", title="信息化改造项目补助（修订）", **{"criteria-2-DELETE": "on"})
    data.update(management("criteria", 3, initial=3))
    response = client_for(library.cast.manager).post(f"/policies/{policy.pk}/clauses/{clause.pk}/edit/", data)

    assert response.status_code == 302
    clause.refresh_from_db()
    assert (clause.number, clause.title) == (1, "信息化改造项目补助（修订）")
    assert [c.fact for c in clause.criteria.all()] == ["informatization_investment", "industry"]
    assert policy.clauses.count() == 1


@pytest.mark.parametrize(
    "overrides, form, field",
    [
        ({"title": ""}, "form", "title"),
        ({"share_zone": "30"}, "form", "share_zone"),  # 60 + 30 is not 100
        ({"share_zone": "140"}, "form", "share_zone"),
        ({"number": "1"}, "form", "number"),  # clause 1 exists
        ({"max_amount": "lots"}, "form", "max_amount"),
        ({"criteria-0-value": "many"}, "criteria", "value"),  # a number fact
        ({"criteria-0-operator": "in", "criteria-0-value": "1"}, "criteria", "operator"),
        ({"criteria-1-value": "mining"}, "criteria", "value"),  # not an industry code
        ({"criteria-0-fact": "colour"}, "criteria", "fact"),
        ({"cases-0-facts": "{not json"}, "cases", "facts"),
        ({"cases-0-facts": '{"colour": 1}'}, "cases", "facts"),
        ({"cases-0-expected": "maybe"}, "cases", "expected"),
    ],
)
def test_bad_input_is_refused_with_400_naming_the_field_and_nothing_saved(library, client_for, overrides, form, field):
    before = stored(library.policy)
    response = client_for(library.cast.manager).post(
        f"/policies/{library.policy.pk}/clauses/new/", clause_post(**overrides)
    )

    assert response.status_code == 400
    errors = response.context[form].errors
    named = errors if form == "form" else {key for row in errors for key in row}
    assert field in named
    assert f'data-error-for="{field}"' in response.content.decode()
    assert stored(library.policy) == before


def test_a_case_contradicting_the_criteria_is_refused_and_nothing_saved(library, client_for):
    before = stored(library.policy)
    response = client_for(library.cast.manager).post(
        f"/policies/{library.policy.pk}/clauses/new/",
        clause_post(**{"cases-0-facts": '{"informatization_investment": 10}'}),
    )

    assert response.status_code == 400
    assert "投入够" in " ".join(response.context["cases"].non_form_errors())
    assert 'data-error-for="cases"' in response.content.decode()
    assert stored(library.policy) == before


@pytest.mark.parametrize("persona", ["officer_a", "leader_a", "bureau_user_x", "enterprise_user_a"])
def test_roles_that_may_not_edit_policies_get_404_and_nothing_changes(library, client_for, persona):
    client = client_for(getattr(library.cast, persona))
    before = stored(library.policy)
    new = f"/policies/{library.policy.pk}/clauses/new/"
    edit = f"/policies/{library.policy.pk}/clauses/{library.clause.pk}/edit/"

    assert client.get(new).status_code == 404
    assert client.post(new, clause_post()).status_code == 404
    assert client.post(edit, clause_post(title="改")).status_code == 404
    assert stored(library.policy) == before


def test_an_expired_policy_and_another_policys_clause_are_not_found(library, client_for):
    client = client_for(library.cast.manager)
    other = library.draft.clauses.get()
    assert client.get(f"/policies/{library.policy.pk}/clauses/{other.pk}/edit/").status_code == 404

    library.policy.state = PolicyState.EXPIRED
    library.policy.save()
    before = stored(library.policy)
    assert client.post(f"/policies/{library.policy.pk}/clauses/new/", clause_post()).status_code == 404
    assert stored(library.policy) == before
