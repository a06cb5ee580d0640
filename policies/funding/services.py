"""Every write to funding applications. Rules in ``policies.funding.policy``.

Each transition: scope, row lock, version, rule — in that order (``_lock``),
then the change, ``full_clean()``, one ``FundingEvent`` and the notifications.
A refusal raises a ``TransitionError`` before anything is written, and the
whole function runs in one transaction, so a refusal changes nothing.
"""

import datetime
from collections.abc import Iterable
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.notifications import bureau_people, enterprise_people, notify
from common.transitions import lock_for_action, required_text, save_new_version
from enterprises.models import Enterprise
from grids.models import Bureau
from policies.funding import policy
from policies.funding.errors import ApplicationChanged, InvalidInput, NotPermitted, StateConflict
from policies.funding.models import CENT, Disbursement, FundingApplication, FundingEvent, FundingGrant, FundingState
from policies.funding.selectors import applications_visible
from policies.models import ClauseMode, PolicyClause, PolicyLevel, PolicyState

STAFF_GUIDES = (Role.GRID_OFFICER, Role.DISTRICT_LEADER, Role.BUREAU_STAFF, Role.MANAGER)


# --- plumbing ------------------------------------------------------------------------


def _now(at: datetime.datetime | None) -> datetime.datetime:
    return at or timezone.now()


def _lock(application: FundingApplication, *, action: str, actor: User) -> FundingApplication:
    """Lock the row and refuse another scope, a stale copy, a wrong state or role."""
    return lock_for_action(
        application,
        visible=None if policy.is_manager(actor) else applications_visible(user=actor),
        out_of_scope=_("申报不存在或不在您的权限范围内。"),
        changed=ApplicationChanged,
        require=lambda locked: policy.require(action, locked, actor),
        actor=actor,
        related=("enterprise__grid", "clause__policy", "reviewing_bureau"),
    )


def _event(
    application: FundingApplication,
    *,
    actor: User | None,
    action: str,
    from_state: str,
    at: datetime.datetime,
    reason: str = "",
    amount: Decimal | None = None,
    level: str = "",
) -> FundingEvent:
    return FundingEvent.objects.create(
        application=application,
        actor=actor,
        at=at,
        action=action,
        from_state=from_state,
        to_state=application.state,
        reason=reason,
        amount=amount,
        level=level,
    )


def _open(
    *,
    actor: User,
    action: str,
    at: datetime.datetime,
    reason: str = "",
    amount: Decimal | None = None,
    **fields: object,
) -> FundingApplication:
    """Validate and save a new application created by ``actor`` and record the event that opened it
    (a draft, or a 免申即享 grant that starts approved)."""
    application = FundingApplication(created_by=actor, **fields)
    application.full_clean()
    application.save()
    _event(application, actor=actor, action=action, from_state="", at=at, reason=reason, amount=amount)
    return application


def _move(
    application: FundingApplication,
    *,
    actor: User,
    action: str,
    at: datetime.datetime,
    to_state: str | None = None,
    reason: str = "",
    amount: Decimal | None = None,
    level: str = "",
    **changes: object,
) -> None:
    """Apply one transition to the locked row: the new state (``None`` keeps it) and ``changes``,
    a new version, and the one ``FundingEvent`` naming the state it came from.

    Every transition goes through here, so the event's from/to states always match what was saved.
    """
    before = application.state
    if to_state is not None:
        application.state = to_state
    for name, value in changes.items():
        setattr(application, name, value)
    save_new_version(application)
    _event(application, actor=actor, action=action, from_state=before, at=at, reason=reason, amount=amount, level=level)


def _positive_amount(value: object, *, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError):
        raise InvalidInput(_("金额格式不正确。"), field=field) from None
    if not amount.is_finite() or amount <= 0:
        raise InvalidInput(_("金额须大于 0。"), field=field)
    if amount != amount.quantize(CENT):
        raise InvalidInput(_("金额最多保留两位小数（万元）。"), field=field)
    return amount


