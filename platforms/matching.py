"""What every matchmaking platform shares: ranking offers for a need, and the proposal's life.

Ranking (``rank``): hard filters first — an offer that fails one is not proposed at
all — then a weighted score whose parts are the reasons shown to the user
("同属汽车零部件 · 同一片区 · 可供 20 人 ≥ 需 15 人"). Weights are integers per
platform in ``settings.PLATFORM_MATCH_WEIGHTS`` (defaults in each platform's
``WEIGHTS``); the order is deterministic: score, then the offer's primary key.

Proposals: each platform has its own concrete model on ``Proposal`` (abstract here),
with the same states and the same table of transitions (``TRANSITIONS``), so every
platform's proposed → contacted → agreed / declined / expired reads the same, and
``proposals_expire`` (a Celery job) expires stale ones of every platform.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Role, User
from accounts.notifications import notify
from common.models import TimeStampedModel
from common.periods import date_window
from platforms.records import written_by

# --- Ranking ---------------------------------------------------------------------------------

# What a ranking ranks (a listing, a posting, a product …) and the proposal a platform moves.
Offer = TypeVar("Offer")
AnyProposal = TypeVar("AnyProposal", bound="Proposal")


@dataclass(frozen=True)
class Reason:
    """One part of a score: what matched, said in a few words, and the points it gave."""

    key: str
    text: str
    points: int

    def as_dict(self) -> dict:
        return {"key": self.key, "text": str(self.text), "points": self.points}


@dataclass(frozen=True)
class Scorer:
    """A named part of the score: ``judge(need, offer)`` gives the reason text when it applies, else None.

    ``judge`` may also return a fraction in (0, 1] with the text, for partial matches
    (``("可供 10 人 < 需 15 人", 0.5)``): the points are the weight times the fraction, rounded.
    """

    key: str
    judge: Callable[[object, object], str | tuple[str, float] | None]


@dataclass(frozen=True)
class Match(Generic[Offer]):
    offer: Offer
    score: int
    reasons: tuple[Reason, ...]

    @property
    def summary(self) -> str:
        return " · ".join(str(reason.text) for reason in self.reasons)

    def reasons_as_list(self) -> list[dict]:
        return [reason.as_dict() for reason in self.reasons]


def weights_for(platform: str, defaults: dict[str, int]) -> dict[str, int]:
    """The weights in force for ``platform``: its defaults overridden by ``settings.PLATFORM_MATCH_WEIGHTS``.

    Fails loudly on an unknown key or a weight that is not a non-negative integer.
    """
    configured = (getattr(settings, "PLATFORM_MATCH_WEIGHTS", None) or {}).get(platform, {})
    unknown = set(configured) - set(defaults)
    if unknown:
        raise ImproperlyConfigured(f"PLATFORM_MATCH_WEIGHTS[{platform!r}]: unknown keys {sorted(unknown)}")
    merged = {**defaults, **configured}
    if any(isinstance(value, bool) or not isinstance(value, int) or value < 0 for value in merged.values()):
        raise ImproperlyConfigured(f"PLATFORM_MATCH_WEIGHTS[{platform!r}]: weights must be non-negative integers")
    return merged


def weights_check(defaults: dict[str, dict[str, int]]) -> None:
    """Stop the start on a bad ``settings.PLATFORM_MATCH_WEIGHTS``: a platform not in ``defaults``
    (a typo would otherwise be ignored and the defaults silently kept), or a platform's weights
    that ``weights_for`` refuses. Raises ImproperlyConfigured naming the platform."""
    configured = getattr(settings, "PLATFORM_MATCH_WEIGHTS", None) or {}
    if not isinstance(configured, dict):
        raise ImproperlyConfigured("PLATFORM_MATCH_WEIGHTS must map platform names to their weights")
    unknown = set(configured) - set(defaults)
    if unknown:
        raise ImproperlyConfigured(
            f"PLATFORM_MATCH_WEIGHTS: unknown platforms {sorted(unknown)}; the platforms are {sorted(defaults)}"
        )
    for platform, platform_defaults in defaults.items():
        if not isinstance(configured.get(platform, {}), dict):
            raise ImproperlyConfigured(f"PLATFORM_MATCH_WEIGHTS[{platform!r}] must map parts of the score to weights")
        weights_for(platform, platform_defaults)


def rank(
    need: object,
    offers: Iterable[Offer],
    *,
    filters: Sequence[Callable[[object, object], bool]],
    scorers: Sequence[Scorer],
    weights: dict[str, int],
    limit: int | None = None,
    minimum: int = 1,
) -> list[Match[Offer]]:
    """The offers that pass every hard filter, scored and ordered (score desc, then pk asc).

    An offer whose score is below ``minimum`` is left out: nothing in common is no match.
    """
    matches = []
    for offer in offers:
        if not all(passes(need, offer) for passes in filters):
            continue
        reasons = []
        for scorer in scorers:
            weight = weights.get(scorer.key, 0)
            verdict = scorer.judge(need, offer)
            if not weight or verdict is None:
                continue
            text, fraction = verdict if isinstance(verdict, tuple) else (verdict, 1.0)
            points = round(weight * max(0.0, min(fraction, 1.0)))
            if points:
                reasons.append(Reason(scorer.key, text, points))
        score = sum(reason.points for reason in reasons)
        if score >= minimum:
            matches.append(Match(offer, score, tuple(reasons)))
    matches.sort(key=lambda match: (-match.score, match.offer.pk))
    return matches[:limit] if limit is not None else matches


# --- Proposals -------------------------------------------------------------------------------


def proposals_made_and_agreed(date_from: datetime.date | None, date_to: datetime.date | None) -> dict[str, Count]:
    """The platforms' proposal figures for a window (both ends inclusive): ``made`` counts a proposal
    on the day it was made, ``agreed`` on the day it was agreed — so a past month's figures never move."""
    return {
        "made": Count("pk", filter=date_window("created_at__date", date_from, date_to)),
        "agreed": Count(
            "pk", filter=Q(state=ProposalState.AGREED) & date_window("decided_at__date", date_from, date_to)
        ),
    }


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", _("已推荐")
    CONTACTED = "contacted", _("已对接")
    AGREED = "agreed", _("已达成")
    DECLINED = "declined", _("未达成")
    EXPIRED = "expired", _("已过期")


