"""Under the Content-Security-Policy (no inline script, no eval, no inline
style) the dashboards draw their ECharts, htmx swaps its fragments, the forms
and the language menu work, and the browser reports no violation."""

import datetime
from decimal import Decimal

import pytest

from enterprises.models import OperatingIndicator
from tests.conftest import PASSWORD, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI + " " + (event.sourceFile || ""));
});
"""


@pytest.fixture
def watched(desktop_page):
    """The desktop page, recording CSP violations, console errors and uncaught exceptions."""
    problems: list[str] = []
    desktop_page.add_init_script(WATCH)
    desktop_page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    desktop_page.on("pageerror", lambda error: problems.append(str(error)))

    def check() -> list[str]:
        return problems + desktop_page.evaluate("window.__violations || []")

    desktop_page.problems = check
    return desktop_page


def drawn_charts(page) -> int:
    """Charts whose SVG has drawn shapes (ECharts renders to SVG here)."""
    return page.evaluate(
        "Array.from(document.querySelectorAll('[data-chart]')).filter("
        "node => node.querySelectorAll('svg path').length > 0).length"
    )


def test_the_csp_header_has_no_unsafe_inline_script_and_forbids_framing(cast, client_for):
    response = client_for(cast.manager).get("/analytics/")

    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_the_zone_and_district_dashboards_draw_their_charts_with_no_violation(watched, live_server, cast):
    browser_login(watched, live_server, "manager")
    watched.goto(f"{live_server.url}/analytics/")
    watched.wait_for_selector("[data-chart] svg path", state="attached", timeout=15_000)
    charts = drawn_charts(watched)
    chart = watched.locator("[data-chart]").first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    watched.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # a tooltip
    watched.wait_for_timeout(300)

    assert charts >= 1
    assert watched.problems() == []

    watched.context.clear_cookies()
    browser_login(watched, live_server, "leader-a")
    watched.goto(f"{live_server.url}/analytics/district/")
    watched.wait_for_load_state("networkidle")
    assert "甲片区" in watched.inner_text("main")
    assert watched.problems() == []


def test_htmx_loads_a_profile_tab_and_its_chart_with_no_violation(watched, live_server, cast):
    month = datetime.date.today().replace(day=1)
    OperatingIndicator.objects.create(enterprise=cast.enterprise_a, month=month, output_value=Decimal("88.80"))
    browser_login(watched, live_server, "officer-a")

    watched.goto(f"{live_server.url}/enterprises/{cast.enterprise_a.pk}/")
    watched.click("#tab-indicators")
    watched.wait_for_selector("#pane-indicators .indicator-chart svg path", state="attached", timeout=15_000)

    assert "88.80" in watched.inner_text("#pane-indicators table")
    assert watched.locator("#pane-indicators .indicator-chart").bounding_box()["height"] == 320
    assert watched.problems() == []


def test_a_form_posts_and_the_language_menu_switches_with_no_violation(watched, live_server, cast):
    browser_login(watched, live_server, "officer-a")
    watched.goto(f"{live_server.url}/accounts/password/")
    watched.fill("input[name=old_password]", PASSWORD)
    watched.fill("input[name=new_password1]", "Changjiang-bridge-88")
    watched.fill("input[name=new_password2]", "Changjiang-bridge-88")
    watched.click("main button[type=submit]")
    watched.wait_for_load_state("networkidle")
    assert "密码已修改" in watched.inner_text("main")

    # The menu submits through static/js/portal.js: wait for the navigation it starts (the page
    # is idle before the submit begins, so waiting for idle alone could read the old page).
    with watched.expect_navigation():
        watched.select_option("#language-select", "en")
    watched.wait_for_load_state("networkidle")

    assert watched.locator("html").get_attribute("lang") == "en"
    assert watched.problems() == []


def test_the_public_board_prints_from_its_button_with_no_violation(watched, live_server, cast):
    watched.goto(f"{live_server.url}{cast.enterprise_a.get_board_url()}")
    watched.evaluate("window.print = function () { window.__printed = true; }")

    watched.click("[data-jk-print]")

    assert watched.evaluate("window.__printed === true")
    assert watched.problems() == []


# ReDoc's sidebar shows a "by Redocly" logo from the vendor's CDN: the policy refuses it, as it
# should (nothing is fetched from elsewhere), and ReDoc hides the image when it fails to load.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@pytest.mark.parametrize(("path", "ready"), [("/api/docs/", ".swagger-ui .info"), ("/api/redoc/", "h1")])
def test_the_api_docs_render_under_their_own_policy(watched, live_server, cast, path, ready):
    watched.goto(f"{live_server.url}{path}")
    watched.wait_for_selector(ready, timeout=60_000)  # ReDoc lays out some 60 collections

    assert "Jingkai Portal API" in watched.inner_text("body")
    assert [problem for problem in watched.problems() if REDOC_LOGO not in problem] == []
