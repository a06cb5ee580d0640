"""The platforms' figures on the dashboards and in the monthly workbook (issue 11, item 7).

Given, around October 2026, an in-zone deal of 12 万元 bought by 甲 (and one of 5 万元 in 2025), a
lease of a plant in 乙, 30 workers received by 甲, and proposals made and agreed on two platforms,
then October's stored rows, the workbook's 累计成效 (本月, 本年累计, 累计) and the zone's and the
districts' dashboards show them, each district its own share, every figure read from the records
on their own dates (a November proposal is not October's).
"""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
import time_machine

from analytics.models import MonthlyReport
from analytics.monthly import monthly_analysis_run
from common.periods import Month
from enterprises.models import Industry, Product
from platforms.labour.models import Transfer
from platforms.matching import ProposalState
from platforms.procurement.models import Deal, PurchaseNeed, PurchaseProposal
from platforms.space.models import Lease, SpaceDemand, SpaceListing, SpaceProposal
from tests.factories import EnterpriseFactory

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
OCTOBER = Month(2026, 10)


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def records(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    a, b = cast.enterprise_a, cast.enterprise_b  # 甲 in district A, 乙 in district B
    Deal.objects.create(buyer=a, seller=b, item="制动器", amount=Decimal("12"), deal_on=datetime.date(2026, 10, 20))
    Deal.objects.create(buyer=a, seller=b, item="转向节", amount=Decimal("5"), deal_on=datetime.date(2025, 6, 1))
    Transfer.objects.create(
        from_enterprise=b,
        to_enterprise=a,
        count=30,
        starts_on=datetime.date(2026, 10, 12),
        ends_on=datetime.date(2026, 12, 31),
        workers_consent=True,
        contract_unchanged=True,
        no_fee=True,
    )
    plant = SpaceListing.objects.create(
        owner=b,
        kind="plant",
        title="乙企业闲置厂房",
        area_m2=Decimal("1200"),
        address="兴业路 8 号",
        district=cast.district_b,
        available_from=datetime.date(2026, 9, 1),
    )
    Lease.objects.create(
        listing=plant,
        tenant=a,
        area_m2=Decimal("1000"),
        starts_on=datetime.date(2026, 10, 5),
        ends_on=datetime.date(2027, 10, 4),
        rent_yuan_m2_month=Decimal("15"),
    )
    product = Product.objects.create(enterprise=b, name="制动器总成", is_main=True)
    with time_machine.travel(at("2026-10-10 09:00"), tick=False):
        need = PurchaseNeed.objects.create(
            buyer=a,
            item="制动器",
            category=Industry.AUTOMOTIVE,
            quantity=Decimal("100"),
            unit="套",
            needed_by=datetime.date(2026, 12, 1),
        )
        agreed = proposal(PurchaseProposal, need=need, product=product, supplier=b)
        other = EnterpriseFactory(grid=cast.grid_b)
        second = Product.objects.create(enterprise=other, name="制动盘")
        proposal(PurchaseProposal, need=need, product=second, supplier=other)  # made in October, still open
        demand = SpaceDemand.objects.create(
            enterprise=a,
            kind="plant",
            area_min_m2=Decimal("800"),
            area_max_m2=Decimal("1500"),
            needed_from=datetime.date(2026, 10, 1),
            industry=Industry.AUTOMOTIVE,
        )
        space = proposal(SpaceProposal, demand=demand, listing=plant)
    for made in (agreed, space):
        made.state, made.decided_at = ProposalState.AGREED, at("2026-10-25 15:00")
        made.save()
    with time_machine.travel(at("2026-11-03 09:00"), tick=False):  # November's, not October's
        another = EnterpriseFactory(grid=cast.grid_b)
        third = Product.objects.create(enterprise=another, name="制动钳")
        proposal(PurchaseProposal, need=need, product=third, supplier=another)
    with time_machine.travel(at("2026-11-15 10:00"), tick=False):  # October has ended
        yield cast


def proposal(model, **fields):
    return model.objects.create(score=60, reasons=[], expires_on=datetime.date(2026, 12, 1), **fields)


def october_row(scope_type: str, scope_id) -> dict:
    row = MonthlyReport.objects.get(month=OCTOBER.first_day, scope_type=scope_type, scope_id=str(scope_id))
    keys = ("in_zone_purchasing", "space_leases", "worker_transfers", "platform_proposals", "platform_agreed")
    return {key: row.metrics[key] for key in keys}


def test_octobers_rows_hold_each_platform_figure_by_its_own_date_and_district(records):
    monthly_analysis_run(month=OCTOBER)

    assert october_row("zone", "zone") == {
        "in_zone_purchasing": 12.0,
        "space_leases": 1,
        "worker_transfers": 30,
        "platform_proposals": 3,
        "platform_agreed": 2,
    }
    # Purchasing and proposals of a need count in the buyer's district, a lease where the space lies.
    assert october_row("district", records.district_a.pk) == {
        "in_zone_purchasing": 12.0,
        "space_leases": 0,
        "worker_transfers": 30,
        "platform_proposals": 2,
        "platform_agreed": 1,
    }
    assert october_row("district", records.district_b.pk) == {
        "in_zone_purchasing": 0.0,
        "space_leases": 1,
        "worker_transfers": 0,
        "platform_proposals": 1,
        "platform_agreed": 1,
    }


PLATFORM_LINES = ("共享用工调剂", "园区内配成交", "园区内配成交笔数", "闲置载体租赁", "平台推荐匹配", "匹配达成")


def workbook_lines(client) -> dict[str, tuple]:
    """成效 → (单位, 本月, 本年累计, 累计) of the platforms' lines in October's 累计成效 sheet."""
    response = client.get("/analytics/reports/monthly.xlsx?month=2026-10")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(body))["累计成效"]
    rows = {row[0]: tuple(row[1:5]) for row in sheet.iter_rows(min_row=3, values_only=True)}
    return {label: rows[label] for label in PLATFORM_LINES}


