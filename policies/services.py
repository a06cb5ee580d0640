"""Every write of the policy library, its pushes and the facts behind eligibility.

Transitions follow ``policies.rules`` (the table of who may do what). Each one checks, in this
order: the scope (an object the actor may not see is "not found"), the row lock, the version
the caller saw, and the rule; a refusal raises ``policies.errors.PolicyError`` and writes
nothing. Side effects (re-evaluating eligibility, e-mails) run after commit.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.notifications import notify
from common.files import MAX_FILES_PER_ACTION, Upload, validate_uploads
from common.transitions import lock_for_action, save_new_version
from enterprises.models import Enterprise
from enterprises.registry.selectors import enterprises_visible, refuse_enterprise_out_of_scope
from fieldwork.models import Visit
from policies import eligibility, rules
from policies import facts as fact_registry
from policies.errors import Changed, InvalidInput, NotPermitted
from policies.models import (
    Answer,
    ClauseCriterion,
    CriterionCase,
    EligibilityResult,
    EnterpriseFact,
    Policy,
    PolicyAttachment,
    PolicyClause,
    PolicyPush,
    PolicyState,
    PushState,
)
from policies.search import tokens_for
from policies.selectors import policies_visible, pushes_visible

# The fields of a policy an editor writes (the rest belong to the state machine).
POLICY_FIELDS = (
    "title",
    "level",
    "issuing_body",
    "document_number",
    "key_points",
    "applies_to",
    "how_to_apply",
    "contact",
    "effective_from",
    "effective_to",
    "apply_from",
    "apply_to",
    "target_industries",
)


# --- Plumbing ----------------------------------------------------------------------------------


def _lock_policy(policy: Policy, *, action: str, actor: User, version: int | None = None) -> Policy:
    """Scope, row lock, version, rule — in that order."""
    return lock_for_action(
        policy,
        visible=policies_visible(user=actor),
        out_of_scope=_("政策不存在或不在您的权限范围内。"),
        changed=Changed,
        require=lambda locked: rules.require(action, locked, actor),
        actor=actor,
        seen_version=version,
    )


def _lock_push(push: PolicyPush, *, action: str, actor: User) -> PolicyPush:
    return lock_for_action(
        push,
        visible=pushes_visible(user=actor),
        out_of_scope=_("推送不存在或不在您的权限范围内。"),
        changed=Changed,
        require=lambda locked: rules.require(action, locked, actor),
        actor=actor,
        related=("enterprise__grid", "policy"),
    )


def refresh_search_tokens(policy: Policy) -> None:
    """Cut the policy's texts (and its clause titles) into the words the search reads."""
    clause_titles = list(policy.clauses.values_list("title", flat=True)) if policy.pk else []
    policy.search_tokens = tokens_for(
        policy.title,
        policy.document_number,
        policy.issuing_body,
        policy.key_points,
        policy.applies_to,
        *clause_titles,
    )


def _after_commit_evaluate_policy(policy: Policy) -> None:
    from policies.tasks import evaluate_policy

    policy_id = policy.pk
    transaction.on_commit(lambda: evaluate_policy.delay(policy_id))


# --- The library ---------------------------------------------------------------------------------


def _refuse_unknown(fields: dict[str, Any]) -> None:
    """Refuse (400) a field a policy's create or edit does not take (``POLICY_FIELDS``)."""
    unknown = set(fields) - set(POLICY_FIELDS)
    if unknown:
        raise InvalidInput(_("未知字段：%(fields)s。") % {"fields": "、".join(sorted(unknown))})


def _stamp_state(locked: Policy, state: str, *, stamp: str) -> None:
    """Move the locked policy to ``state``, its ``stamp`` (``published_at``, ``expired_at``) now, as a new version."""
    locked.state = state
    setattr(locked, stamp, timezone.now())
    save_new_version(locked)


@transaction.atomic
def policy_create(*, actor: User, **fields: Any) -> Policy:
    """Enter a policy as a draft (managers and admins)."""
    if not rules.is_editor(actor):
        raise NotPermitted(_("您无权执行此操作：仅限%(who)s。") % {"who": _("管委会/经发局领导或系统管理员")})
    _refuse_unknown(fields)
    policy = Policy(created_by=actor, state=PolicyState.DRAFT, **fields)
    refresh_search_tokens(policy)
    policy.full_clean()
    policy.save()
    return policy


