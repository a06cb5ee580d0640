"""Handling: signing for an issue, escalation and return, extensions, resolution."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.transitions import required_text, save_new_version
from common.workdays import add_working_days, working_days_between
from grids.models import Bureau, JointTaskForce
from issues import notices, policy
from issues.errors import InvalidInput, NotPermitted, StateConflict
from issues.models import (
    MAX_EXTENSION_DAYS,
    OPEN_STATES,
    Action,
    ExtensionRequest,
    ExtensionState,
    Issue,
    Level,
    State,
)
from issues.services.steps import (
    Upload,
    attach_files,
    category_of,
    check_files,
    deadline_of,
    handling_deadline,
    local_day,
    lock_for,
    record_event,
)

# --- Handling ---------------------------------------------------------------------


@transaction.atomic
def issue_start(*, issue: Issue, actor: User, note: str = "", at: datetime.datetime | None = None) -> Issue:
    """签收办理: the holding unit takes the issue in hand; the actor becomes its handler."""
    locked = lock_for(issue, action=policy.START, actor=actor)
    now = at or timezone.now()
    from_state = locked.state
    locked.state = State.IN_PROGRESS
    locked.handler = actor
    save_new_version(locked)
    record_event(locked, actor=actor, action=Action.START, from_state=from_state, at=now, note=note.strip())
    return locked


def _default_task_force(bureau_id: int | None) -> JointTaskForce | None:
    active = JointTaskForce.objects.filter(is_active=True).order_by("id")
    if bureau_id:
        joined = active.filter(bureaus=bureau_id).first() or active.filter(lead_bureau=bureau_id).first()
        if joined:
            return joined
    return active.first()


@transaction.atomic
def issue_escalate(
    *,
    issue: Issue,
    actor: User | None,
    reason: str,
    bureau: Bureau | None = None,
    task_force: JointTaskForce | None = None,
    automatic: bool = False,
    at: datetime.datetime | None = None,
) -> Issue:
    """Move the issue one level up (grid → bureau → task force) with a reason.

    The new unit receives it as ``accepted`` with a fresh deadline for its level.
    ``automatic`` is the deadline sweep acting (no actor).
    """
    if actor is None and not automatic:
        raise NotPermitted(_("升级需要操作人。"))
    locked = lock_for(issue, action=policy.ESCALATE, actor=actor)
    if actor is None and locked.state not in OPEN_STATES:
        raise StateConflict(_("只能升级已立案或办理中的问题。"))
    reason = required_text(reason, _("升级必须填写理由。"))
    now = at or timezone.now()
    from_state = locked.state
    from_level = locked.level
    data: dict[str, Any] = {"from_level": from_level, "auto": automatic}
    if from_level == Level.GRID:
        target = bureau or category_of(locked).default_bureau
        locked.level = Level.BUREAU
        locked.bureau = target
        bureau_ids = [target.pk]
        data["bureau"] = target.code
        unit_name = target.name
    elif from_level == Level.BUREAU:
        target_force = task_force or _default_task_force(locked.bureau_id)
        if target_force is None or not target_force.is_active:
            raise InvalidInput(_("没有可用的联合服务专班。"))
        locked.level = Level.TASK_FORCE
        locked.task_force = target_force
        bureau_ids = [target_force.lead_bureau_id, *target_force.bureaus.values_list("id", flat=True)]
        data["task_force"] = target_force.pk
        unit_name = target_force.name
    else:
        raise StateConflict(_("问题已由联合服务专班办理，无法继续升级。"))
    locked.state = State.ACCEPTED
    locked.handler = None
    locked.escalation_count += 1
    locked.due_on = handling_deadline(locked, today=local_day(now))
    data.update(to_level=locked.level, due_on=locked.due_on.isoformat())
    save_new_version(locked)
    locked.bureaus_involved.add(*bureau_ids)
    record_event(
        locked,
        actor=actor,
        action=Action.ESCALATE,
        from_state=from_state,
        at=now,
        reason=reason,
        data=data,
    )
    notices.tell(
        notices.unit_members(locked),
        issue=locked,
        kind="issue_escalated",
        title=_("升级交办问题：%(title)s") % {"title": locked.title},
        body=_("%(reason)s 办结时限：%(due)s。") % {"reason": reason, "due": locked.due_on},
        key=f"escalated:{locked.version}",
        exclude=actor,
    )
    notices.tell(
        notices.enterprise_users(locked),
        issue=locked,
        kind="issue_escalated",
        title=_("您反映的问题已转交%(unit)s办理") % {"unit": unit_name},
        key=f"escalated:{locked.version}",
    )
    return locked


@transaction.atomic
def issue_return(
    *,
    issue: Issue,
    actor: User,
    reason: str,
    attachments: Sequence[Upload] = (),
    at: datetime.datetime | None = None,
) -> Issue:
    """退回: a bureau hands a wrongly assigned issue back to the grid, which holds it as accepted."""
    locked = lock_for(issue, action=policy.RETURN, actor=actor)
    reason = required_text(reason, _("退回必须填写理由。"))
    check_files(attachments)
    now = at or timezone.now()
    from_state = locked.state
    from_bureau = locked.bureau
    locked.level = Level.GRID
    locked.bureau = None
    locked.state = State.ACCEPTED
    locked.handler = None
    locked.due_on = handling_deadline(locked, today=local_day(now))
    save_new_version(locked)
    event = record_event(
        locked,
        actor=actor,
        action=Action.RETURN,
        from_state=from_state,
        at=now,
        reason=reason,
        data={"from_bureau": from_bureau.code if from_bureau else "", "due_on": locked.due_on.isoformat()},
    )
    attach_files(locked, event, attachments, actor=actor, internal=False)
    notices.tell(
        notices.grid_people(locked),
        issue=locked,
        kind="issue_returned",
        title=_("科室退回问题：%(title)s") % {"title": locked.title},
        body=reason,
        key=f"returned:{locked.version}",
    )
    return locked


@transaction.atomic
def issue_request_extension(
    *, issue: Issue, actor: User, days: int, reason: str, at: datetime.datetime | None = None
) -> ExtensionRequest:
    """申请延期: the holding unit asks for ``days`` more working days."""
    locked = lock_for(issue, action=policy.EXTEND, actor=actor)
    reason = required_text(reason, _("申请延期必须填写理由。"))
    if not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
        raise InvalidInput(_("延期天数须为 1 至 %(max)d 个工作日。") % {"max": MAX_EXTENSION_DAYS})
    now = at or timezone.now()
    request = ExtensionRequest(
        issue=locked, requested_by=actor, requested_at=now, days=days, reason=reason, old_due_on=locked.due_on
    )
    request.full_clean()
    request.save()
    save_new_version(locked)
    record_event(
        locked,
        actor=actor,
        action=Action.EXTEND_REQUEST,
        from_state=locked.state,
        at=now,
        reason=reason,
        data={"days": days, "request": request.pk},
    )
    approvers = [person for person in notices.leaders(locked) if person.pk != actor.pk] or list(notices.managers())
    notices.tell(
        approvers,
        issue=locked,
        kind="issue_extension",
        title=_("延期申请待审批：%(title)s") % {"title": locked.title},
        body=_("申请延期 %(days)d 个工作日：%(reason)s") % {"days": days, "reason": reason},
        key=f"extension:{request.pk}",
    )
    return request


@transaction.atomic
def issue_decide_extension(
    *, issue: Issue, actor: User, approve: bool, note: str = "", at: datetime.datetime | None = None
) -> ExtensionRequest:
    """Approve (the deadline moves by the requested working days, counted) or refuse (with a reason)."""
    locked = lock_for(issue, action=policy.APPROVE_EXTENSION, actor=actor)
    request = ExtensionRequest.objects.select_for_update().get(issue=locked, state=ExtensionState.PENDING)
    note = note.strip()
    if not approve:
        note = required_text(note, _("不予延期必须填写理由。"))
    now = at or timezone.now()
    request.decided_by = actor
    request.decided_at = now
    request.decision_note = note
    if approve:
        request.state = ExtensionState.APPROVED
        request.old_due_on = locked.due_on
        request.new_due_on = add_working_days(deadline_of(locked), request.days)
        locked.due_on = request.new_due_on
        locked.extension_count += 1
        action = Action.EXTEND_APPROVE
    else:
        request.state = ExtensionState.REFUSED
        action = Action.EXTEND_REFUSE
    request.full_clean()
    request.save()
    save_new_version(locked)
    record_event(
        locked,
        actor=actor,
        action=action,
        from_state=locked.state,
        at=now,
        reason=note,
        data={"request": request.pk, "days": request.days, "due_on": deadline_of(locked).isoformat()},
    )
    notices.tell(
        [request.requested_by],
        issue=locked,
        kind="issue_extension",
        title=(_("延期申请已批准：%(title)s") if approve else _("延期申请未批准：%(title)s")) % {"title": locked.title},
        body=_("办结时限：%(due)s。") % {"due": locked.due_on},
        key=f"extension-decided:{request.pk}",
    )
    return request


@transaction.atomic
def issue_resolve(
    *,
    issue: Issue,
    actor: User,
    resolution: str,
    attachments: Sequence[Upload] = (),
    at: datetime.datetime | None = None,
) -> Issue:
    """办结: the holding unit records what was done; the enterprise is asked for feedback."""
    locked = lock_for(issue, action=policy.RESOLVE, actor=actor)
    resolution = required_text(resolution, _("办结必须填写办理结果。"))
    check_files(attachments)
    now = at or timezone.now()
    from_state = locked.state
    locked.state = State.RESOLVED
    locked.resolution = resolution
    locked.resolved_at = now
    locked.handler = locked.handler or actor
    accepted_on = timezone.localdate(locked.accepted_at) if locked.accepted_at else local_day(now)
    locked.handling_working_days = max(working_days_between(accepted_on, local_day(now)), 0)
    save_new_version(locked)
    event = record_event(locked, actor=actor, action=Action.RESOLVE, from_state=from_state, at=now, note=resolution)
    attach_files(locked, event, attachments, actor=actor, internal=False)
    notices.tell(
        notices.enterprise_users(locked),
        issue=locked,
        kind="issue_resolved",
        title=_("您反映的问题已办结，请评价：%(title)s") % {"title": locked.title},
        body=resolution,
        key=f"resolved:{locked.version}",
    )
    notices.tell(
        notices.grid_people(locked),
        issue=locked,
        kind="issue_resolved",
        title=_("问题已办结，待核查销号：%(title)s") % {"title": locked.title},
        body=resolution,
        key=f"resolved:{locked.version}",
        exclude=actor,
    )
    return locked
