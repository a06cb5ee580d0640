"""The zone and district dashboards: content, scope (404 outside it), month picker, query counts."""

import pytest
from django.urls import reverse

from accounts.notifications import quiet
from analytics.monthly import monthly_analysis_run
from common.periods import Month
from fieldwork.models import Visit
from issues import services
from issues.models import Issue, Source
from tests.analytics.conftest import at, make_visit
from tests.factories import CategoryFactory, EnterpriseFactory, GridTeamFactory, UserFactory

pytestmark = pytest.mark.usefixtures("mid_november")

OCTOBER = Month(2026, 10)


@pytest.fixture
def analysed(october):
    monthly_analysis_run(month=OCTOBER)
    return october


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_manager_sees_the_zone_for_a_month(analysed, client_for):
    html = page(client_for(analysed.manager), "/analytics/?month=2026-10")
    assert "2026年10月" in html and "月度快照" in html
    assert "66.7%" in html  # visit coverage
    assert "甲片区" in html and "乙片区" in html and "甲网格" in html and "乙网格" in html
    assert "heat-4" in html and "heat-0" in html  # district B covers 100%, A 50%
    assert "不可用" not in html  # every figure has its source now (funds, financing, platforms)
    assert "陈网格" in html and "73.0" in html and "45.0" in html  # officer ranking
    assert "融资" in html and "财政局" in html  # top categories, bureau performance
    assert 'id="dashboard-charts"' in html and "echarts.min.js" in html
    assert reverse("analytics:report_download") + "?month=2026-10" in html


def test_overdue_list_links_to_the_ledger(analysed, client_for):
    html = page(client_for(analysed.manager), "/analytics/?month=2026-10")
    i2 = analysed.issues.i2  # due 28 October, still in progress on 15 November
    assert reverse("issues:detail", args=[i2.pk]) in html
    assert reverse("issues:ledger") + "?overdue=true" in html


def test_current_month_is_live(analysed, client_for):
    make_visit(analysed.enterprise_a, analysed.officer_a, "2026-11-10 10:00")
    html = page(client_for(analysed.manager), "/analytics/")
    assert "本月至今" in html and "2026年11月" in html
    assert "2026-10" in html  # the trend table includes October's snapshot


def test_a_month_never_analysed_says_so(cast, client_for):
    html = page(client_for(cast.manager), "/analytics/?month=2026-09")
    assert "尚未生成" in html


def test_district_leader_sees_his_district_only(analysed, client_for):
    client = client_for(analysed.leader_a)
    assert client.get("/analytics/").url == reverse("analytics:district_dashboard")
    html = page(client, "/analytics/district/")
    assert "甲片区 片区看板" in html
    assert "乙网格" not in html and "陈网格" not in html
    html = page(client, f"/analytics/districts/{analysed.district_a.pk}/?month=2026-10")
    assert "甲网格" in html and "50.0%" in html and "乙片区" not in html
    assert reverse("issues:detail", args=[analysed.issues.i2.pk]) in html


def test_a_district_leader_cannot_open_another_district(analysed, client_for):
    client = client_for(analysed.leader_a)
    for url in (
        f"/analytics/districts/{analysed.district_b.pk}/",
        f"/analytics/districts/{analysed.district_b.pk}/?month=2026-10",
        "/analytics/districts/999999/",
    ):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("persona", ["officer_a", "bureau_user_x", "enterprise_user_a"])
def test_other_roles_find_no_dashboard(analysed, client_for, persona):
    client = client_for(getattr(analysed, persona))
    for url in ("/analytics/", "/analytics/district/", f"/analytics/districts/{analysed.district_a.pk}/"):
        assert client.get(url).status_code == 404


