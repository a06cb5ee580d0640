"""Decisions on the weekly close's tier suggestions.

Who decides: the grid officers of the enterprise's grid, its district leader,
managers and admins (the people who may change a tier on the profile). The
suggestion is claimed with a conditional UPDATE on its status, so two people
deciding at once end with one decision and the other told it was taken.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from analytics.models import SuggestionStatus, TierSuggestion
from enterprises.models import Enterprise
from enterprises.profile.services import can_edit_profile
from enterprises.registry.services import enterprise_change_tier


def _check_may_decide(actor: User, suggestion: TierSuggestion) -> None:
    # Whoever may change the tier on the profile decides the suggestion.
    if not can_edit_profile(user=actor, enterprise=suggestion.enterprise):
        raise PermissionDenied(_("您无权处理该企业的分类调整建议。"))


def _claim(suggestion: TierSuggestion, actor: User, status: str) -> None:
    claimed = TierSuggestion.objects.filter(pk=suggestion.pk, status=SuggestionStatus.PENDING).update(
        status=status, decided_by=actor, decided_at=timezone.now()
    )
    if not claimed:
        raise ValidationError(_("该建议已被处理，请刷新页面。"), code="taken")
    suggestion.refresh_from_db()


@transaction.atomic
def tier_suggestion_accept(*, suggestion: TierSuggestion, actor: User, note: str = "") -> TierSuggestion:
    """采纳: the enterprise moves to the suggested tier, with the suggestion's reason in its tier history."""
    _check_may_decide(actor, suggestion)
    enterprise = Enterprise.objects.select_for_update().get(pk=suggestion.enterprise_id)
    if enterprise.tier != suggestion.from_tier:
        raise ValidationError(_("企业分类已变化，该建议已失效。"), code="stale")
    _claim(suggestion, actor, SuggestionStatus.ACCEPTED)
    reason = _("周跟踪建议：%(reason)s") % {"reason": suggestion.reason}
    if note.strip():
        reason = f"{reason}；{note.strip()}"
    enterprise_change_tier(enterprise=enterprise, actor=actor, tier=suggestion.to_tier, reason=reason[:300])
    return suggestion


@transaction.atomic
def tier_suggestion_dismiss(*, suggestion: TierSuggestion, actor: User) -> TierSuggestion:
    """忽略: nothing changes on the enterprise; the suggestion is not raised again for that month."""
    _check_may_decide(actor, suggestion)
    _claim(suggestion, actor, SuggestionStatus.DISMISSED)
    return suggestion
