"""In a browser: the desktop nav keeps to one row at 1366 px in both languages, and the
enterprise's satisfaction choices are buttons a thumb can hit on a phone."""

import pytest

from issues import services
from issues.models import Source
from tests.conftest import browser_login
from tests.factories import CategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def nav_rows(page) -> dict:
    """The tops of the brand, each top-level link and the user's controls, and the bar's height."""
    return page.evaluate(
        """() => {
            const nav = document.querySelector("nav.navbar");
            const parts = [nav.querySelector(".navbar-brand"), ...nav.querySelectorAll(".navbar-nav > .nav-item"),
                           ...nav.querySelectorAll(".navbar-user > *")];
            const middle = (el) => {
                const box = el.getBoundingClientRect();
                return Math.round(box.top + box.height / 2);
            };
            const middles = parts.map(middle);
            return {middles, height: nav.getBoundingClientRect().height, width: document.documentElement.scrollWidth};
        }"""
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("username", ["admin", "officer-a", "bureau-x"])
def test_the_desktop_nav_is_one_row_at_1366_px(cast, chromium, live_server, language, username):
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    try:
        cast.admin.name = "系统管理员"
        cast.admin.save()
        browser_login(page, live_server, username)
        page.goto(f"{live_server.url}/issues/")
        assert page.locator("html").get_attribute("lang") == language

        rows = nav_rows(page)

        assert max(rows["middles"]) - min(rows["middles"]) <= 4, rows  # all on one line
        assert rows["height"] < 64, rows
        assert rows["width"] <= 1366
    finally:
        context.close()


@pytest.fixture
def frozen_monday():
    """Real time here: the live server and the browser run on the wall clock."""
    yield None


def test_the_satisfaction_choices_are_big_buttons_on_a_phone(cast, phone_page, live_server):
    category = CategoryFactory(code="financing", name="融资贷款", default_bureau=cast.bureau_x)
    issue = services.issue_submit(
        enterprise=cast.enterprise_a,
        actor=cast.enterprise_user_a,
        title="流动资金紧张",
        description="希望协调续贷。",
        source=Source.ENTERPRISE,
    )
    issue = services.issue_accept(issue=issue, actor=cast.officer_a, category=category)
    services.issue_resolve(issue=issue, actor=cast.officer_a, resolution="已协调续贷。")
    page = phone_page
    browser_login(page, live_server, "ent-a")
    page.goto(f"{live_server.url}/issues/{issue.pk}/")
    page.click("[data-action=feedback] .accordion-button")
    page.wait_for_selector("#action-feedback.show")

    buttons = page.locator("#action-feedback .choice-buttons label.btn")
    assert buttons.all_inner_texts() == ["满意", "基本满意", "不满意"]
    boxes = [buttons.nth(index).bounding_box() for index in range(3)]
    assert all(box["height"] >= 44 for box in boxes), boxes
    assert len({round(box["y"]) for box in boxes}) == 1  # side by side, one row

    buttons.nth(1).click()
    assert page.is_checked("#action-feedback input[value=basically]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_the_ledger_fits_a_phone_in_english(cast, chromium, live_server):
    """The headline figures above the ledger wrap instead of pushing the page sideways."""
    context = chromium.new_context(viewport={"width": 375, "height": 740}, locale="en-US", is_mobile=True)
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    try:
        browser_login(page, live_server, "manager")
        page.goto(f"{live_server.url}/issues/")
        assert page.locator(".measure-summary").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()
