"""The four platforms' pages on an officer's 375-px phone: each list and each need's proposals with
their reasons fit the screen, and the buttons that answer a proposal are large enough for a finger."""

import datetime

import pytest
from django.utils import timezone

from platforms.supply_chain.models import Direction, Recommendation
from tests.conftest import browser_login
from tests.platforms.test_proposal_api import PLATFORMS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALLEST_TARGET = 44


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_officer_works_every_platform_on_a_phone(phone_page, live_server, cast):
    future = timezone.localdate() + datetime.timedelta(days=20)
    proposals = {name: build(cast, future) for name, (_route, build) in PLATFORMS.items()}
    for proposal in proposals.values():
        proposal.reasons = [{"key": "district", "text": "同属汽车及零部件 · 同一片区", "points": 50}]
        proposal.save()
    Recommendation.objects.create(
        for_enterprise=cast.enterprise_a,
        recommended=cast.enterprise_b,
        direction=Direction.SUPPLIER,
        product="制动器",
        reason="同行在用，交期稳定",
        recommended_by=cast.officer_a,
        recommended_on=timezone.localdate(),
    )
    browser_login(phone_page, live_server, "officer-a")

    for path in (
        "/platforms/procurement/",
        "/platforms/labour/",
        "/platforms/space/",
        "/platforms/space/demands/",
        "/platforms/supply-chain/",
        "/platforms/supply-chain/recommendations/new/",
    ):
        phone_page.goto(live_server.url + path)
        assert fits(phone_page), path

    # Each need's page: its proposal with the reasons, and the buttons to answer it.
    pages = {
        "procurement": f"/platforms/procurement/needs/{proposals['procurement'].need_id}/",
        "labour": f"/platforms/labour/postings/{proposals['labour'].surplus_id}/",
        "space": f"/platforms/space/demands/{proposals['space'].demand_id}/",
    }
    for name, path in pages.items():
        phone_page.goto(live_server.url + path)
        assert fits(phone_page), path
        assert phone_page.get_by_text("同属汽车及零部件 · 同一片区").first.is_visible(), path
        buttons = phone_page.locator(f"form[action*='/proposals/{proposals[name].pk}/'] button")
        assert buttons.count() >= 1, path
        heights = {
            buttons.nth(i).inner_text().strip(): buttons.nth(i).bounding_box()["height"] for i in range(buttons.count())
        }
        assert min(heights.values()) >= SMALLEST_TARGET, (path, heights)
