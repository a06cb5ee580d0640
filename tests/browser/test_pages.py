"""On a phone: an officer finds an enterprise and opens it; an enterprise user finds whom to call."""

import pytest

from enterprises.models import EnterpriseContact
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_opens_the_enterprise_list_and_a_profile_on_a_phone(phone_page, live_server, cast):
    page = phone_page
    browser_login(page, live_server, "officer-a")

    page.goto(f"{live_server.url}/enterprises/")

    # Phones get cards, not the table.
    cards = page.locator(".enterprise-card")
    assert cards.count() == 1
    assert cards.first.is_visible()
    assert not page.locator(".enterprise-table").is_visible()
    assert "乙企业有限公司" not in page.content()
    # The menu is collapsed behind the toggler and opens with a tap.
    menu_link = page.locator('#main-nav a[href="/grids/"]')
    assert not menu_link.is_visible()
    page.click(".navbar-toggler")
    menu_link.wait_for(state="visible")

    cards.first.click()
    page.wait_for_url(f"**/enterprises/{cast.enterprise_a.pk}/")

    assert page.locator("h1").inner_text() == "甲企业有限公司"
    assert page.locator("#tab-basic").is_visible()
    assert page.locator(f'.grid-people a[href="tel:{cast.officer_a.phone}"]').is_visible()
    # Nothing sticks out sideways on a 375-px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_enterprise_user_sees_its_grid_contacts_on_my(phone_page, live_server, cast):
    EnterpriseContact.objects.create(enterprise=cast.enterprise_a, name="刘经理", phone="13912345678")
    page = phone_page

    browser_login(page, live_server, "ent-a")

    assert page.url.endswith("/my/")
    people = page.locator(".grid-people")
    assert people.is_visible()
    assert "片区负责人" in people.inner_text() and "李片长" in people.inner_text()
    call = page.locator(f'.grid-people a[href="tel:{cast.officer_a.phone}"]')
    assert call.is_visible()
    assert call.bounding_box()["height"] >= 44  # a thumb can hit it
    assert page.locator(".contacts >> text=刘经理").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
