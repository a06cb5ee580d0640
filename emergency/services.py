"""Every write of an incident: declare, acknowledge, report, call outcome, close, escalate.

Each write to an open incident goes through ``_lock`` — scope, row lock,
version, rule, in that order (as ``issues.services.steps.lock_for``) — so a
write racing the close waits for the lock and then finds the incident closed.
Refusals raise ``issues.errors`` (InvalidInput 400, NotPermitted 403,
StateConflict 409) or a ``ValidationError`` naming the field, and write nothing.
Notices leave after commit (``emergency.tasks.send_incident_notices``).
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.notifications import notify
from common.transitions import save_new_version
from emergency import policy
from emergency.models import (
    AckMethod,
    AffectedEnterprise,
    CallLevel,
    CallOutcome,
    CallTask,
    EntryKind,
    Incident,
    RecoveryStep,
    ResponseEntry,
    State,
)
from emergency.relief import relief_offers_announce, relief_offers_make
from emergency.selectors import affected_visible, incidents_visible, with_latest
from enterprises.models import Enterprise
from grids.models import District, GridTeam
from issues.errors import InvalidInput, IssueChanged, NotPermitted, StateConflict
from issues.models import Source
from issues.services import issue_submit


# What the portal offers an affected enterprise after the incident (pages of other apps, linked only).
def absolute(path: str) -> str:
    return f"{settings.EMERGENCY_PUBLIC_BASE_URL}{path}"


# --- Plumbing ------------------------------------------------------------------


def _lock(
    incident: Incident,
    *,
    action: str,
    actor: User | None,
    affected: AffectedEnterprise | None = None,
    seen_version: int | None = None,
    by_token: bool = False,
) -> tuple[Incident, AffectedEnterprise | None]:
    """Lock the incident and refuse another scope, a stale copy, a closed incident or a wrong role."""
    if actor is not None and not by_token:
        visible = incidents_visible(user=actor).filter(pk=incident.pk).exists()
        if affected is not None:
            visible = visible and affected_visible(user=actor, incident=incident).filter(pk=affected.pk).exists()
        if not visible:
            raise NotPermitted(_("应急事件不存在或不在您的权限范围内。"))
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if seen_version is not None and locked.version != seen_version:
        raise IssueChanged(_("该事件已被他人更新，请刷新后再操作。"))
    fresh = None
    if affected is not None:
        fresh = AffectedEnterprise.objects.select_related("enterprise", "grid").get(pk=affected.pk, incident=locked)
    if by_token:
        # The token is the credential: only the state is checked.
        rule = policy.RULES[action]
        if locked.state not in rule.states:
            raise StateConflict(rule.state_text)
    else:
        policy.require(action, locked, actor, fresh)
    return locked, fresh


# --- Declare ---------------------------------------------------------------------


def _affected_set(
    *,
    actor: User,
    district: District | None,
    whole_district: bool,
    grids: Sequence[GridTeam],
    enterprises: Sequence[Enterprise],
) -> list[Enterprise]:
    errors: dict[str, str] = {}
    if district is not None:
        if any(grid.district_id != district.pk for grid in grids):
            errors["grids"] = _("所选网格不属于该片区。")
        if any(enterprise.grid.district_id != district.pk for enterprise in enterprises):
            errors["enterprises"] = _("所选企业不属于该片区。")
    elif whole_district:
        errors["district"] = _("按片区选择企业时必须指定片区。")
    if errors:
        raise ValidationError(errors)
    condition = Q(pk__in=[enterprise.pk for enterprise in enterprises]) | Q(grid__in=list(grids))
    if whole_district and district is not None:
        condition |= Q(grid__district=district)
    chosen = list(Enterprise.objects.filter(condition).select_related("grid").order_by("pk"))
    if not chosen:
        raise ValidationError({"enterprises": _("请至少选择一家受影响企业（按网格、按片区或逐家选择）。")})
    return chosen


def incident_declare(
    *,
    actor: User,
    kind: str,
    title: str,
    description: str = "",
    is_exercise: bool = False,
    district: District | None = None,
    whole_district: bool = False,
    grids: Sequence[GridTeam] = (),
    enterprises: Sequence[Enterprise] = (),
    declared_at: datetime.datetime | None = None,
) -> Incident:
    """Declare an incident, freeze its affected enterprises, and queue the notices after commit."""
    if not policy.may_declare_for(actor, district.pk if district else None):
        raise NotPermitted(_("您无权发布该片区的应急事件：管委会领导可发布任一片区，片区负责人仅限本片区。"))
    chosen = _affected_set(
        actor=actor, district=district, whole_district=whole_district, grids=grids, enterprises=enterprises
    )
    with transaction.atomic():
        incident = Incident(
            kind=kind,
            title=(title or "").strip(),
            description=(description or "").strip(),
            is_exercise=is_exercise,
            district=district,
            declared_at=declared_at or timezone.now(),
            declared_by=actor,
        )
        incident.full_clean()
        incident.save()
        incident.grids.set({enterprise.grid_id for enterprise in chosen} | {grid.pk for grid in grids})
        AffectedEnterprise.objects.bulk_create(
            [
                AffectedEnterprise(incident=incident, enterprise=enterprise, grid_id=enterprise.grid_id)
                for enterprise in chosen
            ]
        )
        from emergency.tasks import send_incident_notices

        # Robots and email are network I/O: never inside the transaction.
        transaction.on_commit(lambda: send_incident_notices.delay(incident.pk))
    return incident


# --- Acknowledge -------------------------------------------------------------------


def _finish_call_tasks(affected: AffectedEnterprise, at: datetime.datetime) -> None:
    CallTask.objects.filter(affected=affected, done_at__isnull=True).update(done_at=at)


def _acknowledge(
    affected: AffectedEnterprise, *, by: User | None, method: str, at: datetime.datetime, note: str = ""
) -> None:
    affected.acknowledged_at = at
    affected.acknowledged_by = by
    affected.ack_method = method
    affected.full_clean()
    affected.save(update_fields=["acknowledged_at", "acknowledged_by", "ack_method"])
    ResponseEntry.objects.create(affected=affected, author=by, at=at, kind=EntryKind.ACKNOWLEDGEMENT, note=note)
    _finish_call_tasks(affected, at)


def incident_acknowledge(
    *, affected: AffectedEnterprise, actor: User | None, by_token: bool = False, note: str = ""
) -> tuple[AffectedEnterprise, bool]:
    """Record that the enterprise received the notice. Returns ``(row, newly_acknowledged)``.

    The enterprise itself (its user's session: ``self``; its link, signed out: ``link``),
    or its grid side on its behalf after a call (``on_behalf``, marked so). A second
    acknowledgement changes nothing.
    """
    with transaction.atomic():
        _incident, fresh = _lock(
            affected.incident, action=policy.ACKNOWLEDGE, actor=actor, affected=affected, by_token=by_token
        )
        assert fresh is not None  # the row was given, so the lock returns it
        if fresh.is_acknowledged:
            return fresh, False
        if by_token and actor is None:
            method = AckMethod.LINK
        elif policy.is_own_enterprise(actor, fresh):
            method = AckMethod.SELF
        else:
            method = AckMethod.ON_BEHALF
        _acknowledge(fresh, by=actor, method=method, at=timezone.now(), note=(note or "").strip())
        return fresh, True


def affected_for_token(*, token: str, user: User | None) -> AffectedEnterprise | None:
    """The row of an acknowledgement link, or None (404): a wrong token, or a signed-in
    user who is not one of that enterprise's users."""
    affected = (
        AffectedEnterprise.objects.select_related("incident", "enterprise").filter(token=token).first()
        if token
        else None
    )
    if affected is None:
        return None
    if user is not None and user.is_authenticated and not policy.is_own_enterprise(user, affected):
        return None
    return affected


# --- Response log -------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """The values of one report; ``None`` / empty means "not reported in this entry"."""

    arrived_at: datetime.datetime | None = None
    evacuated: int | None = None
    on_site: int | None = None
    goods_moved: str = ""
    damage: str = ""
    needs: str = ""
    recovery_steps: Sequence[str] = ()
    restored_on: datetime.date | None = None
    note: str = ""

    def is_empty(self) -> bool:
        return not any(
            (
                self.arrived_at,
                self.evacuated is not None,
                self.on_site is not None,
                self.goods_moved.strip(),
                self.damage.strip(),
                self.needs.strip(),
                self.recovery_steps,
                self.restored_on,
                self.note.strip(),
            )
        )


def response_entry_add(
    *, affected: AffectedEnterprise, actor: User, report: Report, at: datetime.datetime | None = None
) -> ResponseEntry:
    """Append a timestamped report to the enterprise's response log (nothing is overwritten)."""
    unknown = [step for step in report.recovery_steps if step not in RecoveryStep.values]
    if unknown:
        raise ValidationError({"recovery_steps": _("未知的恢复措施：%(steps)s。") % {"steps": "、".join(unknown)}})
    if report.is_empty():
        raise InvalidInput(_("请至少填写一项情况。"))
    with transaction.atomic():
        _incident, fresh = _lock(affected.incident, action=policy.REPORT, actor=actor, affected=affected)
        entry = ResponseEntry(
            affected=fresh,
            author=actor,
            at=at or timezone.now(),
            kind=EntryKind.REPORT,
            arrived_at=report.arrived_at,
            evacuated=report.evacuated,
            on_site=report.on_site,
            goods_moved=report.goods_moved.strip(),
            damage=report.damage.strip(),
            needs=report.needs.strip(),
            restored_on=report.restored_on,
            note=report.note.strip(),
            **{step: True for step in report.recovery_steps},
        )
        entry.full_clean()
        entry.save()
        return entry


def call_outcome_record(*, affected: AffectedEnterprise, actor: User, outcome: str, note: str = "") -> ResponseEntry:
    """The grid side called the enterprise: reached (acknowledged on its behalf) or no answer."""
    if outcome not in CallOutcome.values:
        raise ValidationError({"outcome": _("未知的联系结果。")})
    with transaction.atomic():
        _incident, fresh = _lock(affected.incident, action=policy.CALL, actor=actor, affected=affected)
        assert fresh is not None  # the row was given, so the lock returns it
        now = timezone.now()
        entry = ResponseEntry(
            affected=fresh, author=actor, at=now, kind=EntryKind.CALL, call_outcome=outcome, note=(note or "").strip()
        )
        entry.full_clean()
        entry.save()
        if outcome == CallOutcome.REACHED and not fresh.is_acknowledged:
            _acknowledge(fresh, by=actor, method=AckMethod.ON_BEHALF, at=now)
        return entry


# --- Close -------------------------------------------------------------------------


def incident_close(
    *,
    incident: Incident,
    actor: User,
    note: str = "",
    seen_version: int | None = None,
    at: datetime.datetime | None = None,
) -> Incident:
    """Close the incident (read-only from now on): an open need becomes a problem-ledger
    entry per enterprise, open call tasks end, and each enterprise gets its relief offer
    (``emergency.relief``), told to its users and its grid's officers. ``at`` records a
    close that happened earlier (the demo's flood): everything is dated and matched then."""
    with transaction.atomic():
        locked, _none = _lock(incident, action=policy.CLOSE, actor=actor, seen_version=seen_version)
        now = at or timezone.now()
        source = Source.MANAGER if policy.is_manager(actor) or actor.role == Role.DISTRICT_LEADER else Source.VISIT
        rows = with_latest(AffectedEnterprise.objects.filter(incident=locked, follow_up_issue__isnull=True))
        for row in rows.select_related("enterprise"):
            needs = row.latest_needs  # type: ignore[attr-defined]  # annotated by with_latest
            if not needs:
                continue
            issue = issue_submit(
                enterprise=row.enterprise,
                actor=actor,
                title=(_("灾后需求：%(needs)s") % {"needs": needs})[:120],
                description=_("%(incident)s（%(date)s）结束时尚未解决的需求：%(needs)s")
                % {
                    "incident": locked.title,
                    "date": timezone.localdate(locked.declared_at).isoformat(),
                    "needs": needs,
                },
                source=source,
                at=at,
            )
            AffectedEnterprise.objects.filter(pk=row.pk).update(follow_up_issue=issue)
        CallTask.objects.filter(affected__incident=locked, done_at__isnull=True).update(done_at=now)
        locked.state = State.CLOSED
        locked.closed_at = now
        locked.closed_by = actor
        locked.closing_note = (note or "").strip()
        save_new_version(locked)
        relief_offers_make(incident=locked, at=now)
        relief_offers_announce(incident=locked)
        return locked


# --- Escalation (the periodic task) ---------------------------------------------------


@dataclass
class EscalationResult:
    officer_tasks: int = 0
    leader_tasks: int = 0


def _grid_people(grid: GridTeam) -> list[User]:
    people = {user.pk: user for user in grid.officers.filter(is_active=True)}
    if grid.leader is not None and grid.leader.is_active:
        people.setdefault(grid.leader.pk, grid.leader)
    return list(people.values())


def escalate_unacknowledged(*, now: datetime.datetime | None = None) -> EscalationResult:
    """Turn enterprises not acknowledged in time into call tasks: for the grid's officers after
    ``EMERGENCY_ACK_MINUTES``, for the district leader after twice that. Safe to run twice."""
    now = now or timezone.now()
    minutes = settings.EMERGENCY_ACK_MINUTES
    result = EscalationResult()
    for level, factor in ((CallLevel.OFFICER, 1), (CallLevel.LEADER, 2)):
        due = (
            AffectedEnterprise.objects.filter(
                incident__state=State.OPEN,
                acknowledged_at__isnull=True,
                incident__declared_at__lte=now - datetime.timedelta(minutes=minutes * factor),
            )
            .exclude(call_tasks__level=level)
            .select_related("incident", "enterprise", "grid__leader", "grid__district__leader")
        )
        for affected in due:
            people = _grid_people(affected.grid) if level == CallLevel.OFFICER else []
            district_leader = affected.grid.district.leader
            if level == CallLevel.LEADER and district_leader is not None:
                people = [district_leader]
            assignee = affected.grid.leader if level == CallLevel.OFFICER else affected.grid.district.leader
            try:
                with transaction.atomic():
                    task, created = CallTask.objects.get_or_create(
                        affected=affected, level=level, defaults={"assignee": assignee, "created_at": now}
                    )
            except IntegrityError:  # another run created it between the read and the insert
                continue
            if not created:
                continue
            if level == CallLevel.OFFICER:
                result.officer_tasks += 1
            else:
                result.leader_tasks += 1
            for person in people:
                notify(
                    recipient=person,
                    kind="emergency_call",
                    title=_("请电话联系：%(enterprise)s 尚未确认收到应急通知")
                    % {"enterprise": affected.enterprise.name},
                    body=_("%(incident)s：发布已超过 %(minutes)s 分钟，企业仍未确认。请电话联系并登记结果。")
                    % {"incident": affected.incident.title, "minutes": minutes * factor},
                    url=reverse("emergency:board", args=[affected.incident_id]),
                    dedupe_key=f"emergency:call:{task.pk}:{person.pk}",
                )
    return result
