"""Tier suggestions from the weekly close, and deciding them."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured

from accounts.models import Notification
from analytics.models import SuggestionStatus, TierSuggestion
from analytics.weekly import weekly_close_run
from common.periods import IsoWeek
from enterprises.models import OperatingIndicator, Tier, TierChange
from enterprises.registry.services import enterprise_change_tier
from tests.analytics.conftest import at
from tests.factories import EnterpriseFactory

W45 = IsoWeek(2026, 45)  # ends Sunday 8 November: the latest complete month is October


def outputs(enterprise, values: list) -> None:
    """Monthly output for May … October 2026 (None: no figure that month)."""
    for month, value in zip(range(5, 11), values, strict=True):
        if value is not None:
            OperatingIndicator.objects.create(
                enterprise=enterprise, month=datetime.date(2026, month, 1), output_value=Decimal(value)
            )


@pytest.fixture
def enterprises(cast):
    grid = cast.grid_a
    e = {
        "decline": EnterpriseFactory(name="下滑", grid=grid, tier=Tier.GROWTH),
        "edge": EnterpriseFactory(name="恰好三成", grid=grid, tier=Tier.BACKBONE),
        "gap": EnterpriseFactory(name="缺数", grid=grid, tier=Tier.GROWTH),
        "recover": EnterpriseFactory(name="回升", grid=grid, tier=Tier.STRUGGLING),
        "recover_new": EnterpriseFactory(name="回升无记录", grid=cast.grid_b, tier=Tier.STRUGGLING),
        "steady": EnterpriseFactory(name="平稳", grid=grid, tier=Tier.STRUGGLING),
    }
    outputs(e["decline"], [100, 100, 100, 60, 70, 70])  # 300 → 200: down 33.3%
    outputs(e["edge"], [100, 100, 100, 70, 70, 70])  # down exactly 30%: not more than 30%
    outputs(e["gap"], [100, 100, None, 10, 10, 10])  # a month missing: not judged
    outputs(e["recover"], [100, 100, 100, 130, 130, 130])  # up 30%
    outputs(e["recover_new"], [100, 100, 100, 150, 150, 150])
    outputs(e["steady"], [100, 100, 100, 110, 110, 110])  # up 10% only
    TierChange.objects.create(
        enterprise=e["recover"],
        from_tier=Tier.BACKBONE,
        to_tier=Tier.STRUGGLING,
        reason="订单减少",
        changed_at=at("2026-03-01 09:00"),
    )
    cast.e = e
    return cast


@pytest.fixture
def monday_morning():
    with time_machine.travel(at("2026-11-09 08:00"), tick=False):
        yield


def pending() -> dict:
    return {
        s.enterprise.name: (s.from_tier, s.to_tier)
        for s in TierSuggestion.objects.filter(status=SuggestionStatus.PENDING).select_related("enterprise")
    }


@pytest.mark.usefixtures("monday_morning")
def test_suggestions_follow_the_rule(enterprises):
    result = weekly_close_run(week=W45)
    assert pending() == {
        "下滑": (Tier.GROWTH, Tier.STRUGGLING),
        "回升": (Tier.STRUGGLING, Tier.BACKBONE),  # back to the tier it had before
        "回升无记录": (Tier.STRUGGLING, Tier.GROWTH),
    }
    assert result.suggestions_created == 3
    decline = TierSuggestion.objects.get(enterprise__name="下滑")
    assert decline.reference_month == datetime.date(2026, 10, 1)
    assert (decline.recent_output, decline.previous_output) == (Decimal("200.00"), Decimal("300.00"))
    assert decline.reason == "2026-08～2026-10 产值 200.00 万元，较前三个月（300.00 万元）下降 33.3%"
    assert decline.close.week_code == "2026-W45"


@pytest.mark.usefixtures("monday_morning")
def test_rerun_and_later_weeks_add_no_duplicate(enterprises):
    weekly_close_run(week=W45)
    weekly_close_run(week=W45)
    with time_machine.travel(at("2026-11-16 08:00"), tick=False):
        weekly_close_run(week=IsoWeek(2026, 46))
    assert TierSuggestion.objects.count() == 3
    # The district leader is told once per suggestion in his district.
    assert Notification.objects.filter(kind="tier_suggestion", recipient=enterprises.leader_a).count() == 2
    assert Notification.objects.filter(kind="tier_suggestion", recipient=enterprises.leader_b).count() == 1


@pytest.mark.usefixtures("monday_morning")
def test_a_suggestion_overtaken_by_a_manual_change_lapses(enterprises):
    weekly_close_run(week=W45)
    enterprise_change_tier(
        enterprise=enterprises.e["decline"], actor=enterprises.manager, tier=Tier.BACKBONE, reason="上调"
    )
    weekly_close_run(week=W45)
    assert TierSuggestion.objects.get(enterprise__name="下滑").status == SuggestionStatus.OBSOLETE


@pytest.mark.usefixtures("monday_morning")
def test_accept_changes_the_tier_with_the_reason(enterprises, client_for):
    weekly_close_run(week=W45)
    suggestion = TierSuggestion.objects.get(enterprise__name="下滑")
    response = client_for(enterprises.leader_a).post(
        f"/analytics/suggestions/{suggestion.pk}/accept/", {"note": "已核实"}
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by) == (SuggestionStatus.ACCEPTED, enterprises.leader_a)
    enterprise = suggestion.enterprise
    enterprise.refresh_from_db()
    assert enterprise.tier == Tier.STRUGGLING
    change = enterprise.tier_changes.get()
    assert change.reason.startswith("周跟踪建议：2026-08～2026-10 产值") and change.reason.endswith("；已核实")
    assert change.changed_by == enterprises.leader_a


@pytest.mark.usefixtures("monday_morning")
def test_dismiss_keeps_the_tier_and_is_not_raised_again(enterprises, client_for):
    weekly_close_run(week=W45)
    suggestion = TierSuggestion.objects.get(enterprise__name="下滑")
    client_for(enterprises.manager).post(f"/analytics/suggestions/{suggestion.pk}/dismiss/")
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.DISMISSED
    weekly_close_run(week=W45)
    assert not TierSuggestion.objects.filter(enterprise__name="下滑", status=SuggestionStatus.PENDING).exists()
    assert enterprises.e["decline"].tier_changes.count() == 0


@pytest.mark.usefixtures("monday_morning")
def test_outsiders_cannot_decide(enterprises, client_for):
    weekly_close_run(week=W45)
    suggestion = TierSuggestion.objects.get(enterprise__name="下滑")  # district A
    for user in (enterprises.leader_b, enterprises.officer_b, enterprises.bureau_user_x, enterprises.enterprise_user_a):
        response = client_for(user).post(f"/analytics/suggestions/{suggestion.pk}/accept/")
        assert response.status_code == 404
    suggestion.refresh_from_db()
    enterprises.e["decline"].refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING and enterprises.e["decline"].tier == Tier.GROWTH
    assert client_for(enterprises.officer_b).get("/analytics/suggestions/").content.decode().count("下滑") == 0
    assert "下滑" in client_for(enterprises.officer_a).get("/analytics/suggestions/").content.decode()


@pytest.mark.usefixtures("monday_morning")
def test_a_stale_suggestion_changes_nothing(enterprises, client_for):
    weekly_close_run(week=W45)
    suggestion = TierSuggestion.objects.get(enterprise__name="下滑")
    TierChange.objects.all().delete()
    type(enterprises.e["decline"]).objects.filter(pk=enterprises.e["decline"].pk).update(tier=Tier.LEADING)
    response = client_for(enterprises.manager).post(f"/analytics/suggestions/{suggestion.pk}/accept/", follow=True)
    assert "企业分类已变化" in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING
    assert not TierChange.objects.exists()


@pytest.mark.usefixtures("monday_morning")
def test_thresholds_come_from_settings(enterprises, settings):
    settings.ANALYTICS_TIER_RULE = {"decline": "0.25", "recovery": "0.40"}
    weekly_close_run(week=W45)
    # 恰好三成 is now down by more than 25%; 回升 (up 30%) is no longer enough to recover.
    assert pending() == {
        "下滑": (Tier.GROWTH, Tier.STRUGGLING),
        "恰好三成": (Tier.BACKBONE, Tier.STRUGGLING),
        "回升无记录": (Tier.STRUGGLING, Tier.GROWTH),
    }


@pytest.mark.parametrize("rule", [{"drop": 0.3}, {"decline": 1.5}, {"recovery": 0}])
def test_bad_thresholds_fail_loudly(cast, settings, rule):
    settings.ANALYTICS_TIER_RULE = rule
    with time_machine.travel(at("2026-11-09 08:00"), tick=False), pytest.raises(ImproperlyConfigured):
        weekly_close_run(week=W45)


def test_the_page_states_the_thresholds_in_force(cast, client_for, settings):
    settings.ANALYTICS_TIER_RULE = {"decline": "0.25"}
    html = client_for(cast.manager).get("/analytics/suggestions/").content.decode()
    assert "下降超过25%" in html and "回升30%及以上" in html
