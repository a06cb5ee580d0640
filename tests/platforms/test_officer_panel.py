"""The officer's home shows the proposals waiting in his grids per platform, under the emergency
call tasks and above the rest of his home; none from other grids; it fits a 375-px phone."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from emergency.models import Kind
from emergency.services import escalate_unacknowledged, incident_declare
from tests.conftest import browser_login, login
from tests.factories import EnterpriseFactory
from tests.platforms.test_proposal_api import PLATFORMS


def _scene(cast):
    future = timezone.localdate() + datetime.timedelta(days=20)
    for _route, build in PLATFORMS.values():
        build(cast, future)
    # One lapsed proposal, not waiting any more.
    PLATFORMS["labour"][1](cast, timezone.localdate() - datetime.timedelta(days=1))


@pytest.mark.django_db
def test_the_officer_sees_the_proposals_waiting_below_his_call_tasks(cast):
    _scene(cast)
    incident = incident_declare(
        actor=cast.manager, kind=Kind.FLOOD, title="8·19 洪峰", district=cast.district_a, grids=[cast.grid_a]
    )
    escalate_unacknowledged(now=incident.declared_at + datetime.timedelta(hours=1))

    page = login(cast.officer_a).get(reverse("fieldwork:officer_home")).content.decode()

    panel = page[page.index('id="platform-proposals"') :]
    assert "待对接确认的匹配" in panel and '<span class="badge text-bg-primary">3</span>' in panel
    for label in ("企业内配", "共享用工", "产业载体"):
        assert label in panel
    assert "甲企业有限公司 ← 乙企业有限公司" in panel
    # Call tasks first, then the proposals, then the rest of the home.
    assert page.index("应急电话催办") < page.index('id="platform-proposals"') < page.index('id="issues-heading"')


@pytest.mark.django_db
def test_no_panel_when_nothing_waits_and_each_officer_sees_his_own_grids(cast):
    home = reverse("fieldwork:officer_home")
    assert 'id="platform-proposals"' not in login(cast.officer_a).get(home).content.decode()
    # Proposals between two firms of grid B only: not grid A's officer's business.
    future = timezone.localdate() + datetime.timedelta(days=20)
    b_side = EnterpriseFactory(name="乙二企业有限公司", grid=cast.grid_b)
    PLATFORMS["labour"][1](SimpleNamespace(enterprise_a=b_side, enterprise_b=cast.enterprise_b), future)
    assert 'id="platform-proposals"' not in login(cast.officer_a).get(home).content.decode()
    assert 'id="platform-proposals"' in login(cast.officer_b).get(home).content.decode()


@pytest.mark.django_db
def test_each_row_links_to_the_officers_own_side_which_he_can_open(cast):
    """Grid B's officer: his firm is the labour demand and the plant's owner; the rows link to
    those, not to grid A's surplus posting or plant demand, which his scope keeps from him."""
    future = timezone.localdate() + datetime.timedelta(days=20)
    labour, purchase, space = (PLATFORMS[name][1](cast, future) for name in ("labour", "procurement", "space"))
    client = login(cast.officer_b)

    page = client.get(reverse("fieldwork:officer_home")).content.decode()

    panel = page[page.index('id="platform-proposals"') :]
    expected = [
        reverse("procurement:need_detail", args=[purchase.need_id]),
        reverse("labour:posting_detail", args=[labour.demand_id]),
        reverse("space:listing_detail", args=[space.listing_id]),
    ]
    for href in expected:
        assert f'href="{href}"' in panel
        assert client.get(href).status_code == 200
    for hidden in (
        reverse("labour:posting_detail", args=[labour.surplus_id]),
        reverse("space:demand_detail", args=[space.demand_id]),
    ):
        assert f'href="{hidden}"' not in panel
        assert client.get(hidden).status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_panel_fits_a_375_px_phone(phone_page, live_server, cast):
    _scene(cast)
    browser_login(phone_page, live_server, "officer-a")
    assert phone_page.url.endswith("/fieldwork/")
    panel = phone_page.locator("#platform-proposals")
    assert panel.is_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