@transaction.atomic
def policy_update(*, policy: Policy, actor: User, version: int | None = None, **fields: Any) -> Policy:
    _refuse_unknown(fields)
    locked = _lock_policy(policy, action=rules.EDIT, actor=actor, version=version)
    for name, value in fields.items():
        setattr(locked, name, value)
    refresh_search_tokens(locked)
    save_new_version(locked)
    return locked


@transaction.atomic
def policy_publish(*, policy: Policy, actor: User, version: int | None = None) -> Policy:
    """草稿 → 已发布: the library shows it to enterprises, and the matching runs (after commit)."""
    locked = _lock_policy(policy, action=rules.PUBLISH, actor=actor, version=version)
    if not locked.clauses.exists():
        raise InvalidInput(_("政策至少需要一个条款才能发布。"))
    _stamp_state(locked, PolicyState.PUBLISHED, stamp="published_at")
    _after_commit_evaluate_policy(locked)
    return locked


@transaction.atomic
def policy_expire(*, policy: Policy, actor: User, version: int | None = None) -> Policy:
    """已发布 → 已失效: stays readable; no more pushes; its matches leave the lists."""
    locked = _lock_policy(policy, action=rules.EXPIRE, actor=actor, version=version)
    _stamp_state(locked, PolicyState.EXPIRED, stamp="expired_at")
    EligibilityResult.objects.filter(clause__policy=locked).delete()
    return locked


@transaction.atomic
def policy_attach(*, policy: Policy, actor: User, files: Sequence[Upload]) -> list[PolicyAttachment]:
    locked = _lock_policy(policy, action=rules.ATTACH, actor=actor)
    if not files:
        raise InvalidInput(_("请选择要上传的文件。"))
    try:
        validate_uploads(files, max_files=MAX_FILES_PER_ACTION)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages)) from error
    now = timezone.now()
    created = []
    for upload in files:
        attachment = PolicyAttachment(
            policy=locked, name=(upload.name or "file")[:200], size=upload.size or 0, uploaded_by=actor, uploaded_at=now
        )
        attachment.file.save(upload.name or "file", upload, save=False)
        attachment.full_clean()
        attachment.save()
        created.append(attachment)
    return created


@transaction.atomic
def clause_save(
    *,
    policy: Policy,
    actor: User | None,
    number: int,
    title: str,
    article: str = "",
    mode: str = "apply",
    amount_rule: str = "",
    max_amount: Decimal | None = None,
    shares: dict[str, int],
    criteria: Sequence[dict[str, Any]] = (),
    cases: Sequence[dict[str, Any]] = (),
) -> PolicyClause:
    """Create or replace clause ``number`` of a policy with its criteria and test cases.

    ``shares`` maps a level (central/municipal/district/zone) to its percent; ``criteria`` are
    ``{"fact", "operator", "value", "is_hard", "article"}``; ``cases`` are
    ``{"name", "facts", "expected"}``. Every case must hold against the criteria, else nothing
    is saved (a criterion that contradicts its author's examples is refused at the door).
    ``actor`` None is the demo loader.
    """
    if actor is not None:
        # The pages' path: the same scope, row lock and rule (editors, not on an expired policy) as any edit.
        if not rules.is_editor(actor):
            raise NotPermitted(_("您无权执行此操作：仅限%(who)s。") % {"who": _("管委会/经发局领导或系统管理员")})
        policy = _lock_policy(policy, action=rules.EDIT, actor=actor)
    elif policy.state == PolicyState.EXPIRED:
        raise InvalidInput(_("已失效的政策不能再修改。"))
    clause, _created = PolicyClause.objects.get_or_create(
        policy=policy, number=number, defaults={"title": title, "share_zone": 100}
    )
    clause.title, clause.article, clause.mode = title, article, mode
    clause.amount_rule, clause.max_amount = amount_rule, max_amount
    for level in ("central", "municipal", "district", "zone"):
        setattr(clause, f"share_{level}", int(shares.get(level, 0)))
    clause.full_clean()
    clause.save()
    clause.criteria.all().delete()
    built = []
    for position, item in enumerate(criteria, start=1):
        criterion = ClauseCriterion(
            clause=clause,
            fact=item["fact"],
            operator=item["operator"],
            value=item["value"],
            is_hard=item.get("is_hard", True),
            article=item.get("article", ""),
            position=position,
        )
        criterion.full_clean()
        criterion.save()
        built.append(criterion)
    clause.cases.all().delete()
    for item in cases:
        case = CriterionCase(clause=clause, name=item["name"], facts=item["facts"], expected=item["expected"])
        case.full_clean()
        verdict = eligibility.evaluate_facts(built, case.facts)
        if verdict.answer != case.expected:
            raise ValidationError(
                {
                    "cases": _("用例“%(name)s”预期%(expected)s，按条件判定为%(actual)s。")
                    % {
                        "name": case.name,
                        "expected": Answer(case.expected).label,
                        "actual": Answer(verdict.answer).label,
                    }
                }
            )
        case.save()
    refresh_search_tokens(policy)
    Policy.objects.filter(pk=policy.pk).update(search_tokens=policy.search_tokens)
    if policy.state == PolicyState.PUBLISHED:
        _after_commit_evaluate_policy(policy)
    return clause


