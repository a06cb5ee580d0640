"""The profile tabs in a real browser: htmx loads them, the ECharts trend draws
itself when its tab is swapped in, and an edit saves and comes back to its tab."""

import datetime
from decimal import Decimal

import pytest

from enterprises.models import OperatingIndicator, Tier
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_indicator_chart_draws_when_its_tab_is_loaded(phone_page, live_server, cast):
    month = datetime.date.today().replace(day=1)
    OperatingIndicator.objects.create(
        enterprise=cast.enterprise_a, month=month, output_value=Decimal("321.50"), capacity_use=77
    )
    page = phone_page

    browser_login(page, live_server, "officer-a")
    page.goto(f"{live_server.url}/enterprises/{cast.enterprise_a.pk}/")
    page.click("#tab-indicators")
    page.wait_for_selector("#pane-indicators .indicator-chart svg")

    assert "321.50" in page.inner_text("#pane-indicators table")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_tier_change_with_a_reason_reloads_onto_the_tier_tab(desktop_page, live_server, cast):
    page = desktop_page

    browser_login(page, live_server, "officer-a")
    page.goto(f"{live_server.url}/enterprises/{cast.enterprise_a.pk}/")
    page.click("#tab-tier")
    page.wait_for_selector("#profile-tier form")
    page.select_option("#profile-tier select[name=tier]", Tier.STRUGGLING)
    page.click("#profile-tier button[type=submit]")
    page.wait_for_selector("#profile-tier .invalid-feedback")
    page.fill("#profile-tier textarea[name=reason]", "订单连续三个月下滑")
    page.click("#profile-tier button[type=submit]")
    page.wait_for_selector("#profile-tier .list-group-item")

    assert page.url.endswith("#tab-tier")
    assert "企业分类已调整为“困难企业”。" in page.inner_text("main")
    assert "订单连续三个月下滑" in page.inner_text("#profile-tier")
    cast.enterprise_a.refresh_from_db()
    assert cast.enterprise_a.tier == Tier.STRUGGLING
