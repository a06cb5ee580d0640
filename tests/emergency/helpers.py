"""Assertions shared by the emergency tests."""

from accounts.models import Notification
from emergency.models import AffectedEnterprise, CallTask, Incident, Notice, ResponseEntry
from issues.models import Issue


def snapshot(incident: Incident) -> dict:
    """Everything a refused write must leave untouched."""
    return {
        "incident": Incident.objects.filter(pk=incident.pk).values().get(),
        "rows": list(AffectedEnterprise.objects.filter(incident=incident).order_by("pk").values()),
        "entries": list(ResponseEntry.objects.order_by("pk").values()),
        "tasks": list(CallTask.objects.order_by("pk").values()),
        "notices": list(Notice.objects.order_by("pk").values()),
        "notifications": Notification.objects.count(),
        "issues": Issue.objects.count(),
    }
