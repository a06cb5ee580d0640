"""The policy rules ask ``accounts.scoping.Scope``, not the user's role.

Each test gives one Scope question another answer and shows the rule table, the
services and the pages follow it — so none of them kept its own copy of the rule.
"""

import pytest
from django.urls import reverse

from accounts.scoping import Scope
from emergency import policy as emergency_policy
from emergency.models import AffectedEnterprise
from issues import policy as issue_policy
from issues.models import Issue
from policies import rules, services
from policies.errors import NotPermitted
from policies.models import EnterpriseFact, PolicyPush, PushState
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_the_grid_side_is_asked_of_the_scope_alone(library, monkeypatch):
    cast = library.cast
    fact_url = reverse("policies:fact_record", args=[cast.enterprise_a.pk])
    assert rules.PUSH in rules.allowed(library.policy, cast.officer_a)
    assert login(cast.officer_a).get(fact_url).status_code == 200
    assert not rules.is_pusher(cast.bureau_user_x)

    monkeypatch.setattr(Scope, "is_grid_side", property(lambda scope: False))

    assert not rules.is_pusher(cast.officer_a)
    assert rules.PUSH not in rules.allowed(library.policy, cast.officer_a)
    with pytest.raises(NotPermitted):
        services.push_send(policy=library.policy, actor=cast.officer_a, enterprises=[cast.enterprise_a])
    with pytest.raises(NotPermitted):
        services.fact_record(enterprise=cast.enterprise_a, actor=cast.officer_a, key="rd_spend", value=80)
    assert login(cast.officer_a).get(fact_url).status_code == 404
    assert (PolicyPush.objects.count(), EnterpriseFact.objects.count()) == (0, 0)

    monkeypatch.setattr(Scope, "is_grid_side", property(lambda scope: True))

    assert rules.is_pusher(cast.bureau_user_x)


def test_speaking_for_an_enterprise_is_asked_of_the_scope_alone(library, monkeypatch):
    cast = library.cast
    [push] = services.push_send(policy=library.policy, actor=cast.officer_a, enterprises=[cast.enterprise_a]).created
    assert rules.ACKNOWLEDGE in rules.allowed(push, cast.enterprise_user_a)
    assert issue_policy.is_own_enterprise(cast.enterprise_user_a, Issue(enterprise=cast.enterprise_a))
    row = AffectedEnterprise(enterprise=cast.enterprise_a, grid=cast.grid_a)
    assert emergency_policy.is_own_enterprise(cast.enterprise_user_a, row)

    monkeypatch.setattr(Scope, "speaks_for", lambda scope, enterprise_id: False)

    assert rules.allowed(push, cast.enterprise_user_a) == set()
    response = login(cast.enterprise_user_a).post(
        f"/api/policy-pushes/{push.pk}/acknowledge/", {}, content_type="application/json"
    )
    assert response.status_code == 403
    push.refresh_from_db()
    assert (push.state, push.acknowledged_by) == (PushState.DELIVERED, None)
    assert not issue_policy.is_own_enterprise(cast.enterprise_user_a, Issue(enterprise=cast.enterprise_a))
    assert not emergency_policy.is_own_enterprise(cast.enterprise_user_a, row)