# --- Pushes ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PushOutcome:
    created: list[PolicyPush]
    already_told: int  # enterprises of the target that had this policy already (nobody gets it twice)


def push_targets_eligible(*, policy: Policy, actor: User) -> QuerySet[Enterprise]:
    """Enterprises in the actor's scope the matching found eligible for a clause of ``policy``, not yet told."""
    eligible = EligibilityResult.objects.filter(clause__policy=policy, answer=Answer.ELIGIBLE).values("enterprise_id")
    told = PolicyPush.objects.filter(policy=policy).values("enterprise_id")
    return enterprises_visible(user=actor).filter(pk__in=eligible).exclude(pk__in=told)


@transaction.atomic
def push_send(*, policy: Policy, actor: User, enterprises: Iterable[Enterprise], note: str = "") -> PushOutcome:
    """一对一推送 ``policy`` to each of ``enterprises`` (all within the actor's scope), with a 解读.

    An enterprise that already has this policy is skipped, never told twice; the unique
    constraint holds the line against two officers pushing at once.
    """
    locked = _lock_policy(policy, action=rules.PUSH, actor=actor)
    note = (note or "").strip()
    if len(note) > 2000:
        raise InvalidInput(_("政策解读不能超过 2000 字。"))
    wanted = {enterprise.pk for enterprise in enterprises}
    if not wanted:
        raise InvalidInput(_("没有符合条件的推送对象。"))
    visible = set(enterprises_visible(user=actor).filter(pk__in=wanted).values_list("pk", flat=True))
    if visible != wanted:
        raise NotPermitted(_("推送对象中有企业不在您的权限范围内。"))
    told = set(
        PolicyPush.objects.filter(policy=locked, enterprise_id__in=wanted).values_list("enterprise_id", flat=True)
    )
    now = timezone.now()
    new = [
        PolicyPush(policy=locked, enterprise_id=pk, note=note, pushed_by=actor, pushed_at=now)
        for pk in sorted(wanted - told)
    ]
    for push in new:
        push.full_clean(exclude=["policy", "enterprise"], validate_unique=False, validate_constraints=False)
    PolicyPush.objects.bulk_create(new, ignore_conflicts=True)
    created = list(
        PolicyPush.objects.filter(policy=locked, enterprise_id__in=[push.enterprise_id for push in new], pushed_at=now)
        .select_related("enterprise", "policy")
        .order_by("enterprise_id")
    )
    _notify_pushes(created)
    return PushOutcome(created=created, already_told=len(wanted) - len(created))


def _notify_pushes(pushes: list[PolicyPush]) -> None:
    recipients: dict[int, list[User]] = {}
    for user in User.objects.filter(
        role=Role.ENTERPRISE_USER, is_active=True, enterprise_id__in=[push.enterprise_id for push in pushes]
    ):
        if user.enterprise_id is not None:
            recipients.setdefault(user.enterprise_id, []).append(user)
    for push in pushes:
        for user in recipients.get(push.enterprise_id, []):
            notify(
                recipient=user,
                kind="policy_push",
                title=_("新政策推送：%(title)s") % {"title": push.policy.title},
                body=push.note,
                url=reverse("policies:push_detail", args=[push.pk]),
                dedupe_key=f"policy-push:{push.pk}:{user.pk}",
            )


