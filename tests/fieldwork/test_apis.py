"""/api/visits/ and /api/weekly-tracking/: officers create in their grids, others read in scope."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from common.periods import IsoWeek
from fieldwork.models import Visit, WeeklyTracking
from fieldwork.services import RaisedProblem, visit_create, weekly_tracking_record
from issues.models import Issue, IssueEvent, Source, State
from tests.factories import CategoryFactory, EnterpriseFactory
from tests.fieldwork.conftest import JPEG_BYTES, jpeg

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
OUTSIDERS_OF_GRID_A = ["officer_b", "leader_b", "bureau_user_x", "enterprise_user_a", "enterprise_user_b"]


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def visits(cast):
    return {
        "a": visit_create(officer=cast.officer_a, enterprise=cast.enterprise_a, findings="甲", attachments=[jpeg()]),
        "b": visit_create(officer=cast.officer_b, enterprise=cast.enterprise_b, findings="乙", mode="phone"),
    }


# --- Creating visits -----------------------------------------------------------


def test_an_officer_creates_a_visit_with_a_problem_through_the_api(cast):
    category = CategoryFactory(code="finance", name="融资")

    response = api(cast.officer_a).post(
        "/api/visits/",
        {
            "enterprise": cast.enterprise_a.pk,
            "mode": "online",
            "met_with": "王经理",
            "findings": "屏对屏沟通",
            "capacity_use": 72,
            "problems": [{"title": "贷款续贷", "description": "一笔 500 万元贷款下月到期", "category": category.pk}],
        },
        format="json",
    )

    assert response.status_code == 201, response.data
    visit = Visit.objects.get()
    issue = Issue.objects.get()
    assert response.data["id"] == visit.pk
    assert response.data["raised_issues"] == [issue.pk]
    assert (visit.officer, visit.mode, visit.capacity_use, visit.has_difficulties) == (
        cast.officer_a,
        "online",
        72,
        True,
    )
    assert (issue.state, issue.source, issue.enterprise, issue.category) == (
        State.SUBMITTED,
        Source.VISIT,
        cast.enterprise_a,
        category,
    )
    assert IssueEvent.objects.filter(issue=issue, action="submit", actor=cast.officer_a).count() == 1


def test_an_officer_uploads_an_attachment_with_multipart(cast):
    response = api(cast.officer_a).post(
        "/api/visits/",
        {"enterprise": cast.enterprise_a.pk, "findings": "门口拍照", "attachments": [jpeg()]},
        format="multipart",
    )

    assert response.status_code == 201, response.data
    [attachment] = response.data["attachments"]
    assert attachment["original_name"] == "gate.jpg"
    download = api(cast.manager).get(attachment["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == JPEG_BYTES


def test_creating_a_visit_for_another_grids_enterprise_is_refused_and_saves_nothing(cast):
    response = api(cast.officer_a).post(
        "/api/visits/",
        {"enterprise": cast.enterprise_b.pk, "problems": [{"title": "x", "description": "y"}]},
        format="json",
    )

    assert response.status_code == 400
    assert "enterprise" in response.data
    assert (Visit.objects.count(), Issue.objects.count()) == (0, 0)


@pytest.mark.parametrize("persona", ["manager", "admin", "leader_a", "bureau_user_x", "enterprise_user_a"])
def test_only_officers_create_visits(cast, persona):
    response = api(getattr(cast, persona)).post("/api/visits/", {"enterprise": cast.enterprise_a.pk}, format="json")

    assert response.status_code == 403
    assert Visit.objects.count() == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"capacity_use": 101}, "capacity_use"),
        ({"mode": "carrier-pigeon"}, "mode"),
        ({"visited_at": "2099-01-01T10:00:00+08:00"}, "visited_at"),
        ({"visited_at": "yesterday"}, "visited_at"),
        ({"problems": [{"title": "缺描述"}]}, "problems"),
        ({"problems": "not a list"}, "problems"),
        ({"enterprise": "abc"}, "enterprise"),
        ({"enterprise": 999999}, "enterprise"),
    ],
)
def test_bad_visit_input_answers_400_naming_the_field_and_saves_nothing(cast, payload, field):
    response = api(cast.officer_a).post(
        "/api/visits/", {"enterprise": cast.enterprise_a.pk, "findings": "生产正常", **payload}, format="json"
    )

    assert response.status_code == 400
    assert field in response.data
    assert (Visit.objects.count(), Issue.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    "payload",
    [{}, {"findings": "   "}, {"met_with": "王经理", "employees": 80, "capacity_use": 60, "has_difficulties": True}],
    ids=["nothing", "blank-findings", "contact-and-figures-only"],
)
def test_a_visit_that_says_nothing_found_or_done_answers_400_on_findings(cast, payload):
    response = api(cast.officer_a).post("/api/visits/", {"enterprise": cast.enterprise_a.pk, **payload}, format="json")

    assert response.status_code == 400
    assert response.data == {"findings": ["请填写走访情况，或登记至少一个发现的问题。"]}
    assert (Visit.objects.count(), Issue.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    ("payload", "issues"),
    [
        ({"findings": "新厂房已投产"}, 0),
        ({"problems": [{"title": "用电紧张", "description": "高峰时段限电"}]}, 1),
    ],
    ids=["only-findings", "only-a-problem"],
)
def test_a_visit_with_only_findings_or_only_a_problem_is_created(cast, payload, issues):
    response = api(cast.officer_a).post("/api/visits/", {"enterprise": cast.enterprise_a.pk, **payload}, format="json")

    assert response.status_code == 201, response.data
    assert (Visit.objects.count(), Issue.objects.count()) == (1, issues)
    assert len(response.data["raised_issues"]) == issues


def test_a_bad_attachment_answers_400_and_saves_nothing(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = api(cast.officer_a).post(
        "/api/visits/",
        {
            "enterprise": cast.enterprise_a.pk,
            "findings": "生产正常",
            "attachments": [SimpleUploadedFile("a.exe", b"MZ\x00\x00")],
        },
        format="multipart",
    )

    assert response.status_code == 400
    assert "attachments" in response.data
    assert Visit.objects.count() == 0


def test_malformed_json_answers_400(cast):
    response = api(cast.officer_a).post("/api/visits/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert Visit.objects.count() == 0


# --- Reading visits ------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("manager", {"a", "b"}),
        ("admin", {"a", "b"}),
        ("leader_a", {"a"}),
        ("officer_a", {"a"}),
        ("officer_b", {"b"}),
        ("bureau_user_x", set()),
        ("enterprise_user_a", set()),
    ],
)
def test_each_role_lists_the_visits_in_its_scope(cast, visits, persona, expected):
    response = api(getattr(cast, persona)).get("/api/visits/")

    assert response.status_code == 200
    assert {row["id"] for row in response.data["results"]} == {visits[key].pk for key in expected}
    assert set(response.data) == {"count", "next", "previous", "results"}


@pytest.mark.parametrize("persona", OUTSIDERS_OF_GRID_A)
def test_a_visit_outside_the_scope_answers_404(cast, visits, persona):
    client = api(getattr(cast, persona))
    attachment = visits["a"].attachments.get()

    assert client.get(f"/api/visits/{visits['a'].pk}/").status_code == 404
    assert client.get(f"/api/visits/{visits['a'].pk}/attachments/{attachment.pk}/").status_code == 404


def test_an_attachment_is_only_found_under_its_own_visit(cast, visits):
    attachment = visits["a"].attachments.get()

    response = api(cast.manager).get(f"/api/visits/{visits['b'].pk}/attachments/{attachment.pk}/")

    assert response.status_code == 404


@pytest.mark.parametrize("visit_in_url", ["abc", "%C2%B2", "-1"])
def test_an_attachment_under_a_visit_id_that_is_not_a_number_answers_404(cast, visits, visit_in_url):
    attachment = visits["a"].attachments.get()

    response = api(cast.manager).get(f"/api/visits/{visit_in_url}/attachments/{attachment.pk}/")

    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}


def test_an_attachment_downloads_with_its_own_type_as_documented(cast, visits):
    attachment = visits["a"].attachments.get()

    response = api(cast.officer_a).get(f"/api/visits/{visits['a'].pk}/attachments/{attachment.pk}/")
    schema = api(cast.officer_a).get("/api/schema/", {"format": "json"}).json()

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    documented = schema["paths"]["/api/visits/{id}/attachments/{attachment_id}/"]["get"]["responses"]["200"]
    assert "image/jpeg" in documented["content"]


def test_a_week_longer_than_a_week_code_is_refused(cast):
    response = api(cast.officer_a).post(
        "/api/weekly-tracking/", {"enterprise": cast.enterprise_a.pk, "week": "2026-W48" * 1000}, format="json"
    )

    assert response.status_code == 400
    assert list(response.data) == ["week"]
    assert WeeklyTracking.objects.count() == 0


def test_an_over_long_finding_is_refused_and_saves_nothing(cast):
    response = api(cast.officer_a).post(
        "/api/visits/", {"enterprise": cast.enterprise_a.pk, "findings": "多" * 5001}, format="json"
    )

    assert response.status_code == 400
    assert list(response.data) == ["findings"]
    assert Visit.objects.count() == 0


def test_a_multipart_visit_names_its_problems_by_index_and_each_is_strict(cast):
    form = {"enterprise": cast.enterprise_a.pk, "attachments": [jpeg()]}
    problem = {"problems[0]title": "招工难", "problems[0]description": "缺焊工。"}

    refused = api(cast.officer_a).post("/api/visits/", {**form, **problem, "problems[0]colour": "red"})
    created = api(cast.officer_a).post("/api/visits/", {**form, **problem, "attachments": [jpeg()]})

    assert refused.status_code == 400
    assert refused.json() == {"problems": [{"colour": ["未知字段。"]}]}
    assert created.status_code == 201, created.data
    assert [issue.title for issue in Issue.objects.all()] == ["招工难"]


def test_a_read_only_field_on_a_visit_is_refused_by_name_and_saves_nothing(cast):
    response = api(cast.officer_a).post(
        "/api/visits/",
        {"enterprise": cast.enterprise_a.pk, "findings": "正常", "officer": cast.officer_b.pk},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"officer": ["只读字段，不能提交。"]}
    assert Visit.objects.count() == 0


def test_visit_detail_shows_the_snapshot_and_issue_ids(cast, visits):
    response = api(cast.officer_a).get(f"/api/visits/{visits['a'].pk}/")

    assert response.status_code == 200
    assert response.data["enterprise_name"] == cast.enterprise_a.name
    assert response.data["grid"] == cast.grid_a.pk
    assert response.data["mode_display"] == "点对点（上门）"
    assert response.data["attachments"][0]["url"].endswith(
        f"/api/visits/{visits['a'].pk}/attachments/{visits['a'].attachments.get().pk}/"
    )


def test_visits_cannot_be_changed_or_deleted_through_the_api(cast, visits):
    client = api(cast.officer_a)
    url = f"/api/visits/{visits['a'].pk}/"

    assert client.patch(url, {"findings": "改"}, format="json").status_code == 405
    assert client.delete(url).status_code == 405
    assert Visit.objects.get(pk=visits["a"].pk).findings == "甲"


def test_visit_filters(cast, visits):
    client = api(cast.manager)
    today = timezone.localdate(visits["a"].visited_at).isoformat()

    def ids(params):
        response = client.get("/api/visits/", params)
        assert response.status_code == 200, response.data
        return {row["id"] for row in response.data["results"]}

    assert ids({"mode": "phone"}) == {visits["b"].pk}
    assert ids({"enterprise": cast.enterprise_a.pk}) == {visits["a"].pk}
    assert ids({"grid": cast.grid_b.pk}) == {visits["b"].pk}
    assert ids({"date_from": today, "date_to": today}) == {visits["a"].pk, visits["b"].pk}
    assert ids({"date_to": "2000-01-01"}) == set()
    assert ids({"q": "乙企业"}) == {visits["b"].pk}


def test_date_filters_use_the_zones_calendar_day(cast):
    # 00:10 on 1 November in Shanghai is still 31 October in UTC.
    with time_machine.travel(datetime.datetime(2026, 11, 1, 0, 10, tzinfo=SHANGHAI), tick=False):
        visit = visit_create(officer=cast.officer_a, enterprise=cast.enterprise_a, findings="夜间走访")
    client = api(cast.manager)

    november = client.get("/api/visits/", {"date_from": "2026-11-01", "date_to": "2026-11-30"})
    october = client.get("/api/visits/", {"date_from": "2026-10-01", "date_to": "2026-10-31"})

    assert [row["id"] for row in november.data["results"]] == [visit.pk]
    assert october.data["results"] == []


@pytest.mark.parametrize("params", [{"mode": "fax"}, {"date_from": "2026-13-45"}, {"grid": "x"}])
def test_bad_filter_values_answer_400_naming_the_filter(cast, visits, params):
    response = api(cast.manager).get("/api/visits/", params)

    assert response.status_code == 400
    assert list(response.json()) == list(params)


@pytest.mark.parametrize("page", ["abc", 99])
def test_a_page_that_does_not_exist_is_not_found(cast, visits, page):
    assert api(cast.manager).get("/api/visits/", {"page": page}).status_code == 404


def test_an_officer_cannot_filter_by_another_grid(cast, visits):
    response = api(cast.officer_a).get("/api/visits/", {"grid": cast.grid_b.pk})

    assert response.status_code == 400
    assert "grid" in response.data


@pytest.mark.parametrize("visit_count", [3, 30])
def test_the_visit_list_runs_a_fixed_number_of_queries(cast, django_assert_max_num_queries, visit_count):
    for number in range(visit_count):
        enterprise = EnterpriseFactory(grid=cast.grid_a)
        visit_create(
            officer=cast.officer_a,
            enterprise=enterprise,
            problems=[RaisedProblem(title=f"问题{number}", description="描述")],
            attachments=[jpeg()],
        )
    client = api(cast.manager)

    with django_assert_max_num_queries(7):
        response = client.get("/api/visits/")

    assert response.data["count"] == visit_count


# --- Weekly tracking -------------------------------------------------------------


def test_weekly_tracking_create_is_an_upsert(cast):
    client = api(cast.officer_a)
    week = IsoWeek.current().code

    first = client.post(
        "/api/weekly-tracking/",
        {"enterprise": cast.enterprise_a.pk, "week": week, "employees": 200, "risk_funding": True},
        format="json",
    )
    second = client.post(
        "/api/weekly-tracking/",
        {"enterprise": cast.enterprise_a.pk, "week": week, "employees": 205, "note": "更正"},
        format="json",
    )

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.data["id"] == second.data["id"]
    row = WeeklyTracking.objects.get()
    assert (row.employees, row.risk_funding, row.note) == (205, False, "更正")
    assert second.data["week"] == week


def test_a_tracking_corrected_through_the_api_keeps_its_tracked_time(cast):
    client = api(cast.officer_a)
    payload = {"enterprise": cast.enterprise_a.pk, "week": "2026-W49"}
    with time_machine.travel(datetime.datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI), tick=False):
        first = client.post("/api/weekly-tracking/", {**payload, "employees": 200}, format="json")
    with time_machine.travel(datetime.datetime(2026, 12, 2, 16, 30, tzinfo=SHANGHAI), tick=False):
        second = client.post("/api/weekly-tracking/", {**payload, "employees": 205}, format="json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert (second.data["employees"], second.data["tracked_at"], second.data["updated_at"]) == (
        205,
        "2026-11-30T09:00:00+08:00",
        "2026-12-02T16:30:00+08:00",
    )


def test_weekly_tracking_defaults_to_this_week(cast):
    response = api(cast.officer_a).post("/api/weekly-tracking/", {"enterprise": cast.enterprise_a.pk}, format="json")

    assert response.status_code == 201
    assert response.data["week"] == IsoWeek.current().code


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"week": "2025-W53"}, "week"),
        ({"week": "next week"}, "week"),
        ({"week": IsoWeek.of(datetime.date.today() + datetime.timedelta(days=14)).code}, "week"),
        ({"capacity_use": -1}, "capacity_use"),
    ],
)
def test_bad_tracking_input_answers_400_and_saves_nothing(cast, payload, field):
    response = api(cast.officer_a).post(
        "/api/weekly-tracking/", {"enterprise": cast.enterprise_a.pk, **payload}, format="json"
    )

    assert response.status_code == 400
    assert field in response.data
    assert WeeklyTracking.objects.count() == 0


def test_tracking_for_another_grid_or_by_a_non_officer_is_refused(cast):
    officer_response = api(cast.officer_a).post(
        "/api/weekly-tracking/", {"enterprise": cast.enterprise_b.pk}, format="json"
    )
    manager_response = api(cast.manager).post(
        "/api/weekly-tracking/", {"enterprise": cast.enterprise_a.pk}, format="json"
    )

    assert (officer_response.status_code, manager_response.status_code) == (400, 403)
    assert WeeklyTracking.objects.count() == 0


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("manager", {"a", "b"}), ("leader_b", {"b"}), ("officer_a", {"a"}), ("bureau_user_y", set())],
)
def test_each_role_lists_the_tracking_in_its_scope(cast, persona, expected):
    rows = {
        "a": weekly_tracking_record(officer=cast.officer_a, enterprise=cast.enterprise_a)[0],
        "b": weekly_tracking_record(officer=cast.officer_b, enterprise=cast.enterprise_b)[0],
    }

    response = api(getattr(cast, persona)).get("/api/weekly-tracking/")

    assert {row["id"] for row in response.data["results"]} == {rows[key].pk for key in expected}
    if "a" not in expected:
        assert api(getattr(cast, persona)).get(f"/api/weekly-tracking/{rows['a'].pk}/").status_code == 404


def test_anonymous_requests_are_refused(cast, visits):
    client = APIClient()
    before = Visit.objects.count()

    assert client.get("/api/visits/").status_code == 401
    assert client.get("/api/weekly-tracking/").status_code == 401
    assert client.post("/api/visits/", {"enterprise": cast.enterprise_a.pk}).status_code == 401
    assert Visit.objects.count() == before


def test_the_schema_documents_the_field_work_endpoints(cast):
    response = api(cast.manager).get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"get", "post"} <= set(paths["/api/visits/"])
    assert "/api/visits/{id}/attachments/{attachment_id}/" in paths
    assert {"get", "post"} <= set(paths["/api/weekly-tracking/"])
    parameters = {parameter["name"] for parameter in paths["/api/visits/"]["get"]["parameters"]}
    assert {"enterprise", "grid", "date_from", "date_to", "mode", "page"} <= parameters


# --- A bounded count (issue 13: millions of visits) ------------------------------


def _more_visits(cast, total: int) -> None:
    Visit.objects.bulk_create(
        Visit(enterprise=cast.enterprise_a, officer=cast.officer_a, visited_at=timezone.now(), findings=str(number))
        for number in range(total)
    )


def test_the_visit_count_is_exact_up_to_its_bound(cast, monkeypatch):
    monkeypatch.setattr("common.api.COUNT_BOUND", 10)
    _more_visits(cast, 10)

    body = api(cast.manager).get("/api/visits/?page_size=4").json()

    assert body["count"] == 10
    assert len(body["results"]) == 4


def test_beyond_its_bound_the_visit_count_says_at_least_and_pages_still_lead_on(cast, monkeypatch):
    monkeypatch.setattr("common.api.COUNT_BOUND", 10)
    _more_visits(cast, 30)
    client = api(cast.manager)

    first = client.get("/api/visits/?page_size=4").json()
    assert first["count"] == 11  # the bound plus one: "more than 10"
    assert first["next"]
    # A page past the bound counts up to its own end, and the one after it is still reachable.
    fifth = client.get("/api/visits/?page_size=4&page=5").json()
    assert fifth["count"] == 21 and len(fifth["results"]) == 4 and fifth["next"]
    last = client.get("/api/visits/?page_size=4&page=8").json()
    assert last["count"] == 30 and len(last["results"]) == 2 and last["next"] is None
    seen = {
        row["id"]
        for page in range(1, 9)
        for row in client.get(f"/api/visits/?page_size=4&page={page}").json()["results"]
    }
    assert len(seen) == 30


def test_the_visit_list_keeps_a_constant_number_of_queries(cast, client_for, django_assert_max_num_queries):
    _more_visits(cast, 60)
    client = client_for(cast.manager)

    # Session and user, the bounded count, the page and its two prefetches.
    with django_assert_max_num_queries(6):
        assert client.get("/api/visits/").status_code == 200


def test_the_schema_says_which_counts_are_bounded(client):
    schemas = client.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]

    for bounded in ("PaginatedVisitList", "PaginatedIssueList", "PaginatedEnterpriseList"):
        assert "10000" in schemas[bounded]["properties"]["count"]["description"], bounded
    assert "description" not in schemas["PaginatedDistrictList"]["properties"]["count"]
