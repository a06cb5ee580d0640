"""The admin: time limits editable, issues read-only, events untouchable even for a superuser."""

from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from issues.models import Category, Issue, IssueEvent
from tests.issues.conftest import accepted, fresh
from tests.issues.helpers import snapshot


def test_events_cannot_be_added_changed_or_deleted_even_by_a_superuser(ledger, client_for):
    issue = accepted(ledger)
    event = IssueEvent.objects.filter(issue=issue).first()
    model_admin = admin.site._registry[IssueEvent]
    request = RequestFactory().get("/")
    request.user = ledger.admin
    assert ledger.admin.is_superuser
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)

    client = client_for(ledger.admin)
    before = snapshot(issue)
    change_url = reverse("admin:issues_issueevent_change", args=[event.pk])
    assert client.get(change_url).status_code == 200  # viewing is fine
    client.post(change_url, {"note": "篡改", "action": "close"})
    assert client.get(reverse("admin:issues_issueevent_add")).status_code == 403
    delete_response = client.post(reverse("admin:issues_issueevent_delete", args=[event.pk]), {"post": "yes"})
    assert delete_response.status_code == 403
    client.post(
        reverse("admin:issues_issueevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert snapshot(issue) == before
    event.refresh_from_db()
    assert (event.note, event.action) == ("", "submit")


def test_issues_are_read_only_in_the_admin(ledger, client_for):
    issue = accepted(ledger)
    client = client_for(ledger.admin)
    before = snapshot(issue)
    change_url = reverse("admin:issues_issue_change", args=[issue.pk])
    assert client.get(change_url).status_code == 200
    client.post(change_url, {"state": "closed", "title": "改标题"})
    assert client.post(reverse("admin:issues_issue_delete", args=[issue.pk]), {"post": "yes"}).status_code == 403
    assert snapshot(issue) == before
    assert fresh(issue).state == "accepted"


def test_category_time_limits_are_editable_in_the_list(ledger, client_for):
    client = client_for(ledger.admin)
    url = reverse("admin:issues_category_changelist")
    categories = list(Category.objects.order_by("code"))
    data = {
        "form-TOTAL_FORMS": str(len(categories)),
        "form-INITIAL_FORMS": str(len(categories)),
        "_save": "保存",
    }
    for index, category in enumerate(categories):
        data.update(
            {
                f"form-{index}-id": str(category.pk),
                f"form-{index}-grid_days": "5" if category.code == "financing" else str(category.grid_days),
                f"form-{index}-bureau_days": str(category.bureau_days),
                f"form-{index}-task_force_days": str(category.task_force_days),
            }
        )
    response = client.post(url, data)
    assert response.status_code == 302
    assert Category.objects.get(code="financing").grid_days == 5
    assert Issue.objects.count() == 0
