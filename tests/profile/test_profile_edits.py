"""Tier changes, products, supply links and the monthly figures, through the pages."""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from enterprises.models import (
    EmploymentRecord,
    Enterprise,
    OperatingIndicator,
    Product,
    SupplyLink,
    Tier,
    TierChange,
)
from tests.factories import EnterpriseFactory
from tests.profile.conftest import HTMX

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"enterprises:{name}", args=args)


class TestTierChange:
    def test_needs_a_reason_and_without_one_changes_nothing(self, cast, client_for):
        enterprise = cast.enterprise_a
        before = enterprise.history.count(), TierChange.objects.count()

        response = client_for(cast.officer_a).post(
            url("profile_tier_change", enterprise.pk), {"tier": Tier.STRUGGLING, "reason": "   "}, **HTMX
        )

        assert response.status_code == 200
        assert "调整企业分类必须填写原因。" in response.content.decode()
        enterprise.refresh_from_db()
        assert enterprise.tier == Tier.GROWTH
        assert (enterprise.history.count(), TierChange.objects.count()) == before

    def test_with_a_reason_it_is_kept_in_the_tier_history_and_the_audit_history(self, cast, client_for):
        enterprise = cast.enterprise_a

        response = client_for(cast.leader_a).post(
            url("profile_tier_change", enterprise.pk),
            {"tier": Tier.STRUGGLING, "reason": "连续三个月产值下降超过30%"},
            **HTMX,
        )

        assert response["HX-Refresh"] == "true"
        enterprise.refresh_from_db()
        assert enterprise.tier == Tier.STRUGGLING
        change = enterprise.tier_changes.get()
        assert (change.from_tier, change.to_tier, change.changed_by) == (Tier.GROWTH, Tier.STRUGGLING, cast.leader_a)
        assert change.reason == "连续三个月产值下降超过30%"
        latest = enterprise.history.latest()
        assert (latest.history_user, latest.history_change_reason) == (cast.leader_a, "连续三个月产值下降超过30%")

    def test_the_tab_lists_the_changes_and_offers_only_other_tiers(self, cast, client_for):
        enterprise = cast.enterprise_a
        TierChange.objects.create(
            enterprise=enterprise, from_tier="", to_tier=Tier.GROWTH, reason="建档", changed_at=enterprise.created_at
        )

        page = client_for(cast.officer_a).get(url("profile_tier", enterprise.pk), **HTMX).content.decode()

        assert "建档" in page
        assert '<option value="growth"' not in page
        assert '<option value="struggling"' in page


class TestProducts:
    def test_add_edit_and_remove_a_product(self, cast, client_for):
        client = client_for(cast.officer_a)
        enterprise = cast.enterprise_a

        added = client.post(
            url("profile_product_add", enterprise.pk),
            {
                "name": "制动器总成",
                "category": "汽车零部件",
                "annual_output": "1200.5",
                "share_percent": "60",
                "is_main": "on",
            },
            **HTMX,
        )
        product = Product.objects.get()
        edited = client.post(
            url("profile_product_edit", enterprise.pk, product.pk),
            {"name": "制动器总成", "category": "汽车零部件", "annual_output": "1300", "share_percent": "65"},
            **HTMX,
        )
        product.refresh_from_db()

        assert added["HX-Retarget"] == "#profile-products"
        assert "已保存产品“制动器总成”。" in added.content.decode()
        assert (product.annual_output, product.share_percent, product.is_main) == (Decimal("1300.00"), 65, False)
        assert "1,300.00" in edited.content.decode()  # grouped as officials write figures

        client.post(url("profile_product_delete", enterprise.pk, product.pk), **HTMX)
        assert not Product.objects.exists()

    def test_shares_may_not_add_up_to_more_than_100_percent(self, cast, client_for):
        Product.objects.create(enterprise=cast.enterprise_a, name="转向节", share_percent=70)

        response = client_for(cast.officer_a).post(
            url("profile_product_add", cast.enterprise_a.pk), {"name": "轮毂", "share_percent": "40"}, **HTMX
        )

        assert "各产品占比合计不能超过100%（其他产品已占70%）。" in response.content.decode()
        assert "HX-Retarget" not in response
        assert list(Product.objects.values_list("name", flat=True)) == ["转向节"]

    def test_a_missing_name_keeps_the_other_values(self, cast, client_for):
        response = client_for(cast.officer_a).post(
            url("profile_product_add", cast.enterprise_a.pk), {"name": "", "category": "汽车电子"}, **HTMX
        )

        assert 'value="汽车电子"' in response.content.decode()
        assert not Product.objects.exists()


