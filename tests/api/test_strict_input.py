"""Inputs are strict: an unknown or read-only field is a 400 naming it, every text
field has a maximum length, and a body over the upload limit is a 413 — and a
refused request changes nothing."""

import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from common.api import TEXT_MAX_LENGTH
from enterprises.models import Enterprise, Product
from issues.models import Issue, Source, State
from issues.services import issue_submit
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

UNKNOWN = "未知字段。"
READ_ONLY = "只读字段，不能提交。"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def enterprise_row(enterprise) -> dict:
    return Enterprise.objects.filter(pk=enterprise.pk).values().get()


# --- Unknown fields ----------------------------------------------------------------


def test_a_misspelt_field_on_a_new_issue_is_refused_by_name(cast):
    category = CategoryFactory(code="financing", name="融资贷款")
    body = {"title": "融资需求", "description": "需要流动资金贷款。", "categroy": category.pk}

    response = api(cast.enterprise_user_a).post("/api/issues/", body, format="json")

    assert response.status_code == 400
    assert response.json() == {"categroy": [UNKNOWN]}
    assert not Issue.objects.exists()


def test_an_unknown_field_on_an_enterprise_edit_is_refused_by_name(cast):
    before = enterprise_row(cast.enterprise_a)

    response = api(cast.admin).patch(f"/api/enterprises/{cast.enterprise_a.pk}/", {"colour": "red"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"colour": [UNKNOWN]}
    assert enterprise_row(cast.enterprise_a) == before


def test_an_unknown_field_beside_a_valid_edit_refuses_the_whole_edit(cast):
    before = enterprise_row(cast.enterprise_a)

    response = api(cast.admin).patch(
        f"/api/enterprises/{cast.enterprise_a.pk}/", {"name": "新名称有限公司", "colour": "red"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"colour": [UNKNOWN]}
    assert enterprise_row(cast.enterprise_a) == before


def test_unknown_and_invalid_fields_are_named_together(cast):
    response = api(cast.admin).patch(
        f"/api/enterprises/{cast.enterprise_a.pk}/", {"employees": "many", "colour": "red"}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()) == {"employees", "colour"}


def test_an_unknown_field_on_a_transition_is_refused_and_the_issue_stays_put(cast):
    issue = issue_submit(
        enterprise=cast.enterprise_a,
        actor=cast.enterprise_user_a,
        title="订单不足",
        description="说明",
        source=Source.ENTERPRISE,
    )

    response = api(cast.officer_a).post(f"/api/issues/{issue.pk}/accept/", {"severty": "high"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"severty": [UNKNOWN]}
    issue.refresh_from_db()
    assert issue.state == State.SUBMITTED


def test_an_unknown_field_inside_a_raised_problem_is_named_where_it_is(cast):
    body = {
        "enterprise": cast.enterprise_a.pk,
        "findings": "生产正常。",
        "problems": [{"title": "招工难", "description": "缺焊工。", "colour": "red"}],
    }

    response = api(cast.officer_a).post("/api/visits/", body, format="json")

    assert response.status_code == 400
    assert response.json() == {"problems": [{"colour": [UNKNOWN]}]}
    assert not Issue.objects.exists()


def test_an_unknown_field_in_a_form_encoded_body_is_refused_too(cast):
    response = api(cast.enterprise_user_a).post("/api/issues/", {"title": "x", "description": "y", "colour": "red"})

    assert response.status_code == 400
    assert response.json() == {"colour": [UNKNOWN]}
    assert not Issue.objects.exists()


def test_the_token_endpoint_refuses_an_unknown_field(cast):
    response = Client().post("/api/auth/token/", {"username": "officer-a", "password": "pw-test-123", "remember": "1"})

    assert response.status_code == 400
    assert response.json() == {"remember": [UNKNOWN]}


def test_a_browser_forms_csrf_token_is_not_taken_for_a_field(cast, client_for):
    client = client_for(cast.enterprise_user_a)

    response = client.post("/api/issues/", {"title": "用电增容", "description": "说明", "csrfmiddlewaretoken": "x"})

    assert response.status_code == 201


# --- Read-only fields -----------------------------------------------------------------


def test_a_read_only_state_on_a_new_issue_is_refused_by_name(cast):
    response = api(cast.enterprise_user_a).post(
        "/api/issues/", {"title": "订单不足", "description": "说明", "state": "closed"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"state": [READ_ONLY]}
    assert not Issue.objects.exists()


def test_read_only_fields_on_an_enterprise_edit_are_refused_by_name(cast):
    before = enterprise_row(cast.enterprise_a)

    response = api(cast.admin).patch(
        f"/api/enterprises/{cast.enterprise_a.pk}/",
        {"id": 999, "board_url": "https://example.com/", "district": cast.district_b.pk},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"id": [READ_ONLY], "board_url": [READ_ONLY], "district": [READ_ONLY]}
    assert enterprise_row(cast.enterprise_a) == before


def test_a_read_only_id_on_a_product_is_refused_and_nothing_is_added(cast):
    response = api(cast.manager).post(
        f"/api/enterprises/{cast.enterprise_a.pk}/products/", {"id": 7, "name": "齿轮"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"id": [READ_ONLY]}
    assert not Product.objects.exists()


# --- Maximum lengths ------------------------------------------------------------------


def test_an_over_long_description_is_refused_by_name(cast):
    body = {"title": "订单不足", "description": "长" * (TEXT_MAX_LENGTH + 1)}

    response = api(cast.enterprise_user_a).post("/api/issues/", body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["description"]
    assert str(TEXT_MAX_LENGTH) in response.json()["description"][0]
    assert not Issue.objects.exists()


def test_a_description_of_exactly_the_limit_is_taken(cast):
    body = {"title": "订单不足", "description": "长" * TEXT_MAX_LENGTH}

    response = api(cast.enterprise_user_a).post("/api/issues/", body, format="json")

    assert response.status_code == 201
    assert len(Issue.objects.get().description) == TEXT_MAX_LENGTH


def test_an_over_long_reason_on_a_transition_is_refused(cast):
    issue = issue_submit(
        enterprise=cast.enterprise_a,
        actor=cast.enterprise_user_a,
        title="订单不足",
        description="说明",
        source=Source.ENTERPRISE,
    )

    response = api(cast.officer_a).post(
        f"/api/issues/{issue.pk}/reject/", {"reason": "理" * (TEXT_MAX_LENGTH + 1)}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["reason"]
    issue.refresh_from_db()
    assert issue.state == State.SUBMITTED


def test_every_text_field_of_every_request_body_has_a_maximum_length(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    request_shapes = {
        content["schema"]["$ref"].rsplit("/", 1)[-1]
        for operations in schema["paths"].values()
        for operation in operations.values()
        for content in operation.get("requestBody", {}).get("content", {}).values()
    }
    unbounded = []
    seen: set[str] = set()

    def walk(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        for field, spec in components[name].get("properties", {}).items():
            spec = spec.get("items", spec)
            if "$ref" in spec:
                walk(spec["$ref"].rsplit("/", 1)[-1])
            elif spec.get("type") == "string" and not ({"format", "pattern", "enum"} & set(spec)):
                if "maxLength" not in spec:
                    unbounded.append(f"{name}.{field}")

    for name in request_shapes:
        walk(name)

    assert request_shapes, "no request bodies found in the schema"
    assert unbounded == []


# --- Body size ------------------------------------------------------------------------


def six_megabytes_of_json() -> str:
    return json.dumps({"title": "订单不足", "description": "x" * (6 * 1024 * 1024)})


def test_a_six_megabyte_json_body_answers_413_and_stores_nothing(cast):
    response = api(cast.enterprise_user_a).post(
        "/api/issues/", six_megabytes_of_json(), content_type="application/json"
    )

    assert response.status_code == 413
    assert response.json() == {"detail": "请求内容过大：不能超过 2.5 MB。"}
    assert not Issue.objects.exists()


def test_a_json_body_over_the_limit_without_a_declared_length_answers_413(cast, rf):
    from common.parsers import JSONParser, RequestTooLarge

    body = six_megabytes_of_json().encode()
    request = rf.post("/api/issues/", body, content_type="application/json")
    del request.META["CONTENT_LENGTH"]

    with pytest.raises(RequestTooLarge):
        JSONParser().parse(request, parser_context={"request": request})


def test_a_large_form_encoded_body_answers_413(cast):
    response = api(cast.enterprise_user_a).post(
        "/api/issues/",
        f"title=x&description={'x' * (6 * 1024 * 1024)}",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 413
    assert not Issue.objects.exists()


def test_a_large_multipart_field_answers_413(cast):
    response = api(cast.enterprise_user_a).post(
        "/api/issues/", {"title": "x", "description": "x" * (6 * 1024 * 1024)}, format="multipart"
    )

    assert response.status_code == 413
    assert "detail" in response.json()
    assert not Issue.objects.exists()