def _within_cap(clause: PolicyClause, amount: Decimal, *, field: str, too_much: str) -> None:
    """Refuse an amount above the clause's cap for one enterprise (单户最高支持), where it has one;
    ``too_much`` names the cap as ``%(max)s``."""
    if clause.max_amount is not None and amount > clause.max_amount:
        raise InvalidInput(too_much % {"max": clause.max_amount}, field=field)


def split_by_shares(amount: Decimal, shares: dict[str, int]) -> dict[str, Decimal]:
    """Split ``amount`` (万元) over the levels with a share; the parts add up to it exactly.

    Each part is rounded down to 0.01 万元 and what rounding left over goes to the
    level with the largest share (the first in ``PolicyLevel`` order on a tie).
    """
    paying = [(level, share) for level, share in shares.items() if share > 0]
    parts = {level: (amount * share / 100).quantize(CENT, rounding=ROUND_DOWN) for level, share in paying}
    largest = max(paying, key=lambda item: item[1])[0]
    parts[largest] += amount - sum(parts.values())
    return {level: part for level, part in parts.items() if part > 0}


def _tell(
    recipients: Iterable[User], *, application: FundingApplication, kind: str, title: str, body: str = ""
) -> None:
    for recipient in recipients:
        notify(
            recipient=recipient,
            kind=kind,
            title=title,
            body=body,
            url=application.get_absolute_url(),
            dedupe_key=f"funding:{application.pk}:v{application.version}:{kind}:{recipient.pk}",
        )


def _tell_enterprise(application: FundingApplication, *, kind: str, title: str, body: str | None = None) -> None:
    """Tell the applying enterprise's people of a decision or payment; the body names the clause unless given."""
    _tell(
        enterprise_people(enterprise_id=application.enterprise_id),
        application=application,
        kind=kind,
        title=title,
        body=application.clause.title if body is None else body,
    )


def _check_window(clause: PolicyClause, *, today: datetime.date) -> None:
    policy_doc = clause.policy
    opens, closes = policy_doc.apply_from, policy_doc.apply_to
    if (opens and today < opens) or (closes and today > closes):
        start = date_format(opens, "DATE_FORMAT") if opens else _("不限")
        end = date_format(closes, "DATE_FORMAT") if closes else _("不限")
        window = f"{start} — {end}"
        raise StateConflict(_("不在该政策的申报期内（申报期：%(window)s），不能提交。") % {"window": window})


# --- create and submit ---------------------------------------------------------------


@transaction.atomic
def funding_application_create(
    *,
    enterprise: Enterprise,
    clause: PolicyClause,
    amount_requested: Decimal,
    reviewing_bureau: Bureau,
    actor: User,
    purpose: str = "",
    guided_by: User | None = None,
    at: datetime.datetime | None = None,
) -> FundingApplication:
    """A draft application (草稿). An officer who drafts it is recorded as its guide (申报辅导)."""
    at = _now(at)
    if not policy.may_apply_for(actor, enterprise):
        raise NotPermitted(_("您无权为该企业填报申报：仅限本企业或其所属网格员。"))
    if clause.mode == ClauseMode.EXEMPT:
        raise InvalidInput(_("该条款为“免申即享”，企业无需申报，由审核科室直接兑现。"), field="clause")
    if clause.policy.state != PolicyState.PUBLISHED:
        raise InvalidInput(_("该政策尚未发布或已失效，不能申报。"), field="clause")
    amount = _positive_amount(amount_requested, field="amount_requested")
    _within_cap(clause, amount, field="amount_requested", too_much=_("申请金额超过该条款单户最高支持 %(max)s 万元。"))
    if guided_by is None and actor.role in (Role.GRID_OFFICER, Role.DISTRICT_LEADER):
        guided_by = actor
    if guided_by is not None and guided_by.role not in STAFF_GUIDES:
        raise InvalidInput(_("申报辅导人须为园区工作人员。"), field="guided_by")
    return _open(
        actor=actor,
        action="create",
        at=at,
        enterprise=enterprise,
        clause=clause,
        amount_requested=amount,
        reviewing_bureau=reviewing_bureau,
        purpose=(purpose or "").strip(),
        guided_by=guided_by,
    )