class TestSupplyLinks:
    def test_a_link_to_a_zone_enterprise_shows_on_both_profiles_from_one_row(self, cast, client_for):
        client_for(cast.officer_a).post(
            url("profile_supply_add", cast.enterprise_a.pk),
            {
                "direction": "downstream",
                "partner": cast.enterprise_b.uscc,
                "product": "制动器总成",
                "annual_amount": "800",
            },
            **HTMX,
        )

        link = SupplyLink.objects.get()
        assert (link.supplier, link.customer, link.outside_name) == (cast.enterprise_a, cast.enterprise_b, "")
        page_a = client_for(cast.officer_a).get(url("profile_supply", cast.enterprise_a.pk), **HTMX).content.decode()
        page_b = client_for(cast.officer_b).get(url("profile_supply", cast.enterprise_b.pk), **HTMX).content.decode()
        assert cast.enterprise_b.name in page_a and "下游客户" in page_a
        assert cast.enterprise_a.name in page_b
        # Seen from B, A is its supplier (upstream); officer B may not open A's profile, so no link.
        upstream_of_b = page_b.split("上游供应商")[1].split("下游客户")[0]
        assert cast.enterprise_a.name in upstream_of_b
        assert reverse("enterprises:detail", args=[cast.enterprise_a.pk]) not in page_b
        assert (
            reverse("enterprises:detail", args=[cast.enterprise_b.pk])
            in client_for(cast.manager).get(url("profile_supply", cast.enterprise_a.pk), **HTMX).content.decode()
        )

    def test_a_link_to_an_outside_name(self, cast, client_for):
        client_for(cast.officer_a).post(
            url("profile_supply_add", cast.enterprise_a.pk),
            {"direction": "upstream", "outside_name": "长江钢材贸易有限公司", "product": "钢材"},
            **HTMX,
        )

        link = SupplyLink.objects.get()
        assert (link.supplier, link.customer, link.outside_name) == (None, cast.enterprise_a, "长江钢材贸易有限公司")

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"direction": "upstream"}, "请选择一家区内企业，或填写区外单位名称（二者选一）。"),
            ({"direction": "upstream", "partner": "SELF", "product": "x"}, "不能把企业自身设为配套企业。"),
            ({"direction": "upstream", "partner": "91500108MA5U00001X"}, "区内没有该企业"),
        ],
    )
    def test_bad_links_are_refused(self, cast, client_for, data, message):
        if data.get("partner") == "SELF":
            data["partner"] = cast.enterprise_a.uscc

        response = client_for(cast.officer_a).post(url("profile_supply_add", cast.enterprise_a.pk), data, **HTMX)

        assert message in response.content.decode()
        assert not SupplyLink.objects.exists()

    def test_both_a_zone_partner_and_an_outside_name_is_refused(self, cast, client_for):
        response = client_for(cast.officer_a).post(
            url("profile_supply_add", cast.enterprise_a.pk),
            {"direction": "upstream", "partner": cast.enterprise_b.uscc, "outside_name": "某公司"},
            **HTMX,
        )

        assert "二者选一" in response.content.decode()
        assert not SupplyLink.objects.exists()

    def test_the_partner_picker_searches_zone_enterprises_only(self, cast, client_for):
        EnterpriseFactory(name="丙精密机械有限公司", grid=cast.grid_b)

        page = (
            client_for(cast.officer_a)
            .get(url("profile_partner_search", cast.enterprise_a.pk), {"partner_q": "企业有限"})
            .content.decode()
        )

        assert cast.enterprise_b.name in page and cast.enterprise_b.uscc in page
        assert cast.enterprise_a.name not in page  # not itself
        assert "丙精密机械" not in page

    def test_either_side_may_remove_the_link(self, cast, client_for):
        link = SupplyLink.objects.create(supplier=cast.enterprise_a, customer=cast.enterprise_b, product="座椅骨架")

        client_for(cast.officer_b).post(url("profile_supply_delete", cast.enterprise_b.pk, link.pk), **HTMX)

        assert not SupplyLink.objects.exists()


