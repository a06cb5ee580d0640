"""How a listing is matched with a demand for space (the need), on ``platforms.matching``.

Hard filters: the same kind (plant or land), another firm, an open listing with area
left, and an industry the listing admits. Weighted parts: the area fits the range
(partly when close), height, load and power meet the minimums, the location, the
industry, and the date it is available.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from platforms.matching import Match, Scorer, rank, weights_for
from platforms.space.models import SpaceDemand, SpaceListing

WEIGHTS = {"area": 30, "spec": 25, "location": 15, "industry": 15, "date": 15}
# Area within this share of the range still counts, in part.
AREA_TOLERANCE = Decimal("0.3")
# Available this many days after the need still counts, in part.
DATE_TOLERANCE_DAYS = 60


def _free_area(listing: SpaceListing) -> Decimal:
    leased = getattr(listing, "leased_area", None) or Decimal("0")
    return listing.area_m2 - leased


def area_text(value: Decimal) -> str:
    """1200.00 → \"1,200\"; 12.5 → \"12.5\"."""
    return f"{value.normalize():,f}"


def _same_kind(demand, listing) -> bool:
    return demand.kind == listing.kind


def _another_firm(demand, listing) -> bool:
    return demand.enterprise_id != listing.owner_id


def _area_left(demand, listing) -> bool:
    return listing.state == "open" and _free_area(listing) > 0


def _big_enough(demand, listing) -> bool:
    return _free_area(listing) >= demand.area_min_m2 * (1 - AREA_TOLERANCE)


def _admits_industry(demand, listing) -> bool:
    return not listing.industries_allowed or demand.industry in listing.industries_allowed


def _area(demand, listing):
    area, low, high = _free_area(listing), demand.area_min_m2, demand.area_max_m2
    values = {"area": area_text(area), "low": area_text(low), "high": area_text(high)}
    if low <= area <= high:
        return _("面积 %(area)s m² 在需求 %(low)s–%(high)s m² 内") % values, 1.0
    if area < low:  # within the tolerance, or the filter had left it out
        return _("面积 %(area)s m² 略小于需求 %(low)s m²") % values, float(area / low)
    if area <= high * (1 + AREA_TOLERANCE):
        return _("面积 %(area)s m² 略大于需求 %(high)s m²，可分割") % values, float(high / area)
    return None


def _spec(demand, listing):
    checks = []
    for minimum, value, label, unit in (
        (demand.min_height_m, listing.floor_height_m, _("层高"), "m"),
        (demand.min_load_t_m2, listing.floor_load_t_m2, _("承重"), "t/m²"),
        (demand.min_power_kva, listing.power_kva, _("供电"), "kVA"),
    ):
        if minimum is not None:
            met = value is not None and value >= minimum
            shown = area_text(Decimal(value)) if value is not None else "—"
            checks.append((met, f"{label} {shown}{unit} {'≥' if met else '<'} {area_text(Decimal(minimum))}{unit}"))
    if not checks:
        return None
    met = [text for ok, text in checks if ok]
    if len(met) == len(checks):
        return _("规格满足：%(items)s") % {"items": "、".join(met)}, 1.0
    if not met:
        return None
    return _("规格部分满足：%(items)s") % {"items": "、".join(text for _ok, text in checks)}, len(met) / len(checks)


def _location(demand, listing):
    preferred = {district.pk for district in demand.preferred_districts.all()}
    if preferred:
        if listing.district_id in preferred:
            return _("位于意向片区（%(district)s）") % {"district": listing.district.name}
        return None
    if listing.district_id == demand.enterprise.grid.district_id:
        return _("与需求企业同一片区")
    return None


def _industry(demand, listing):
    if demand.industry in listing.industries_allowed:
        return _("载体允许%(industry)s入驻") % {"industry": demand.get_industry_display()}
    return _("载体不限行业"), 0.5


def _date(demand, listing):
    if listing.available_from <= demand.needed_from:
        return _("需求日期前可交付")
    late = (listing.available_from - demand.needed_from).days
    if late <= DATE_TOLERANCE_DAYS:
        return _("比需求日期晚 %(days)d 天可用") % {"days": late}, 1 - late / DATE_TOLERANCE_DAYS
    return None


FILTERS = [_same_kind, _another_firm, _area_left, _big_enough, _admits_industry]
SCORERS = [
    Scorer("area", _area),
    Scorer("spec", _spec),
    Scorer("location", _location),
    Scorer("industry", _industry),
    Scorer("date", _date),
]


def rank_listings(
    demand: SpaceDemand, listings: Iterable[SpaceListing], *, limit: int | None = None
) -> list[Match[SpaceListing]]:
    return rank(demand, listings, filters=FILTERS, scorers=SCORERS, weights=weights_for("space", WEIGHTS), limit=limit)


def rank_demands(
    listing: SpaceListing, demands: Iterable[SpaceDemand], *, limit: int | None = None
) -> list[Match[SpaceDemand]]:
    """Demands for a listing, best first: the same rules read the other way."""
    return rank(
        listing,
        demands,
        filters=[lambda listing, demand, passes=passes: passes(demand, listing) for passes in FILTERS],
        scorers=[
            Scorer(scorer.key, lambda listing, demand, judge=scorer.judge: judge(demand, listing)) for scorer in SCORERS
        ],
        weights=weights_for("space", WEIGHTS),
        limit=limit,
    )
