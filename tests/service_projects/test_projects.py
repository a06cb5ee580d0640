"""Service projects: figures per kind validated in clean(), totals from records, scope on pages and API."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from issues.errors import NotPermitted
from platforms.service_projects import figures
from platforms.service_projects.models import Kind, ProjectState, ServiceProject
from platforms.service_projects.services import service_project_create, service_project_update
from tests.conftest import login
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def _data(cast, **changes):
    return {
        "actor": cast.manager,
        "enterprise": cast.enterprise_a,
        "kind": Kind.TAX_CONFIRMATION,
        "title": "鼓励类产业确认",
        "bureau": cast.bureau_y,
        "state": ProjectState.DONE,
        "started_on": datetime.date(2026, 2, 1),
        "completed_on": datetime.date(2026, 4, 1),
        "tax_reduced": Decimal("183"),
    } | changes


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"tax_reduced": None}, "tax_reduced"),  # the kind's figure is required
        ({"tax_reduced": Decimal("0")}, "tax_reduced"),
        ({"saving_amount": Decimal("5")}, "saving_amount"),  # another kind's figure
        ({"kind": Kind.LIVE_STREAM, "tax_reduced": None, "units_sold": 100}, "sales_amount"),
        ({"kind": Kind.SCHOOLING, "tax_reduced": None, "children_count": 0}, "children_count"),
        ({"completed_on": None}, "completed_on"),  # done needs its date
        ({"completed_on": datetime.date(2026, 1, 1)}, "completed_on"),  # before it started
        ({"state": ProjectState.IN_PROGRESS}, "completed_on"),  # a date before it is done
        ({"completed_on": datetime.date(2999, 1, 1)}, "completed_on"),
    ],
)
def test_each_kind_s_figures_are_checked_and_nothing_is_saved(cast, changes, field):
    with pytest.raises(ValidationError) as caught:
        service_project_create(**_data(cast, **changes))
    assert field in caught.value.message_dict
    assert ServiceProject.objects.count() == 0


def test_a_bureau_records_only_as_itself(cast):
    with pytest.raises(NotPermitted):
        service_project_create(**_data(cast, actor=cast.bureau_user_x))
    project = service_project_create(**_data(cast, actor=cast.bureau_user_y))
    assert project.bureau == cast.bureau_y


def test_totals_move_with_a_new_record_and_a_past_month_does_not(sp):
    march = {"date_from": datetime.date(2026, 3, 1), "date_to": datetime.date(2026, 3, 31)}
    assert figures.service_figures(**march)["cost_saving"].value == Decimal("120")
    service_project_create(
        actor=sp.manager,
        enterprise=sp.enterprise_b,
        kind=Kind.COST_SAVING,
        title="节能改造",
        bureau=sp.bureau_x,
        state=ProjectState.DONE,
        started_on=datetime.date(2026, 3, 20),
        completed_on=datetime.date(2026, 4, 2),
        saving_amount=Decimal("80.5"),
    )
    assert figures.service_figures(**march)["cost_saving"].value == Decimal("120")
    to_date = figures.service_figures()["cost_saving"]
    assert (to_date.projects, to_date.enterprises, to_date.value) == (2, 2, Decimal("200.5"))
    assert figures.service_figures(district_id=sp.district_b.pk)["cost_saving"].value == Decimal("80.5")
    assert figures.service_figures()["schooling"].value == 2


def test_open_and_cancelled_projects_are_not_counted(sp):
    service_project_update(project=sp.saving_a, actor=sp.manager, state=ProjectState.CANCELLED, completed_on=None)
    assert figures.service_figures()["cost_saving"] == figures.KindFigure("cost_saving", 0, 0, Decimal("0"))


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("manager", {"saving_a", "schooling_b"}),
        ("leader_a", {"saving_a"}),
        ("officer_b", {"schooling_b"}),
        ("bureau_user_x", {"saving_a"}),
        ("enterprise_user_a", {"saving_a"}),
        ("enterprise_user_b", {"schooling_b"}),
    ],
)
def test_scope_on_the_api_and_the_page(sp, who, sees):
    client = login(getattr(sp, who))
    expected = {getattr(sp, name).pk for name in sees}
    response = client.get("/api/service-projects/")
    assert {row["id"] for row in response.json()["results"]} == expected
    for name in ("saving_a", "schooling_b"):
        status = 200 if name in sees else 404
        assert client.get(f"/api/service-projects/{getattr(sp, name).pk}/").status_code == status
    body = client.get("/platforms/services/").content.decode()
    assert (sp.enterprise_a.name in body) == ("saving_a" in sees)
    assert (sp.enterprise_b.name in body) == ("schooling_b" in sees)


def test_outsiders_cannot_edit(sp):
    before = ServiceProject.objects.filter(pk=sp.saving_a.pk).values().get()
    assert login(sp.officer_b).get(f"/platforms/services/{sp.saving_a.pk}/edit/").status_code == 404
    assert login(sp.enterprise_user_a).get(f"/platforms/services/{sp.saving_a.pk}/edit/").status_code == 404
    response = login(sp.officer_b).patch(
        f"/api/service-projects/{sp.saving_a.pk}/", {"title": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
    response = login(sp.enterprise_user_a).patch(
        f"/api/service-projects/{sp.saving_a.pk}/", {"title": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert ServiceProject.objects.filter(pk=sp.saving_a.pk).values().get() == before


def test_the_list_shows_totals_by_kind(sp):
    body = login(sp.manager).get("/platforms/services/?kind=cost_saving").content.decode()
    assert "120 万元" in body


def test_creating_through_the_page_and_the_api(sp):
    response = login(sp.officer_a).post(
        f"/platforms/services/enterprises/{sp.enterprise_a.pk}/new/",
        {
            "kind": "cloud",
            "title": "设备上云",
            "bureau": sp.bureau_x.pk,
            "state": "in_progress",
            "started_on": "2026-05-01",
        },
    )
    assert response.status_code == 302
    assert ServiceProject.objects.get(title="设备上云").state == ProjectState.IN_PROGRESS
    response = login(sp.manager).post(
        "/api/service-projects/",
        {
            "enterprise": sp.enterprise_b.pk,
            "kind": "live_stream",
            "title": "直播带货",
            "bureau": sp.bureau_y.pk,
            "state": "done",
            "started_on": "2026-03-01",
            "completed_on": "2026-03-31",
            "units_sold": 26180,
            "sales_amount": "8149",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert figures.service_figures()["live_stream"].units == 26180


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"saving_amount": "-1"}, "saving_amount"),
        ({"saving_amount": None}, "saving_amount"),
        ({"enterprise": 999999}, "enterprise"),
        ({"title": "长" * 121}, "title"),
        ({"completed_on": "2026-01-01"}, "completed_on"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_saves_nothing(sp, changes, field):
    data = {
        "enterprise": sp.enterprise_a.pk,
        "kind": "cost_saving",
        "title": "节能",
        "bureau": sp.bureau_x.pk,
        "state": "done",
        "started_on": "2026-02-01",
        "completed_on": "2026-03-01",
        "saving_amount": "10",
    } | changes
    response = login(sp.manager).post("/api/service-projects/", data, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert ServiceProject.objects.count() == 2


@pytest.mark.parametrize("size", [2, 12])
def test_list_queries_do_not_grow(sp, django_assert_max_num_queries, size):
    for index in range(size):
        service_project_create(
            actor=None,
            enterprise=EnterpriseFactory(grid=sp.grid_a),
            kind=Kind.SMART_UPGRADE,
            title=f"改造{index}",
            bureau=sp.bureau_x,
            state=ProjectState.DONE,
            started_on=datetime.date(2026, 1, 1),
            completed_on=datetime.date(2026, 2, 1),
        )
    for who in ("manager", "officer_a", "bureau_user_x"):
        client = login(getattr(sp, who))
        with django_assert_max_num_queries(8):
            assert client.get("/platforms/services/").status_code == 200
        with django_assert_max_num_queries(6):
            assert client.get("/api/service-projects/").status_code == 200


def test_the_edit_page_shows_the_change_history_to_managers_only(sp):
    service_project_update(project=sp.saving_a, actor=sp.manager, saving_amount=Decimal("150"))
    url = f"/platforms/services/{sp.saving_a.pk}/edit/"

    manager_page = login(sp.manager).get(url).content.decode()
    officer_page = login(sp.officer_a).get(url)

    history = manager_page[manager_page.index('id="change-history"') :]
    assert "变更记录" in history and "150" in history and "120" in history
    assert officer_page.status_code == 200
    assert 'id="change-history"' not in officer_page.content.decode()