def test_anonymous_is_sent_to_login(client):
    response = client.get("/analytics/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_manager_can_open_any_district(analysed, client_for):
    html = page(client_for(analysed.manager), f"/analytics/districts/{analysed.district_b.pk}/?month=2026-10")
    assert "乙片区 片区看板" in html and "乙网格" in html and "甲网格" not in html


def grow(cast, *, districts: int, enterprises: int) -> None:
    """More of everything: districts, grid teams, officers, enterprises, visits and issues (each
    submitted, accepted and taken up by its grid officer through the services)."""
    category = CategoryFactory(code="growth", name="发展")
    for number in range(districts):
        officer = UserFactory(role="grid_officer")
        grid = GridTeamFactory(leader=officer)
        grid.officers.add(officer)
        for _ in range(enterprises):
            enterprise = EnterpriseFactory(grid=grid)
            make_visit(enterprise, officer, f"2026-10-{number + 2:02d} 10:00")
            with quiet():
                issue = services.issue_submit(
                    enterprise=enterprise,
                    actor=officer,
                    title="问题",
                    description="说明",
                    source=Source.VISIT,
                    at=at("2026-10-05 10:00"),
                )
                issue = services.issue_accept(issue=issue, actor=officer, category=category, at=at("2026-10-05 10:05"))
                services.issue_start(issue=issue, actor=officer, at=at("2026-10-05 10:10"))


# The bound is the same at both sizes: dashboards read aggregates, never rows per item.
# The first view of a day also computes the cumulative outcomes panel (29 queries: two columns of
# fourteen figures and the policy funnel, the same at any size), then caches it for ten minutes per scope.
ZONE_QUERIES = 42  # (the districts, grid teams and officers read apart: FULL_LIST_MAX)
DISTRICT_QUERIES = 44  # a district's matchmaking figure takes two queries per column
# The month so far is computed once on this small zone and stored as provisional rows (11 of the
# queries the funds' and platforms' outcomes; 6 the bounded enterprise count and the store)…
LIVE_ZONE_QUERIES = 65
# …then read from the stored rows while no write has come since: the month's rows, then the
# districts', grid teams' and officers' (each one query while a zone has at most FULL_LIST_MAX).
CACHED_ZONE_QUERIES = 15


@pytest.mark.parametrize("size", [(0, 0), (4, 6)])
def test_zone_dashboard_queries_do_not_grow(cast, client_for, django_assert_max_num_queries, size):
    grow(cast, districts=size[0], enterprises=size[1])
    monthly_analysis_run(month=OCTOBER)
    client = client_for(cast.manager)
    with django_assert_max_num_queries(ZONE_QUERIES):
        assert client.get("/analytics/?month=2026-10").status_code == 200
    with django_assert_max_num_queries(DISTRICT_QUERIES):
        assert client.get(f"/analytics/districts/{cast.district_a.pk}/?month=2026-10").status_code == 200
    with django_assert_max_num_queries(LIVE_ZONE_QUERIES):
        assert client.get("/analytics/").status_code == 200  # computes November so far
    with django_assert_max_num_queries(CACHED_ZONE_QUERIES):
        assert client.get("/analytics/").status_code == 200
    assert Visit.objects.count() == size[0] * size[1]
    assert Issue.objects.count() == size[0] * size[1]


def test_a_province_sized_zone_shows_its_best_and_worst_grid_teams_and_officers(cast, client_for, monkeypatch):
    """Past ``FULL_LIST_MAX`` rows the zone dashboard does not load every grid team and officer: it
    shows the best and the worst ``ENDS_SHOWN`` of each by score, with their true ranks and a note
    of how many there are."""
    from analytics import dashboards
    from analytics.metrics import Dimension
    from analytics.models import MonthlyReport

    grow(cast, districts=4, enterprises=1)
    monthly_analysis_run(month=OCTOBER)
    monkeypatch.setattr(dashboards, "FULL_LIST_MAX", 3)
    monkeypatch.setattr(dashboards, "ENDS_SHOWN", 1)

    def ranked(scope_type):
        rows = MonthlyReport.objects.filter(month=OCTOBER.first_day, scope_type=scope_type)
        assert rows.count() == 6
        score = lambda row: row.metrics["evaluation_score"]  # noqa: E731
        return sorted(rows, key=lambda row: (score(row) is None, -(score(row) or 0), row.scope_name))

    html = page(client_for(cast.manager), "/analytics/?month=2026-10")

    grids = html[html.index('id="grid-comparison"') : html.index("</section>", html.index('id="grid-comparison"'))]
    teams = ranked(Dimension.GRID)
    assert teams[0].scope_name in grids and teams[-1].scope_name in grids
    assert not any(team.scope_name in grids for team in teams[1:-1])
    assert "共 6 个，表中为评价得分最高和最低的各 1 个" in grids
    ranking = html[html.index('id="ranking-heading"') :]
    officers = ranked(Dimension.OFFICER)
    assert officers[0].scope_name in ranking and officers[-1].scope_name in ranking
    assert not any(officer.scope_name in ranking for officer in officers[1:-1])
    assert 'data-sort="1"' in ranking and 'data-sort="6"' in ranking and 'data-sort="2"' not in ranking
    assert "共 6 名网格员" in ranking
    section = html.index('id="district-comparison"')
    districts = html[section : html.index("</section>", section)]
    areas = ranked(Dimension.DISTRICT)
    assert areas[0].scope_name in districts and areas[-1].scope_name in districts
    assert not any(area.scope_name in districts for area in areas[1:-1])
