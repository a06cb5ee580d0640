"""Every write of the labour platform. Pages, the API and the demo call these.

Postings are written by their firm (or the zone staff for a firm in their scope);
each new or changed open posting is matched at once. Transfers are recorded by zone
staff only, with the three rules of 共享用工 confirmed, and never move more workers
than a posting offers or needs: the sums are checked under a row lock on the postings.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from enterprises.models import Enterprise
from enterprises.registry.selectors import enterprises_visible
from platforms.labour import policy
from platforms.labour.models import LabourPosting, LabourProposal, PostingKind, PostingState, Transfer
from platforms.labour.ranking import rank_demands, rank_surpluses
from platforms.labour.selectors import candidate_postings, proposals_visible, with_transferred
from platforms.matching import (
    Match,
    ProposalState,
    proposal_act,
    proposal_create,
    proposal_tell_firm,
    proposals_decline_open,
)
from platforms.records import check_version, checked_save
from platforms.scoping import is_staff, may_act_for

# How many new proposals one posting gets at a time: the best few, not a catalogue.
PROPOSALS_PER_POSTING = 8
EDITABLE_FIELDS = ("skills", "skills_note", "count", "starts_on", "ends_on", "note")


def _check_may_post(*, actor: User, enterprise: Enterprise) -> None:
    if not may_act_for(user=actor, enterprise=enterprise):
        raise ValidationError({"enterprise": [_("只能为本企业（或本人网格内的企业）发布用工信息。")]})


@transaction.atomic
def labour_posting_create(
    *,
    actor: User,
    enterprise: Enterprise,
    kind: str,
    skills: list[str],
    count: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    skills_note: str = "",
    note: str = "",
) -> LabourPosting:
    _check_may_post(actor=actor, enterprise=enterprise)
    posting = checked_save(
        LabourPosting(
            enterprise=enterprise,
            kind=kind,
            skills=list(skills),
            skills_note=skills_note.strip(),
            count=count,
            starts_on=starts_on,
            ends_on=ends_on,
            note=note.strip(),
            created_by=actor,
        )
    )
    labour_proposals_refresh(posting=posting)
    return posting


def _lock_posting(posting: LabourPosting, *, actor: User, version: int | None) -> LabourPosting:
    """Scope, row lock, version — in that order."""
    _check_may_post(actor=actor, enterprise=posting.enterprise)
    locked = LabourPosting.objects.select_for_update().select_related("enterprise__grid").get(pk=posting.pk)
    check_version(locked.version, version, _("该信息已被他人修改，请刷新后重试。"))
    return locked


@transaction.atomic
def labour_posting_update(
    *, actor: User, posting: LabourPosting, version: int | None = None, **changes: Any
) -> LabourPosting:
    """Change what a posting says (not its firm or kind); it is matched again if still open."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({field: [_("该字段不能修改。")] for field in sorted(unknown)})
    locked = _lock_posting(posting, actor=actor, version=version)
    if locked.state != PostingState.OPEN:
        raise ValidationError({"state": [_("已关闭的用工信息不能修改。")]})
    for field, value in changes.items():
        setattr(locked, field, value.strip() if isinstance(value, str) else value)
    transferred = with_transferred(LabourPosting.objects.filter(pk=locked.pk)).get().transferred  # type: ignore[attr-defined]
    if locked.count < transferred:
        raise ValidationError({"count": [_("已调配 %(done)d 人次，人数不能少于此数。") % {"done": transferred}]})
    locked.version += 1
    checked_save(locked)
    labour_proposals_refresh(posting=locked)
    return locked


@transaction.atomic
def labour_posting_close(*, actor: User, posting: LabourPosting, version: int | None = None) -> LabourPosting:
    """Withdraw a posting; its open proposals end as 未达成 with the reason said."""
    locked = _lock_posting(posting, actor=actor, version=version)
    if locked.state != PostingState.OPEN:
        raise ValidationError({"state": [_("该用工信息已关闭。")]})
    locked.state = PostingState.CLOSED
    locked.version += 1
    checked_save(locked)
    side = "surplus" if locked.kind == PostingKind.SURPLUS else "demand"
    proposals_decline_open(LabourProposal.objects.filter(**{side: locked}), actor=actor, reason=_("用工信息已关闭"))
    return locked


# --- Proposals ---------------------------------------------------------------


def _create_proposal(*, surplus: LabourPosting, demand: LabourPosting, match: Match[LabourPosting]) -> LabourProposal:
    proposal = proposal_create(LabourProposal, match, surplus=surplus, demand=demand)
    for posting, other in ((surplus, demand), (demand, surplus)):
        proposal_tell_firm(
            proposal,
            enterprise_id=posting.enterprise_id,
            kind="labour_proposal",
            title=_("共享用工推荐：%(firm)s") % {"firm": other.enterprise.name},
            url=posting.get_absolute_url(),
        )
    return proposal


@transaction.atomic
def labour_proposals_refresh(*, posting: LabourPosting, today: datetime.date | None = None) -> list[LabourProposal]:
    """Propose the best new pairs for an open posting (pairs already proposed are left alone)."""
    if posting.state != PostingState.OPEN:
        return []
    today = today or timezone.localdate()
    posting = with_transferred(LabourPosting.objects.select_related("enterprise__grid")).get(pk=posting.pk)
    side, other_side = ("surplus", "demand") if posting.kind == PostingKind.SURPLUS else ("demand", "surplus")
    already = LabourProposal.objects.filter(**{side: posting}).values(f"{other_side}_id")
    candidates = candidate_postings(posting=posting, today=today).exclude(pk__in=already)
    if posting.kind == PostingKind.SURPLUS:
        matches = rank_demands(posting, candidates, limit=PROPOSALS_PER_POSTING)
        return [_create_proposal(surplus=posting, demand=match.offer, match=match) for match in matches]
    matches = rank_surpluses(posting, candidates, limit=PROPOSALS_PER_POSTING)
    return [_create_proposal(surplus=match.offer, demand=posting, match=match) for match in matches]


