"""The generated scope matrix (issue 12 item 8): every URL pattern × every role.

See ``tests/security/scope_matrix.py`` for what is checked and how objects
inside and outside each persona's scope are chosen.
"""

import pytest

from tests.security.scope_matrix import EXEMPT, GET_WRITES_ALLOWED, INSIDE_404, URLS, Matrix, Obj, get_writes_refused

SCOPED_ROLES = ["district_leader", "grid_officer", "bureau_staff", "enterprise_user"]
ROLES = ["admin", "manager", "district_leader", "grid_officer", "bureau_staff", "enterprise_user", "anonymous"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_within_its_scope(matrix_zone, role, record_property):
    result = Matrix(matrix_zone).run([role])
    record_property("scope_matrix_cases", (role, result.cases))  # printed in the terminal summary

    assert result.cases > 250
    # The matrix did reach the objects: each signed-in role opened objects of its
    # own and read pages, and each role short of the whole zone was refused others'.
    if role != "anonymous":
        assert result.inside > 20 and result.pages > 40, result
    if role in SCOPED_ROLES:
        assert result.outside > 80, result
    assert not result.failures, f"{len(result.failures)} failures:\n" + "\n".join(result.failures)


LEAKY = "tests.security.leaky_urls"


@pytest.mark.django_db
def test_a_new_view_without_a_place_in_the_matrix_fails_it(matrix_zone, settings):
    settings.ROOT_URLCONF = LEAKY

    result = Matrix(matrix_zone, urlconf=LEAKY).run(["grid_officer"], only={"leaky-issue", "leaky-issue-list"})

    assert result.failures == [
        "leaky-issue-list [leak/issues/] as -: unmapped URL: add it to the matrix (URLS) or exempt it with a reason "
        "(EXEMPT)",
        "leaky-issue [leak/issues/<int:pk>/] as -: unmapped URL: add it to the matrix (URLS) or exempt it with a "
        "reason (EXEMPT)",
    ]


@pytest.mark.django_db
def test_an_unscoped_view_once_mapped_is_caught_leaking(matrix_zone, settings):
    settings.ROOT_URLCONF = LEAKY
    urls = {**URLS, "leaky-issue": {"pk": Obj("issue")}, "leaky-issue-list": {}}
    matrix = Matrix(matrix_zone, urls=urls, urlconf=LEAKY)
    outside = matrix.sample("grid_officer", "issue", inside=False)

    result = matrix.run(["grid_officer", "anonymous"], only={"leaky-issue", "leaky-issue-list"})

    # The detail answers 200 where a missing id answers 404, and its POST changes the issue;
    # the list links to issues out of scope.
    leaky = "leaky-issue [leak/issues/<int:pk>/] as grid_officer:"
    for method in ("GET", "POST"):
        assert (
            f"{leaky} {method} /leak/issues/{outside.pk}/ (outside) answered 200, an id that does not exist answers 404"
        ) in result.failures
    assert f"{leaky} POST /leak/issues/{outside.pk}/ (outside) wrote to ['issues_issue']" in result.failures
    assert any(
        failure.startswith("leaky-issue-list [leak/issues/] as grid_officer: links to /issues/")
        and failure.endswith("is outside the scope")
        for failure in result.failures
    ), result.failures
    # Anonymous visitors were sent to sign in: not a failure.
    assert not [failure for failure in result.failures if " as anonymous:" in failure]


@pytest.mark.django_db
def test_a_create_under_an_outside_parent_and_an_outside_id_in_the_query_are_caught(matrix_zone, settings):
    settings.ROOT_URLCONF = LEAKY
    urls = {**URLS, "leaky-product-add": {"pk": Obj("enterprise")}, "leaky-enterprise-filter": {}}
    matrix = Matrix(
        matrix_zone,
        urls=urls,
        urlconf=LEAKY,
        creates={"leaky-product-add": lambda enterprise: {"name": "越权产品"}},
        query_refs={"leaky-enterprise-filter": {"enterprise": "enterprise"}},
    )
    outside = matrix.sample("grid_officer", "enterprise", inside=False)

    result = matrix.run(["grid_officer"], only={"leaky-product-add", "leaky-enterprise-filter"})

    # The create adds a product to an enterprise out of scope where a missing parent answers 404 …
    create = (
        "leaky-product-add [leak/enterprises/<int:pk>/products/] as grid_officer: "
        f"POST /leak/enterprises/{outside.pk}/products/ (a create under an outside parent)"
    )
    assert f"{create} answered 201, a parent that does not exist answers 404" in result.failures
    assert f"{create} wrote to ['enterprises_historicalproduct', 'enterprises_product']" in result.failures
    # … and the list names the enterprise its query points at, which it must not even reveal.
    assert (
        f"leaky-enterprise-filter [leak/enterprises/] as grid_officer: GET /leak/enterprises/?enterprise={outside.pk} "
        f"names the outside enterprise {outside.name!r}"
    ) in result.failures
    assert result.creates == 1 and result.references == 1


def test_every_exemption_gives_its_reason():
    for name, reason in EXEMPT.items():
        assert len(reason) > 40, f"{name}: an exemption needs a written reason"
    for name, (roles, reason) in INSIDE_404.items():
        assert roles and len(reason) > 40, f"{name}: an allowance needs its roles and a written reason"
    for name, (tables, reason) in GET_WRITES_ALLOWED.items():
        assert tables and len(reason) > 40, f"{name}: a GET that writes needs its tables and a written reason"


def test_a_get_that_writes_outside_its_allowed_tables_is_caught():
    assert get_writes_refused("analytics:zone_dashboard", ["analytics_monthlyreport"]) == []
    assert get_writes_refused("analytics:zone_dashboard", ["analytics_monthlyreport", "issues_issue"]) == [
        "issues_issue"
    ]
    assert get_writes_refused("issues:list", ["analytics_monthlyreport"]) == ["analytics_monthlyreport"]


@pytest.mark.django_db
def test_the_schema_documents_the_401_an_anonymous_caller_gets(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    public = {("/api/auth/token/", "post")}
    undocumented = [
        (path, method)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if (path, method) not in public and "401" not in operation["responses"]
    ]
    assert undocumented == []
    issues = schema["paths"]["/api/issues/"]["get"]["responses"]["401"]
    assert issues["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorDetail"}
