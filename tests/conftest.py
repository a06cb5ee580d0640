"""The fixed cast (personas) shared by every test.

Two districts (A, B), one grid team in each, two bureaus, an enterprise in
each grid, and one user per role: whatever one persona may see, the persona
on the other side may not.
"""

import os
import uuid
from types import SimpleNamespace

import pytest
from django.test import Client

from accounts.models import Role
from tests.factories import (
    BureauFactory,
    DistrictFactory,
    EnterpriseFactory,
    GridTeamFactory,
    UserFactory,
)

PASSWORD = "pw-test-123"


# --- The scope matrix's count in the terminal summary ------------------------
# tests/security/test_scope_matrix.py records each role's count as a user
# property; reports reach the controller under pytest-xdist too, so the line
# is printed however the suite runs (this root conftest is loaded there).

MATRIX_CASES: dict[str, int] = {}


def pytest_runtest_logreport(report):
    if report.when == "call":
        for key, value in report.user_properties:
            if key == "scope_matrix_cases":
                role, count = value
                MATRIX_CASES[role] = count


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if MATRIX_CASES:
        total = sum(MATRIX_CASES.values())
        detail = ", ".join(f"{role} {count}" for role, count in MATRIX_CASES.items())
        terminalreporter.write_sep("=", f"scope matrix: {total} URL × role cases checked ({detail})")


# --- No silent skip on CI's PostgreSQL pass ------------------------------------
# The tests that need PostgreSQL and Redis (the races, the worker killed mid-job, the
# backup restored into a fresh database, the query plans) skip on the embedded defaults.
# .ci/run's second pass sets REQUIRE_NO_SKIP=1: there every service is up, so a skip
# means a test that did not run, and it fails with its reason instead.


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail") and os.environ.get("REQUIRE_NO_SKIP") == "1":
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"REQUIRE_NO_SKIP=1 (CI's PostgreSQL pass), but the test skipped: {reason}"


def new_cache(settings) -> None:
    """A cache of the test's own from now on (a new key prefix): what it cached before is gone for it
    alone. Never ``cache.clear()``: on Redis that empties every parallel worker's cache too."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {name: {**config, "KEY_PREFIX": prefix} for name, config in settings.CACHES.items()}


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """Each test reads and writes a cache of its own: a key prefix no other test has. The ledger's
    measures, the dashboards' running month and anything else cached do not outlive the test whose
    rows they counted, nor leak between parallel workers sharing one Redis (a cleared cache would
    clear theirs too)."""
    settings.CACHES = {
        name: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"} for name, config in settings.CACHES.items()
    }
    yield


@pytest.fixture(autouse=True)
def _own_job_locks(settings, tmp_path):
    """Each test takes the jobs' locks in a folder of its own. On SQLite a lock is a flock under
    ``VAR_DIR/locks`` (``common.jobs.job_lock``), and parallel workers share the checkout's var/:
    a dashboard on one worker computing the running month held the lock another worker's test
    asked for, which then found the job "running". On PostgreSQL the locks are advisory, per database."""
    settings.VAR_DIR = tmp_path
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active in the thread; start each test in zh-hans."""
    from django.utils import translation

    with translation.override("zh-hans"):
        yield


@pytest.fixture
def cast(db):
    manager = UserFactory(username="manager", role=Role.MANAGER, name="王主任")
    admin = UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True)
    leader_a = UserFactory(username="leader-a", role=Role.DISTRICT_LEADER, name="李片长")
    leader_b = UserFactory(username="leader-b", role=Role.DISTRICT_LEADER, name="赵片长")
    district_a = DistrictFactory(code="A", name="甲片区", leader=leader_a)
    district_b = DistrictFactory(code="B", name="乙片区", leader=leader_b)
    officer_a = UserFactory(username="officer-a", role=Role.GRID_OFFICER, name="张网格")
    officer_b = UserFactory(username="officer-b", role=Role.GRID_OFFICER, name="陈网格")
    grid_a = GridTeamFactory(code="GA", name="甲网格", district=district_a, leader=officer_a)
    grid_b = GridTeamFactory(code="GB", name="乙网格", district=district_b, leader=officer_b)
    grid_a.officers.add(officer_a)
    grid_b.officers.add(officer_b)
    bureau_x = BureauFactory(code="finance", name="财政局")
    bureau_y = BureauFactory(code="tax", name="税务局")
    bureau_user_x = UserFactory(username="bureau-x", role=Role.BUREAU_STAFF, bureau=bureau_x, name="周科员")
    bureau_user_y = UserFactory(username="bureau-y", role=Role.BUREAU_STAFF, bureau=bureau_y, name="吴科员")
    enterprise_a = EnterpriseFactory(name="甲企业有限公司", grid=grid_a)
    enterprise_b = EnterpriseFactory(name="乙企业有限公司", grid=grid_b)
    enterprise_user_a = UserFactory(username="ent-a", role=Role.ENTERPRISE_USER, enterprise=enterprise_a)
    enterprise_user_b = UserFactory(username="ent-b", role=Role.ENTERPRISE_USER, enterprise=enterprise_b)
    return SimpleNamespace(**locals())


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_for():
    """``client_for(user)`` gives a test client signed in as ``user``."""
    return login


# --- Browser tests (Playwright driving Debian's Chromium) -------------------

CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--lang=zh-CN",
]
# Chromium draws date and month fields in its own language, which it takes from LANGUAGE (and Debian's
# chromium-l10n package must be installed for zh-CN): 2026/12/07 and 2026年12月, as the portal's users
# see them, not the en-US 12/07/2026. The pages themselves follow the context's locale. Not LANG: a
# zh_CN locale the system lacks would make the character set ASCII, and a download named in Chinese
# would be saved as "download"; LC_CTYPE keeps it UTF-8.
CHROMIUM_ENV = {"LANGUAGE": "zh_CN:zh", "LC_CTYPE": "C.UTF-8"}
CONTEXT_OPTIONS = {"locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


def _chromium_path() -> str | None:
    import os
    import shutil

    for path in (os.environ.get("CHROMIUM_PATH", ""), *CHROMIUM_PATHS):
        if path and os.path.exists(path):
            return path
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium; skipped where none is installed, failed under REQUIRE_BROWSER=1."""
    import os

    path = _chromium_path()
    if path is None:
        message = "no Chromium found (install Debian's chromium package)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {message}")
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the test client
    # and live server still use the ORM synchronously from it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS, env={**os.environ, **CHROMIUM_ENV}
        )
        yield browser
        browser.close()


@pytest.fixture
def phone_page(chromium):
    """A page in a 375-px-wide phone viewport."""
    context = chromium.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, **CONTEXT_OPTIONS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop_page(chromium):
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, **CONTEXT_OPTIONS)
    page = context.new_page()
    yield page
    context.close()


def browser_login(page, live_server, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real login form."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
