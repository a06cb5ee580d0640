"""How a surplus posting is matched with a demand posting (the need), on ``platforms.matching``.

Hard filters: two different firms, overlapping dates, at least one shared trade.
Weighted parts, each a reason shown to the user: the trades in common, how much of
the need the surplus covers, the same district, the same industry, and the
article's direction of flow — a struggling firm's workers to a growing one.
"""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from enterprises.models import Tier
from platforms.labour.models import LabourPosting, skill_names
from platforms.matching import Match, Scorer, rank, weights_for

WEIGHTS = {"skills": 35, "count": 25, "district": 15, "industry": 10, "tier": 15}
RECEIVING_TIERS = (Tier.GROWTH, Tier.BACKBONE, Tier.LEADING)


def _remaining(posting: LabourPosting) -> int:
    remaining = getattr(posting, "remaining", None)
    return posting.count if remaining is None else remaining


def _different_firms(demand, surplus) -> bool:
    return demand.enterprise_id != surplus.enterprise_id


def _dates_overlap(demand, surplus) -> bool:
    return surplus.starts_on <= demand.ends_on and demand.starts_on <= surplus.ends_on


def _shares_a_skill(demand, surplus) -> bool:
    return bool(set(demand.skills) & set(surplus.skills))


def _someone_left(demand, surplus) -> bool:
    return _remaining(demand) > 0 and _remaining(surplus) > 0


def _skills(demand, surplus):
    shared = [skill for skill in demand.skills if skill in surplus.skills]
    if len(shared) == len(demand.skills):
        return _("工种相符：%(skills)s") % {"skills": skill_names(shared)}, 1.0
    return (
        _("部分工种相符：%(skills)s（需 %(needed)s）")
        % {"skills": skill_names(shared), "needed": skill_names(demand.skills)},
        len(shared) / len(demand.skills),
    )


def _count(demand, surplus):
    offered, needed = _remaining(surplus), _remaining(demand)
    if offered >= needed:
        return _("可供 %(offered)d 人 ≥ 需 %(needed)d 人") % {"offered": offered, "needed": needed}, 1.0
    return _("可供 %(offered)d 人 < 需 %(needed)d 人") % {"offered": offered, "needed": needed}, offered / needed


def _district(demand, surplus):
    if demand.enterprise.grid.district_id == surplus.enterprise.grid.district_id:
        return _("同一片区")
    return None


def _industry(demand, surplus):
    if demand.enterprise.industry == surplus.enterprise.industry:
        return _("同属%(industry)s") % {"industry": surplus.enterprise.get_industry_display()}
    return None


def _tier(demand, surplus):
    if surplus.enterprise.tier == Tier.STRUGGLING and demand.enterprise.tier in RECEIVING_TIERS:
        return _("困难企业 → %(tier)s") % {"tier": demand.enterprise.get_tier_display()}
    return None


FILTERS = [_different_firms, _dates_overlap, _shares_a_skill, _someone_left]
SCORERS = [
    Scorer("skills", _skills),
    Scorer("count", _count),
    Scorer("district", _district),
    Scorer("industry", _industry),
    Scorer("tier", _tier),
]


def _swapped(function):
    return lambda surplus, demand: function(demand, surplus)


def rank_surpluses(
    demand: LabourPosting, surpluses: Iterable[LabourPosting], *, limit: int | None = None
) -> list[Match[LabourPosting]]:
    """Surplus postings for a demand, best first."""
    return rank(
        demand, surpluses, filters=FILTERS, scorers=SCORERS, weights=weights_for("labour", WEIGHTS), limit=limit
    )


def rank_demands(
    surplus: LabourPosting, demands: Iterable[LabourPosting], *, limit: int | None = None
) -> list[Match[LabourPosting]]:
    """Demand postings for a surplus, best first (the same filters and scorers, read the other way)."""
    return rank(
        surplus,
        demands,
        filters=[_swapped(passes) for passes in FILTERS],
        scorers=[Scorer(scorer.key, _swapped(scorer.judge)) for scorer in SCORERS],
        weights=weights_for("labour", WEIGHTS),
        limit=limit,
    )
