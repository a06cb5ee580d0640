"""The roll-call board at the river bank: on a 375-px phone the unreached come first, above the
reached, every button and link of a row is a large target, and nothing runs off the screen."""

import pytest
from django.urls import reverse

from emergency.services import incident_acknowledge
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Apple's and Google's guidance for a finger: 44 px (pt) at the least.
SMALLEST_TARGET = 44


def test_the_board_on_a_phone_puts_the_unreached_first_with_large_targets(phone_page, live_server, flood):
    # Given enterprise A acknowledged and the riverside firm not yet reached
    incident_acknowledge(affected=flood.row_a, actor=flood.cast.enterprise_user_a)

    # When grid A's officer opens the board on his phone
    browser_login(phone_page, live_server, "officer-a")
    phone_page.goto(live_server.url + reverse("emergency:board", args=[flood.incident.pk]))

    # Then the unreached list is the first thing under the totals, above the reached one
    unreached = phone_page.locator("#unreached-list")
    reached = phone_page.locator("#reached-list")
    assert unreached.locator(".rollcall-row").all_inner_texts()[0].startswith("临江船舶有限公司")
    assert reached.locator(".rollcall-row").count() == 1
    assert unreached.bounding_box()["y"] < reached.bounding_box()["y"]
    assert phone_page.locator("#total-unreached").inner_text() == "1"
    # every button and link of the unreached row is large enough for a finger
    targets = unreached.locator(".rollcall-row").first.locator("a.btn, button")
    labels = targets.all_inner_texts()
    assert {"拨打企业电话 023-6000001", "已接通，代为确认", "未接通", "登记现场情况"} <= {t.strip() for t in labels}
    heights = [box["height"] for box in (targets.nth(i).bounding_box() for i in range(targets.count()))]
    assert min(heights) >= SMALLEST_TARGET, dict(zip(labels, heights, strict=True))
    # and nothing runs off the 375-px screen
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
