"""The profile under each enterprise in the API: scoped, paginated, writes by editors only."""

import datetime
import itertools
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from enterprises.models import EmploymentRecord, OperatingIndicator, Product, SupplyLink
from tests.factories import EnterpriseFactory, issue_at_bureau

pytestmark = pytest.mark.django_db

RESOURCES = ["products", "supply-links", "employment", "indicators"]
OUTSIDERS = ["officer_b", "leader_b", "enterprise_user_b", "bureau_user_y"]


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def endpoint(enterprise, resource: str, pk: int | None = None) -> str:
    base = f"/api/enterprises/{enterprise.pk}/{resource}/"
    return f"{base}{pk}/" if pk else base


@pytest.fixture
def last_month():
    today = datetime.date.today()
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


@pytest.fixture
def filled(cast, last_month):
    """One row of each kind for enterprise A."""
    product = Product.objects.create(enterprise=cast.enterprise_a, name="制动器总成", share_percent=60)
    link = SupplyLink.objects.create(supplier=cast.enterprise_b, customer=cast.enterprise_a, product="钢材")
    employment = EmploymentRecord.objects.create(enterprise=cast.enterprise_a, month=last_month, headcount=90)
    indicator = OperatingIndicator.objects.create(
        enterprise=cast.enterprise_a, month=last_month, output_value=Decimal("88.80")
    )
    return {"products": product, "supply-links": link, "employment": employment, "indicators": indicator}


class TestScope:
    @pytest.mark.parametrize("resource", RESOURCES)
    def test_an_officer_lists_his_enterprises_profile_paginated(self, cast, filled, resource):
        response = api(cast.officer_a).get(endpoint(cast.enterprise_a, resource))

        assert response.status_code == 200
        assert response.data["count"] == 1
        assert response.data["results"][0]["id"] == filled[resource].pk

    @pytest.mark.parametrize("resource", RESOURCES)
    @pytest.mark.parametrize("persona", OUTSIDERS)
    def test_outsiders_get_404_on_list_detail_and_writes(self, cast, filled, resource, persona):
        client = api(getattr(cast, persona))
        item = filled[resource]
        counts = (Product.objects.count(), SupplyLink.objects.count(), EmploymentRecord.objects.count())

        assert client.get(endpoint(cast.enterprise_a, resource)).status_code == 404
        assert client.get(endpoint(cast.enterprise_a, resource, item.pk)).status_code == 404
        assert client.post(endpoint(cast.enterprise_a, resource), {"name": "x"}, format="json").status_code == 404
        assert client.delete(endpoint(cast.enterprise_a, resource, item.pk)).status_code == 404
        assert (Product.objects.count(), SupplyLink.objects.count(), EmploymentRecord.objects.count()) == counts

    @pytest.mark.parametrize("resource", RESOURCES)
    def test_bureau_staff_see_only_the_basic_profile(self, cast, filled, resource):
        issue_at_bureau(cast.enterprise_a, cast.bureau_x, actor=cast.manager, title="融资")

        response = api(cast.bureau_user_x).get(endpoint(cast.enterprise_a, resource))

        assert response.status_code == 404

    @pytest.mark.parametrize("resource", RESOURCES)
    def test_the_enterprise_user_reads_but_may_not_write(self, cast, filled, resource):
        client = api(cast.enterprise_user_a)
        item = filled[resource]
        model = type(item)
        before = list(model.objects.values())

        assert client.get(endpoint(cast.enterprise_a, resource, item.pk)).status_code == 200
        assert client.post(endpoint(cast.enterprise_a, resource), {"name": "新产品"}, format="json").status_code == 403
        assert client.patch(endpoint(cast.enterprise_a, resource, item.pk), {}, format="json").status_code == 403
        assert client.delete(endpoint(cast.enterprise_a, resource, item.pk)).status_code == 403
        assert list(model.objects.values()) == before

    def test_a_row_of_another_enterprise_is_404(self, cast, filled):
        product_of_b = Product.objects.create(enterprise=cast.enterprise_b, name="乙产品")

        response = api(cast.manager).get(endpoint(cast.enterprise_a, "products", product_of_b.pk))

        assert response.status_code == 404

    def test_anonymous_requests_are_refused(self, cast):
        assert APIClient().get(endpoint(cast.enterprise_a, "products")).status_code == 401


