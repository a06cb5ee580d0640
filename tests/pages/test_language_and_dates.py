"""Pages read right in the language chosen: the language menu, the dates, the nav.

Each language is named in its own language; dates follow the active language's format
(``jingkai_portal/formats``), so an English page never shows 「12月31日」; the nav keeps the
pages a leader opens less often under 更多.
"""

import datetime
import re

import lxml.html
import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from common.periods import IsoWeek
from fieldwork.services import visit_create, weekly_tracking_record
from issues import services
from issues.models import Source

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def page_of(client, url, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def text_of(page: str, xpath: str) -> str:
    return re.sub(r"\s+", " ", " ".join(node.text_content() for node in lxml.html.fromstring(page).xpath(xpath)))


# --- The language menu ----------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, ENGLISH])
def test_the_language_menu_names_each_language_in_its_own_language(cast, client_for, headers):
    page = page_of(client_for(cast.officer_a), reverse("enterprises:list"), **headers)

    options = lxml.html.fromstring(page).xpath('//select[@id="language-select"]/option')
    assert [(option.get("value"), option.get("lang"), option.text_content().strip()) for option in options] == [
        ("zh-hans", "zh-hans", "简体中文"),
        ("en", "en", "English"),
    ]
    assert "英语" not in page


def test_the_language_menu_on_the_sign_in_page_too(client):
    page = page_of(client, reverse("login"))
    options = lxml.html.fromstring(page).xpath('//select[@id="language-select"]/option')
    assert [option.text_content().strip() for option in options] == ["简体中文", "English"]


# --- Dates follow the language --------------------------------------------------------------------


@pytest.fixture
def officer_home_on_2_december(cast):
    """Enterprise A (a growth enterprise) tracked in November, so due again by 31 December; a visit on 1 December."""
    with time_machine.travel(datetime.datetime(2026, 11, 16, 10, 0, tzinfo=SHANGHAI), tick=False):
        weekly_tracking_record(officer=cast.officer_a, enterprise=cast.enterprise_a)
    visit_create(
        officer=cast.officer_a,
        enterprise=cast.enterprise_a,
        findings="走访",
        visited_at=datetime.datetime(2026, 12, 1, 14, 5, tzinfo=SHANGHAI),
    )
    with time_machine.travel(datetime.datetime(2026, 12, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        yield reverse("fieldwork:officer_home")


def test_the_officer_home_in_english_has_english_dates(cast, client_for, officer_home_on_2_december):
    page = page_of(client_for(cast.officer_a), officer_home_on_2_december, **ENGLISH)

    assert "Due by Dec 31" in page
    assert "Week 49 of 2026 (Nov 30 – Dec 6)" in page
    assert "Dec 1, 14:05" in page
    for chinese in ("12月31日", "11月30日", "12月1日"):
        assert chinese not in page


def test_the_officer_home_in_chinese_keeps_chinese_dates(cast, client_for, officer_home_on_2_december):
    page = page_of(client_for(cast.officer_a), officer_home_on_2_december)

    assert "12月31日前完成" in page
    assert "2026年第49周（11月30日—12月6日）" in page
    assert "12月1日 14:05" in page


def test_a_week_label_follows_the_language():
    with translation.override("en"):
        assert IsoWeek(2026, 53).label() == "Week 53 of 2026 (Dec 28 – Jan 3)"
    with translation.override("zh-hans"):
        assert IsoWeek(2026, 53).label() == "2026年第53周（12月28日—1月3日）"


@pytest.fixture
def submitted_issue(cast):
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        issue = services.issue_submit(
            enterprise=cast.enterprise_a,
            actor=cast.enterprise_user_a,
            title="厂区门前道路积水",
            description="暴雨后门前道路积水，货车无法进出。",
            source=Source.ENTERPRISE,
        )
        yield issue


def test_the_issue_page_and_the_ledger_in_english_have_english_dates(cast, client_for, submitted_issue):
    client = client_for(cast.officer_a)

    detail = page_of(client, reverse("issues:detail", args=[submitted_issue.pk]), **ENGLISH)
    assert "Response due Nov. 3, 2026" in text_of(detail, "//header")
    assert "年" not in text_of(detail, "//header")
    ledger = page_of(client, reverse("issues:ledger"), **ENGLISH)
    assert "Handling figures (Jan. 1, 2026 to Nov. 2, 2026, by deadline)" in text_of(
        ledger, '//*[@id="measures-title"]'
    )


def test_the_enterprise_is_told_in_english_when_it_will_hear_back(cast, client_for, submitted_issue):
    page = page_of(client_for(cast.enterprise_user_a), reverse("issues:detail", args=[submitted_issue.pk]), **ENGLISH)
    assert "Nov. 3, 2026" in text_of(page, '//*[contains(@class, "enterprise-clock")]')


def test_the_visit_page_in_english_has_an_english_date(cast, client_for):
    visit = visit_create(
        officer=cast.officer_a,
        enterprise=cast.enterprise_a,
        findings="走访",
        visited_at=datetime.datetime(2026, 12, 1, 14, 5, tzinfo=SHANGHAI),
    )
    english = page_of(client_for(cast.officer_a), visit.get_absolute_url(), **ENGLISH)
    assert "Dec. 1, 2026, 2:05 p.m." in english and "2026年12月1日" not in english
    chinese = page_of(client_for(cast.officer_a), visit.get_absolute_url())
    assert "2026年12月1日 14:05" in chinese


# --- The nav --------------------------------------------------------------------------------------


def nav_of(page: str):
    return lxml.html.fromstring(page).xpath("//nav")[0]


def test_a_leader_finds_the_roster_grids_and_admin_under_more(cast, client_for):
    nav = nav_of(page_of(client_for(cast.admin), reverse("enterprises:list")))

    top = [link.get("href") for link in nav.xpath('.//ul[contains(@class, "navbar-nav")]/li/a[not(@data-bs-toggle)]')]
    more = [
        link.get("href")
        for link in nav.xpath(
            './/li[contains(@class, "nav-more")]//a[@class="dropdown-item" or contains(@class, "dropdown-item ")]'
        )
    ]
    assert top == [
        "/",
        "/analytics/",
        "/enterprises/",
        "/fieldwork/visits/",
        "/fieldwork/tracking/",
        "/issues/",
        "/emergency/",
    ]
    assert more == ["/enterprises/roster/", "/grids/", "/admin/"]


def test_an_officer_keeps_the_grids_in_the_bar_and_has_no_more_menu(cast, client_for):
    nav = nav_of(page_of(client_for(cast.officer_a), reverse("enterprises:list")))

    top = [link.get("href") for link in nav.xpath('.//ul[contains(@class, "navbar-nav")]/li/a[not(@data-bs-toggle)]')]
    assert top == [
        "/",
        "/enterprises/",
        "/grids/",
        "/fieldwork/visits/",
        "/fieldwork/tracking/",
        "/issues/",
        "/emergency/",
    ]
    assert not nav.xpath('.//li[contains(@class, "nav-more")]')


def test_the_more_menu_is_marked_current_on_the_roster(cast, client_for):
    nav = nav_of(page_of(client_for(cast.manager), reverse("enterprises:roster")))

    toggle = nav.xpath('.//li[contains(@class, "nav-more")]/a')[0]
    assert "active" in toggle.get("class").split()
    assert nav.xpath('.//a[@href="/enterprises/roster/"]')[0].get("class") == "dropdown-item active"


def test_the_signed_in_user_and_sign_out_sit_in_one_menu(cast, client_for):
    nav = nav_of(page_of(client_for(cast.manager), reverse("enterprises:list")))

    menu = nav.xpath('.//div[contains(@class, "user-menu")]')[0]
    assert menu.xpath("./button")[0].text_content().strip() == cast.manager.display_name
    who = menu.xpath('.//div[contains(@class, "user-menu-who")]/div')
    assert [line.text_content() for line in who] == [cast.manager.display_name, cast.manager.get_role_display()]
    (sign_out,) = menu.xpath(".//form")
    assert sign_out.get("action") == reverse("logout") and sign_out.get("method") == "post"
    assert sign_out.xpath(".//button")[0].text_content().strip() == "退出"
