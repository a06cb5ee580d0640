"""累计成效 and 应急事件 in the monthly workbook, and the one list of outcome lines it shares with the dashboards.

Given a few records in district A (甲) and B (乙) around October 2026, the sheets show each line for the
month, the year to its end and to date, computed from the records by their own dates; a past month's
sheet does not move when a later record is added; a district's workbook holds its own share only.
"""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.cache import cache

from analytics.models import MonthlyReport, ReportWorkbook
from analytics.monthly import monthly_analysis_run
from analytics.outcomes import OUTCOME_LINES
from common.periods import Month
from emergency.models import AffectedEnterprise, Incident, ResponseEntry
from emergency.models import Kind as IncidentKind
from platforms.financing.models import Bank, Loan
from platforms.labour.models import Transfer
from policies.funding.models import Disbursement, FundingApplication, FundingState
from policies.models import Answer, EligibilityResult, Policy, PolicyClause, PolicyLevel, PolicyPush, PolicyState
from tests.analytics.conftest import at

pytestmark = pytest.mark.usefixtures("mid_november")

OCTOBER = Month(2026, 10)


def paid(cast, enterprise, level: str, amount: str, on: datetime.date) -> Disbursement:
    policy = Policy.objects.create(
        title=f"{level}扶持政策", level=level, issuing_body="发文单位", key_points="要点", state=PolicyState.PUBLISHED
    )
    clause = PolicyClause.objects.create(policy=policy, number=1, title="条款", **{f"share_{level}": 100})
    application = FundingApplication.objects.create(
        enterprise=enterprise,
        clause=clause,
        amount_requested=Decimal(amount),
        approved_amount=Decimal(amount),
        reviewing_bureau=cast.bureau_x,
        state=FundingState.DISBURSED,
    )
    return Disbursement.objects.create(
        application=application,
        level=level,
        amount=Decimal(amount),
        disbursed_on=on,
        recorded_at=at("2026-11-01 09:00"),
    )


@pytest.fixture
def records(cast):
    """甲: 100 万元 municipal in October, 50 central in September, 10 zone in 2025, a 2 亿 loan in October,
    30 workers received in October. 乙: 40 万元 zone in October. Then November: 7 万元 municipal to 甲."""
    paid(cast, cast.enterprise_a, PolicyLevel.MUNICIPAL, "100", datetime.date(2026, 10, 31))
    paid(cast, cast.enterprise_a, PolicyLevel.CENTRAL, "50", datetime.date(2026, 9, 1))
    paid(cast, cast.enterprise_a, PolicyLevel.ZONE, "10", datetime.date(2025, 12, 31))
    paid(cast, cast.enterprise_b, PolicyLevel.ZONE, "40", datetime.date(2026, 10, 1))
    bank = Bank.objects.create(name="测试银行重庆分行", short_name="测试银行")
    Loan.objects.create(
        enterprise=cast.enterprise_a,
        bank=bank,
        amount=Decimal("20000"),
        granted_on=datetime.date(2026, 10, 9),
        term_months=12,
    )
    Transfer.objects.create(
        from_enterprise=cast.enterprise_b,
        to_enterprise=cast.enterprise_a,
        count=30,
        starts_on=datetime.date(2026, 10, 12),
        ends_on=datetime.date(2026, 12, 31),
        workers_consent=True,
        contract_unchanged=True,
        no_fee=True,
    )
    return cast


def incident(cast, title: str, declared: str, *, exercise: bool = False, reports: dict | None = None) -> Incident:
    made = Incident.objects.create(
        kind=IncidentKind.FLOOD,
        title=title,
        declared_at=at(declared),
        declared_by=cast.manager,
        is_exercise=exercise,
    )
    for enterprise, evacuated in (reports or {}).items():
        affected = AffectedEnterprise.objects.create(incident=made, enterprise=enterprise, grid=enterprise.grid)
        ResponseEntry.objects.create(affected=affected, author=cast.officer_a, at=at(declared), evacuated=evacuated)
    return made


