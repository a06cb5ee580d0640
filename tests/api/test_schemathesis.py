"""A client generated from ``/api/schema/`` is never surprised (schemathesis, in process).

For each role — manager, district leader, grid officer, bureau user,
enterprise user, anonymous — every operation of the schema is called with a
few generated requests (valid and invalid), and every answer must be a
documented status (``status_code_conformance``) with a documented content type
(``content_type_conformance``) and body (``response_schema_conformance``), and
never a 5xx (``not_a_server_error``). Any finding fails the test.

The requests are generated once, from the schema alone (derandomized, a few
per operation), and every role sends the same ones; each operation with path
parameters is also called with the ids of real rows, so answers about existing
objects are checked too, not only 404s. The data set is small and fixed: the
shared cast, two categories, an issue accepted and started (its timeline's
first event starts from no state), an issue just submitted, a visit with a
photo, a product, a month of employment, a week of tracking and a
notification.
"""

import datetime
import re

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.notifications import notify
from enterprises.profile import services as profile_services
from fieldwork.services import RaisedProblem, visit_create, weekly_tracking_record
from issues import services as issue_services
from issues.models import Source
from jingkai_portal.wsgi import application
from tests.factories import CategoryFactory

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES_PER_OPERATION = 5
REAL_ID_EXAMPLES = 2  # of those, how many are sent again with the ids of real rows
ROLES = ["manager", "leader_a", "officer_a", "bureau_user_x", "enterprise_user_a", "anonymous"]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(cast):
    financing = CategoryFactory(code="financing", name="融资贷款", default_bureau=cast.bureau_x)
    CategoryFactory(code="tax", name="税费办理", default_bureau=cast.bureau_y)
    issue = issue_services.issue_submit(
        enterprise=cast.enterprise_a,
        actor=cast.enterprise_user_a,
        title="订单不足",
        description="今年订单下降三成。",
        source=Source.ENTERPRISE,
    )
    issue = issue_services.issue_accept(issue=issue, actor=cast.officer_a, category=financing)
    issue = issue_services.issue_start(issue=issue, actor=cast.officer_a)
    submitted = issue_services.issue_submit(
        enterprise=cast.enterprise_a,
        actor=cast.officer_a,
        title="用电增容",
        description="需增容 500 千伏安。",
        source=Source.VISIT,
    )
    visit = visit_create(
        officer=cast.officer_a,
        enterprise=cast.enterprise_a,
        findings="生产正常。",
        problems=[RaisedProblem(title="招工困难", description="缺少熟练焊工。")],
        attachments=[SimpleUploadedFile("gate.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, content_type="image/jpeg")],
    )
    tracking, _created = weekly_tracking_record(officer=cast.officer_a, enterprise=cast.enterprise_a, note="平稳")
    product = profile_services.product_create(enterprise=cast.enterprise_a, actor=cast.manager, name="齿轮")
    employment, _created = profile_services.employment_record_save(
        enterprise=cast.enterprise_a, actor=cast.manager, month=datetime.date(2026, 1, 1), headcount=120
    )
    notify(recipient=cast.officer_a, kind="test", title="新问题待受理")
    cast.real_ids = {
        "/api/bureaus/{id}/": {"id": cast.bureau_x.pk},
        "/api/districts/{id}/": {"id": cast.district_a.pk},
        "/api/grids/{id}/": {"id": cast.grid_a.pk},
        "/api/enterprises/{id}/": {"id": cast.enterprise_a.pk},
        "/api/enterprises/{enterprise_id}/": {"enterprise_id": cast.enterprise_a.pk},
        "/api/enterprises/{enterprise_id}/products/{id}/": {"enterprise_id": cast.enterprise_a.pk, "id": product.pk},
        "/api/enterprises/{enterprise_id}/employment/{id}/": {
            "enterprise_id": cast.enterprise_a.pk,
            "id": employment.pk,
        },
        "/api/issues/{id}/": {"id": issue.pk},
        "/api/issues/{id}/merge/": {"id": submitted.pk},
        "/api/visits/{id}/": {"id": visit.pk},
        "/api/visits/{id}/attachments/{attachment_id}/": {"id": visit.pk, "attachment_id": visit.attachments.get().pk},
        "/api/weekly-tracking/{id}/": {"id": tracking.pk},
    }
    return cast


def real_ids_for(world, path: str) -> dict | None:
    """The path parameters of a real row for ``path`` (the longest registered prefix naming them all)."""
    names = set(re.findall(r"{(\w+)}", path))
    for prefix in sorted(world.real_ids, key=len, reverse=True):
        if path.startswith(prefix) and set(world.real_ids[prefix]) == names:
            return world.real_ids[prefix]
    return None


@pytest.fixture
def in_test_transaction():
    """Let the WSGI app share the test's transaction.

    Django's handler closes the database connection at the end of each
    request (``close_old_connections``), which would end the test's
    transaction; Django's own test client unhooks it the same way.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def generated_cases(operation) -> list:
    """A few valid and invalid requests for one operation, the same on every run."""
    cases = []
    strategy = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def collect(case):
        cases.append(case)

    collect()
    return cases


@pytest.fixture(scope="module")
def probes(django_db_blocker) -> list[tuple]:
    """Every operation of ``/api/schema/`` with its generated requests, loaded as an outside client would."""
    with django_db_blocker.unblock():
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    return [
        (operation, generated_cases(operation)) for operation in (result.ok() for result in schema.get_all_operations())
    ]


def with_real_ids(operation, cases: list, ids: dict) -> list:
    positive = [case for case in cases if case.meta is None or case.meta.generation.mode.is_positive]
    return [
        operation.Case(path_parameters=ids, query=case.query, body=case.body, media_type=case.media_type)
        for case in positive[:REAL_ID_EXAMPLES]
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_answer_is_documented(probes, world, in_test_transaction, role):
    # Given the role's token (none for the anonymous caller)
    headers = {}
    if role != "anonymous":
        token, _created = Token.objects.get_or_create(user=getattr(world, role))
        headers = {"Authorization": f"Token {token.key}"}

    # When every operation is called with its generated requests, and again with real ids
    findings = []
    for operation, cases in probes:
        ids = real_ids_for(world, operation.path)
        for case in cases + (with_real_ids(operation, cases, ids) if ids else []):
            try:
                case.call_and_validate(headers=headers, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as error:  # collected, then reported together
                findings.append(f"{operation.label} {case.path_parameters or ''}\n{error}")

    # Then every answer is one the schema documents
    assert not findings, f"{len(findings)} answer(s) outside the schema:\n\n" + "\n\n".join(findings)
