"""The running month on the dashboards: stored provisional rows, read by the page, refreshed by a job.

A small zone (at most ANALYTICS_RUNNING_SYNC_MAX_ENTERPRISES enterprises) computes the rows in the
request when they are missing or older than the last write; a province (the bound set to 0 here)
only reads them, says the figures are being prepared while there are none, and enqueues the job.
"""

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics import freshness
from analytics.models import MonthlyReport
from analytics.monthly import monthly_analysis_run, running_month_store
from analytics.snapshots import month_data
from analytics.tasks import refresh_running_month
from common.jobs import job_lock
from common.periods import Month
from tests.analytics.conftest import at, make_visit

pytestmark = pytest.mark.usefixtures("mid_november")

NOVEMBER = Month(2026, 11)
OCTOBER = Month(2026, 10)


def zone_visits(client) -> int | None:
    response = client.get("/analytics/")
    assert response.status_code == 200
    row = response.context["board"].row
    return row.metrics["visits"] if row else None


@pytest.fixture
def enqueued(monkeypatch):
    calls = []
    monkeypatch.setattr(refresh_running_month, "apply_async", lambda **options: calls.append(options))
    return calls


@pytest.fixture
def province(settings):
    """The page of a province: it never computes the running month itself."""
    settings.ANALYTICS_RUNNING_SYNC_MAX_ENTERPRISES = 0


def test_small_zone_shows_a_visit_at_once_from_stored_rows(cast, client_for):
    client = client_for(cast.manager)
    assert zone_visits(client) == 0
    # Given the rows stored by the first view, when a visit is logged, the next view counts it.
    make_visit(cast.enterprise_a, cast.officer_a, "2026-11-15 09:00")
    assert zone_visits(client) == 1
    stored = MonthlyReport.objects.get(month=NOVEMBER.first_day, scope_type="zone")
    assert stored.provisional is True and stored.metrics["visits"] == 1


def test_a_fresh_view_reads_the_rows_and_computes_nothing(cast, client_for):
    client = client_for(cast.manager)
    zone_visits(client)
    with CaptureQueriesContext(connection) as captured:
        zone_visits(client)
    tables = " ".join(query["sql"] for query in captured.captured_queries)
    assert "fieldwork_visit" not in tables and "issues_issueevent" not in tables


def test_province_without_rows_says_they_are_being_prepared(cast, client_for, province, enqueued):
    client = client_for(cast.manager)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/analytics/")
    assert response.status_code == 200
    assert "至今的数据正在计算" in response.content.decode()
    assert response.context["board"].data.preparing is True
    assert enqueued == [{"countdown": freshness.REFRESH_DELAY}]
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "fieldwork_visit" not in sql and "issues_issueevent" not in sql
    assert not MonthlyReport.objects.exists()  # nothing computed in the request

    # A second view within the delay does not enqueue again (debounced).
    client.get("/analytics/")
    assert len(enqueued) == 1


def test_province_reads_the_job_rows_and_when_they_were_computed(cast, client_for, province, enqueued):
    make_visit(cast.enterprise_a, cast.officer_a, "2026-11-15 09:00")
    assert refresh_running_month.run() == {"month": "2026-11", "rows": MonthlyReport.objects.count()}
    client = client_for(cast.manager)
    response = client.get("/analytics/")
    data = response.context["board"].data
    assert data.is_live and not data.preparing and data.computed_at == at("2026-11-15 10:00")
    assert "数据计算于 10:00" in response.content.decode()
    assert zone_visits(client) == 1
    assert enqueued == []  # fresh: nothing asked for

    # A write: the page still shows the stored rows (never computes) and asks the job to run soon.
    make_visit(cast.enterprise_b, cast.officer_b, "2026-11-15 09:30")
    assert zone_visits(client) == 1
    assert len(enqueued) == 1
    refresh_running_month.run()
    assert zone_visits(client) == 2


def test_district_board_reads_its_own_district_rows(cast, client_for, province, enqueued):
    refresh_running_month.run()
    response = client_for(cast.leader_a).get("/analytics/district/")
    rows = response.context["board"].data.rows
    assert rows and {row.district_id for row in rows} == {cast.district_a.pk}


def test_the_job_runs_once_at_a_time(cast):
    # The lock is held by another run (another thread, so another database connection: a
    # PostgreSQL advisory lock is re-entrant within one session).
    holding, release = threading.Event(), threading.Event()
    held: dict = {}

    def other_run():
        with job_lock(freshness.RUNNING_JOB) as taken:
            held["other"] = taken
            holding.set()
            release.wait(30)
        connection.close()

    thread = threading.Thread(target=other_run)
    thread.start()
    try:
        assert holding.wait(30) and held["other"]
        assert refresh_running_month.run() == {"skipped": "running"}
    finally:
        release.set()
        thread.join(30)
    assert not MonthlyReport.objects.exists()


def test_a_finished_month_is_read_from_its_final_rows_only(cast, client_for, time_machine):
    make_visit(cast.enterprise_a, cast.officer_a, "2026-10-30 09:00")
    time_machine.move_to(at("2026-10-31 12:00"), tick=False)
    running_month_store()  # October's provisional rows, while it ran
    time_machine.move_to(at("2026-11-01 00:30"), tick=False)
    # October has ended and its final run has not happened: its provisional rows are not its snapshot.
    assert month_data(OCTOBER).rows == []
    assert "尚未生成" in client_for(cast.manager).get("/analytics/?month=2026-10").content.decode()
    assert client_for(cast.manager).get("/api/reports/monthly/").json()["count"] == 0
    # The running job of November removes October's provisional rows; the final run writes its own.
    running_month_store()
    assert not MonthlyReport.objects.filter(month=OCTOBER.first_day).exists()
    monthly_analysis_run(month=OCTOBER)
    final = MonthlyReport.objects.get(month=OCTOBER.first_day, scope_type="zone")
    assert final.provisional is False and final.metrics["visits"] == 1
    assert [row.pk for row in month_data(OCTOBER).rows if row.scope_type == "zone"] == [final.pk]


def test_the_running_rows_are_never_written_over_a_final_month(cast, time_machine):
    time_machine.move_to(at("2026-11-01 06:00"), tick=False)
    monthly_analysis_run(month=OCTOBER)
    final = set(MonthlyReport.objects.filter(month=OCTOBER.first_day).values_list("pk", "computed_at"))
    time_machine.move_to(at("2026-10-31 23:59"), tick=False)  # a run that started before midnight …
    assert running_month_store() is None  # … finds October's final rows and leaves them
    assert set(MonthlyReport.objects.filter(month=OCTOBER.first_day).values_list("pk", "computed_at")) == final