def report(client, query: str = "") -> openpyxl.Workbook:
    response = client.get(f"/analytics/reports/monthly.xlsx?month=2026-10{query}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(body))


def outcomes(book) -> dict[str, tuple]:
    """成效 → (单位, 本月, 本年累计, 累计) from the 累计成效 sheet (row 1 the heading, row 2 the header)."""
    sheet = book["累计成效"]
    assert [cell.value for cell in sheet[2]] == ["成效", "单位", "本月", "本年累计", "累计", "类别"]
    return {row[0]: tuple(row[1:5]) for row in sheet.iter_rows(min_row=3, values_only=True)}


def test_the_sheet_has_every_line_of_the_registry_with_month_year_and_to_date(records, client_for):
    monthly_analysis_run(month=OCTOBER)
    lines = outcomes(report(client_for(records.manager)))

    assert list(lines) == [str(line.label) for line in OUTCOME_LINES]
    assert lines["争取支持资金"] == ("万元", 140, 190, 200)
    assert lines["其中：市级信息化政策资金"] == ("万元", 100, 100, 100)
    assert lines["区级及园区扶持资金"] == ("万元", 40, 40, 50)
    assert lines["中央财政专项资金"] == ("万元", 0, 50, 50)
    assert lines["获得资金企业"] == ("家", 2, 2, 2)
    assert lines["贷款"] == ("亿元", 2, 2, 2)
    assert lines["共享用工调剂"] == ("人次", 30, 30, 30)
    assert lines["闲置载体租赁"] == ("宗", 0, 0, 0)


def test_amounts_keep_the_number_format_and_the_unit_stays_in_its_column(records, client_for):
    monthly_analysis_run(month=OCTOBER)
    sheet = report(client_for(records.manager))["累计成效"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=3)}

    assert rows["争取支持资金"][2].number_format == "#,##0.00"
    assert rows["贷款"][4].number_format == "#,##0.00"
    assert rows["共享用工调剂"][2].number_format == "#,##0"


def test_a_past_months_sheet_does_not_move_when_a_later_record_is_added(records, client_for):
    monthly_analysis_run(month=OCTOBER)
    before = outcomes(report(client_for(records.manager)))

    paid(records, records.enterprise_a, PolicyLevel.MUNICIPAL, "7", datetime.date(2026, 11, 3))
    monthly_analysis_run(month=OCTOBER)  # the job run again for the past month
    after = outcomes(report(client_for(records.manager)))

    assert after == before
    assert ReportWorkbook.objects.filter(month=OCTOBER.first_day).count() == 3


def test_the_dashboard_panel_prints_the_same_lines_and_moves_with_a_new_record(records, client_for):
    client = client_for(records.manager)
    html = client.get("/analytics/").content.decode()
    keys = re.findall(r'data-outcome="([a-z-]+)"', html)
    assert keys == [line.key for line in OUTCOME_LINES]
    assert re.search(r'data-outcome="funds-total">([^<]*)<', html).group(1) == "200"

    paid(records, records.enterprise_a, PolicyLevel.MUNICIPAL, "7", datetime.date(2026, 11, 3))
    cache.clear()
    html = client.get("/analytics/").content.decode()
    assert re.search(r'data-outcome="funds-total">([^<]*)<', html).group(1) == "207"


def test_a_districts_workbook_holds_its_own_outcomes_only(records, client_for):
    monthly_analysis_run(month=OCTOBER)
    district_a = outcomes(report(client_for(records.leader_a)))
    district_b = outcomes(report(client_for(records.leader_b)))

    assert district_a["争取支持资金"] == ("万元", 100, 150, 160)
    assert district_b["争取支持资金"] == ("万元", 40, 40, 40)
    assert district_b["贷款"] == ("亿元", 0, 0, 0)


