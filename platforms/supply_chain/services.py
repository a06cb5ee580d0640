"""Every write of the supply-chain platform: recommendations, confirmed suggestions, outcomes.

Scope first (out of scope: 404 or a 400 naming the field), then the row lock,
the version and the rule; a refusal raises before anything is written.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.scoping import scope_for
from enterprises.models import Enterprise
from platforms.procurement import policy
from platforms.records import check_version, checked_save
from platforms.supply_chain import selectors
from platforms.supply_chain.models import OUTCOME_NEXT, Recommendation
from platforms.supply_chain.suggestions import suggestions_for


def _not_in_scope(field: str) -> ValidationError:
    return ValidationError({field: [_("企业不存在或不在您的权限范围内。")]})


@transaction.atomic
def recommendation_record(
    *,
    actor: User,
    for_enterprise: Enterprise,
    recommended: Enterprise,
    direction: str,
    product: str,
    reason: str,
    by_enterprise: Enterprise | None = None,
    recommended_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Recommendation:
    """Record a recommendation: by an enterprise user for its own firm, or by staff for a firm in scope.

    An enterprise user recommends as its enterprise (``by_enterprise`` is its own), naming only
    the zone firms it trades with (``selectors.recommendation_parties``);
    staff record either a firm's recommendation or their own (no ``by_enterprise``).
    """
    today = today or timezone.localdate()
    recommended_on = recommended_on or today
    scope = scope_for(actor)
    if scope.role == Role.ENTERPRISE_USER:
        own = scope.enterprise_id
        if own is None or (by_enterprise is not None and by_enterprise.pk != own):
            raise _not_in_scope("by_enterprise")
        by_enterprise = Enterprise.objects.get(pk=own)
        # It names the firms it trades with only: an id of any other firm answers as one that does not exist.
        parties = set(
            selectors.recommendation_parties(user=actor)
            .filter(pk__in=[for_enterprise.pk, recommended.pk])
            .values_list("pk", flat=True)
        )
        for field, firm in (("for_enterprise", for_enterprise), ("recommended", recommended)):
            if firm.pk not in parties:
                raise _not_in_scope(field)
    elif not policy.is_staff(scope):
        raise PermissionDenied(_("您无权登记供应链互助推荐。"))
    elif not (
        policy.covers(scope, for_enterprise) or (by_enterprise is not None and policy.covers(scope, by_enterprise))
    ):
        raise _not_in_scope("for_enterprise")
    if recommended_on > today:
        raise ValidationError({"recommended_on": [_("推荐日期不能晚于今天。")]})
    return checked_save(
        Recommendation(
            for_enterprise=for_enterprise,
            recommended=recommended,
            direction=direction,
            product=(product or "").strip(),
            reason=(reason or "").strip(),
            by_enterprise=by_enterprise,
            recommended_by=actor,
            recommended_on=recommended_on,
        )
    )


@transaction.atomic
def recommendation_confirm_suggestion(
    *, actor: User, for_enterprise: Enterprise, key: str, today: datetime.date | None = None
) -> Recommendation:
    """An officer confirms a suggestion (named by its ``key``): it becomes a recommendation with its reasons.

    The suggestion is worked out again now, so a stale or forged key is refused.
    """
    today = today or timezone.localdate()
    scope = scope_for(actor)
    if not (policy.is_staff(scope) and policy.covers(scope, for_enterprise)):
        raise Http404
    for match in suggestions_for(for_enterprise):
        candidate = match.offer
        if candidate.key == key:
            break
    else:
        raise ValidationError({"key": [_("该建议已不存在（可能已确认或配套关系已变化），请刷新后重试。")]})
    return checked_save(
        Recommendation(
            for_enterprise=for_enterprise,
            recommended=candidate.recommended,
            direction=candidate.direction,
            product=candidate.product,
            reason=match.summary[:500],
            recommended_by=actor,
            recommended_on=today,
            from_suggestion=True,
        )
    )


def _may_record_outcome(actor: User, recommendation: Recommendation) -> bool:
    scope = scope_for(actor)
    if scope.role == Role.ENTERPRISE_USER:
        return scope.enterprise_id in (
            recommendation.for_enterprise_id,
            recommendation.recommended_id,
            recommendation.by_enterprise_id,
        )
    return policy.is_staff(scope)


@transaction.atomic
def recommendation_record_outcome(
    *,
    recommendation: Recommendation,
    actor: User,
    outcome: str,
    outcome_on: datetime.date | None = None,
    note: str = "",
    version: int | None = None,
    today: datetime.date | None = None,
) -> Recommendation:
    """Record what came of a recommendation (已对接 → 已成交 / 未成交); final outcomes do not change."""
    today = today or timezone.localdate()
    if not selectors.recommendations_visible(user=actor).filter(pk=recommendation.pk).exists():
        raise Http404
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    check_version(locked.version, version)
    if not _may_record_outcome(actor, locked):
        raise PermissionDenied(_("您无权执行此操作：仅限推荐涉及的企业或园区工作人员。"))
    if outcome not in OUTCOME_NEXT.get(locked.outcome, ()):
        raise ValidationError(
            {"outcome": [_("当前结果为“%(outcome)s”，不能改为该结果。") % {"outcome": locked.get_outcome_display()}]}
        )
    outcome_on = outcome_on or today
    if outcome_on > today:
        raise ValidationError({"outcome_on": [_("结果日期不能晚于今天。")]})
    locked.outcome = outcome
    locked.outcome_on = outcome_on
    locked.outcome_note = (note or "").strip()
    locked.version += 1
    return checked_save(locked)
