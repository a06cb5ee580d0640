"""Malformed requests answer 4xx with the problem named, never 5xx, and change nothing."""

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.urls import reverse

from accounts.models import Notification
from accounts.notifications import notify
from common.api import exception_handler
from enterprises.models import Enterprise
from issues.models import Source, State
from issues.services import issue_submit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("page=abc", 404, None),
        ("page=0", 404, None),
        ("page=99", 404, None),
        ("page=99999999999999999999999", 404, None),
        ("tier=unicorn", 400, "tier"),
        ("ownership=public", 400, "ownership"),
        ("industry=mining", 400, "industry"),
        ("grid=abc", 400, "grid"),
        ("grid=99999999999999999999999", 400, "grid"),
        ("district=-1", 400, "district"),
        ("ordering=password", 400, "ordering"),
        ("ordering=name,,", 400, "ordering"),
    ],
)
def test_bad_list_parameters_answer_4xx_naming_the_parameter(cast, client_for, query, status, field):
    response = client_for(cast.manager).get(f"/api/enterprises/?{query}")

    assert response.status_code == status
    if field:
        assert field in response.json()


@pytest.mark.parametrize("query", ["page_size=abc", "page_size=-5", "page_size=100000", "above_scale=maybe", "q="])
def test_harmless_oddities_fall_back_to_the_defaults(cast, client_for, query):
    response = client_for(cast.manager).get(f"/api/enterprises/?{query}")

    assert response.status_code == 200
    assert response.json()["count"] == 2


@pytest.mark.parametrize(
    "url",
    [
        "/api/enterprises/abc/",
        "/api/enterprises/99999999999999999999999/",
        "/api/enterprises/-1/",
        "/api/grids/abc/",
        "/api/districts/99999999999999999999999/",
        "/api/bureaus/0/",
    ],
)
def test_bad_detail_ids_answer_404(cast, client_for, url):
    assert client_for(cast.manager).get(url).status_code == 404