@transaction.atomic
def labour_propose(*, surplus: LabourPosting, demand: LabourPosting) -> LabourProposal | None:
    """The proposal for this one pair: the existing one, a new one if the pair matches, else None."""
    existing = LabourProposal.objects.filter(surplus=surplus, demand=demand).first()
    if existing is not None:
        return existing
    if surplus.kind != PostingKind.SURPLUS or demand.kind != PostingKind.DEMAND:
        raise ValidationError({"surplus": [_("须由一条富余员工信息和一条用工需求信息配对。")]})
    annotated = with_transferred(LabourPosting.objects.select_related("enterprise__grid"))
    matches = rank_surpluses(annotated.get(pk=demand.pk), [annotated.get(pk=surplus.pk)])
    if not matches:
        return None
    return _create_proposal(surplus=matches[0].offer, demand=annotated.get(pk=demand.pk), match=matches[0])


def labour_proposal_act(
    *, proposal: LabourProposal, action: str, actor: User, reason: str = "", today: datetime.date | None = None
) -> LabourProposal:
    """Contact, agree or decline a proposal (``platforms.matching.proposal_act``, who by ``policy.RULES``)."""
    return proposal_act(
        proposal,
        visible=proposals_visible(user=actor),
        rules=policy.RULES,
        action=action,
        actor=actor,
        reason=reason,
        today=today,
    )


# --- Transfers ---------------------------------------------------------------


def _check_cap(posting: LabourPosting, *, count: int, field: str, word: str) -> None:
    done = with_transferred(LabourPosting.objects.filter(pk=posting.pk)).get().transferred  # type: ignore[attr-defined]
    if done + count > posting.count:
        raise ValidationError(
            {
                field: [
                    _("超过%(word)s人数：共 %(total)d 人，已调配 %(done)d 人次，本次最多 %(left)d 人次。")
                    % {"word": word, "total": posting.count, "done": done, "left": max(posting.count - done, 0)}
                ]
            }
        )


@transaction.atomic
def labour_transfer_record(
    *,
    actor: User,
    from_enterprise: Enterprise,
    to_enterprise: Enterprise,
    count: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    workers_consent: bool,
    contract_unchanged: bool,
    no_fee: bool,
    proposal: LabourProposal | None = None,
    surplus_posting: LabourPosting | None = None,
    demand_posting: LabourPosting | None = None,
    note: str = "",
) -> Transfer:
    """Record workers moved from one firm to another, within what was posted and needed."""
    if not is_staff(actor):
        raise PermissionDenied(_("只有%(who)s可以登记员工调配。") % {"who": policy.RECORD_TRANSFER_TEXT})
    visible = enterprises_visible(user=actor)
    if not visible.filter(pk__in=[from_enterprise.pk, to_enterprise.pk]).exists():
        raise ValidationError({"from_enterprise": [_("派出企业或用工企业须有一方在您的网格内。")]})
    if proposal is not None:
        if not proposals_visible(user=actor).filter(pk=proposal.pk).exists():
            raise ValidationError({"proposal": [_("匹配不存在或不在您的权限范围内。")]})
        if proposal.state != ProposalState.AGREED:
            raise ValidationError({"proposal": [_("只能依据已达成的匹配登记调配。")]})
        surplus_posting, demand_posting = proposal.surplus, proposal.demand
    if surplus_posting is not None and (
        surplus_posting.kind != PostingKind.SURPLUS or surplus_posting.enterprise_id != from_enterprise.pk
    ):
        raise ValidationError({"surplus_posting": [_("须为派出企业发布的富余员工信息。")]})
    if demand_posting is not None and (
        demand_posting.kind != PostingKind.DEMAND or demand_posting.enterprise_id != to_enterprise.pk
    ):
        raise ValidationError({"demand_posting": [_("须为用工企业发布的用工需求信息。")]})
    transfer = Transfer(
        from_enterprise=from_enterprise,
        to_enterprise=to_enterprise,
        count=count,
        starts_on=starts_on,
        ends_on=ends_on,
        proposal=proposal,
        surplus_posting=surplus_posting,
        demand_posting=demand_posting,
        workers_consent=workers_consent,
        contract_unchanged=contract_unchanged,
        no_fee=no_fee,
        note=note.strip(),
        recorded_by=actor,
    )
    transfer.full_clean()
    # Lock the postings (in id order, so two officers never deadlock) before summing what they gave.
    postings = [p for p in (surplus_posting, demand_posting) if p is not None]
    locked = {
        row.pk: row
        for row in LabourPosting.objects.select_for_update().filter(pk__in=[p.pk for p in postings]).order_by("pk")
    }
    if surplus_posting is not None:
        _check_cap(locked[surplus_posting.pk], count=count, field="count", word=_("富余"))
    if demand_posting is not None:
        _check_cap(locked[demand_posting.pk], count=count, field="count", word=_("需求"))
    transfer.save()
    return transfer
