"""The enterprise list page: scoped per role, filtered, paginated, constant queries."""

import lxml.html
import pytest
from django.urls import reverse

from enterprises.models import Industry, Ownership, Tier
from grids.models import GridTeam
from tests.factories import EnterpriseFactory

LIST_URL = reverse("enterprises:list")


def listed(response) -> set[str]:
    return {enterprise.name for enterprise in response.context["page_obj"].object_list}


# --- Scope per role -------------------------------------------------------


def test_manager_lists_every_enterprise(cast, client_for):
    response = client_for(cast.manager).get(LIST_URL)

    assert response.status_code == 200
    assert listed(response) == {"甲企业有限公司", "乙企业有限公司"}
    assert response.context["page_obj"].paginator.count == 2


@pytest.mark.parametrize("persona", ["leader_a", "officer_a", "enterprise_user_a"])
def test_list_holds_only_the_personas_scope(cast, client_for, persona):
    response = client_for(getattr(cast, persona)).get(LIST_URL)

    assert response.status_code == 200
    assert listed(response) == {"甲企业有限公司"}
    assert "乙企业有限公司" not in response.content.decode()


def test_bureau_lists_only_enterprises_whose_issues_it_holds(cast, client_for, hand_to_bureau):
    hand_to_bureau(cast.enterprise_a, cast.bureau_x)
    hand_to_bureau(cast.enterprise_b, cast.bureau_y)
    # A second issue of the same enterprise does not list it twice.
    hand_to_bureau(cast.enterprise_a, cast.bureau_x)

    response = client_for(cast.bureau_user_x).get(LIST_URL)

    assert [enterprise.name for enterprise in response.context["page_obj"].object_list] == ["甲企业有限公司"]
    assert response.context["page_obj"].paginator.count == 1


def test_bureau_with_no_issues_lists_nothing(cast, client_for):
    response = client_for(cast.bureau_user_x).get(LIST_URL)

    assert response.status_code == 200
    assert listed(response) == set()
    assert "没有符合条件的企业" in response.content.decode()


def test_list_shows_the_result_count_and_both_layouts(cast, client_for):
    body = client_for(cast.manager).get(LIST_URL).content.decode()

    assert "共 2 家企业" in body
    assert "enterprise-cards" in body  # phones
    assert "enterprise-table" in body  # wide screens


# --- Filters -------------------------------------------------------------


@pytest.fixture
def varied(cast):
    """Enterprises that differ in one attribute each, all in grid A."""
    return {
        "leading": EnterpriseFactory(name="龙头机械有限公司", grid=cast.grid_a, tier=Tier.LEADING, above_scale=True),
        "state": EnterpriseFactory(name="国资材料有限公司", grid=cast.grid_a, ownership=Ownership.STATE),
        "food": EnterpriseFactory(name="味美食品有限公司", grid=cast.grid_a, industry=Industry.FOOD),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "龙头"}, {"龙头机械有限公司"}),
        ({"tier": "leading"}, {"龙头机械有限公司"}),
        ({"ownership": "state"}, {"国资材料有限公司"}),
        ({"industry": "food"}, {"味美食品有限公司"}),
        ({"above_scale": "true"}, {"龙头机械有限公司"}),
        ({"above_scale": "false", "q": "有限公司", "grid": "__grid_b__"}, {"乙企业有限公司"}),
        ({"district": "__district_b__"}, {"乙企业有限公司"}),
        ({"grid": "__grid_a__", "industry": "food"}, {"味美食品有限公司"}),
    ],
)
def test_filters_narrow_the_list(cast, client_for, varied, query, expected):
    ids = {
        "__grid_a__": cast.grid_a.pk,
        "__grid_b__": cast.grid_b.pk,
        "__district_b__": cast.district_b.pk,
    }
    query = {key: ids.get(value, value) for key, value in query.items()}

    response = client_for(cast.manager).get(LIST_URL, query)

    assert response.status_code == 200
    assert listed(response) == expected


def test_search_finds_by_credit_code_in_any_case(cast, client_for):
    response = client_for(cast.manager).get(LIST_URL, {"q": cast.enterprise_b.uscc.lower()})

    assert listed(response) == {"乙企业有限公司"}


def test_district_and_grid_choices_are_limited_to_the_scope(cast, client_for):
    response = client_for(cast.officer_a).get(LIST_URL)

    form = response.context["form"]
    assert list(form.fields["district"].queryset) == [cast.district_a]
    assert list(form.fields["grid"].queryset) == [cast.grid_a]
    body = response.content.decode()
    assert "甲片区" in body
    assert "乙片区" not in body
    assert "乙网格" not in body


@pytest.mark.parametrize("field", ["district", "grid"])
def test_choosing_a_district_or_grid_outside_the_scope_is_an_error(cast, client_for, field):
    other = {"district": cast.district_b.pk, "grid": cast.grid_b.pk}[field]

    response = client_for(cast.officer_a).get(LIST_URL, {field: other})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert listed(response) == set()
    body = response.content.decode()
    assert "筛选条件有误" in body
    assert "乙企业有限公司" not in body


