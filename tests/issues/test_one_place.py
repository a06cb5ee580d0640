"""Each access question and each ledger figure is answered in one place.

Every test gives the one function another answer and shows that the pages, the
API, the export, the services and the jobs all follow it — so none of them kept
a copy of the rule. The access questions live on ``accounts.scoping.Scope``
(and ``scoping.holding_bureau_filter``); the figures in ``issues.figures``.
"""

import datetime
import io

import openpyxl
import pytest
from django.db.models import Q
from django.urls import reverse

from accounts import scoping
from accounts.scoping import Scope
from analytics.aggregates import Period, issue_metrics
from analytics.evaluation import officer_metrics
from common.periods import Month
from enterprises.profile.services import can_edit_profile
from fieldwork.selectors import may_log_for
from issues import figures, notices, policy, services
from issues.errors import NotPermitted
from issues.metrics import issue_measures
from issues.models import Action, IssueEvent, Level, Rating, Source
from issues.sweep import deadline_sweep
from tests.exports import exported
from tests.issues.conftest import accepted, at, at_bureau, fresh, in_progress, resolved

NOVEMBER = Month(2026, 11)


def exported_ids(client) -> list[int]:
    response = exported(client, reverse("issues:export"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [row[0] for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)]


def api_ids(client) -> list[int]:
    response = client.get("/api/issues/")
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


# --- Access -------------------------------------------------------------------------------


def test_who_sees_the_whole_zone_is_asked_of_the_scope_alone(ledger, client_for, monkeypatch):
    issue = accepted(ledger)  # grid A's
    outsider = client_for(ledger.officer_b)
    assert outsider.get(reverse("issues:detail", args=[issue.pk])).status_code == 404

    monkeypatch.setattr(Scope, "sees_zone", property(lambda scope: True))

    assert outsider.get(reverse("issues:detail", args=[issue.pk])).status_code == 200
    assert outsider.get(f"/api/issues/{issue.pk}/").status_code == 200
    assert issue.pk in exported_ids(outsider)
    assert outsider.get(reverse("enterprises:detail", args=[ledger.enterprise_a.pk])).status_code == 200
    assert outsider.get(reverse("analytics:zone_dashboard")).status_code == 200
    # The service's rule table asks the same question ("a manager may").
    assert policy.is_manager(ledger.officer_b)
    services.issue_start(issue=issue, actor=ledger.officer_b)


def test_the_enterprise_filter_is_asked_of_the_scope_alone(ledger, client_for, monkeypatch):
    issue = accepted(ledger)  # enterprise A, grid A
    outsider = client_for(ledger.officer_b)
    assert issue.pk not in api_ids(outsider)
    with pytest.raises(NotPermitted):
        services.issue_submit(
            enterprise=ledger.enterprise_a, actor=ledger.officer_b, title="T", description="D", source=Source.VISIT
        )

    monkeypatch.setattr(Scope, "enterprise_filter", lambda scope, *, path="": None)

    assert issue.pk in api_ids(outsider)
    assert issue.pk in exported_ids(outsider)
    assert outsider.get(reverse("issues:detail", args=[issue.pk])).status_code == 200
    assert outsider.get(reverse("enterprises:detail", args=[ledger.enterprise_a.pk])).status_code == 200
    listed = outsider.get("/api/enterprises/").json()["results"]
    assert {row["id"] for row in listed} == {ledger.enterprise_a.pk, ledger.enterprise_b.pk}
    # issue_submit asks the same filter: the enterprise is now in the submitter's scope.
    submitted = services.issue_submit(
        enterprise=ledger.enterprise_a, actor=ledger.officer_b, title="T", description="D", source=Source.VISIT
    )
    assert submitted.enterprise_id == ledger.enterprise_a.pk


def test_the_holding_bureau_is_asked_of_one_filter(ledger, client_for, monkeypatch):
    issue = at_bureau(ledger)  # held by bureau X
    bureau = client_for(ledger.bureau_user_x)
    assert [row.pk for row in bureau.get(reverse("issues:workbench")).context["queue"]] == [issue.pk]
    assert {user.pk for user in notices.unit_members(issue)} == {ledger.bureau_user_x.pk}

    monkeypatch.setattr(scoping, "holding_bureau_filter", lambda bureau, *, path="": Q(pk__in=[]))

    assert list(bureau.get(reverse("issues:workbench")).context["queue"]) == []
    assert list(notices.unit_members(fresh(issue))) == []
    assert policy.START not in policy.allowed_actions(fresh(issue), ledger.bureau_user_x)
    response = bureau.post(f"/api/issues/{issue.pk}/start/", {}, content_type="application/json")
    assert response.status_code == 403
    with pytest.raises(NotPermitted):
        services.issue_start(issue=fresh(issue), actor=ledger.bureau_user_x)
    assert fresh(issue).state == issue.state


def test_acting_for_a_grid_is_asked_of_the_scope_alone(ledger, client_for, monkeypatch):
    issue = resolved(ledger)  # grid A's, awaiting the check
    officer = client_for(ledger.officer_a)
    assert policy.CLOSE in policy.allowed_actions(fresh(issue), ledger.officer_a)
    assert can_edit_profile(user=ledger.officer_a, enterprise=ledger.enterprise_a)
    board_url = ledger.enterprise_a.get_board_url()
    assert officer.get(board_url).context["visit_url"] != ""

    monkeypatch.setattr(Scope, "acts_for_grid", lambda scope, grid_id: False)

    assert policy.CLOSE not in policy.allowed_actions(fresh(issue), ledger.officer_a)
    with pytest.raises(NotPermitted):
        services.issue_close(issue=fresh(issue), actor=ledger.officer_a)
    response = officer.post(f"/api/issues/{issue.pk}/close/", {}, content_type="application/json")
    assert response.status_code == 403
    assert not can_edit_profile(user=ledger.officer_a, enterprise=ledger.enterprise_a)
    assert not may_log_for(user=ledger.officer_a, enterprise=ledger.enterprise_a)
    # The notice board stops offering the officer a visit for the enterprise.
    assert officer.get(board_url).context["visit_url"] == ""
    assert fresh(issue).state == issue.state


def test_reading_field_notes_is_asked_of_the_scope_alone(ledger, client_for, monkeypatch):
    officer = client_for(ledger.officer_a)
    assert officer.get(reverse("grids:list")).status_code == 200
    assert officer.get(reverse("analytics:weekly")).status_code == 200

    monkeypatch.setattr(Scope, "reads_field_notes", property(lambda scope: False))

    assert officer.get(reverse("grids:list")).status_code == 404
    assert officer.get(reverse("analytics:weekly")).status_code == 404
    assert officer.get(reverse("fieldwork:visit_list")).status_code == 404


# --- Figures ------------------------------------------------------------------------------


def _zone_row(period: Period) -> dict:
    return issue_metrics(period, None)[None]


def test_overdue_is_defined_once(ledger, client_for, monkeypatch, frozen_monday):
    issue = in_progress(ledger)
    frozen_monday.move_to(at(2026, 11, 25))  # well past its deadline
    today = datetime.date(2026, 11, 25)
    period = Period.so_far(NOVEMBER)
    manager = client_for(ledger.manager)
    assert issue.due_on < today
    assert _zone_row(period)["issues_overdue"] == 1
    assert issue_measures(fresh(issue).enterprise.issues.all(), start=NOVEMBER.first_day, end=today)["overdue_now"] == 1
    assert manager.get(f"/api/issues/{issue.pk}/").json()["sla"] == figures.SLA_OVERDUE

    monkeypatch.setattr(figures, "overdue", lambda *, on, columns=figures.LIVE: Q(pk__in=[]))

    assert _zone_row(period)["issues_overdue"] == 0
    assert issue_measures(fresh(issue).enterprise.issues.all(), start=NOVEMBER.first_day, end=today)["overdue_now"] == 0
    assert manager.get(f"/api/issues/{issue.pk}/").json()["sla"] == figures.SLA_OK
    ledger_page = manager.get(reverse("issues:ledger"), {"overdue": "true"})
    assert [row.pk for row in ledger_page.context["page"].object_list] == []
    assert deadline_sweep().overdue == 0
    assert not IssueEvent.objects.filter(issue=issue, action=Action.OVERDUE).exists()


@pytest.mark.parametrize("name", ["due", "counted"])
def test_due_and_counted_are_defined_once(ledger, monkeypatch, name):
    issue = accepted(ledger)  # handled at the grid, due in November
    period = Period.whole(NOVEMBER)
    assert issue.level == Level.GRID
    assert _zone_row(period)["issues_due"] == 1
    assert officer_metrics(period)[issue.handler_id]["metrics"]["grid_issues_due"] == 1
    assert issue_measures(issue.enterprise.issues.all(), start=NOVEMBER.first_day, end=NOVEMBER.last_day)["due"] == 1

    original = getattr(figures, name)
    monkeypatch.setattr(figures, name, lambda *args, **kwargs: original(*args, **kwargs) & Q(pk__in=[]))

    assert _zone_row(period)["issues_due"] == 0
    assert officer_metrics(period)[issue.handler_id]["metrics"]["grid_issues_due"] == 0
    assert issue_measures(issue.enterprise.issues.all(), start=NOVEMBER.first_day, end=NOVEMBER.last_day)["due"] == 0


def test_closed_on_time_is_defined_once(ledger, monkeypatch):
    issue = resolved(ledger)
    issue = services.issue_close(issue=issue, actor=ledger.officer_a)
    period = Period.whole(NOVEMBER)
    measures = issue_measures(issue.enterprise.issues.all(), start=NOVEMBER.first_day, end=NOVEMBER.last_day)
    assert measures["closed_on_time"] == 1
    assert _zone_row(period)["issues_on_time"] == 1
    assert officer_metrics(period)[issue.handler_id]["metrics"]["grid_issues_on_time"] == 1

    monkeypatch.setattr(figures, "closed_on_time", lambda columns=figures.LIVE: Q(pk__in=[]))

    measures = issue_measures(issue.enterprise.issues.all(), start=NOVEMBER.first_day, end=NOVEMBER.last_day)
    assert measures["closed_on_time"] == 0
    assert _zone_row(period)["issues_on_time"] == 0
    assert officer_metrics(period)[issue.handler_id]["metrics"]["grid_issues_on_time"] == 0


def test_satisfied_is_defined_once(ledger, monkeypatch):
    issue = resolved(ledger)
    services.issue_feedback(issue=issue, actor=ledger.enterprise_user_a, rating=Rating.SATISFIED)
    period = Period.whole(NOVEMBER)
    assert _zone_row(period)["satisfaction_rate"] == 1.0
    assert officer_metrics(period)[issue.handler_id]["metrics"]["satisfaction_rate"] == 1.0

    monkeypatch.setattr(figures, "satisfied", lambda: Q(pk__in=[]))

    assert _zone_row(period)["satisfaction_rate"] == 0.0
    assert officer_metrics(period)[issue.handler_id]["metrics"]["satisfaction_rate"] == 0.0
    measures = issue_measures(issue.enterprise.issues.all(), start=NOVEMBER.first_day, end=NOVEMBER.last_day)
    assert measures["satisfaction_rate"] == 0
