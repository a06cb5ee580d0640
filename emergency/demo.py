"""Demo data: the flood of 19 August 2026 in the riverside grids of 第四片区 (FACTS.md).

The flood peak reached the riverside enterprises in the evening; the manager declared
the incident, every enterprise's users and the grid officers were told (Notice rows
sent), most enterprises acknowledged on their own and the rest were reached by
phone and acknowledged on their behalf; 83 people were evacuated in all, goods and
vulnerable parts moved; from 21 August drainage (排涝), desilting (清淤), pollution
control (治污) and disinfection (消杀), every enterprise back in production, the
incident closed through ``incident_close`` (``at`` 26 August), which makes each
enterprise's relief offer. The response is built from rows (the timestamps are
August's), deterministic and idempotent: the incident is found by its title and time.
"""

import datetime

from django.db import transaction

from accounts.models import Role, User
from accounts.notifications import quiet
from emergency.models import (
    AckMethod,
    AffectedEnterprise,
    CallLevel,
    CallOutcome,
    CallTask,
    Channel,
    EntryKind,
    Incident,
    Kind,
    Notice,
    ReliefOffer,
    ResponseEntry,
)
from emergency.services import incident_close
from enterprises.models import Enterprise
from grids.demo import demo_rng
from grids.models import District, GridTeam

ZONE = datetime.timezone(datetime.timedelta(hours=8))
DECLARED_AT = datetime.datetime(2026, 8, 19, 20, 30, tzinfo=ZONE)
RECEDED_AT = datetime.datetime(2026, 8, 21, 9, 0, tzinfo=ZONE)
CLOSED_AT = datetime.datetime(2026, 8, 26, 18, 0, tzinfo=ZONE)
TITLE = "8·19 洪峰过境临江企业防汛抢险"
DISTRICT_CODE = "D4"
RIVERSIDE_GRIDS = 2  # the district's first two grid teams lie on the river
EVACUATED = 83  # FACTS.md: people evacuated from riverside enterprises
ON_BEHALF_SHARE = 3  # one enterprise in three is reached by phone and acknowledged on its behalf