@pytest.mark.parametrize(("query", "field"), [("district=abc", "district"), ("ordering=leader", "ordering")])
def test_bad_organisation_list_parameters_answer_400_naming_the_parameter(cast, client_for, query, field):
    response = client_for(cast.manager).get(f"/api/grids/?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_a_page_that_is_no_number_is_not_found(cast, client_for):
    assert client_for(cast.manager).get("/api/grids/?page=x").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"employees": "many"}, "employees"),
        ({"employees": -3}, "employees"),
        ({"grid": "x"}, "grid"),
        ({"grid": {"id": 1}}, "grid"),
        ({"above_scale": [1]}, "above_scale"),
        ({"registered_capital": "abc"}, "registered_capital"),
        ({"registered_capital": "1e400"}, "registered_capital"),
        ({"founded_on": "2020-13-45"}, "founded_on"),
        ({"name": ["甲"]}, "name"),
        ({"name": "长" * 101}, "name"),
        ({"uscc": 12345}, "uscc"),
        ({"uscc": None}, "uscc"),
        ({"tier_reason": {"x": 1}}, "tier_reason"),
    ],
)
def test_wrong_types_answer_400_naming_the_field_and_change_nothing(cast, client_for, body, field):
    name = cast.enterprise_a.name

    response = client_for(cast.admin).patch(
        f"/api/enterprises/{cast.enterprise_a.pk}/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert field in response.json()
    assert Enterprise.objects.get(pk=cast.enterprise_a.pk).name == name


@pytest.mark.parametrize(
    ("payload", "content_type", "status"),
    [
        ("{not json", "application/json", 400),
        ('["a list"]', "application/json", 400),
        ("null", "application/json", 400),
        ("name=x", "text/plain", 415),
    ],
)
def test_bad_bodies_are_refused_and_create_nothing(cast, client_for, payload, content_type, status):
    before = Enterprise.objects.count()

    response = client_for(cast.admin).post("/api/enterprises/", payload, content_type=content_type)

    assert response.status_code == status
    assert Enterprise.objects.count() == before


def test_a_write_that_loses_a_race_in_the_database_answers_409_not_500():
    response = exception_handler(IntegrityError("UNIQUE constraint failed: enterprises_enterprise.uscc"), {})

    assert response.status_code == 409
    assert "detail" in response.data


def test_a_service_validation_error_answers_400_with_its_fields():
    response = exception_handler(DjangoValidationError({"reason": ["调整企业分类必须填写原因。"]}), {})

    assert (response.status_code, response.data) == (400, {"reason": ["调整企业分类必须填写原因。"]})


# --- Format suffixes and addresses that name no endpoint ---------------------------


@pytest.fixture
def submitted_issue(cast):
    return issue_submit(
        enterprise=cast.enterprise_a,
        actor=cast.enterprise_user_a,
        title="订单不足",
        description="说明",
        source=Source.ENTERPRISE,
    )


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/issues/{issue}/accept.json"),
        ("get", "/api/issues/{issue}/events.json"),
        ("get", "/api/issues/{issue}.json"),
        ("get", "/api/issues.json"),
        ("get", "/api/visits/1/attachments/1.json"),
        ("get", "/api/reports/monthly/metrics.json"),
        ("get", "/api/notifications.json"),
        ("get", "/api/enterprises/{enterprise}/products.json"),
        ("get", "/api/visits/1/attachments/²/"),
        ("get", "/api/enterprises/-1/products/"),
        ("delete", "/api/no-such-collection/"),
    ],
)
def test_a_format_suffix_or_an_unknown_address_answers_a_json_404_and_changes_nothing(
    cast, client_for, submitted_issue, method, url
):
    url = url.format(issue=submitted_issue.pk, enterprise=cast.enterprise_a.pk)

    response = getattr(client_for(cast.officer_a), method)(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "未找到。"}
    submitted_issue.refresh_from_db()
    assert submitted_issue.state == State.SUBMITTED


def test_format_is_still_chosen_by_query_parameter(cast, client_for):
    response = client_for(cast.manager).get("/api/enterprises/", {"format": "json"})

    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_a_get_without_its_trailing_slash_is_sent_on_to_the_slashed_address(cast, client_for):
    response = client_for(cast.manager).get("/api/enterprises", {"tier": "growth"})

    assert response.status_code == 301
    assert response["Location"] == "/api/enterprises/?tier=growth"


# --- Digits that are not ASCII ---------------------------------------------------------


@pytest.fixture
def unread(cast):
    return [notify(recipient=cast.officer_a, kind="test", title=title) for title in ("一", "二")]


def _unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


@pytest.mark.parametrize("raw", ["²", "٣", "1²", "-1", "abc"])
def test_marking_a_notification_read_on_the_page_with_a_garbled_id_answers_400_and_marks_nothing(
    cast, client_for, unread, raw
):
    response = client_for(cast.officer_a).post(reverse("notifications_mark_read"), {"id": raw})

    assert response.status_code == 400
    assert _unread_count(cast.officer_a) == 2


@pytest.mark.parametrize("raw", ["²", "1²", "0", "-1", "abc", True, [1]])
def test_marking_a_notification_read_through_the_api_with_a_garbled_id_answers_400_naming_it(
    cast, client_for, unread, raw
):
    response = client_for(cast.officer_a).post("/api/notifications/read/", {"id": raw}, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"id": ["请提供有效的通知编号。"]}
    assert _unread_count(cast.officer_a) == 2


def test_marking_a_notification_read_with_an_id_too_large_for_any_row_marks_nothing(cast, client_for, unread):
    response = client_for(cast.officer_a).post("/api/notifications/read/", {"id": "9" * 30})

    assert (response.status_code, response.json()) == (200, {"marked": 0, "unread": 2})
    assert _unread_count(cast.officer_a) == 2
