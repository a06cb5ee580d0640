"""The ledger as issue 13 §4 wants it at a province's size: measure cards cached per scope, filter
and day (never shared across scopes, fresh after a write), no DISTINCT where no join repeats a row,
each row rendered once, and the manager's grid filter offered one district at a time."""

import datetime

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.scoping import scope_for
from grids.models import GridTeam
from issues import metrics, services
from issues.filters import IssueFilter
from issues.models import Issue
from issues.selectors import issue_list
from tests.issues.conftest import accepted, in_progress
from tests.issues.test_ledger_filters import ledger_page, options

pytestmark = pytest.mark.django_db


def cards(page: str) -> dict[str, str]:
    """label → shown value of each measure card above the ledger."""
    tree = lxml.html.fromstring(page)
    result = {}
    for card in tree.xpath('//section[contains(@class, "issue-measures")]//div[contains(@class, "card-kpi")]'):
        label, value = (
            card.xpath('.//div[contains(@class, "text-muted")][1]')[0],
            card.xpath('.//div[@class="value"]')[0],
        )
        result[label.text_content().strip()] = value.text_content().strip()
    return result


def overdue(ledger, **kwargs) -> Issue:
    issue = in_progress(ledger, **kwargs)
    Issue.objects.filter(pk=issue.pk).update(due_on=datetime.date(2026, 10, 20))
    return issue


@pytest.fixture
def counted_measures(monkeypatch):
    """How many times the measures were aggregated in the database (not read from the cache)."""
    calls = []
    real = metrics.issue_measures

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(metrics, "issue_measures", counting)
    return calls


def test_the_measures_are_cached_per_scope_and_filter(ledger, client_for, counted_measures):
    overdue(ledger)
    manager = client_for(ledger.manager)
    assert cards(ledger_page(manager))["当前逾期"] == "1件"
    assert cards(ledger_page(manager, {"page": "1"}))["当前逾期"] == "1件"
    assert len(counted_measures) == 1, "the second view (another page, the same filters) reads the cache"
    assert cards(ledger_page(manager, {"overdue": "false"}))["当前逾期"] == "0件"
    assert len(counted_measures) == 2, "another filter is another entry"


def test_two_scopes_never_share_an_entry(ledger, client_for, counted_measures):
    overdue(ledger)  # grid A's
    assert cards(ledger_page(client_for(ledger.officer_a)))["当前逾期"] == "1件"
    assert cards(ledger_page(client_for(ledger.officer_b)))["当前逾期"] == "0件"
    assert cards(ledger_page(client_for(ledger.bureau_user_x)))["当前逾期"] == "0件"
    assert len(counted_measures) == 3
    # The same scope is the same entry: a second officer of grid A reads the first one's.
    assert cards(ledger_page(client_for(ledger.officer_a2)))["当前逾期"] == "1件"
    assert len(counted_measures) == 3


def test_the_scope_key_names_everything_that_decides_the_rows(ledger):
    keys = {
        who: scope_for(getattr(ledger, who)).cache_key
        for who in ("manager", "officer_a", "officer_a2", "officer_b", "bureau_user_x", "bureau_user_y")
    }
    assert keys["officer_a"] == keys["officer_a2"]
    assert len({keys[who] for who in ("manager", "officer_a", "officer_b", "bureau_user_x", "bureau_user_y")}) == 5


def test_the_measures_follow_the_users_own_transition(ledger, client_for):
    issue = overdue(ledger)
    manager = client_for(ledger.manager)
    assert cards(ledger_page(manager))["当前逾期"] == "1件"
    services.issue_resolve(issue=Issue.objects.get(pk=issue.pk), actor=issue.handler, resolution="已解决。")
    assert cards(ledger_page(manager))["当前逾期"] == "0件"


def test_the_state_filter_adds_no_distinct(ledger, client_for):
    in_progress(ledger)
    for who in ("manager", "officer_a", "bureau_user_x"):
        user = getattr(ledger, who)
        issue_filter = IssueFilter(
            {"state": ["accepted", "in_progress"], "level": "grid"}, queryset=issue_list(user=user), user=user
        )
        assert issue_filter.is_valid()
        assert "DISTINCT" not in str(issue_filter.qs.query).upper(), who
    with CaptureQueriesContext(connection) as captured:
        ledger_page(client_for(ledger.manager), {"state": ["accepted", "in_progress"]})
    ledger_queries = [query["sql"] for query in captured.captured_queries if '"issues_issue"' in query["sql"]]
    assert ledger_queries and not [sql for sql in ledger_queries if "DISTINCT" in sql.upper()]


def test_each_row_is_rendered_once(ledger, client_for):
    issue = accepted(ledger, title="只出现一次的问题")
    page = ledger_page(client_for(ledger.officer_a))
    assert page.count("只出现一次的问题") == 1
    assert page.count(f'href="{issue.get_absolute_url()}"') == 1


def test_the_managers_grid_filter_lists_one_districts_grids(ledger, client_for):
    other = GridTeam.objects.create(code="G-other", name="另一网格", district=ledger.grid_b.district)
    manager = client_for(ledger.manager)
    page = ledger_page(manager)
    assert options(page, "grid") == [("", "全部", True)]
    (district,) = lxml.html.fromstring(page).xpath('//select[@name="district"]')
    assert district.get("hx-get") == reverse("grids:options") and district.get("hx-target") == "#id_grid"

    picked = options(ledger_page(manager, {"district": ledger.grid_a.district_id}), "grid")
    expected = GridTeam.objects.filter(district=ledger.grid_a.district).order_by("code")
    assert [value for value, _text, _selected in picked[1:]] == [str(grid.pk) for grid in expected]

    # A grid in the URL (a bookmark) is still shown and selected, and still filters.
    chosen = options(ledger_page(manager, {"grid": other.pk}), "grid")
    assert chosen == [("", "全部", False), (str(other.pk), str(other), True)]


def test_an_officer_still_sees_all_of_his_grids(ledger, client_for):
    assert options(ledger_page(client_for(ledger.officer_a)), "grid") == [
        ("", "全部", True),
        (str(ledger.grid_a.pk), str(ledger.grid_a), False),
    ]


def test_the_grid_options_answer_within_the_scope(ledger, client_for):
    url = reverse("grids:options")
    district = ledger.grid_a.district
    answer = client_for(ledger.manager).get(url, {"district": district.pk})
    assert answer.status_code == 200
    tree = lxml.html.fromstring(f"<select>{answer.content.decode()}</select>")
    assert tree.xpath("//option/@value") == [
        "",
        *(str(g.pk) for g in GridTeam.objects.filter(district=district).order_by("code")),
    ]
    assert client_for(ledger.manager).get(url).content.decode().count("<option") == 1

    bad = client_for(ledger.manager).get(url, {"district": "abc"})
    assert bad.status_code == 400 and "片区" in bad.content.decode()
    assert client_for(ledger.manager).get(url, {"district": 999999}).status_code == 404
    if ledger.grid_b.district_id != district.pk:
        assert client_for(ledger.officer_b).get(url, {"district": district.pk}).status_code == 404
    assert client_for(ledger.enterprise_user_a).get(url, {"district": district.pk}).status_code == 404