@transaction.atomic
def push_open(*, push: PolicyPush, actor: User) -> bool:
    """Record that a signed-in user of the pushed enterprise opened it. Returns whether it recorded.

    Anyone else opening it (the officer checking, a manager) records nothing; a second open
    keeps the first time.
    """
    if actor is None or actor.role != Role.ENTERPRISE_USER or actor.enterprise_id != push.enterprise_id:
        return False
    if push.state != PushState.DELIVERED:
        return False
    updated = PolicyPush.objects.filter(pk=push.pk, state=PushState.DELIVERED).update(
        state=PushState.OPENED, opened_at=timezone.now(), opened_by=actor, version=push.version + 1
    )
    push.refresh_from_db()
    return bool(updated)


@transaction.atomic
def push_acknowledge(*, push: PolicyPush, actor: User) -> PolicyPush:
    """已确认: the enterprise confirms it has read and understood the policy."""
    locked = _lock_push(push, action=rules.ACKNOWLEDGE, actor=actor)
    now = timezone.now()
    if locked.opened_at is None:
        locked.opened_at, locked.opened_by = now, actor
    locked.state = PushState.ACKNOWLEDGED
    locked.acknowledged_at, locked.acknowledged_by = now, actor
    save_new_version(locked)
    return locked


@transaction.atomic
def push_explain_in_person(*, push: PolicyPush, actor: User, note: str = "", visit: Visit | None = None) -> PolicyPush:
    """当面解读: the officer explained the policy at a visit and confirms on the enterprise's behalf (marked so)."""
    locked = _lock_push(push, action=rules.EXPLAIN, actor=actor)
    if visit is not None:
        _check_explain_visit(locked, actor, visit)
    note = (note or "").strip()
    if len(note) > 500:
        raise InvalidInput(_("解读情况不能超过 500 字。"))
    locked.state = PushState.ACKNOWLEDGED
    locked.acknowledged_at, locked.acknowledged_by = timezone.now(), actor
    locked.in_person, locked.in_person_note, locked.visit = True, note, visit
    save_new_version(locked)
    return locked


def _check_explain_visit(push: PolicyPush, actor: User, visit: Visit) -> None:
    """The visit it was explained at: the actor's own, to the pushed enterprise, not before the push's day."""
    if visit.enterprise_id != push.enterprise_id:
        raise InvalidInput(_("走访记录不属于该企业。"), field="visit")
    if visit.officer_id != actor.pk:
        raise InvalidInput(_("只能选择本人的走访记录。"), field="visit")
    if timezone.localdate(visit.visited_at) < timezone.localdate(push.pushed_at):
        raise InvalidInput(_("该走访早于政策推送，不能登记为当面解读的走访。"), field="visit")


# --- Facts -----------------------------------------------------------------------------------------


@transaction.atomic
def fact_record(
    *,
    enterprise: Enterprise,
    actor: User,
    key: str,
    value: Any,
    source: str = "visit",
    at: datetime.datetime | None = None,
) -> EnterpriseFact:
    """Record a fact the profile lacks (研发投入 …) and re-evaluate the enterprise's clauses at once."""
    if not rules.may_record_facts(actor):
        raise NotPermitted(_("只有网格员、片区负责人或管委会/经发局领导可以采集企业信息。"))
    refuse_enterprise_out_of_scope(user=actor, enterprise=enterprise)
    if key not in fact_registry.RECORDED_FACTS:
        raise ValidationError({"key": _("未知的采集事项。")})
    try:
        parsed = fact_registry.parse_recorded_value(key, value)
    except ValueError as error:
        raise ValidationError({"value": str(error)}) from error
    fact = EnterpriseFact.objects.select_for_update().filter(enterprise=enterprise, key=key).first()
    fact = fact or EnterpriseFact(enterprise=enterprise, key=key)
    fact.value, fact.source, fact.recorded_by = parsed, source, actor
    fact.recorded_at = at or timezone.now()
    fact.full_clean()
    fact.save()
    eligibility.evaluate_enterprises(enterprise_ids=[enterprise.pk], at=fact.recorded_at)
    return fact
