"""Intake: submission, the response clock (accept or reject), and merging duplicates."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from common.transitions import required_text, save_new_version
from common.workdays import add_working_days
from enterprises.models import Enterprise
from enterprises.registry.selectors import refuse_enterprise_out_of_scope
from issues import notices, policy
from issues.errors import InvalidInput, NotPermitted
from issues.models import (
    Action,
    Category,
    Issue,
    Level,
    Severity,
    Source,
    State,
)
from issues.selectors import issues_visible
from issues.services.steps import (
    Upload,
    attach_files,
    check_files,
    handling_deadline,
    is_unit_person,
    local_day,
    lock_for,
    record_event,
)

# --- Submission -------------------------------------------------------------------


@transaction.atomic
def issue_submit(
    *,
    enterprise: Enterprise,
    actor: User | None,
    title: str,
    description: str,
    source: str,
    category: Category | None = None,
    attachments: Sequence[Upload] = (),
    at: datetime.datetime | None = None,
) -> Issue:
    """Record a new problem as ``submitted``; the response clock (1 working day) starts.

    A bureau entering a problem itself (source ``bureau``) holds it from the start.
    """
    if source not in Source.values:
        raise ValidationError({"source": _("未知的问题来源。")})
    if actor is not None and actor.role == Role.ENTERPRISE_USER:
        if actor.enterprise_id != enterprise.pk or source != Source.ENTERPRISE:
            raise NotPermitted(_("企业用户只能为本企业提交问题。"))
    if actor is not None:
        refuse_enterprise_out_of_scope(user=actor, enterprise=enterprise)
    check_files(attachments)
    now = at or timezone.now()
    issue = Issue(
        enterprise=enterprise,
        title=(title or "").strip(),
        description=(description or "").strip(),
        source=source,
        category=category,
        state=State.SUBMITTED,
        created_by=actor,
        response_due_on=add_working_days(local_day(now), 1),
    )
    if source == Source.BUREAU and actor is not None and actor.role == Role.BUREAU_STAFF and actor.bureau_id:
        issue.level = Level.BUREAU
        issue.bureau_id = actor.bureau_id
    issue.full_clean()
    issue.save()
    if at is not None:
        # ``created_at`` is stamped on insert; a submission recorded for an earlier moment keeps it.
        Issue.objects.filter(pk=issue.pk).update(created_at=at)
        issue.created_at = at
    if issue.bureau_id:
        issue.bureaus_involved.add(issue.bureau_id)
    event = record_event(issue, actor=actor, action=Action.SUBMIT, from_state="", at=now)
    attach_files(issue, event, attachments, actor=actor, internal=False)
    notices.tell(
        notices.unit_members(issue),
        issue=issue,
        kind="issue_submitted",
        title=_("新问题待受理：%(title)s") % {"title": issue.title},
        body=_("%(enterprise)s 反映的问题请于 %(due)s 前受理。")
        % {"enterprise": enterprise.name, "due": issue.response_due_on},
        key="submitted",
        exclude=actor,
    )
    return issue


# --- The response clock: accept or reject -------------------------------------------


@transaction.atomic
def issue_accept(
    *,
    issue: Issue,
    actor: User,
    category: Category | None = None,
    severity: str | None = None,
    note: str = "",
    at: datetime.datetime | None = None,
) -> Issue:
    """立案: set the category and grade; the handling clock starts at this level."""
    locked = lock_for(issue, action=policy.ACCEPT, actor=actor)
    category = category or locked.category
    if category is None:
        raise InvalidInput(_("受理立案需要选择问题类别。"))
    if severity is not None and severity not in Severity.values:
        raise InvalidInput(_("未知的问题等级。"))
    now = at or timezone.now()
    from_state = locked.state
    locked.category = category
    locked.severity = severity or locked.severity
    locked.state = State.ACCEPTED
    locked.accepted_at = now
    locked.responded_at = now
    locked.due_on = handling_deadline(locked, today=local_day(now))
    locked.handler = actor if is_unit_person(actor) else None
    save_new_version(locked)
    record_event(
        locked,
        actor=actor,
        action=Action.ACCEPT,
        from_state=from_state,
        at=now,
        note=note.strip(),
        data={"due_on": locked.due_on.isoformat(), "level": locked.level, "category": category.code},
    )
    notices.tell(
        notices.enterprise_users(locked),
        issue=locked,
        kind="issue_accepted",
        title=_("您反映的问题已受理：%(title)s") % {"title": locked.title},
        body=_("办结时限：%(due)s。") % {"due": locked.due_on},
        key=f"accepted:{locked.version}",
    )
    if locked.handler is None:
        notices.tell(
            notices.unit_members(locked),
            issue=locked,
            kind="issue_assigned",
            title=_("新交办问题：%(title)s") % {"title": locked.title},
            body=_("办结时限：%(due)s。") % {"due": locked.due_on},
            key=f"assigned:{locked.version}",
            exclude=actor,
        )
    return locked


@transaction.atomic
def issue_reject(*, issue: Issue, actor: User, reason: str, at: datetime.datetime | None = None) -> Issue:
    """不予立案, with the reason the enterprise reads."""
    locked = lock_for(issue, action=policy.REJECT, actor=actor)
    reason = required_text(reason, _("不予立案必须填写理由。"))
    now = at or timezone.now()
    from_state = locked.state
    locked.state = State.REJECTED
    locked.responded_at = now
    save_new_version(locked)
    record_event(locked, actor=actor, action=Action.REJECT, from_state=from_state, at=now, reason=reason)
    notices.tell(
        notices.enterprise_users(locked),
        issue=locked,
        kind="issue_rejected",
        title=_("您反映的问题不予立案：%(title)s") % {"title": locked.title},
        body=reason,
        key="rejected",
    )
    return locked


@transaction.atomic
def issue_merge(
    *, issue: Issue, actor: User, into: Issue, reason: str = "", at: datetime.datetime | None = None
) -> Issue:
    """合并: a duplicate of another open issue of the same enterprise; the enterprise is told."""
    locked = lock_for(issue, action=policy.MERGE, actor=actor)
    if into.pk == locked.pk:
        raise InvalidInput(_("不能与问题本身合并。"))
    if not issues_visible(user=actor).filter(pk=into.pk).exists():
        raise InvalidInput(_("目标问题不存在或不在您的权限范围内。"))
    target = Issue.objects.get(pk=into.pk)
    if target.enterprise_id != locked.enterprise_id:
        raise InvalidInput(_("只能合并同一企业的问题。"))
    if target.state in (State.MERGED, State.REJECTED, State.CLOSED):
        raise InvalidInput(_("目标问题%(state)s，不能并入。") % {"state": target.get_state_display()})
    reason = (reason or "").strip() or _("与问题 #%(pk)d 重复。") % {"pk": target.pk}
    now = at or timezone.now()
    from_state = locked.state
    locked.state = State.MERGED
    locked.duplicate_of = target
    save_new_version(locked)
    record_event(
        locked, actor=actor, action=Action.MERGE, from_state=from_state, at=now, reason=reason, data={"into": target.pk}
    )
    record_event(
        target,
        actor=actor,
        action=Action.MERGED_IN,
        from_state=target.state,
        at=now,
        note=_("并入重复问题 #%(pk)d：%(title)s") % {"pk": locked.pk, "title": locked.title},
        data={"merged": locked.pk},
    )
    notices.tell(
        notices.enterprise_users(locked),
        issue=target,
        kind="issue_merged",
        title=_("您反映的问题已与 #%(pk)d 合并办理") % {"pk": target.pk},
        body=reason,
        key=f"merged:{locked.pk}",
    )
    return locked
