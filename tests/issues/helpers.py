"""Assertions shared by the ledger tests."""

from accounts.models import Notification
from issues.models import ExtensionRequest, Feedback, Issue, IssueEvent


def snapshot(issue: Issue) -> dict:
    """Everything a refused action must leave untouched."""
    return {
        "row": Issue.objects.filter(pk=issue.pk).values().get(),
        "bureaus_involved": sorted(Issue.objects.get(pk=issue.pk).bureaus_involved.values_list("pk", flat=True)),
        "events": list(IssueEvent.objects.order_by("id").values_list("id", "issue_id", "action")),
        "feedback": list(Feedback.objects.values_list("id", "rating")),
        "extensions": list(ExtensionRequest.objects.values_list("id", "state")),
        "notifications": Notification.objects.count(),
    }


def actions_of(issue: Issue) -> list[str]:
    return list(IssueEvent.objects.filter(issue=issue).order_by("at", "id").values_list("action", flat=True))
