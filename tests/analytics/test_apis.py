"""``/api/reports/monthly/``: scoped rows, filters, 4xx on bad input, constant queries."""

import pytest

from analytics.metrics import Dimension
from analytics.models import MonthlyReport
from analytics.monthly import monthly_analysis_run
from common.periods import Month
from tests.analytics.test_dashboards import grow

pytestmark = pytest.mark.usefixtures("mid_november")

OCTOBER = Month(2026, 10)
URL = "/api/reports/monthly/"


@pytest.fixture
def analysed(october):
    monthly_analysis_run(month=OCTOBER)
    return october


def results(client, url: str = URL) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    return body["results"]


def test_manager_reads_every_row(analysed, client_for):
    rows = results(client_for(analysed.manager), URL + "?page_size=500")
    assert len(rows) == MonthlyReport.objects.count()
    zone = next(row for row in rows if row["scope_type"] == "zone")
    assert (zone["month"], zone["scope_type_display"], zone["metrics"]["visits"]) == ("2026-10", "园区", 3)


def test_filters(analysed, client_for):
    client = client_for(analysed.manager)
    rows = results(client, URL + "?month=2026-10&scope_type=district")
    assert sorted(row["scope_name"] for row in rows) == ["乙片区", "甲片区"]
    rows = results(client, URL + f"?scope_type=officer&district={analysed.district_b.pk}")
    assert [row["scope_name"] for row in rows] == ["陈网格"]
    assert results(client, URL + "?month=2026-09") == []


def test_district_leader_reads_his_district_only(analysed, client_for):
    client = client_for(analysed.leader_a)
    rows = results(client, URL + "?page_size=500")
    assert {(row["scope_type"], row["scope_name"]) for row in rows} == {
        ("district", "甲片区"),
        ("grid", "甲网格"),
        ("officer", "张网格"),
    }
    others = MonthlyReport.objects.exclude(pk__in=[row["id"] for row in rows])
    for report in others.filter(scope_type__in=[Dimension.ZONE, Dimension.DISTRICT, Dimension.TIER]):
        assert client.get(f"{URL}{report.pk}/").status_code == 404
    own = MonthlyReport.objects.get(scope_type=Dimension.DISTRICT, scope_id=str(analysed.district_a.pk))
    assert client.get(f"{URL}{own.pk}/").json()["metrics"]["enterprises"] == 2


@pytest.mark.parametrize("persona", ["officer_a", "bureau_user_x", "enterprise_user_a"])
def test_other_roles_read_nothing(analysed, client_for, persona):
    client = client_for(getattr(analysed, persona))
    assert results(client) == []
    zone = MonthlyReport.objects.get(scope_type=Dimension.ZONE)
    assert client.get(f"{URL}{zone.pk}/").status_code == 404


def test_anonymous_is_refused(analysed, client):
    assert client.get(URL).status_code == 401


@pytest.mark.parametrize(
    "query",
    ["month=2026-13", "month=october", "month=2027-05", "scope_type=planet", "month_from=xx", "ordering=secret"],
)
def test_bad_input_is_a_400_naming_the_parameter(analysed, client_for, query):
    response = client_for(analysed.manager).get(f"{URL}?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [query.split("=")[0]]


def test_a_page_that_is_no_number_is_not_found(analysed, client_for):
    assert client_for(analysed.manager).get(f"{URL}?page=x").status_code == 404


def test_no_writes(analysed, client_for):
    client = client_for(analysed.manager)
    zone = MonthlyReport.objects.get(scope_type=Dimension.ZONE)
    assert client.post(URL, {}).status_code == 405
    assert client.delete(f"{URL}{zone.pk}/").status_code == 405
    assert MonthlyReport.objects.filter(pk=zone.pk).exists()


def test_metric_definitions(cast, client_for):
    response = client_for(cast.manager).get(URL + "metrics/")
    metrics = {item["key"]: item for item in response.json()}
    assert metrics["visit_coverage"]["label"] == "走访覆盖率" and metrics["visit_coverage"]["kind"] == "ratio"
    assert metrics["support_funds"]["available"] is True and metrics["support_funds"]["unit"] == "万元"
    assert metrics["financing_loans"]["unit"] == "亿元"
    assert metrics["worker_transfers"]["unit"] == "人次"


@pytest.mark.parametrize("size", [(0, 0), (4, 6)])
def test_list_queries_do_not_grow(cast, client_for, django_assert_max_num_queries, size):
    grow(cast, districts=size[0], enterprises=size[1])
    monthly_analysis_run(month=OCTOBER)
    manager, leader = client_for(cast.manager), client_for(cast.leader_a)
    with django_assert_max_num_queries(4):
        results(manager, URL + "?page_size=500")
    with django_assert_max_num_queries(6):
        results(leader, URL)
