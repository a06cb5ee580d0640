"""Two bureau staff resolve the same issue at the same moment: exactly one wins (PostgreSQL)."""

import pytest

from accounts.models import Role
from issues import services
from issues.errors import IssueChanged
from issues.models import Issue, IssueEvent, State
from tests.concurrency import at_once, postgres_only
from tests.factories import UserFactory
from tests.issues.conftest import at_bureau

pytestmark = pytest.mark.django_db(transaction=True)


def _resolve(copy: Issue, actor, label: str, outcomes: dict) -> None:
    try:
        services.issue_resolve(issue=copy, actor=actor, resolution=f"{label} 的办理结果")
        outcomes[label] = "applied"
    except IssueChanged:
        outcomes[label] = "changed"


@postgres_only
def test_concurrent_resolve_applies_once_and_tells_the_other_the_issue_changed(ledger):
    colleague = UserFactory(username="bureau-x2", role=Role.BUREAU_STAFF, bureau=ledger.bureau_x, name="郑科员")
    issue = services.issue_start(issue=at_bureau(ledger), actor=ledger.bureau_user_x)
    outcomes: dict[str, str] = {}

    def resolve(actor, label):
        copy = Issue.objects.get(pk=issue.pk)  # each request loads the same version
        return lambda: _resolve(copy, actor, label, outcomes)

    at_once(resolve(ledger.bureau_user_x, "first"), resolve(colleague, "second"))

    assert sorted(outcomes.values()) == ["applied", "changed"]
    assert IssueEvent.objects.filter(issue=issue, action="resolve").count() == 1
    resolved = Issue.objects.get(pk=issue.pk)
    assert resolved.state == State.RESOLVED
    assert resolved.version == issue.version + 1
    winner = next(label for label, outcome in outcomes.items() if outcome == "applied")
    assert resolved.resolution == f"{winner} 的办理结果"
