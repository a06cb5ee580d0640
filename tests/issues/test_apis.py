"""``/api/issues/``: scope, filters, one action per transition (409 / 400 / 403), a read-only timeline."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from issues.models import Issue, IssueEvent, State
from tests.issues.conftest import accepted, at_bureau, fresh, in_progress, resolved, submitted
from tests.issues.helpers import snapshot


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def action_url(issue, name):
    return f"/api/issues/{issue.pk}/{name}/"


@pytest.fixture
def two_issues(ledger):
    return at_bureau(ledger), accepted(ledger, enterprise=ledger.enterprise_b, title="乙企业用工短缺")


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("manager", {"a", "b"}),
        ("leader_a", {"a"}),
        ("officer_b", {"b"}),
        ("bureau_user_x", {"a"}),
        ("bureau_user_y", set()),
        ("enterprise_user_a", {"a"}),
        ("enterprise_user_b", {"b"}),
    ],
)
def test_the_list_and_detail_follow_the_scope(ledger, two_issues, who, expected):
    client = api(getattr(ledger, who))
    ids = {"a": two_issues[0].pk, "b": two_issues[1].pk}
    body = client.get("/api/issues/").json()
    assert {row["id"] for row in body["results"]} == {ids[key] for key in expected}
    assert set(body) >= {"count", "next", "previous", "results"}
    for key, pk in ids.items():
        assert client.get(f"/api/issues/{pk}/").status_code == (200 if key in expected else 404)
        assert client.get(f"/api/issues/{pk}/events/").status_code == (200 if key in expected else 404)


def test_anonymous_is_refused(ledger, two_issues):
    assert APIClient().get("/api/issues/").status_code == 401


def test_filters(ledger, two_issues):
    client = api(ledger.manager)
    assert [row["id"] for row in client.get("/api/issues/", {"level": "bureau"}).json()["results"]] == [
        two_issues[0].pk
    ]
    assert [row["id"] for row in client.get("/api/issues/", {"district": ledger.district_b.pk}).json()["results"]] == [
        two_issues[1].pk
    ]
    assert client.get("/api/issues/", {"overdue": "true"}).json()["count"] == 0
    assert client.get("/api/issues/", {"state": "nonsense"}).status_code == 400
    assert client.get("/api/issues/", {"ordering": "title"}).status_code == 400


def test_the_full_path_through_the_api(ledger):
    issue = submitted(ledger)
    assert api(ledger.officer_a).post(action_url(issue, "accept"), {"category": ledger.financing.pk}).status_code == 200
    response = api(ledger.officer_a).post(
        action_url(issue, "escalate"), {"reason": "需财政局协调", "bureau": ledger.bureau_x.pk}
    )
    assert response.status_code == 200 and response.json()["level"] == "bureau"
    assert api(ledger.bureau_user_x).post(action_url(issue, "start"), {}).status_code == 200
    assert api(ledger.bureau_user_x).post(action_url(issue, "extend"), {"days": 2, "reason": "会商"}).status_code == 200
    response = api(ledger.leader_a).post(action_url(issue, "approve-extension"), {"approve": True}, format="json")
    assert response.status_code == 200 and response.json()["extension_count"] == 1
    assert api(ledger.bureau_user_x).post(action_url(issue, "resolve"), {"resolution": "已办结"}).status_code == 200
    response = api(ledger.enterprise_user_a).post(action_url(issue, "feedback"), {"rating": "satisfied"})
    assert response.status_code == 200 and response.json()["state"] == "closed"
    events = api(ledger.enterprise_user_a).get(f"/api/issues/{issue.pk}/events/").json()["results"]
    assert [event["action"] for event in events] == [
        "submit",
        "accept",
        "escalate",
        "start",
        "extend_request",
        "extend_approve",
        "resolve",
        "feedback",
    ]
    assert events[1]["actor_name"] == ledger.officer_a.name


def test_return_verify_close_and_merge_actions(ledger):
    issue = at_bureau(ledger)
    assert api(ledger.bureau_user_x).post(action_url(issue, "return"), {"reason": "属网格事项"}).status_code == 200
    assert fresh(issue).level == "grid"
    issue = resolved(ledger)
    response = api(ledger.officer_a2).post(
        action_url(issue, "verify"), {"passed": False, "note": "未落实"}, format="json"
    )
    assert response.status_code == 200 and response.json()["rework_count"] == 1
    issue = resolved(ledger)
    assert api(ledger.officer_a).post(action_url(issue, "close"), {}).status_code == 200
    original, duplicate = accepted(ledger, title="甲"), submitted(ledger, title="乙")
    response = api(ledger.officer_a).post(action_url(duplicate, "merge"), {"into": original.pk})
    assert response.status_code == 200 and response.json()["duplicate_of"] == original.pk
    issue = submitted(ledger)
    assert api(ledger.officer_a).post(action_url(issue, "reject"), {"reason": "重复反映"}).status_code == 200


@pytest.mark.parametrize(
    ("build", "name", "payload"),
    [
        (resolved, "resolve", {"resolution": "再次办结"}),
        (submitted, "start", {}),
        (in_progress, "accept", {}),
        (accepted, "feedback", {"rating": "satisfied"}),
        (accepted, "approve-extension", {"approve": True}),
    ],
)
def test_a_state_conflict_is_409_and_changes_nothing(ledger, build, name, payload):
    issue = build(ledger)
    before = snapshot(issue)
    actor = ledger.enterprise_user_a if name == "feedback" else ledger.manager
    response = api(actor).post(action_url(issue, name), payload, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "state_conflict" and response.json()["detail"]
    assert snapshot(issue) == before


@pytest.mark.parametrize(
    ("build", "name", "payload"),
    [
        (submitted, "reject", {}),
        (accepted, "escalate", {"reason": " "}),
        (accepted, "extend", {"days": 2}),
        (accepted, "resolve", {}),
        (resolved, "verify", {"passed": False}),
        (accepted, "extend", {"days": "many", "reason": "x"}),
    ],
)
def test_a_missing_reason_or_bad_value_is_400_and_changes_nothing(ledger, build, name, payload):
    issue = build(ledger)
    before = snapshot(issue)
    response = api(ledger.officer_a).post(action_url(issue, name), payload, format="json")
    assert response.status_code == 400
    assert snapshot(issue) == before


def test_the_wrong_role_is_403_and_out_of_scope_is_404(ledger):
    issue = at_bureau(ledger)
    before = snapshot(issue)
    assert api(ledger.officer_a).post(action_url(issue, "resolve"), {"resolution": "x"}).status_code == 403
    assert api(ledger.officer_b).post(action_url(issue, "resolve"), {"resolution": "x"}).status_code == 404
    assert api(ledger.bureau_user_y).post(action_url(issue, "resolve"), {"resolution": "x"}).status_code == 404
    assert snapshot(issue) == before


def test_a_stale_version_is_409(ledger):
    issue = accepted(ledger)
    stale_version = issue.version
    api(ledger.officer_a).post(action_url(issue, "start"), {})
    before = snapshot(issue)
    response = api(ledger.officer_a2).post(action_url(issue, "resolve"), {"resolution": "x", "version": stale_version})
    assert response.status_code == 409 and response.json()["code"] == "issue_changed"
    assert snapshot(issue) == before


def test_events_are_read_only(ledger):
    issue = accepted(ledger)
    client = api(ledger.admin)
    event = IssueEvent.objects.filter(issue=issue).first()
    url = f"/api/issues/{issue.pk}/events/"
    for method in ("put", "patch", "delete", "post"):
        assert getattr(client, method)(url, {"note": "篡改"}, format="json").status_code == 405
    for method in ("put", "patch", "delete"):
        assert (
            getattr(client, method)(f"/api/issues/{issue.pk}/", {"state": "closed"}, format="json").status_code == 405
        )
    event.refresh_from_db()
    assert event.note == "" and fresh(issue).state == State.ACCEPTED


def test_the_first_event_starts_from_no_state_as_null_and_the_schema_says_so(ledger):
    issue = accepted(ledger)

    events = api(ledger.officer_a).get(f"/api/issues/{issue.pk}/events/").json()["results"]
    schema = api(ledger.officer_a).get("/api/schema/", {"format": "json"}).json()

    assert [(event["from_state"], event["to_state"]) for event in events] == [
        (None, State.SUBMITTED),
        (State.SUBMITTED, State.ACCEPTED),
    ]
    from_state = schema["components"]["schemas"]["IssueEvent"]["properties"]["from_state"]
    assert from_state["nullable"] is True
    assert {"$ref": "#/components/schemas/BlankEnum"} not in from_state["oneOf"]


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("post", "accept.json"), ("post", "accept.api"), ("get", "events.json")],
)
def test_a_format_suffix_on_an_action_answers_404_and_changes_nothing(ledger, method, suffix):
    issue = submitted(ledger)
    before = snapshot(issue)

    response = getattr(api(ledger.officer_a), method)(f"/api/issues/{issue.pk}/{suffix}", {}, format="json")

    assert response.status_code == 404
    assert snapshot(issue) == before


def test_a_read_only_or_unknown_field_on_an_action_is_400_and_changes_nothing(ledger):
    issue = accepted(ledger)
    before = snapshot(issue)

    response = api(ledger.officer_a).post(
        action_url(issue, "start"), {"state": "resolved", "handler": ledger.officer_a2.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"state": ["未知字段。"], "handler": ["未知字段。"]}
    assert snapshot(issue) == before


def test_every_action_documents_its_error_answers_with_their_shapes(ledger):
    schema = api(ledger.manager).get("/api/schema/", {"format": "json"}).json()

    responses = schema["paths"]["/api/issues/{id}/accept/"]["post"]["responses"]

    assert set(responses) == {"200", "400", "401", "403", "404", "409", "413", "415"}
    assert responses["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ValidationError"}
    for code in ("401", "403", "404", "409", "413", "415"):
        assert responses[code]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorDetail"}


def test_enterprise_users_do_not_see_internal_notes_in_the_api(ledger):
    from issues import services

    issue = accepted(ledger)
    services.issue_comment(issue=issue, actor=ledger.officer_a, body="内部评估", internal=True)
    notes = [e["note"] for e in api(ledger.enterprise_user_a).get(f"/api/issues/{issue.pk}/events/").json()["results"]]
    assert "内部评估" not in notes
    staff_notes = [e["note"] for e in api(ledger.officer_a).get(f"/api/issues/{issue.pk}/events/").json()["results"]]
    assert "内部评估" in staff_notes


def test_submitting_through_the_api(ledger):
    response = api(ledger.enterprise_user_a).post(
        "/api/issues/", {"title": "用电增容", "description": "需增容 500 千伏安"}
    )
    assert response.status_code == 201
    issue = Issue.objects.get(pk=response.json()["id"])
    assert (issue.enterprise, issue.source, issue.state) == (ledger.enterprise_a, "enterprise", "submitted")
    # Staff name an enterprise in their scope; another is refused with the field named.
    refused = api(ledger.officer_a).post(
        "/api/issues/", {"enterprise": ledger.enterprise_b.pk, "title": "x", "description": "y"}
    )
    assert refused.status_code == 400 and "enterprise" in refused.json()
    assert api(ledger.bureau_user_x).post("/api/issues/", {"title": "x", "description": "y"}).status_code == 403
    assert api(ledger.enterprise_user_a).post("/api/issues/", {"title": "", "description": "y"}).status_code == 400
    assert Issue.objects.count() == 1


def test_the_actions_are_in_the_schema(ledger):
    client = api(ledger.manager)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for name in (
        "accept",
        "reject",
        "start",
        "escalate",
        "return",
        "extend",
        "approve-extension",
        "resolve",
        "verify",
        "feedback",
        "close",
        "merge",
    ):
        assert "post" in paths[f"/api/issues/{{id}}/{name}/"], name
    assert set(paths["/api/issues/{id}/events/"]) == {"get"}
    assert "/api/notifications/" in paths


@pytest.mark.parametrize("count", [2, 24])
def test_the_list_keeps_a_constant_number_of_queries(ledger, django_assert_max_num_queries, count):
    from issues import services

    for number in range(count):
        issue = accepted(ledger, title=f"问题{number}")
        if number % 2:
            services.issue_escalate(issue=issue, actor=ledger.manager, reason="升级", bureau=ledger.bureau_x)
    for who in ("manager", "bureau_user_x"):
        client = api(getattr(ledger, who))
        with django_assert_max_num_queries(6):
            response = client.get("/api/issues/")
        assert response.json()["count"] == count if who == "manager" else True
    with django_assert_max_num_queries(6):
        api(ledger.manager).get(reverse("issue-events", args=[issue.pk]))
