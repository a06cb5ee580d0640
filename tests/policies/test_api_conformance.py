"""The API of policies, funding, trainings, financing and service projects answers only as its schema says.

``tests/api/test_schemathesis.py`` calls every operation of ``/api/schema/``, but its data set holds no
policy, application, training, loan or project, so on these resources it only ever meets 404s. Here
the same generated requests (schemathesis, in process) are sent to these resources' operations with the
ids of real rows — a published policy pushed to enterprise A, a submitted application, a training with a
registration, a referral, a loan with an extension, a credit line, a service project — by each role, and
every answer must be a documented status with a documented body, never a 5xx: the refusals (400 naming
the field, 403, 404 for an outsider, 409 for a wrong state) included.
"""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import schemathesis
import time_machine
from rest_framework.authtoken.models import Token

from jingkai_portal.wsgi import application
from platforms.financing import services as financing
from platforms.service_projects.models import Kind, ProjectState
from platforms.service_projects.services import service_project_create
from policies import eligibility
from policies import services as policies
from policies.funding import services as funding
from policies.trainings import services as trainings
from tests.api.test_schemathesis import CHECKS, generated_cases, in_test_transaction, with_real_ids
from tests.factories import BureauFactory
from tests.policies.conftest import make_policy

pytestmark = pytest.mark.django_db

__all__ = ["in_test_transaction"]  # the fixture, imported for its name

ROLES = ["manager", "officer_a", "officer_b", "bureau_user_x", "enterprise_user_a", "enterprise_user_b"]
OURS = re.compile(
    r"^/api/(policies|policy-pushes|eligibility-results|enterprise-facts|funding-applications|trainings"
    r"|training-registrations|banks|financing-events|financing-needs|referrals|credit-lines|loans"
    r"|loan-extensions|service-projects)/"
)
NOW = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(scope="module")
def probes(django_db_blocker) -> list[tuple]:
    """These resources' operations of ``/api/schema/``, each with its generated requests."""
    with django_db_blocker.unblock():
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    return [(operation, generated_cases(operation)) for operation in operations if OURS.match(operation.path)]


@pytest.fixture
def world(cast):
    from platforms.financing.access import FINANCE_BUREAU_CODE
    from platforms.financing.models import Bank

    BureauFactory(code=FINANCE_BUREAU_CODE, name="金融服务办公室")
    policy = make_policy()
    clause = policy.clauses.get()
    policy.apply_from, policy.apply_to = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    policy.save()
    draft = make_policy(title="园区扶持资金（征求意见稿）", level="zone", publish=False, shares={"zone": 100})
    [push] = policies.push_send(policy=policy, actor=cast.officer_a, enterprises=[cast.enterprise_a]).created
    policies.fact_record(enterprise=cast.enterprise_a, actor=cast.officer_a, key="rd_spend", value="60")
    eligibility.evaluate_enterprises()
    result = cast.enterprise_a.eligibility_results.first()
    application = funding.funding_application_create(
        enterprise=cast.enterprise_a,
        clause=clause,
        amount_requested=Decimal("100"),
        reviewing_bureau=cast.bureau_x,
        actor=cast.enterprise_user_a,
        purpose="信息化改造",
    )
    application = funding.funding_application_submit(application=application, actor=cast.enterprise_user_a)
    session = trainings.session_create(
        topic="惠企政策解读专题培训",
        starts_at=NOW + datetime.timedelta(days=8),
        ends_at=NOW + datetime.timedelta(days=8, hours=2),
        place="管委会三楼会议室",
        capacity=2,
        actor=cast.manager,
        policies=[policy],
    )
    registration = trainings.registration_create(
        session=session,
        enterprise=cast.enterprise_a,
        attendee_name="张三",
        attendee_phone="13800000001",
        actor=cast.enterprise_user_a,
    )
    bank = Bank.objects.create(name="重庆测试银行经开区支行", short_name="测试银行")
    on = datetime.date(2026, 3, 2)
    event = financing.event_create(
        actor=None, title="银企对接会", held_on=on, banks=[bank], enterprises=[cast.enterprise_a]
    )
    need = financing.need_create(
        actor=cast.officer_a, enterprise=cast.enterprise_a, amount=Decimal("500"), purpose="购置设备",
        term_months=12, raised_on=on,
    )  # fmt: skip
    referral = financing.referral_create(actor=cast.officer_a, need=need, bank=bank, referred_on=on)
    credit = financing.credit_line_record(
        actor=None, enterprise=cast.enterprise_a, bank=bank, amount=Decimal("400"), granted_on=on
    )
    loan = financing.loan_record(
        actor=None, enterprise=cast.enterprise_a, bank=bank, amount=Decimal("300"), granted_on=on, term_months=6
    )
    extension = financing.loan_extension_record(
        actor=None,
        loan=loan,
        kind="extension",
        amount=Decimal("300"),
        approved_on=datetime.date(2026, 8, 20),
        new_maturity_on=datetime.date(2027, 3, 2),
    )
    project = service_project_create(
        actor=cast.manager,
        enterprise=cast.enterprise_a,
        kind=Kind.COST_SAVING,
        title="能源智管",
        bureau=cast.bureau_x,
        state=ProjectState.DONE,
        started_on=datetime.date(2026, 1, 5),
        completed_on=datetime.date(2026, 3, 15),
        saving_amount=Decimal("120"),
    )
    ids = {
        "/api/policies/{id}/": policy.pk,
        "/api/policies/{id}/publish/": draft.pk,
        "/api/policy-pushes/{id}/": push.pk,
        "/api/eligibility-results/{id}/": result.pk,
        "/api/funding-applications/{id}/": application.pk,
        "/api/trainings/{id}/": session.pk,
        "/api/training-registrations/{id}/": registration.pk,
        "/api/banks/{id}/": bank.pk,
        "/api/financing-events/{id}/": event.pk,
        "/api/financing-needs/{id}/": need.pk,
        "/api/referrals/{id}/": referral.pk,
        "/api/credit-lines/{id}/": credit.pk,
        "/api/loans/{id}/": loan.pk,
        "/api/loan-extensions/{id}/": extension.pk,
        "/api/service-projects/{id}/": project.pk,
    }
    cast.real_ids = {path: {"id": pk} for path, pk in ids.items()}
    return cast


def real_ids_for(world, path: str) -> dict | None:
    for prefix in sorted(world.real_ids, key=len, reverse=True):
        if path.startswith(prefix):
            return world.real_ids[prefix]
    return None


@pytest.mark.parametrize("role", ROLES)
def test_every_answer_on_real_rows_is_documented(probes, world, in_test_transaction, role):
    # Given the role's token and the rows above
    token, _created = Token.objects.get_or_create(user=getattr(world, role))
    headers = {"Authorization": f"Token {token.key}"}
    assert len(probes) >= 40, [operation.label for operation, _cases in probes]

    # When every operation of these resources is called with its generated requests on the real ids
    findings, statuses = [], set()
    for operation, cases in probes:
        ids = real_ids_for(world, operation.path)
        for case in cases + (with_real_ids(operation, cases, ids) if ids else []):
            try:
                response = case.call_and_validate(headers=headers, checks=CHECKS)
                statuses.add(response.status_code)
            except (Exception, BaseExceptionGroup) as error:  # collected, then reported together
                findings.append(f"{operation.label} {case.path_parameters or ''}\n{error}")

    # Then every answer is one the schema documents, and the real rows were reached (not only 404s)
    assert not findings, f"{len(findings)} answer(s) outside the schema:\n\n" + "\n\n".join(findings)
    assert {200, 400} <= statuses, statuses
