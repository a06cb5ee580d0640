"""Every write to enterprises goes through these functions."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.audit import record_actor
from enterprises.registry.models import Enterprise, TierChange

# 基本信息: the admin's fieldset and the API's shape list them together.
BASIC_INFO_FIELDS = (
    "address",
    "legal_representative",
    "phone",
    "employees",
    "founded_on",
    "registered_capital",
    "main_products",
)
EDITABLE_FIELDS = ("name", "uscc", "ownership", "industry", "above_scale", "grid", *BASIC_INFO_FIELDS)


@transaction.atomic
def enterprise_create(*, actor: User | None, tier: str, tier_reason: str = "", **fields: Any) -> Enterprise:
    enterprise = Enterprise(tier=tier, **{k: v for k, v in fields.items() if k in EDITABLE_FIELDS})
    enterprise.full_clean()
    record_actor(enterprise, actor)
    enterprise.save()
    TierChange.objects.create(
        enterprise=enterprise,
        from_tier="",
        to_tier=tier,
        reason=tier_reason or _("建档"),
        changed_by=actor,
        changed_at=timezone.now(),
    )
    return enterprise


@transaction.atomic
def enterprise_update(*, enterprise: Enterprise, actor: User | None, **fields: Any) -> Enterprise:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("该字段不可在此修改。") for name in sorted(unknown)})
    for name, value in fields.items():
        setattr(enterprise, name, value)
    enterprise.full_clean()
    record_actor(enterprise, actor)
    enterprise.save()
    return enterprise


@transaction.atomic
def enterprise_change_tier(*, enterprise: Enterprise, actor: User | None, tier: str, reason: str) -> Enterprise:
    """Move an enterprise to another tier; a reason is required and kept."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("调整企业分类必须填写原因。")})
    if tier == enterprise.tier:
        raise ValidationError({"tier": _("新分类与当前分类相同。")})
    previous = enterprise.tier
    enterprise.tier = tier
    enterprise.full_clean()
    record_actor(enterprise, actor)
    enterprise.save(update_fields=["tier", "updated_at"])
    TierChange.objects.create(
        enterprise=enterprise,
        from_tier=previous,
        to_tier=tier,
        reason=reason,
        changed_by=actor,
        changed_at=timezone.now(),
    )
    return enterprise
