"""Closing: verification, the enterprise's feedback, closing; and notes and replies."""

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from common.transitions import required_text, save_new_version
from issues import notices, policy
from issues.errors import InvalidInput, NotPermitted
from issues.models import (
    Action,
    Feedback,
    Issue,
    IssueEvent,
    Rating,
    State,
)
from issues.services.steps import (
    Upload,
    attach_files,
    check_files,
    lock_for,
    record_event,
    refuse_out_of_scope,
    restart_handling,
)

# --- Closing -----------------------------------------------------------------------


def _close(locked: Issue, now: datetime.datetime) -> None:
    locked.state = State.CLOSED
    locked.closed_at = now


@transaction.atomic
def issue_verify(
    *, issue: Issue, actor: User, passed: bool, note: str = "", at: datetime.datetime | None = None
) -> Issue:
    """核查: passed → closed; failed (with the reason) → back in progress as rework (返工)."""
    locked = lock_for(issue, action=policy.VERIFY, actor=actor)
    note = note.strip()
    if not passed:
        note = required_text(note, _("核查未通过必须填写原因。"))
    now = at or timezone.now()
    from_state = locked.state
    if passed:
        _close(locked, now)
        action = Action.VERIFY_PASS
    else:
        due_on = restart_handling(locked, today=timezone.localdate(now))
        locked.rework_count += 1
        action = Action.VERIFY_FAIL
    save_new_version(locked)
    record_event(
        locked,
        actor=actor,
        action=action,
        from_state=from_state,
        at=now,
        reason="" if passed else note,
        note=note if passed else "",
        data={} if passed else {"due_on": due_on.isoformat()},
    )
    if not passed:
        notices.tell(
            notices.handlers(locked),
            issue=locked,
            kind="issue_rework",
            title=_("核查未通过，请返工：%(title)s") % {"title": locked.title},
            body=note,
            key=f"rework:{locked.version}",
            exclude=actor,
        )
    return locked


@transaction.atomic
def issue_feedback(
    *, issue: Issue, actor: User, rating: str, comment: str = "", at: datetime.datetime | None = None
) -> Feedback:
    """The enterprise's verdict: 满意/基本满意 close the issue; 不满意 (with a comment) reopens it."""
    locked = lock_for(issue, action=policy.FEEDBACK, actor=actor)
    if rating not in Rating.values:
        raise InvalidInput(_("请选择评价：满意、基本满意或不满意。"))
    comment = comment.strip()
    if rating == Rating.DISSATISFIED:
        comment = required_text(comment, _("选择不满意时请说明原因。"))
    now = at or timezone.now()
    from_state = locked.state
    feedback = Feedback(issue=locked, author=actor, rating=rating, comment=comment, at=now)
    feedback.full_clean()
    feedback.save()
    data = {"rating": rating}
    if rating == Rating.DISSATISFIED:
        due_on = restart_handling(locked, today=timezone.localdate(now))
        locked.reopen_count += 1
        data["due_on"] = due_on.isoformat()
    else:
        _close(locked, now)
    save_new_version(locked)
    record_event(
        locked,
        actor=actor,
        action=Action.FEEDBACK,
        from_state=from_state,
        at=now,
        reason=comment if rating == Rating.DISSATISFIED else "",
        note="" if rating == Rating.DISSATISFIED else comment,
        data=data,
    )
    title = (
        _("企业不满意，问题重新办理：%(title)s") if rating == Rating.DISSATISFIED else _("企业已评价并销号：%(title)s")
    ) % {"title": locked.title}
    notices.tell(
        [*notices.handlers(locked), *notices.grid_people(locked)],
        issue=locked,
        kind="issue_feedback",
        title=title,
        body=f"{Rating(rating).label}。{comment}".rstrip("。") if comment else str(Rating(rating).label),
        key=f"feedback:{feedback.pk}",
    )
    return feedback


@transaction.atomic
def issue_close(*, issue: Issue, actor: User, note: str = "", at: datetime.datetime | None = None) -> Issue:
    """销号 by the grid side without an online verdict (e.g. feedback taken by phone)."""
    locked = lock_for(issue, action=policy.CLOSE, actor=actor)
    now = at or timezone.now()
    from_state = locked.state
    _close(locked, now)
    save_new_version(locked)
    record_event(locked, actor=actor, action=Action.CLOSE, from_state=from_state, at=now, note=note.strip())
    return locked


# --- Notes and replies ------------------------------------------------------------------


@transaction.atomic
def issue_comment(
    *,
    issue: Issue,
    actor: User,
    body: str,
    internal: bool,
    attachments: Sequence[Upload] = (),
    at: datetime.datetime | None = None,
) -> IssueEvent:
    """An internal note (staff only) or a reply the enterprise reads. Does not change the state."""
    action = policy.NOTE if internal else policy.REPLY
    if actor.role == Role.ENTERPRISE_USER and internal:
        raise NotPermitted(_("企业用户不能添加内部备注。"))
    current = Issue.objects.select_related("enterprise__grid__district", "task_force").get(pk=issue.pk)
    refuse_out_of_scope(current, actor=actor)
    policy.require(action, current, actor)
    body = required_text(body, _("请填写内容。"))
    check_files(attachments)
    now = at or timezone.now()
    event = record_event(
        current,
        actor=actor,
        action=Action.NOTE if internal else Action.REPLY,
        from_state=current.state,
        at=now,
        note=body,
        is_internal=internal,
    )
    attach_files(current, event, attachments, actor=actor, internal=internal)
    if not internal:
        if actor.role == Role.ENTERPRISE_USER:
            recipients = [*notices.handlers(current), *notices.grid_people(current)]
            title = _("企业补充说明：%(title)s") % {"title": current.title}
        else:
            recipients = list(notices.enterprise_users(current))
            title = _("您反映的问题有新回复：%(title)s") % {"title": current.title}
        notices.tell(
            recipients,
            issue=current,
            kind="issue_reply",
            title=title,
            body=body,
            key=f"reply:{event.pk}",
            exclude=actor,
        )
    return event


# Action name → service, for the pages and the API (each takes ``issue=``, ``actor=`` and its own fields).