def incidents(book) -> dict[str, dict]:
    sheet = book["应急事件"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    headers = rows[0]
    return {row[0]: dict(zip(headers, row, strict=True)) for row in rows[1:]}


def test_the_incident_sheet_lists_the_months_incidents_with_their_totals(records, client_for):
    a, b = records.enterprise_a, records.enterprise_b
    incident(records, "10·19 暴雨", "2026-10-19 06:00", reports={a: 5, b: 3})
    incident(records, "防汛演练", "2026-10-20 09:00", exercise=True, reports={a: 9})
    incident(records, "11·02 暴雨", "2026-11-02 06:00", reports={a: 4})
    incident(records, "9·30 暴雨", "2026-09-30 23:59", reports={b: 2})
    monthly_analysis_run(month=OCTOBER)

    zone = incidents(report(client_for(records.manager)))
    assert list(zone) == ["10·19 暴雨"]
    flood = zone["10·19 暴雨"]
    assert (flood["事件类型"], flood["宣布日期"].date(), flood["状态"]) == (
        "汛情洪涝",
        datetime.date(2026, 10, 19),
        "处置中",
    )
    assert (flood["受影响企业"], flood["已确认"], flood["未联系上"], flood["撤离人数"]) == (2, 0, 2, 8)

    district_a = incidents(report(client_for(records.leader_a)))
    assert (district_a["10·19 暴雨"]["受影响企业"], district_a["10·19 暴雨"]["撤离人数"]) == (1, 5)


def funnel(html: str) -> dict[str, int]:
    return {key: int(value) for key, value in re.findall(r'data-funnel="([a-z]+)">(\d+)<', html)}


def test_the_dashboards_show_the_policy_funnel_of_their_scope(cast, client_for):
    """Given a policy pushed to 甲 (read, eligible, applied and approved) and to 乙 (unread), the zone's panel
    shows 2 → 1 → 1 → 1 → 1 and district 乙's shows 1 → 0 → 0 → 0 → 0."""
    clause = paid(cast, cast.enterprise_a, PolicyLevel.ZONE, "10", datetime.date(2026, 10, 9)).application.clause
    PolicyPush.objects.create(
        policy=clause.policy,
        enterprise=cast.enterprise_a,
        pushed_at=at("2026-10-08 09:00"),
        opened_at=at("2026-10-08 10:00"),
    )
    PolicyPush.objects.create(policy=clause.policy, enterprise=cast.enterprise_b, pushed_at=at("2026-10-08 09:00"))
    EligibilityResult.objects.create(
        enterprise=cast.enterprise_a, clause=clause, answer=Answer.ELIGIBLE, evaluated_at=at("2026-10-08 09:00")
    )

    zone = funnel(client_for(cast.manager).get("/analytics/").content.decode())
    district_b = funnel(client_for(cast.leader_b).get("/analytics/", follow=True).content.decode())

    assert zone == {"pushed": 2, "read": 1, "eligible": 1, "applied": 1, "won": 1}
    assert district_b == {"pushed": 1, "read": 0, "eligible": 0, "applied": 0, "won": 0}


def test_the_monthly_rows_sum_the_records_and_a_past_month_keeps_its_figures(records):
    """October's stored rows hold the month's payments, loans and transfers by their own dates; a payment
    dated in November leaves October's rows as they were when the job runs again, one dated in October
    (recorded late) moves them: every figure is read from the records."""

    def october(scope_type: str, scope_id) -> dict:
        row = MonthlyReport.objects.get(month=OCTOBER.first_day, scope_type=scope_type, scope_id=str(scope_id))
        keys = ("support_funds", "support_funds_municipal", "support_funds_local", "financing_loans")
        return {key: row.metrics[key] for key in keys} | {"worker_transfers": row.metrics["worker_transfers"]}

    monthly_analysis_run(month=OCTOBER)
    zone = october("zone", "zone")
    assert zone == {
        "support_funds": 140.0,
        "support_funds_municipal": 100.0,
        "support_funds_local": 40.0,
        "financing_loans": 2.0,
        "worker_transfers": 30,
    }
    assert october("district", records.district_b.pk)["support_funds"] == 40.0

    paid(records, records.enterprise_b, PolicyLevel.ZONE, "7", datetime.date(2026, 11, 1))
    monthly_analysis_run(month=OCTOBER)
    assert october("zone", "zone") == zone

    paid(records, records.enterprise_b, PolicyLevel.ZONE, "5", datetime.date(2026, 10, 31))
    monthly_analysis_run(month=OCTOBER)
    assert october("zone", "zone")["support_funds"] == 145.0
    assert october("district", records.district_b.pk)["support_funds"] == 45.0