class TestProducts:
    def test_create_update_and_delete(self, cast):
        client = api(cast.officer_a)

        created = client.post(
            endpoint(cast.enterprise_a, "products"),
            {"name": "转向节", "annual_output": "500.5", "share_percent": 40, "is_main": True},
            format="json",
        )
        pk = created.data["id"]
        patched = client.patch(endpoint(cast.enterprise_a, "products", pk), {"share_percent": 45}, format="json")
        deleted = client.delete(endpoint(cast.enterprise_a, "products", pk))

        assert created.status_code == 201
        assert created.data["annual_output"] == "500.50"
        assert patched.status_code == 200 and patched.data["share_percent"] == 45
        assert deleted.status_code == 204
        assert not Product.objects.exists()
        assert Product.history.filter(history_user=cast.officer_a).count() == 3

    @pytest.mark.parametrize(
        "body",
        [{"share_percent": 30}, {"name": "x", "share_percent": 101}, {"name": "x", "annual_output": "很多"}, ["a"]],
    )
    def test_bad_input_is_400_and_saves_nothing(self, cast, body):
        response = api(cast.officer_a).post(endpoint(cast.enterprise_a, "products"), body, format="json")

        assert response.status_code == 400
        assert not Product.objects.exists()

    @pytest.mark.parametrize(
        ("body", "errors"),
        [
            ({"name": "轮毂", "colour": "red"}, {"colour": ["未知字段。"]}),
            ({"name": "轮毂", "created_at": "2026-01-01T00:00:00Z"}, {"created_at": ["只读字段，不能提交。"]}),
        ],
    )
    def test_an_unknown_or_read_only_field_is_400_naming_it_and_saves_nothing(self, cast, body, errors):
        response = api(cast.officer_a).post(endpoint(cast.enterprise_a, "products"), body, format="json")

        assert response.status_code == 400
        assert response.json() == errors
        assert not Product.objects.exists()

    def test_an_unknown_field_on_an_edit_is_400_and_changes_nothing(self, cast, filled):
        product = filled["products"]

        response = api(cast.officer_a).patch(
            endpoint(cast.enterprise_a, "products", product.pk),
            {"share_percent": 10, "sharepercent": 10},
            format="json",
        )

        assert response.status_code == 400
        assert response.json() == {"sharepercent": ["未知字段。"]}
        product.refresh_from_db()
        assert product.share_percent == 60

    def test_shares_over_100_percent_are_400(self, cast, filled):
        response = api(cast.officer_a).post(
            endpoint(cast.enterprise_a, "products"), {"name": "轮毂", "share_percent": 50}, format="json"
        )

        assert response.status_code == 400
        assert "share_percent" in response.data
        assert Product.objects.count() == 1

    def test_malformed_json_is_400(self, cast):
        before = Product.objects.count()

        response = api(cast.officer_a).post(
            endpoint(cast.enterprise_a, "products"), "{not json", content_type="application/json"
        )

        assert response.status_code == 400
        assert Product.objects.count() == before


class TestSupplyLinks:
    def test_the_same_row_reads_upstream_from_one_side_and_downstream_from_the_other(self, cast, filled):
        seen_by_a = api(cast.manager).get(endpoint(cast.enterprise_a, "supply-links")).data["results"][0]
        seen_by_b = api(cast.manager).get(endpoint(cast.enterprise_b, "supply-links")).data["results"][0]

        assert seen_by_a["id"] == seen_by_b["id"]
        assert (seen_by_a["direction"], seen_by_a["partner_name"]) == ("upstream", cast.enterprise_b.name)
        assert (seen_by_b["direction"], seen_by_b["partner_uscc"]) == ("downstream", cast.enterprise_a.uscc)
        assert seen_by_a["is_zone_partner"] is True

    def test_create_by_uscc_and_filter_by_direction(self, cast):
        client = api(cast.officer_a)
        zone = client.post(
            endpoint(cast.enterprise_a, "supply-links"),
            {"direction": "downstream", "partner_uscc": cast.enterprise_b.uscc.lower(), "product": "座椅骨架"},
            format="json",
        )
        outside = client.post(
            endpoint(cast.enterprise_a, "supply-links"),
            {"direction": "upstream", "outside_name": "长江钢材贸易有限公司"},
            format="json",
        )

        assert (zone.status_code, outside.status_code) == (201, 201)
        assert SupplyLink.objects.get(pk=zone.data["id"]).customer == cast.enterprise_b
        upstream = client.get(endpoint(cast.enterprise_a, "supply-links"), {"direction": "upstream"}).data
        assert [row["partner_name"] for row in upstream["results"]] == ["长江钢材贸易有限公司"]
        assert client.get(endpoint(cast.enterprise_a, "supply-links"), {"direction": "sideways"}).status_code == 400

    @pytest.mark.parametrize(
        "body",
        [
            {"direction": "upstream"},
            {"direction": "upstream", "partner_uscc": "91500108MA5U000010", "outside_name": ""},
            {"direction": "upwards", "outside_name": "某公司"},
        ],
    )
    def test_bad_links_are_400(self, cast, body):
        response = api(cast.officer_a).post(endpoint(cast.enterprise_a, "supply-links"), body, format="json")

        assert response.status_code == 400
        assert not SupplyLink.objects.exists()

    def test_patch_changes_the_product_only(self, cast, filled):
        link = filled["supply-links"]

        response = api(cast.officer_a).patch(
            endpoint(cast.enterprise_a, "supply-links", link.pk), {"product": "冷轧钢板"}, format="json"
        )

        link.refresh_from_db()
        assert response.status_code == 200
        assert (link.supplier, link.customer, link.product) == (cast.enterprise_b, cast.enterprise_a, "冷轧钢板")


