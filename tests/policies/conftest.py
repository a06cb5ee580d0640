"""A small published library on top of the shared cast."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from policies import services
from policies.models import Policy, PolicyState

INFORMATIZATION_CRITERIA = [
    {"fact": "industry", "operator": "in", "value": ["equipment", "electronics"], "article": "第二条"},
    {"fact": "informatization_investment", "operator": "gte", "value": 200, "article": "第三条第（一）项"},
    {"fact": "rd_spend", "operator": "gte", "value": 50, "is_hard": False, "article": "第三条第（二）项"},
]


def make_policy(*, title="企业信息化专项资金", level="municipal", actor=None, publish=True, criteria=None, shares=None):
    policy = Policy.objects.create(
        title=title,
        level=level,
        issuing_body="市经济信息委",
        key_points="支持企业实施信息化改造、上云用云。" if "信息化" in title else "支持企业稳定发展。",
        state=PolicyState.DRAFT,
    )
    services.refresh_search_tokens(policy)
    policy.save()
    services.clause_save(
        policy=policy,
        actor=None,
        number=1,
        title="信息化改造项目补助" if "信息化" in title else "扶持补助",
        shares=shares or {"municipal": 100},
        max_amount=Decimal("200"),
        criteria=INFORMATIZATION_CRITERIA if criteria is None else criteria,
    )
    if publish:
        Policy.objects.filter(pk=policy.pk).update(
            state=PolicyState.PUBLISHED, published_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
        )
        policy.refresh_from_db()
    return policy


@pytest.fixture
def library(cast):
    policy = make_policy()
    draft = make_policy(title="园区扶持资金（征求意见稿）", level="zone", publish=False, shares={"zone": 100})
    return SimpleNamespace(cast=cast, policy=policy, clause=policy.clauses.get(), draft=draft)


@pytest.fixture
def eager_celery():
    from jingkai_portal.celery import app

    # Django's CELERY_-namespaced setting is what the app reads; set it for this test only.
    saved = app.conf.CELERY_TASK_ALWAYS_EAGER
    app.conf.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.CELERY_TASK_ALWAYS_EAGER = saved