@transaction.atomic
def funding_application_submit(
    *, application: FundingApplication, actor: User, at: datetime.datetime | None = None
) -> FundingApplication:
    at = _now(at)
    application = _lock(application, action=policy.SUBMIT, actor=actor)
    _check_window(application.clause, today=timezone.localdate(at))
    if application.clause.policy.state != PolicyState.PUBLISHED:
        raise StateConflict(_("该政策尚未发布或已失效，不能提交。"))
    _move(application, actor=actor, action=policy.SUBMIT, at=at, to_state=FundingState.SUBMITTED, submitted_at=at)
    _tell(
        bureau_people(bureau_id=application.reviewing_bureau_id),
        application=application,
        kind="funding_submitted",
        title=_("新的资金申报待审核：%(enterprise)s") % {"enterprise": application.enterprise.name},
        body=application.clause.title,
    )
    return application


# --- review and decide ---------------------------------------------------------------


@transaction.atomic
def funding_application_review(
    *, application: FundingApplication, actor: User, note: str = "", at: datetime.datetime | None = None
) -> FundingApplication:
    at = _now(at)
    application = _lock(application, action=policy.REVIEW, actor=actor)
    _move(
        application,
        actor=actor,
        action=policy.REVIEW,
        at=at,
        to_state=FundingState.UNDER_REVIEW,
        reason=(note or "").strip(),
    )
    return application


def _create_grants(application: FundingApplication, amount: Decimal) -> None:
    for level, part in split_by_shares(amount, application.clause.shares).items():
        grant = FundingGrant(application=application, level=level, granted_amount=part)
        grant.full_clean()
        grant.save()


@transaction.atomic
def funding_application_approve(
    *,
    application: FundingApplication,
    actor: User,
    amount: Decimal,
    note: str = "",
    at: datetime.datetime | None = None,
) -> FundingApplication:
    """Approve ``amount`` 万元 (at most what was requested) and split it over the funding levels."""
    at = _now(at)
    application = _lock(application, action=policy.APPROVE, actor=actor)
    amount = _positive_amount(amount, field="amount")
    if amount > application.amount_requested:
        raise InvalidInput(
            _("核定金额不能超过申请金额 %(requested)s 万元。") % {"requested": application.amount_requested},
            field="amount",
        )
    _move(
        application,
        actor=actor,
        action=policy.APPROVE,
        at=at,
        to_state=FundingState.APPROVED,
        reason=(note or "").strip(),
        amount=amount,
        approved_amount=amount,
        decided_at=at,
    )
    _create_grants(application, amount)
    _tell_enterprise(
        application, kind="funding_approved", title=_("资金申报已批准：核定 %(amount)s 万元") % {"amount": amount}
    )
    return application


@transaction.atomic
def funding_application_reject(
    *, application: FundingApplication, actor: User, reason: str, at: datetime.datetime | None = None
) -> FundingApplication:
    at = _now(at)
    reason = required_text(reason, _("未通过须说明原因。"), field="reason")
    application = _lock(application, action=policy.REJECT, actor=actor)
    _move(
        application,
        actor=actor,
        action=policy.REJECT,
        at=at,
        to_state=FundingState.REJECTED,
        reason=reason,
        rejection_reason=reason,
        decided_at=at,
    )
    _tell_enterprise(application, kind="funding_rejected", title=_("资金申报未通过"), body=reason)
    return application


