"""One scan of the month's facts serves several groupings (``analytics.aggregates._rolled_up``).

The monthly analysis reads the enterprises and the ledger at a fine grain (district × tier ×
industry, say) and adds the partial sums up to the zone, the districts, the tiers and the
industries. Each grouping must come out as a query grouped that way alone would give it, on the
hand-built October (conftest) and on the edge cases of adding up: a sum with nothing to add stays
empty, an average is the average of the issues, not of the groups' averages.
"""

import pytest

from analytics.aggregates import (
    ENTERPRISE_GROUP,
    ISSUE_GROUP,
    Period,
    _rolled_up,
    enterprise_metrics,
    enterprise_metrics_by,
    finish_issue_metrics,
    issue_metrics,
    issue_metrics_by,
)
from analytics.evaluation import officer_metrics
from analytics.metrics import Dimension
from common.periods import Month
from enterprises.models import Industry, Tier
from tests.factories import EnterpriseFactory, GridTeamFactory

pytestmark = pytest.mark.usefixtures("mid_november")

OCTOBER = Period.whole(Month(2026, 10))


def test_partial_sums_add_up_and_an_empty_sum_stays_empty():
    grain = ("district", "tier")
    rows = {
        (1, "growth"): {"enterprises": 2, "headcount": None, "output": 10},
        (1, "leading"): {"enterprises": 1, "headcount": 5, "output": None},
        (2, "growth"): {"enterprises": 4, "headcount": None, "output": None},
    }

    totals = _rolled_up(rows, grain, {"zone": None, "district": "district", "tier": "tier", "both": grain})

    assert totals["zone"] == {None: {"enterprises": 7, "headcount": 5, "output": 10}}
    assert totals["district"] == {
        1: {"enterprises": 3, "headcount": 5, "output": 10},
        2: {"enterprises": 4, "headcount": None, "output": None},
    }
    assert totals["tier"]["growth"] == {"enterprises": 6, "headcount": None, "output": 10}
    assert totals["both"] == rows


def test_an_average_rolled_up_is_the_average_of_the_issues_not_of_the_groups():
    by_district = {
        1: {"days_to_resolve_total": 9, "days_to_resolve_count": 2},
        2: {"days_to_resolve_total": 6, "days_to_resolve_count": 1},
    }

    zone = _rolled_up(by_district, ("district",), {"zone": None})["zone"][None]

    # 4.5 and 6.0 in the districts; (9 + 6) / 3 = 5.0 in the zone, not (4.5 + 6.0) / 2.
    assert finish_issue_metrics(zone, {})["avg_days_to_resolve"] == 5.0
    assert finish_issue_metrics({}, {})["avg_days_to_resolve"] is None


def test_enterprise_figures_rolled_up_equal_each_grouping_alone(october):
    dimensions = tuple(ENTERPRISE_GROUP)

    together = enterprise_metrics_by(OCTOBER, dimensions)

    for dimension in dimensions:
        assert together[dimension] == enterprise_metrics(OCTOBER, dimension), dimension
    assert together[Dimension.ZONE][None]["enterprises"] == 3
    assert together[Dimension.TIER][Tier.LEADING]["enterprises"] == 1


def test_ledger_figures_rolled_up_equal_each_grouping_alone(october):
    district, category, bureau = ISSUE_GROUP[Dimension.DISTRICT], "category_id", ISSUE_GROUP[Dimension.BUREAU]
    groupings = {
        Dimension.ZONE: None,
        Dimension.DISTRICT: district,
        Dimension.TIER: ISSUE_GROUP[Dimension.TIER],
        Dimension.INDUSTRY: ISSUE_GROUP[Dimension.INDUSTRY],
        Dimension.BUREAU: bureau,
        "district_category": (district, category),
        "category_district": (category, district),
    }

    together = issue_metrics_by(OCTOBER, groupings)

    for name, group in groupings.items():
        assert together[name] == issue_metrics(OCTOBER, group), name
    # Two issues closed in October by different grids (1 and 6 working days: see test_monthly).
    assert together[Dimension.ZONE][None]["avg_days_to_resolve"] == 3.5
    assert {row["avg_days_to_resolve"] for row in together[Dimension.DISTRICT].values()} == {1.0, 6.0}
    # A tuple grouping keeps its own order of fields.
    swapped = {(key[1], key[0]): value for key, value in together["category_district"].items()}
    assert swapped == together["district_category"]


def test_an_officer_of_two_teams_counts_both_teams_enterprises_once_and_is_shown_under_the_first(cast, october):
    second = GridTeamFactory(code="GA2", name="甲二网格", district=cast.district_a)
    second.officers.add(cast.officer_a)
    EnterpriseFactory(name="甲二企业有限公司", grid=second, tier=Tier.LEADING, industry=Industry.ELECTRONICS)
    EnterpriseFactory(name="甲二成长有限公司", grid=second, tier=Tier.GROWTH, industry=Industry.ELECTRONICS)

    row = officer_metrics(OCTOBER)[cast.officer_a.pk]

    # Grid A's two enterprises (he leads it and sits on it: counted once) and the second team's two.
    assert (row["metrics"]["enterprises"], row["metrics"]["visited_enterprises"]) == (4, 1)
    # Two key enterprises × four October weeks + two growth enterprises once each.
    assert row["metrics"]["tracking_expected"] == 10
    assert (row["grid_id"], row["grid_name"], row["district_id"]) == (cast.grid_a.pk, "甲网格", cast.district_a.pk)
    assert officer_metrics(OCTOBER)[cast.officer_b.pk]["metrics"]["enterprises"] == 1
