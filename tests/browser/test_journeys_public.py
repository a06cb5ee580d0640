"""Anonymous: opens a notice board from its QR URL and prints it. Language: a page turns to
English and back. Every page visited: no console error, failed request, CSP violation or serious
accessibility violation."""

import pytest

from tests.browser.journeys import Journey, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_anonymous_opens_the_board_from_its_qr_url_and_prints_it(desktop_page, live_server, cast):
    journey = Journey(desktop_page, live_server)

    journey.go(cast.enterprise_a.get_board_url())
    page = desktop_page
    assert cast.enterprise_a.name in page.inner_text("main")
    assert cast.officer_a.name in page.inner_text("main")
    page.evaluate("window.print = function () { window.__printed = true; }")
    page.click("[data-jk-print]")
    page.emulate_media(media="print")

    assert page.evaluate("window.__printed === true")
    assert page.locator("[data-jk-print]").is_hidden()
    journey.assert_clean()


def test_the_language_switch_turns_a_page_to_english_and_back(desktop_page, live_server, cast):
    journey = Journey(desktop_page, live_server)
    sign_in(journey, "ent-a", PASSWORD)
    page = desktop_page
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "我的企业" in page.inner_text("main")

    journey.follow(lambda: page.select_option("#language-select", "en"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert "My enterprise" in page.inner_text("main")

    journey.follow(lambda: page.select_option("#language-select", "zh-hans"))
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "我的企业" in page.inner_text("main")
    journey.assert_clean()