OPEN_PROPOSAL_STATES = (ProposalState.PROPOSED, ProposalState.CONTACTED)

# action → (states it may start from, state it leads to). The one statement of the proposal's rules.
CONTACT, AGREE, DECLINE, EXPIRE = "contact", "agree", "decline", "expire"
TRANSITIONS = {
    CONTACT: ((ProposalState.PROPOSED,), ProposalState.CONTACTED),
    AGREE: (OPEN_PROPOSAL_STATES, ProposalState.AGREED),
    DECLINE: (OPEN_PROPOSAL_STATES, ProposalState.DECLINED),
    EXPIRE: (OPEN_PROPOSAL_STATES, ProposalState.EXPIRED),
}
REFUSALS = {
    CONTACT: _("只有“已推荐”的匹配可以标记为已对接。"),
    AGREE: _("该匹配已结束（已达成、未达成或已过期），不能再确认达成。"),
    DECLINE: _("该匹配已结束，不能再标记为未达成。"),
    EXPIRE: _("该匹配已结束。"),
}
LAPSED = _("该匹配已过有效期，不能再处理。")


class Proposal(TimeStampedModel):
    """A proposed match of a need and an offer, with its score and reasons; one concrete model per platform.

    A concrete model adds its ``need`` and ``offer`` foreign keys (unique together, so the
    same pair is never proposed twice) and lists itself in ``PROPOSAL_MODELS``.
    """

    state = models.CharField(_("状态"), max_length=12, choices=ProposalState.choices, default=ProposalState.PROPOSED)
    score = models.PositiveSmallIntegerField(_("匹配得分"))
    reasons = models.JSONField(_("匹配理由"), default=list)
    expires_on = models.DateField(_("有效期至"))
    contacted_at = models.DateTimeField(_("对接时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    decided_by = written_by(_("确认人"))
    decline_reason = models.CharField(_("未达成原因"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    # Who changed what and when, on every concrete proposal model (common.audit). The
    # transitions are conditional updates, which write no history by themselves:
    # proposal_transition and proposals_expire add the rows (bulk_history_create).
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["-score", "id"]

    @property
    def reason_summary(self) -> str:
        return " · ".join(reason["text"] for reason in self.reasons)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_PROPOSAL_STATES


@dataclass(frozen=True)
class Rule:
    """Who may take one action on a platform's proposal (``who(user, proposal)``), and how a refusal names them."""

    who: Callable[[Any, Any], bool]
    who_text: str | Promise


class ProposalRules(dict[str, Rule]):
    """A platform's one table of who may contact, agree or decline its proposals (action → ``Rule``);
    the states each action starts from are ``TRANSITIONS``, shared by every platform."""

    def may(self, action: str, proposal: Any, user: Any) -> bool:
        return self[action].who(user, proposal)

    def refusal(self, action: str) -> str:
        return str(_("您无权执行此操作：仅限%(who)s。") % {"who": self[action].who_text})

    def require(self, action: str, proposal: Any, user: Any) -> None:
        if not self.may(action, proposal, user):
            raise PermissionDenied(self.refusal(action))

    def allowed_actions(self, proposal: Any, user: Any) -> set[str]:
        """The actions to offer ``user`` on ``proposal`` (its buttons): its state allows them and so does the table."""
        return {
            action for action in self if proposal.state in TRANSITIONS[action][0] and self.may(action, proposal, user)
        }


def proposal_act(
    proposal: AnyProposal,
    *,
    visible: QuerySet[AnyProposal],
    rules: ProposalRules,
    action: str,
    actor: Any,
    reason: str = "",
    today: datetime.date | None = None,
) -> AnyProposal:
    """Contact, agree or decline a proposal — in the ``visible`` ones of the actor, a known action, then who
    (``rules``), then the shared rule of states and dates (``proposal_transition``) — or refuse, changing nothing."""
    if not visible.filter(pk=proposal.pk).exists():
        raise PermissionDenied(str(_("匹配不存在或不在您的权限范围内。")))
    if action not in rules:
        raise ValidationError({"action": [_("未知操作。")]})
    rules.require(action, proposal, actor)
    return proposal_transition(proposal, action=action, actor=actor, reason=reason, today=today)


# The concrete proposal models ("app_label.ModelName"), for the expiry job.
PROPOSAL_MODELS: list[str] = []


def register_proposal_model(label: str) -> None:
    if label not in PROPOSAL_MODELS:
        PROPOSAL_MODELS.append(label)


def proposal_validity_days() -> int:
    """How long a proposal stays open without an answer (``settings.PLATFORM_PROPOSAL_DAYS``, default 30)."""
    return int(getattr(settings, "PLATFORM_PROPOSAL_DAYS", 30))


def proposal_expires_on(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(days=proposal_validity_days())


def lapsed(today: datetime.date) -> Q:
    """Open proposals whose last day (``expires_on``) is before ``today``: the one statement of the
    lapse rule, read by the expiry job and by every transition (so a proposal past its date is
    refused even on the morning before the job has run)."""
    return Q(state__in=OPEN_PROPOSAL_STATES, expires_on__lt=today)


def proposal_new(model: type[AnyProposal], match: Match[Any], *, expires_on: datetime.date | None = None, **pair: Any):
    """An unsaved proposal of ``pair`` (its need and offer fields) with ``match``'s score and reasons,
    open until ``expires_on`` (by default the validity period from today)."""
    return model(
        **pair, score=match.score, reasons=match.reasons_as_list(), expires_on=expires_on or proposal_expires_on()
    )


def proposal_create(model: type[AnyProposal], match: Match[Any], **pair: Any) -> AnyProposal:
    """``proposal_new``, validated whole and saved."""
    proposal = proposal_new(model, match, **pair)
    proposal.full_clean()
    proposal.save()
    return proposal


def firm_users(enterprise_id: int) -> QuerySet[User]:
    """The active enterprise users of a firm: whom a platform tells about a proposal of theirs."""
    return User.objects.filter(role=Role.ENTERPRISE_USER, enterprise_id=enterprise_id, is_active=True).order_by("id")


def proposal_tell_firm(proposal: Proposal, *, enterprise_id: int, kind: str, title: str, url: str) -> None:
    """Tell a firm's users of a new ``proposal`` (the reasons as the text), once each however often it runs."""
    for user in firm_users(enterprise_id):
        notify(
            recipient=user,
            kind=kind,
            title=title,
            body=proposal.reason_summary,
            url=url,
            dedupe_key=f"{kind.replace('_', '-')}-{proposal.pk}-{user.pk}",
        )


def proposals_decline_open(proposals: QuerySet[AnyProposal], *, actor: Any, reason: str) -> None:
    """End the open ``proposals`` of a posting, listing or demand just closed, as 未达成 with ``reason``."""
    for proposal in proposals.filter(state__in=OPEN_PROPOSAL_STATES):
        proposal_transition(proposal, action=DECLINE, actor=actor, reason=reason)


def proposal_is_lapsed(proposal: Proposal, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return proposal.state in OPEN_PROPOSAL_STATES and proposal.expires_on < today


@transaction.atomic
def proposal_transition(
    proposal: AnyProposal, *, action: str, actor: Any, reason: str = "", today: datetime.date | None = None
) -> AnyProposal:
    """Move ``proposal`` by ``action`` (contact / agree / decline / expire) or refuse, changing nothing.

    A proposal past its date (``lapsed``) may only expire. Claims the row with a conditional
    update on (state, version, date), so of two people answering at once exactly one wins
    and the other is refused.
    """
    sources, target = TRANSITIONS[action]
    today = today or timezone.localdate()
    if action != EXPIRE and proposal_is_lapsed(proposal, today):
        raise ValidationError({"state": [LAPSED]})
    reason = (reason or "").strip()
    if action == DECLINE and not reason:
        raise ValidationError({"reason": [_("请说明未达成的原因。")]})
    now = timezone.now()
    changes: dict = {"state": target, "version": proposal.version + 1, "updated_at": now}
    if action == CONTACT:
        changes["contacted_at"] = now
    else:
        changes.update(decided_at=now, decided_by=actor)
    if action == DECLINE:
        changes["decline_reason"] = reason[:500]
    model = type(proposal)
    rows = model.objects.filter(pk=proposal.pk, state__in=sources, version=proposal.version)
    if action != EXPIRE:
        rows = rows.exclude(lapsed(today))
    if not rows.update(**changes):
        raise ValidationError({"state": [REFUSALS[action]]})
    proposal.refresh_from_db()
    model.history.bulk_history_create([proposal], update=True, default_user=actor)
    return proposal


def proposals_expire(*, today: datetime.date | None = None) -> int:
    """Expire every open proposal of every platform whose ``expires_on`` has passed; safe to run twice."""
    today = today or timezone.localdate()
    now = timezone.now()
    expired = 0
    for label in PROPOSAL_MODELS:
        model = apps.get_model(label)
        with transaction.atomic():
            due = list(model.objects.select_for_update().filter(lapsed(today)).values_list("pk", flat=True))
            if not due:
                continue
            expired += (
                model.objects.filter(pk__in=due)
                .filter(lapsed(today))
                .update(state=ProposalState.EXPIRED, decided_at=now, version=models.F("version") + 1, updated_at=now)
            )
            model.history.bulk_history_create(
                list(model.objects.filter(pk__in=due)),
                update=True,
                default_change_reason=str(_("超过有效期未答复，自动过期")),
            )
    return expired
