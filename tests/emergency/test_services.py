"""The rules of an incident: declaring, acknowledging, the append-only log, totals, closing."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from emergency import policy
from emergency.figures import incident_totals, incidents_declared
from emergency.models import AckMethod, AffectedEnterprise, CallLevel, CallOutcome, CallTask, Incident, Kind, State
from emergency.services import (
    Report,
    call_outcome_record,
    escalate_unacknowledged,
    incident_acknowledge,
    incident_close,
    incident_declare,
    response_entry_add,
)
from issues.errors import InvalidInput, NotPermitted, StateConflict
from issues.models import Issue, Source
from tests.emergency.helpers import snapshot
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


# --- Declare ----------------------------------------------------------------------


def test_declaring_freezes_one_row_per_affected_enterprise(flood):
    rows = AffectedEnterprise.objects.filter(incident=flood.incident)
    assert sorted(rows.values_list("enterprise__name", flat=True)) == ["临江船舶有限公司", "甲企业有限公司"]
    assert set(rows.values_list("grid_id", flat=True)) == {flood.cast.grid_a.pk}
    assert len(set(rows.values_list("token", flat=True))) == 2
    # The grid moves later; the incident keeps the grid of the declaration.
    flood.riverside.grid = flood.cast.grid_b
    flood.riverside.save()
    flood.row_river.refresh_from_db()
    assert flood.row_river.grid_id == flood.cast.grid_a.pk


def test_grids_and_picked_enterprises_combine_without_duplicates(cast):
    incident = incident_declare(
        actor=cast.manager,
        kind=Kind.FLOOD,
        title="演练",
        is_exercise=True,
        grids=[cast.grid_a],
        enterprises=[cast.enterprise_a, cast.enterprise_b],
    )
    assert sorted(incident.affected.values_list("enterprise_id", flat=True)) == sorted(
        [cast.enterprise_a.pk, cast.enterprise_b.pk]
    )
    assert incident.district is None


def test_a_leader_declares_for_his_own_district_only(cast):
    incident = incident_declare(
        actor=cast.leader_a, kind=Kind.FIRE, title="仓库火情", district=cast.district_a, whole_district=True
    )
    assert list(incident.affected.values_list("enterprise_id", flat=True)) == [cast.enterprise_a.pk]

    for district in (cast.district_b, None):
        with pytest.raises(NotPermitted):
            incident_declare(actor=cast.leader_a, kind=Kind.FIRE, title="越界", district=district, whole_district=True)
    assert Incident.objects.count() == 1


@pytest.mark.parametrize("role", ["officer_a", "bureau_user_x", "enterprise_user_a"])
def test_others_may_not_declare(cast, role):
    with pytest.raises(NotPermitted):
        incident_declare(
            actor=getattr(cast, role), kind=Kind.FLOOD, title="x", district=cast.district_a, whole_district=True
        )
    assert Incident.objects.count() == 0


def test_enterprises_outside_the_district_or_none_at_all_are_refused(cast):
    with pytest.raises(ValidationError) as refused:
        incident_declare(
            actor=cast.manager, kind=Kind.FLOOD, title="x", district=cast.district_a, enterprises=[cast.enterprise_b]
        )
    assert set(refused.value.message_dict) == {"enterprises"}
    with pytest.raises(ValidationError) as refused:
        incident_declare(actor=cast.manager, kind=Kind.FLOOD, title="x", district=cast.district_a, grids=[cast.grid_b])
    assert set(refused.value.message_dict) == {"grids"}
    with pytest.raises(ValidationError) as refused:
        incident_declare(actor=cast.manager, kind=Kind.FLOOD, title="x", district=cast.district_a)
    assert set(refused.value.message_dict) == {"enterprises"}
    assert Incident.objects.count() == 0 and AffectedEnterprise.objects.count() == 0


# --- Acknowledge ----------------------------------------------------------------------


def test_the_enterprise_acknowledges_itself_once(flood):
    user = flood.riverside_users[0]
    row, newly = incident_acknowledge(affected=flood.row_river, actor=user)
    assert newly and row.ack_method == AckMethod.SELF and row.acknowledged_by == user
    first_at = row.acknowledged_at

    row, newly = incident_acknowledge(affected=flood.row_river, actor=flood.riverside_users[1])
    assert not newly and row.acknowledged_at == first_at and row.acknowledged_by == user
    assert row.entries.filter(kind="ack").count() == 1


def test_by_link_signed_out_it_is_marked_as_the_link(flood):
    row, newly = incident_acknowledge(affected=flood.row_river, actor=None, by_token=True)
    assert newly and row.ack_method == AckMethod.LINK and row.acknowledged_by is None


def test_the_officer_acknowledges_on_its_behalf_marked_so(flood):
    row, _newly = incident_acknowledge(affected=flood.row_river, actor=flood.cast.officer_a, note="电话已通知厂长")
    assert row.ack_method == AckMethod.ON_BEHALF and row.acknowledged_by == flood.cast.officer_a


@pytest.mark.parametrize("role", ["enterprise_user_a", "enterprise_user_b", "officer_b", "leader_b", "bureau_user_x"])
def test_nobody_else_acknowledges(flood, role):
    before = snapshot(flood.incident)
    with pytest.raises(NotPermitted):
        incident_acknowledge(affected=flood.row_river, actor=getattr(flood.cast, role))
    assert snapshot(flood.incident) == before


def test_a_reached_call_acknowledges_on_behalf_and_a_missed_one_does_not(flood):
    call_outcome_record(affected=flood.row_river, actor=flood.cast.officer_a, outcome=CallOutcome.NO_ANSWER)
    flood.row_river.refresh_from_db()
    assert flood.row_river.acknowledged_at is None
    call_outcome_record(affected=flood.row_river, actor=flood.cast.officer_a, outcome=CallOutcome.REACHED)
    flood.row_river.refresh_from_db()
    assert flood.row_river.ack_method == AckMethod.ON_BEHALF
    assert list(flood.row_river.entries.order_by("pk").values_list("kind", "call_outcome")) == [
        ("call", "no_answer"),
        ("call", "reached"),
        ("ack", ""),
    ]


# --- The response log and its totals -----------------------------------------------------


def test_totals_count_the_latest_entry_per_enterprise_not_the_sum_of_all(flood):
    officer = flood.cast.officer_a
    response_entry_add(affected=flood.row_river, actor=officer, report=Report(evacuated=30, on_site=20))
    response_entry_add(affected=flood.row_river, actor=officer, report=Report(evacuated=50, on_site=0))
    response_entry_add(affected=flood.row_river, actor=officer, report=Report(goods_moved="发动机 12 台"))
    response_entry_add(affected=flood.row_a, actor=officer, report=Report(evacuated=33, on_site=2))
    incident_acknowledge(affected=flood.row_a, actor=flood.cast.enterprise_user_a)

    totals = incident_totals(incident=flood.incident)

    # 50 + 33, not 30 + 50 + 33: a later report corrects an earlier one.
    assert (totals.evacuated, totals.on_site) == (83, 2)
    assert (totals.affected, totals.acknowledged, totals.unreached, totals.restored) == (2, 1, 1, 0)
    assert flood.row_river.entries.count() == 3  # nothing overwritten


def test_restored_counts_enterprises_with_a_restoration_date(flood):
    today = timezone.localdate()
    response_entry_add(
        affected=flood.row_river,
        actor=flood.cast.officer_a,
        report=Report(recovery_steps=["drainage", "desilting", "pollution", "disinfection"], restored_on=today),
    )
    assert incident_totals(incident=flood.incident).restored == 1


@pytest.mark.parametrize(
    ("report", "field"),
    [
        (Report(evacuated=-1), "evacuated"),
        (Report(on_site=-3), "on_site"),
        (Report(restored_on=datetime.date(2020, 1, 1)), "restored_on"),
        (Report(arrived_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)), "arrived_at"),
        (Report(recovery_steps=["sandbags"]), "recovery_steps"),
        (Report(needs="长" * 501), "needs"),
    ],
)
def test_bad_values_are_refused_naming_the_field(flood, report, field):
    before = snapshot(flood.incident)
    with pytest.raises(ValidationError) as refused:
        response_entry_add(affected=flood.row_river, actor=flood.cast.officer_a, report=report)
    assert field in refused.value.message_dict
    assert snapshot(flood.incident) == before


def test_an_empty_report_is_refused(flood):
    with pytest.raises(InvalidInput):
        response_entry_add(affected=flood.row_river, actor=flood.cast.officer_a, report=Report())


def test_the_enterprise_reports_for_itself_but_not_for_another(flood):
    response_entry_add(affected=flood.row_a, actor=flood.cast.enterprise_user_a, report=Report(needs="抽水泵 2 台"))
    before = snapshot(flood.incident)
    with pytest.raises(NotPermitted):
        response_entry_add(affected=flood.row_river, actor=flood.cast.enterprise_user_a, report=Report(evacuated=1))
    assert snapshot(flood.incident) == before


# --- Call tasks (time travel) ----------------------------------------------------------------


def test_an_unacknowledged_enterprise_becomes_a_call_task_for_the_officer_then_the_leader(cast, settings):
    settings.EMERGENCY_ACK_MINUTES = 30
    declared = datetime.datetime(2026, 8, 19, 21, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    with time_machine.travel(declared, tick=False):
        incident = incident_declare(
            actor=cast.manager, kind=Kind.FLOOD, title="洪峰", district=cast.district_a, whole_district=True
        )
    row = incident.affected.get()

    with time_machine.travel(declared + datetime.timedelta(minutes=29), tick=False):
        escalate_unacknowledged()
    assert CallTask.objects.count() == 0

    with time_machine.travel(declared + datetime.timedelta(minutes=31), tick=False):
        escalate_unacknowledged()
        escalate_unacknowledged()  # twice: still one task, one notification
    assert list(CallTask.objects.values_list("level", "assignee__username")) == [(CallLevel.OFFICER, "officer-a")]
    assert cast.officer_a.notifications.filter(kind="emergency_call").count() == 1
    assert [task.affected for task in policy_tasks(cast.officer_a)] == [row]

    with time_machine.travel(declared + datetime.timedelta(minutes=61), tick=False):
        escalate_unacknowledged()
    assert sorted(CallTask.objects.values_list("level", "assignee__username")) == [
        (CallLevel.LEADER, "leader-a"),
        (CallLevel.OFFICER, "officer-a"),
    ]
    assert cast.leader_a.notifications.filter(kind="emergency_call").count() == 1

    # Acknowledged on its behalf after the call: the tasks are done.
    call_outcome_record(affected=row, actor=cast.officer_a, outcome=CallOutcome.REACHED)
    assert CallTask.objects.filter(done_at__isnull=True).count() == 0


def policy_tasks(user):
    from emergency.selectors import call_tasks_for

    return list(call_tasks_for(user=user))


def test_an_acknowledged_enterprise_never_becomes_a_call_task(flood):
    incident_acknowledge(affected=flood.row_a, actor=flood.cast.enterprise_user_a)
    escalate_unacknowledged(now=flood.incident.declared_at + datetime.timedelta(hours=3))
    assert set(CallTask.objects.values_list("affected_id", flat=True)) == {flood.row_river.pk}


# --- Closing ---------------------------------------------------------------------------------


def test_closing_files_a_ledger_entry_per_open_need_and_ends_the_tasks(flood):
    officer = flood.cast.officer_a
    response_entry_add(affected=flood.row_river, actor=officer, report=Report(needs="清淤设备两台"))
    response_entry_add(affected=flood.row_a, actor=officer, report=Report(evacuated=3))
    escalate_unacknowledged(now=flood.incident.declared_at + datetime.timedelta(hours=3))

    incident = incident_close(incident=flood.incident, actor=flood.cast.manager, note="洪水退去")

    assert incident.state == State.CLOSED and incident.closed_by == flood.cast.manager
    issue = Issue.objects.get()
    assert (issue.enterprise, issue.source, issue.title) == (flood.riverside, Source.MANAGER, "灾后需求：清淤设备两台")
    flood.row_river.refresh_from_db()
    assert flood.row_river.follow_up_issue == issue
    assert CallTask.objects.filter(done_at__isnull=True).count() == 0
    # The enterprises are offered relief once.
    assert flood.riverside_users[0].notifications.filter(kind="emergency_closed").count() == 1


def test_only_a_manager_or_the_declaring_leader_closes(cast):
    incident = incident_declare(
        actor=cast.leader_a, kind=Kind.FLOOD, title="x", district=cast.district_a, whole_district=True
    )
    for role in ("officer_a", "leader_b", "enterprise_user_a"):
        before = snapshot(incident)
        with pytest.raises(NotPermitted):
            incident_close(incident=incident, actor=getattr(cast, role))
        assert snapshot(incident) == before
    assert incident_close(incident=incident, actor=cast.leader_a).state == State.CLOSED


WRITES = {
    "acknowledge_self": lambda f: incident_acknowledge(affected=f.row_a, actor=f.cast.enterprise_user_a),
    "acknowledge_link": lambda f: incident_acknowledge(affected=f.row_a, actor=None, by_token=True),
    "acknowledge_on_behalf": lambda f: incident_acknowledge(affected=f.row_a, actor=f.cast.officer_a),
    "report": lambda f: response_entry_add(affected=f.row_a, actor=f.cast.officer_a, report=Report(evacuated=5)),
    "call_reached": lambda f: call_outcome_record(
        affected=f.row_a, actor=f.cast.officer_a, outcome=CallOutcome.REACHED
    ),
    "call_no_answer": lambda f: call_outcome_record(
        affected=f.row_a, actor=f.cast.officer_a, outcome=CallOutcome.NO_ANSWER
    ),
    "close_again": lambda f: incident_close(incident=f.incident, actor=f.cast.manager),
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_a_closed_incident_refuses_every_write_and_nothing_changes(flood, write):
    flood.incident = incident_close(incident=flood.incident, actor=flood.cast.manager)
    before = snapshot(flood.incident)
    with pytest.raises(StateConflict):
        WRITES[write](flood)
    assert snapshot(flood.incident) == before


def test_a_closed_incident_gets_no_call_tasks_and_sends_nothing_more(flood):
    from emergency.tasks import send_incident_notices

    incident_close(incident=flood.incident, actor=flood.cast.manager)
    before = snapshot(flood.incident)
    escalate_unacknowledged(now=flood.incident.declared_at + datetime.timedelta(hours=3))
    send_incident_notices(flood.incident.pk)
    assert snapshot(flood.incident) == before


def test_a_stale_close_is_refused(flood):
    from issues.errors import IssueChanged

    with pytest.raises(IssueChanged):
        incident_close(incident=flood.incident, actor=flood.cast.manager, seen_version=flood.incident.version + 1)
    assert Incident.objects.get(pk=flood.incident.pk).state == State.OPEN


def test_the_rules_table_names_who_and_when(flood):
    assert policy.allowed(policy.CLOSE, flood.incident, flood.cast.manager)
    assert not policy.allowed(policy.CLOSE, flood.incident, flood.cast.officer_a)
    assert policy.allowed(policy.CALL, flood.incident, flood.cast.officer_a, flood.row_a)
    assert not policy.allowed(policy.CALL, flood.incident, flood.cast.enterprise_user_a, flood.row_a)


# --- Figures ------------------------------------------------------------------------------------


def test_the_months_report_lists_incidents_declared_in_the_window_with_totals(cast):
    zone = datetime.timezone(datetime.timedelta(hours=8))
    for day, title in (
        (datetime.datetime(2026, 7, 31, 23, 30, tzinfo=zone), "七月"),
        (datetime.datetime(2026, 8, 1, 0, 10, tzinfo=zone), "八月"),
    ):
        incident = incident_declare(
            actor=cast.manager,
            kind=Kind.FLOOD,
            title=title,
            district=cast.district_a,
            whole_district=True,
            declared_at=day,
        )
        response_entry_add(affected=incident.affected.get(), actor=cast.officer_a, report=Report(evacuated=7))
    incident_declare(
        actor=cast.manager,
        kind=Kind.FIRE,
        title="演练",
        is_exercise=True,
        enterprises=[cast.enterprise_b],
        declared_at=datetime.datetime(2026, 8, 5, 10, tzinfo=zone),
    )

    august = incidents_declared(start=datetime.date(2026, 8, 1), end=datetime.date(2026, 8, 31))

    assert [(row.title, row.declared_on, row.totals.affected, row.totals.evacuated) for row in august] == [
        ("八月", datetime.date(2026, 8, 1), 1, 7)
    ]
    with_exercises = incidents_declared(
        start=datetime.date(2026, 8, 1), end=datetime.date(2026, 8, 31), include_exercises=True
    )
    assert [row.title for row in with_exercises] == ["八月", "演练"]


def test_figures_are_zero_for_an_incident_with_no_reports(cast):
    enterprise = EnterpriseFactory(grid=cast.grid_b)
    incident = incident_declare(actor=cast.manager, kind=Kind.OTHER, title="x", enterprises=[enterprise])
    totals = incident_totals(incident=incident)
    assert (totals.affected, totals.evacuated, totals.on_site, totals.restored, totals.unreached) == (1, 0, 0, 0, 1)