class TestMonthlyFigures:
    def test_posting_a_month_twice_updates_it(self, cast, last_month):
        client = api(cast.officer_a)
        month = f"{last_month:%Y-%m}"

        first = client.post(endpoint(cast.enterprise_a, "employment"), {"month": month, "headcount": 50}, format="json")
        second = client.post(
            endpoint(cast.enterprise_a, "employment"), {"month": month, "headcount": 55, "vacancies": 4}, format="json"
        )

        assert (first.status_code, second.status_code) == (201, 200)
        assert first.data["id"] == second.data["id"]
        assert second.data["month"] == month
        record = EmploymentRecord.objects.get()
        assert (record.headcount, record.vacancies) == (55, 4)

    @pytest.mark.parametrize("month", ["2025/13", "下个月", 202501, "2999-01"])
    def test_bad_or_future_months_are_400(self, cast, month):
        response = api(cast.officer_a).post(
            endpoint(cast.enterprise_a, "employment"), {"month": month, "headcount": 5}, format="json"
        )

        assert response.status_code == 400
        assert not EmploymentRecord.objects.exists()

    def test_filter_by_month_range(self, cast):
        for month in (1, 2, 3):
            OperatingIndicator.objects.create(
                enterprise=cast.enterprise_a, month=datetime.date(2025, month, 1), capacity_use=60 + month
            )
        client = api(cast.manager)

        response = client.get(
            endpoint(cast.enterprise_a, "indicators"), {"month_from": "2025-02", "month_to": "2025-03"}
        )

        assert [row["month"] for row in response.data["results"]] == ["2025-03", "2025-02"]
        assert client.get(endpoint(cast.enterprise_a, "indicators"), {"month_from": "yesterday"}).status_code == 400

    def test_capacity_over_100_is_400(self, cast, last_month):
        response = api(cast.officer_a).post(
            endpoint(cast.enterprise_a, "indicators"),
            {"month": f"{last_month:%Y-%m}", "capacity_use": 120},
            format="json",
        )

        assert response.status_code == 400
        assert not OperatingIndicator.objects.exists()

    def test_the_month_of_a_record_cannot_be_changed(self, cast, filled):
        record = filled["employment"]

        response = api(cast.officer_a).patch(
            endpoint(cast.enterprise_a, "employment", record.pk), {"month": "2020-01"}, format="json"
        )

        assert response.status_code == 400
        record.refresh_from_db()
        assert record.month != datetime.date(2020, 1, 1)


def test_every_profile_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    for resource in RESOURCES:
        assert f"/api/enterprises/{{enterprise_id}}/{resource}/" in schema["paths"]
        assert f"/api/enterprises/{{enterprise_id}}/{resource}/{{id}}/" in schema["paths"]


@pytest.mark.parametrize("resource", RESOURCES)
def test_list_queries_do_not_grow_with_the_rows(cast, resource, django_assert_max_num_queries, last_month):
    serial = itertools.count()

    def fill(count: int) -> None:
        for number in itertools.islice(serial, count):
            partner = EnterpriseFactory(grid=cast.grid_b)
            Product.objects.create(enterprise=cast.enterprise_a, name=f"产品{number}-{partner.pk}")
            SupplyLink.objects.create(supplier=partner, customer=cast.enterprise_a, product=f"件{number}")
            month = datetime.date(last_month.year - 1 - number, last_month.month, 1)
            EmploymentRecord.objects.create(enterprise=cast.enterprise_a, month=month, headcount=10)
            OperatingIndicator.objects.create(enterprise=cast.enterprise_a, month=month, capacity_use=50)

    client = api(cast.officer_a)
    fill(2)
    with django_assert_max_num_queries(8):
        assert client.get(endpoint(cast.enterprise_a, resource)).data["count"] == 2
    fill(20)
    with django_assert_max_num_queries(8):
        assert client.get(endpoint(cast.enterprise_a, resource)).data["count"] == 22
