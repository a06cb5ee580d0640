"""What every journey checks on every page it visits: no console error, no failed request, no
same-origin response of 400 or more, no Content-Security-Policy violation, and (axe-core) no
serious or critical accessibility violation, every form control labelled, every chart with its table.

Use ``Journey(page, live_server)``: ``journey.go(path)`` opens a page and checks it, ``journey.check()``
checks the page reached by clicking; ``journey.problems`` collects what went wrong on the way.
A second person in the same journey gets their own browser context from ``open_context`` (zh-CN,
Asia/Shanghai, as the fixtures' pages), on a 375×812 phone with ``phone=True``.
"""

import json
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe

WATCH_CSP = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI + " " + (event.sourceFile || ""));
});
"""

# axe rules that say a form control or a chart has no text alternative.
LABEL_RULES = {"label", "select-name", "input-button-name", "button-name", "aria-input-field-name", "svg-img-alt"}
BLOCKING = {"serious", "critical"}

_axe = Axe()

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}


def open_context(chromium, *, phone: bool = False):
    """A new signed-out browser context as the portal's users have it: Chinese, Beijing time."""
    from tests.conftest import CONTEXT_OPTIONS

    return chromium.new_context(**(PHONE if phone else DESKTOP), **CONTEXT_OPTIONS)


def date_field_parts(page, selector: str) -> list[str]:
    """The editable parts of a date or month field in the order Chromium draws them, from its
    accessibility tree (the field's shadow DOM is closed to scripts): ["年", "月"] in zh-CN,
    ["Month", "Year"] in en-US."""
    session = page.context.new_cdp_session(page)
    try:
        found = session.send("Runtime.evaluate", {"expression": f"document.querySelector({json.dumps(selector)})"})
        node = session.send("DOM.describeNode", {"objectId": found["result"]["objectId"]})["node"]
        tree = {item["nodeId"]: item for item in session.send("Accessibility.getFullAXTree")["nodes"]}
    finally:
        session.detach()
    field = next(item for item in tree.values() if item.get("backendDOMNodeId") == node["backendNodeId"])
    parts, pending = [], list(field.get("childIds", []))
    while pending:
        item = tree.get(pending.pop(0))
        if item is None:
            continue
        if item.get("role", {}).get("value") == "spinbutton":
            parts.append(item["name"]["value"].split()[0])
        pending[:0] = item.get("childIds", [])
    return parts


def text_lines(locator) -> int:
    """On how many lines the element's text is drawn (a button's label that wraps: 2)."""
    return locator.evaluate(
        """element => {
             const range = document.createRange();
             range.selectNodeContents(element);
             return new Set(Array.from(range.getClientRects()).map(rect => Math.round(rect.top))).size;
           }"""
    )


class Journey:
    def __init__(self, page, live_server):
        self.page = page
        self.base = live_server.url
        self.origin = urlsplit(live_server.url).netloc
        self.problems: list[str] = []
        self.pages: list[str] = []
        page.add_init_script(WATCH_CSP)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console error on {self.page.url}: {message.text}")

    def _request_failed(self, request) -> None:
        failure = request.failure or ""
        # A download or a navigation that replaces the page aborts the earlier request: not a failure.
        if "ERR_ABORTED" in failure:
            return
        self.problems.append(f"request failed: {request.url} {failure}")

    def _response(self, response) -> None:
        if urlsplit(response.url).netloc == self.origin and response.status >= 400:
            self.problems.append(f"{response.status} for {response.url}")

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def go(self, path: str) -> None:
        self.page.goto(self.url(path))
        self.check()

    def follow(self, action) -> None:
        """Do ``action`` (a click, a submit) that loads another page, then check that page."""
        with self.page.expect_navigation():
            action()
        self.check()

    def check(self) -> None:
        """The page now shown: settled, no CSP violation so far, accessible."""
        self.page.wait_for_load_state("networkidle")
        violations = self.page.evaluate("window.__violations || []")
        self.problems.extend(f"CSP on {self.page.url}: {item}" for item in violations)
        self.pages.append(self.page.url)
        self.accessibility()

    def accessibility(self) -> None:
        results = _axe.run(self.page)
        for violation in results.response["violations"]:
            if violation["impact"] in BLOCKING or violation["id"] in LABEL_RULES:
                targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:5]]
                self.problems.append(f"axe {violation['id']} ({violation['impact']}) on {self.page.url}: {targets}")
        charts_without_table = self.page.evaluate(
            """Array.from(document.querySelectorAll('[data-chart]')).filter(function (chart) {
                 var box = chart.closest('.card, section') || chart.parentElement;
                 return !box.querySelector('table');
               }).map(function (chart) { return chart.getAttribute('data-chart'); })"""
        )
        self.problems.extend(f"chart without a table on {self.page.url}: {name}" for name in charts_without_table)

    def assert_clean(self) -> None:
        assert self.problems == [], "\n".join(self.problems)


def sign_in(journey: Journey, username: str, password: str) -> None:
    journey.go("/accounts/login/")
    journey.page.fill("input[name=username]", username)
    journey.page.fill("input[name=password]", password)
    journey.follow(lambda: journey.page.click("main button[type=submit]"))