def test_the_monthly_workbook_shows_the_month_the_year_and_to_date_in_each_scope(records, client_for):
    monthly_analysis_run(month=OCTOBER)

    assert workbook_lines(client_for(records.manager)) == {
        "共享用工调剂": ("人次", 30, 30, 30),
        "园区内配成交": ("万元", 12, 12, 17),
        "园区内配成交笔数": ("笔", 1, 1, 2),
        "闲置载体租赁": ("宗", 1, 1, 1),
        "平台推荐匹配": ("条", 3, 3, 3),
        "匹配达成": ("条", 2, 2, 2),
    }
    assert workbook_lines(client_for(records.leader_b)) == {
        "共享用工调剂": ("人次", 0, 0, 0),
        "园区内配成交": ("万元", 0, 0, 0),
        "园区内配成交笔数": ("笔", 0, 0, 0),
        "闲置载体租赁": ("宗", 1, 1, 1),
        "平台推荐匹配": ("条", 1, 1, 1),
        "匹配达成": ("条", 1, 1, 1),
    }


def dashboard_to_date(client) -> dict[str, float]:
    """The 累计 column (to today) of the dashboard's 累计成效 panel, for the platforms' lines."""
    html = client.get("/analytics/", follow=True).content.decode()
    values = dict(re.findall(r'data-outcome="([a-z-]+)">([^<]*)<', html))
    keys = ("transfers", "purchasing", "purchasing-deals", "leases", "proposals", "proposals-agreed")
    return {key: float(values[key].replace(",", "")) for key in keys}


def test_the_zone_and_the_district_dashboards_show_their_own_platform_figures(records, client_for):
    # To today (15 November): the November proposal counts now.
    assert dashboard_to_date(client_for(records.manager)) == {
        "transfers": 30,
        "purchasing": 17,
        "purchasing-deals": 2,
        "leases": 1,
        "proposals": 4,
        "proposals-agreed": 2,
    }
    assert dashboard_to_date(client_for(records.leader_a)) == {
        "transfers": 30,
        "purchasing": 17,
        "purchasing-deals": 2,
        "leases": 0,
        "proposals": 3,
        "proposals-agreed": 1,
    }
    assert dashboard_to_date(client_for(records.leader_b)) == {
        "transfers": 0,
        "purchasing": 0,
        "purchasing-deals": 0,
        "leases": 1,
        "proposals": 1,
        "proposals-agreed": 1,
    }