@transaction.atomic
def funding_exempt_grant(
    *,
    enterprise: Enterprise,
    clause: PolicyClause,
    amount: Decimal,
    reviewing_bureau: Bureau,
    actor: User,
    note: str = "",
    at: datetime.datetime | None = None,
) -> FundingApplication:
    """Record a 免申即享 grant: no application by the enterprise, no window; it starts approved."""
    at = _now(at)
    if clause.mode != ClauseMode.EXEMPT:
        raise InvalidInput(_("只有“免申即享”条款可以直接兑现，其他条款须由企业申报。"), field="clause")
    if not policy.may_grant_exempt(actor, reviewing_bureau):
        raise NotPermitted(_("您无权执行此操作：仅限审核科室。"))
    amount = _positive_amount(amount, field="amount")
    _within_cap(clause, amount, field="amount", too_much=_("金额超过该条款单户最高支持 %(max)s 万元。"))
    application = _open(
        actor=actor,
        action="exempt",
        at=at,
        reason=(note or "").strip(),
        amount=amount,
        enterprise=enterprise,
        clause=clause,
        amount_requested=amount,
        reviewing_bureau=reviewing_bureau,
        state=FundingState.APPROVED,
        submitted_at=at,
        approved_amount=amount,
        decided_at=at,
    )
    _create_grants(application, amount)
    return application


# --- money paid out --------------------------------------------------------------------


@transaction.atomic
def funding_disbursement_record(
    *,
    application: FundingApplication,
    actor: User,
    level: str,
    amount: Decimal,
    on: datetime.date | None = None,
    note: str = "",
    at: datetime.datetime | None = None,
) -> Disbursement:
    """Record a (partial) payment by one level; never above that level's grant nor the approved total.

    The application row is locked first (``_lock``) and the grant row with it, so
    two payments recorded at once are counted one after the other.
    """
    at = _now(at)
    application = _lock(application, action=policy.DISBURSE, actor=actor)
    amount = _positive_amount(amount, field="amount")
    on = on or timezone.localdate(at)
    if on > timezone.localdate(at):
        raise InvalidInput(_("拨付日期不能晚于今天。"), field="on")
    if application.decided_at and on < timezone.localdate(application.decided_at):
        raise InvalidInput(_("拨付日期不能早于批准日期。"), field="on")
    if level not in PolicyLevel.values:
        raise InvalidInput(_("资金层级不正确。"), field="level")
    grants = {grant.level: grant for grant in FundingGrant.objects.select_for_update().filter(application=application)}
    grant = grants.get(level)
    if grant is None:
        raise InvalidInput(_("该条款不由%(level)s承担资金。") % {"level": PolicyLevel(level).label}, field="level")
    if amount > grant.remaining:
        raise InvalidInput(
            _("超过%(level)s核定金额：尚可拨付 %(left)s 万元。")
            % {"level": grant.get_level_display(), "left": grant.remaining},
            field="amount",
        )
    paid_total = sum(item.disbursed_amount for item in grants.values())
    approved = application.approved_amount or Decimal("0")
    if paid_total + amount > approved:
        raise InvalidInput(
            _("超过核定总额：尚可拨付 %(left)s 万元。") % {"left": approved - paid_total},
            field="amount",
        )
    disbursement = Disbursement(
        application=application,
        level=level,
        amount=amount,
        disbursed_on=on,
        note=(note or "").strip(),
        recorded_by=actor,
        recorded_at=at,
    )
    disbursement.full_clean()
    disbursement.save()
    grant.disbursed_amount += amount
    grant.full_clean()
    grant.save(update_fields=["disbursed_amount"])
    paid_off = all(item.remaining == 0 for item in grants.values())
    _move(
        application,
        actor=actor,
        action=policy.DISBURSE,
        at=at,
        to_state=FundingState.DISBURSED if paid_off else None,
        reason=disbursement.note,
        amount=amount,
        level=level,
    )
    _tell_enterprise(
        application,
        kind="funding_disbursed",
        title=_("扶持资金已拨付 %(amount)s 万元（%(level)s）") % {"amount": amount, "level": grant.get_level_display()},
    )
    return disbursement


# The transitions by action name, for the pages and the API (one code path per rule).
ACTIONS = {
    policy.SUBMIT: funding_application_submit,
    policy.REVIEW: funding_application_review,
    policy.APPROVE: funding_application_approve,
    policy.REJECT: funding_application_reject,
    policy.DISBURSE: funding_disbursement_record,
}