def _split(rng, total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` positive whole numbers."""
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def seed_demo_data(*, stdout) -> None:
    if Incident.objects.filter(title=TITLE, declared_at=DECLARED_AT).exists():
        stdout.write("  emergency: the 8·19 flood is already recorded")
        return
    district = District.objects.get(code=DISTRICT_CODE)
    grids = list(GridTeam.objects.filter(district=district).select_related("leader").order_by("code")[:RIVERSIDE_GRIDS])
    enterprises = list(Enterprise.objects.filter(grid__in=grids).select_related("grid").order_by("grid__code", "name"))
    manager = User.objects.get(username="manager")
    rng = demo_rng("emergency")
    with transaction.atomic():
        incident = Incident(
            kind=Kind.FLOOD,
            title=TITLE,
            description="受长江洪峰影响，临江企业厂区出现浸水险情。请立即组织人员撤离，转移物资和易损件。",
            district=district,
            declared_at=DECLARED_AT,
            declared_by=manager,
        )
        incident.full_clean()
        incident.save()
        incident.grids.set(grids)
        AffectedEnterprise.objects.bulk_create(
            [AffectedEnterprise(incident=incident, enterprise=e, grid_id=e.grid_id) for e in enterprises]
        )
        rows = list(incident.affected.select_related("enterprise", "grid__leader").order_by("pk"))
        _notices(incident, rows, grids)
        evacuated = _split(rng, EVACUATED, len(rows))
        for index, (row, people) in enumerate(zip(rows, evacuated, strict=True)):
            _respond(rng, row, people, on_behalf=index % ON_BEHALF_SHARE == ON_BEHALF_SHARE - 1, first=index == 0)
        # Closed through the service, so each enterprise gets the relief offer closing makes
        # (emergency.relief), matched on the day it closed; nobody is told of it now (quiet).
        with quiet():
            incident = incident_close(
                incident=incident,
                actor=manager,
                note="洪水退去，受影响企业均已完成排涝、清淤、治污、消杀并恢复生产。",
                at=CLOSED_AT,
            )
    offers = ReliefOffer.objects.filter(affected__incident=incident).count()
    stdout.write(
        f"  emergency: the 8·19 flood, {len(rows)} riverside enterprises, {EVACUATED} people evacuated, "
        f"{offers} relief offers"
    )


def _notices(incident: Incident, rows: list[AffectedEnterprise], grids: list[GridTeam]) -> None:
    sent_at = DECLARED_AT + datetime.timedelta(minutes=1)
    row_of = {row.enterprise_id: row for row in rows}
    notices = [
        Notice(
            incident=incident,
            channel=Channel.IN_APP,
            address=f"user:{user.pk}",
            recipient=user,
            affected=row_of[user.enterprise_id],
            claimed_at=sent_at,
            sent_at=sent_at,
            attempts=1,
        )
        for user in User.objects.filter(role=Role.ENTERPRISE_USER, enterprise_id__in=list(row_of)).order_by("pk")
    ]
    officers = User.objects.filter(grid_teams__in=grids).distinct().order_by("pk")
    notices += [
        Notice(
            incident=incident,
            channel=Channel.IN_APP,
            address=f"user:{user.pk}",
            recipient=user,
            claimed_at=sent_at,
            sent_at=sent_at,
            attempts=1,
        )
        for user in officers
    ]
    Notice.objects.bulk_create(notices, ignore_conflicts=True)
    AffectedEnterprise.objects.filter(incident=incident).update(notified_at=sent_at)


def _respond(rng, row: AffectedEnterprise, people: int, *, on_behalf: bool, first: bool) -> None:
    officer = row.grid.leader
    user = User.objects.filter(role=Role.ENTERPRISE_USER, enterprise_id=row.enterprise_id).order_by("pk").first()
    entries = []
    if on_behalf or user is None:
        called_at = DECLARED_AT + datetime.timedelta(minutes=31 + rng.randrange(4))
        CallTask.objects.create(
            affected=row,
            level=CallLevel.OFFICER,
            assignee=officer,
            created_at=DECLARED_AT + datetime.timedelta(minutes=30),
            done_at=called_at + datetime.timedelta(minutes=6),
        )
        acknowledged_at = called_at + datetime.timedelta(minutes=6)
        # The officer's two calls: the duty phone unanswered, the manager's mobile reached.
        calls = (
            (called_at, CallOutcome.NO_ANSWER, "企业值班电话无人接听"),
            (acknowledged_at, CallOutcome.REACHED, "打通负责人手机，已告知撤离要求"),
        )
        entries.extend(
            ResponseEntry(affected=row, author=officer, at=at, kind=EntryKind.CALL, call_outcome=outcome, note=note)
            for at, outcome, note in calls
        )
        row.acknowledged_by, row.ack_method = officer, AckMethod.ON_BEHALF
    else:
        acknowledged_at = DECLARED_AT + datetime.timedelta(minutes=3 + rng.randrange(20))
        row.acknowledged_by, row.ack_method = user, AckMethod.SELF
    row.acknowledged_at = acknowledged_at
    row.save(update_fields=["acknowledged_at", "acknowledged_by", "ack_method"])
    entries.append(
        ResponseEntry(affected=row, author=row.acknowledged_by, at=acknowledged_at, kind=EntryKind.ACKNOWLEDGEMENT)
    )
    arrived = acknowledged_at + datetime.timedelta(minutes=10 + rng.randrange(30))
    entries.append(
        ResponseEntry(
            affected=row,
            author=officer,
            at=arrived,
            arrived_at=arrived,
            evacuated=max(people - 2, 0),
            on_site=min(people, 2),
            note="网格员到场，组织撤离",
        )
    )
    moved = arrived + datetime.timedelta(minutes=40 + rng.randrange(60))
    entries.append(
        ResponseEntry(
            affected=row,
            author=officer,
            at=moved,
            evacuated=people,
            on_site=0,
            goods_moved="原材料、成品及电机等易损件已转移至高处仓库",
            damage="厂区一层进水约 0.5 米" if rng.random() < 0.6 else "场地进水，设备未受损",
        )
    )
    recovery_at = RECEDED_AT + datetime.timedelta(hours=rng.randrange(8))
    entries.append(
        ResponseEntry(
            affected=row,
            author=officer,
            at=recovery_at,
            drainage=True,
            desilting=True,
            note="环卫工人、洒水车、清运车到场排涝清淤",
        )
    )
    entries.append(
        ResponseEntry(
            affected=row,
            author=officer,
            at=recovery_at + datetime.timedelta(hours=20),
            pollution=True,
            disinfection=True,
            note="治污、消杀完成",
        )
    )
    restored_on = datetime.date(2026, 8, 22) if first else datetime.date(2026, 8, 23 + rng.randrange(3))
    entries.append(
        ResponseEntry(
            affected=row,
            author=officer,
            at=datetime.datetime.combine(restored_on, datetime.time(9), tzinfo=ZONE),
            restored_on=restored_on,
            note="恢复正常生产",
        )
    )
    for entry in entries:
        entry.full_clean()
    ResponseEntry.objects.bulk_create(entries)