@pytest.mark.parametrize(
    "query",
    [
        {"tier": "bogus"},
        {"district": "abc"},
        {"district": "99999999"},
        {"grid": "-1"},
        {"ownership": "<script>"},
        {"industry": ""},
        {"above_scale": "perhaps"},
        {"page": "abc"},
        {"page": "0"},
        {"page": "99999"},
        {"q": "x" * 2000},
        {"q": "%_\\'\""},
    ],
)
def test_bad_filter_values_never_fail(cast, client_for, query):
    response = client_for(cast.manager).get(LIST_URL, query)

    assert response.status_code == 200


def test_a_bad_choice_shows_the_error_on_its_field(cast, client_for):
    response = client_for(cast.manager).get(LIST_URL, {"tier": "bogus"})

    assert "tier" in response.context["form"].errors
    assert 'class="form-select is-invalid"' in response.content.decode()
    assert listed(response) == set()


# --- Pagination ----------------------------------------------------------


def test_pages_hold_twenty_and_page_links_keep_the_filters(cast, client_for):
    EnterpriseFactory.create_batch(45, grid=cast.grid_a, tier=Tier.LEADING)
    client = client_for(cast.manager)

    first = client.get(LIST_URL, {"tier": "leading"})
    third = client.get(LIST_URL, {"tier": "leading", "page": 3})

    assert first.context["page_obj"].paginator.count == 45
    assert len(first.context["page_obj"].object_list) == 20
    assert "?tier=leading&amp;page=2" in first.content.decode()
    assert len(third.context["page_obj"].object_list) == 5
    assert "共 45 家企业" in first.content.decode()


def test_a_page_past_the_end_shows_the_last_page(cast, client_for):
    EnterpriseFactory.create_batch(25, grid=cast.grid_a)

    response = client_for(cast.manager).get(LIST_URL, {"page": 99})

    assert response.context["page_obj"].number == 2


# --- Constant number of queries ---------------------------------------------


@pytest.mark.parametrize("count", [10, 200])
@pytest.mark.parametrize("persona", ["manager", "leader_a", "officer_a", "bureau_user_x"])
def test_list_queries_do_not_grow_with_the_data(
    cast, client_for, hand_to_bureau, django_assert_max_num_queries, count, persona
):
    for enterprise in EnterpriseFactory.create_batch(count, grid=cast.grid_a):
        if persona == "bureau_user_x":
            hand_to_bureau(enterprise, cast.bureau_x)
    client = client_for(getattr(cast, persona))

    with django_assert_max_num_queries(12):
        response = client.get(LIST_URL, {"tier": "growth"})

    assert response.status_code == 200
    page = response.context["page_obj"]
    assert page.paginator.count >= count
    assert len(page.object_list) == 20 if count > 20 else page.paginator.count


# --- A bounded count (issue 13: 100,000 enterprises) ------------------------------------------


def test_beyond_its_bound_the_list_says_at_least_and_its_pages_lead_on(cast, client_for, monkeypatch):
    # Given a bound of 10 and 52 enterprises (the cast's 2 and 50 more): page 1 counts 21 rows.
    monkeypatch.setattr("common.api.COUNT_BOUND", 10)
    EnterpriseFactory.create_batch(50, grid=cast.grid_a)
    client = client_for(cast.manager)

    body = client.get(LIST_URL).content.decode()
    assert "共 20+ 家企业" in body
    assert "?page=2" in body and "?page=3" not in body
    assert "第 1 页" in body
    assert "20+ enterprises" in client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    last = client.get(LIST_URL, {"page": 3})
    assert "共 52 家企业" in last.content.decode() and len(last.context["page_obj"].object_list) == 12
    assert "第 3 / 3 页" in last.content.decode()
    monkeypatch.setattr("common.api.COUNT_BOUND", 10_000)
    assert "共 52 家企业" in client.get(LIST_URL).content.decode()


def _grid_options(body: str) -> list[tuple[str, bool]]:
    (select,) = lxml.html.fromstring(body).xpath('//select[@name="grid"]')
    return [(option.get("value"), option.get("selected") is not None) for option in select]


def test_the_managers_grid_filter_lists_one_districts_grids(cast, client_for):
    # A province's 3,000 grids are not one drop-down: as on the ledger, a district first.
    other = GridTeam.objects.create(code="G-other", name="另一网格", district=cast.grid_b.district)
    manager = client_for(cast.manager)

    body = manager.get(LIST_URL).content.decode()
    assert _grid_options(body) == [("", True)]
    (district,) = lxml.html.fromstring(body).xpath('//select[@name="district"]')
    assert district.get("hx-get") == reverse("grids:options") and district.get("hx-target") == "#id_grid"

    picked = _grid_options(manager.get(LIST_URL, {"district": cast.grid_b.district_id}).content.decode())
    assert [value for value, _selected in picked[1:]] == [str(other.pk), str(cast.grid_b.pk)]  # by code
    # A grid in the URL (a bookmark) is still shown, selected, and filters.
    chosen = manager.get(LIST_URL, {"grid": other.pk})
    assert _grid_options(chosen.content.decode()) == [("", False), (str(other.pk), True)]
    assert listed(chosen) == set()
    officer = _grid_options(client_for(cast.officer_a).get(LIST_URL).content.decode())
    assert officer == [("", True), (str(cast.grid_a.pk), False)]