class TestMonthlyFigures:
    @pytest.fixture(autouse=True)
    def mid_june_2025(self, time_machine):
        time_machine.move_to(datetime.datetime(2025, 6, 15, 10, 0, tzinfo=datetime.UTC), tick=False)

    def test_a_second_entry_for_the_same_month_updates_it(self, cast, client_for):
        client = client_for(cast.officer_a)
        save = url("profile_employment_save", cast.enterprise_a.pk)

        client.post(save, {"month": "2025-05", "headcount": "120", "vacancies": "5", "surplus": "0"}, **HTMX)
        client.post(save, {"month": "2025-05", "headcount": "118", "vacancies": "3", "surplus": "0"}, **HTMX)

        record = EmploymentRecord.objects.get()
        assert (record.month, record.headcount, record.vacancies) == (datetime.date(2025, 5, 1), 118, 3)

    def test_a_future_month_is_refused(self, cast, client_for):
        response = client_for(cast.officer_a).post(
            url("profile_employment_save", cast.enterprise_a.pk), {"month": "2025-07", "headcount": "10"}, **HTMX
        )

        assert "不能填报未来月份的数据。" in response.content.decode()
        assert not EmploymentRecord.objects.exists()

    def test_a_malformed_month_is_refused(self, cast, client_for):
        response = client_for(cast.officer_a).post(
            url("profile_employment_save", cast.enterprise_a.pk), {"month": "五月", "headcount": "10"}, **HTMX
        )

        assert "请按“年-月”填写月份" in response.content.decode()

    def test_opening_a_month_prefills_its_figures(self, cast, client_for):
        EmploymentRecord.objects.create(enterprise=cast.enterprise_a, month=datetime.date(2025, 3, 1), headcount=77)

        page = (
            client_for(cast.officer_a)
            .get(url("profile_employment_save", cast.enterprise_a.pk), {"month": "2025-03"}, **HTMX)
            .content.decode()
        )

        assert 'value="2025-03"' in page and 'value="77"' in page

    def test_indicators_show_a_12_month_trend_with_a_table_beside_the_chart(self, cast, client_for):
        for month, output in ((4, "100.50"), (5, "90")):
            OperatingIndicator.objects.create(
                enterprise=cast.enterprise_a,
                month=datetime.date(2025, month, 1),
                output_value=Decimal(output),
                capacity_use=70,
            )

        page = client_for(cast.enterprise_user_a).get(url("profile_indicators", cast.enterprise_a.pk), **HTMX)

        html = page.content.decode()
        data = json.loads(
            html.split(f'id="indicator-data-{cast.enterprise_a.pk}" type="application/json">')[1].split("</script>")[0]
        )
        assert data["months"][0] == "2024-06" and data["months"][-1] == "2025-05"
        assert data["output"][-2:] == [100.5, 90.0]
        assert data["output"][:10] == [None] * 10
        assert "enterprises/indicator_chart.js" in html
        assert 'role="img"' in html and "近12个月经营指标（产值、订单额单位：万元" in html
        assert "100.50" in html

    def test_capacity_above_100_is_refused(self, cast, client_for):
        response = client_for(cast.officer_a).post(
            url("profile_indicators_save", cast.enterprise_a.pk), {"month": "2025-05", "capacity_use": "120"}, **HTMX
        )

        assert response.status_code == 200
        assert not OperatingIndicator.objects.exists()

    def test_an_indicator_month_needs_at_least_one_figure(self, cast, client_for):
        response = client_for(cast.officer_a).post(
            url("profile_indicators_save", cast.enterprise_a.pk), {"month": "2025-05"}, **HTMX
        )

        assert "请至少填写一项指标。" in response.content.decode()
        assert not OperatingIndicator.objects.exists()

    def test_deleting_a_month(self, cast, client_for):
        record = OperatingIndicator.objects.create(
            enterprise=cast.enterprise_a, month=datetime.date(2025, 5, 1), output_value=Decimal("1")
        )

        client_for(cast.manager).post(url("profile_indicators_delete", cast.enterprise_a.pk, record.pk), **HTMX)

        assert not OperatingIndicator.objects.exists()
        assert Enterprise.objects.filter(pk=cast.enterprise_a.pk).exists()
