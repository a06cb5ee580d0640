"""Funding fixtures: three published policies (one per funding pattern) and applications in any state.

Time stands still on Monday 2 November 2026, 10:00 Asia/Shanghai, inside every
policy's application window (1 January – 31 December 2026) unless a test travels.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import Notification
from policies.funding import services
from policies.funding.models import Disbursement, FundingApplication, FundingEvent, FundingGrant
from policies.models import ClauseMode, Policy, PolicyClause, PolicyLevel, PolicyState

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI)


def at(year, month, day, hour=10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen_monday():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def make_clause(*, title, level, shares, mode=ClauseMode.APPLY, max_amount=None, apply_from=None, apply_to=None):
    policy = Policy.objects.create(
        title=title,
        level=level,
        issuing_body="测试发文单位",
        key_points="要点",
        state=PolicyState.PUBLISHED,
        apply_from=apply_from if apply_from is not None else datetime.date(2026, 1, 1),
        apply_to=apply_to if apply_to is not None else datetime.date(2026, 12, 31),
    )
    fields = {f"share_{key}": value for key, value in shares.items()}
    return PolicyClause.objects.create(
        policy=policy, number=1, title=f"{title}条款", mode=mode, max_amount=max_amount, **fields
    )


@pytest.fixture
def funding(cast):
    cast.shared = make_clause(title="区级园区共担扶持", level=PolicyLevel.DISTRICT, shares={"district": 60, "zone": 40})
    cast.municipal = make_clause(title="市级信息化政策", level=PolicyLevel.MUNICIPAL, shares={"municipal": 100})
    cast.central = make_clause(title="中央财政专项", level=PolicyLevel.CENTRAL, shares={"central": 100})
    cast.exempt = make_clause(
        title="免申即享稳岗补贴", level=PolicyLevel.ZONE, shares={"zone": 100}, mode=ClauseMode.EXEMPT
    )
    return cast


def draft(f, *, clause=None, amount="100", enterprise=None, actor=None, bureau=None) -> FundingApplication:
    enterprise = enterprise or f.enterprise_a
    return services.funding_application_create(
        enterprise=enterprise,
        clause=clause or f.shared,
        amount_requested=Decimal(amount),
        reviewing_bureau=bureau or f.bureau_x,
        actor=actor
        or {f.enterprise_a: f.enterprise_user_a, f.enterprise_b: f.enterprise_user_b}.get(enterprise, f.manager),
        purpose="智能化改造项目",
    )


def submitted(f, **kwargs) -> FundingApplication:
    application = draft(f, **kwargs)
    officer = {f.grid_a.pk: f.officer_a, f.grid_b.pk: f.officer_b}.get(application.enterprise.grid_id, f.manager)
    return services.funding_application_submit(application=application, actor=officer)


def under_review(f, **kwargs) -> FundingApplication:
    return services.funding_application_review(application=submitted(f, **kwargs), actor=f.manager)


def approved(f, amount="80", **kwargs) -> FundingApplication:
    return services.funding_application_approve(
        application=under_review(f, **kwargs), actor=f.manager, amount=Decimal(amount)
    )


def rejected(f, **kwargs) -> FundingApplication:
    return services.funding_application_reject(
        application=under_review(f, **kwargs), actor=f.manager, reason="材料不全"
    )


def disbursed(f, **kwargs) -> FundingApplication:
    application = approved(f, **kwargs)
    for grant in list(application.grants.all()):
        services.funding_disbursement_record(
            application=FundingApplication.objects.get(pk=application.pk),
            actor=f.manager,
            level=grant.level,
            amount=grant.granted_amount,
        )
    return FundingApplication.objects.get(pk=application.pk)


BUILDERS = {
    "draft": draft,
    "submitted": submitted,
    "under_review": under_review,
    "approved": approved,
    "rejected": rejected,
    "disbursed": disbursed,
}


def snapshot(application: FundingApplication) -> dict:
    """Everything a refused action must leave untouched."""
    return {
        "row": FundingApplication.objects.filter(pk=application.pk).values().get(),
        "grants": list(
            FundingGrant.objects.order_by("id").values_list("id", "level", "granted_amount", "disbursed_amount")
        ),
        "disbursements": list(Disbursement.objects.order_by("id").values_list("id", "amount")),
        "events": list(FundingEvent.objects.order_by("id").values_list("id", "action")),
        "notifications": Notification.objects.count(),
    }


@pytest.fixture
def builders():
    return SimpleNamespace(**BUILDERS)
