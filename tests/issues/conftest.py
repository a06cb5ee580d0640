"""Ledger fixtures: categories, a task force, and issues brought to any state through the services.

Time stands still on Monday 2 November 2026, 10:00 in Asia/Shanghai (a plain
working week), unless a test travels elsewhere.
"""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import Role
from grids.models import JointTaskForce
from issues import services
from issues.models import Issue, Source
from tests.factories import CategoryFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI)


def at(year, month, day, hour=10, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    # Uploaded attachments go to a throw-away folder, not the working tree's var/media.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def frozen_monday():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def ledger(cast):
    """The cast plus categories, a task force and a second (non-leader) officer of grid A."""
    financing = CategoryFactory(code="financing", name="融资贷款", default_bureau=cast.bureau_x)
    tax = CategoryFactory(code="tax", name="税费办理", default_bureau=cast.bureau_y, grid_days=2)
    task_force = JointTaskForce.objects.create(name="联合服务专班", lead_bureau=cast.bureau_x)
    task_force.bureaus.add(cast.bureau_x, cast.bureau_y)
    officer_a2 = UserFactory(username="officer-a2", role=Role.GRID_OFFICER, name="孙网格")
    cast.grid_a.officers.add(officer_a2)
    return SimpleNamespace(**vars(cast), financing=financing, tax=tax, task_force=task_force, officer_a2=officer_a2)


def fresh(issue: Issue) -> Issue:
    return Issue.objects.get(pk=issue.pk)


def submitted(ledger, *, enterprise=None, title="订单不足，需要对接采购") -> Issue:
    enterprise = enterprise or ledger.enterprise_a
    user = ledger.enterprise_user_a if enterprise == ledger.enterprise_a else ledger.enterprise_user_b
    return services.issue_submit(
        enterprise=enterprise,
        actor=user,
        title=title,
        description="今年订单下降三成，希望帮助对接区内采购。",
        source=Source.ENTERPRISE,
    )


def accepted(ledger, **kwargs) -> Issue:
    issue = submitted(ledger, **kwargs)
    officer = ledger.officer_a if issue.enterprise == ledger.enterprise_a else ledger.officer_b
    return services.issue_accept(issue=issue, actor=officer, category=ledger.financing)


def in_progress(ledger, **kwargs) -> Issue:
    issue = accepted(ledger, **kwargs)
    return services.issue_start(issue=issue, actor=issue.handler)


def at_bureau(ledger, **kwargs) -> Issue:
    """Accepted by grid A, escalated to bureau X (finance); not yet started there."""
    issue = accepted(ledger, **kwargs)
    return services.issue_escalate(issue=issue, actor=ledger.officer_a, reason="需财政局协调", bureau=ledger.bureau_x)


def at_task_force(ledger) -> Issue:
    issue = at_bureau(ledger)
    return services.issue_escalate(
        issue=issue, actor=ledger.bureau_user_x, reason="涉及多部门", task_force=ledger.task_force
    )


def resolved(ledger, **kwargs) -> Issue:
    issue = in_progress(ledger, **kwargs)
    return services.issue_resolve(issue=issue, actor=issue.handler, resolution="已对接三家区内采购商。")


def closed(ledger) -> Issue:
    issue = resolved(ledger)
    return services.issue_close(issue=issue, actor=ledger.officer_a)


def rejected(ledger) -> Issue:
    return services.issue_reject(issue=submitted(ledger), actor=ledger.officer_a, reason="不属于企业服务范围")


def merged(ledger) -> Issue:
    original = accepted(ledger, title="原问题")
    duplicate = submitted(ledger, title="重复问题")
    return services.issue_merge(issue=duplicate, actor=ledger.officer_a, into=original)


BUILDERS = {
    "submitted": submitted,
    "accepted": accepted,
    "in_progress": in_progress,
    "resolved": resolved,
    "closed": closed,
    "rejected": rejected,
    "merged": merged,
}
