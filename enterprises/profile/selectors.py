"""Reads behind the standard-profile tabs and the profile API.

The enterprise itself always comes from ``enterprises.registry.selectors.enterprise_get``
(404 outside the user's scope); these functions read what belongs to it, each
in a fixed number of queries however much data there is.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from accounts.models import User
from common.periods import first_of_month
from enterprises.profile.models import EmploymentRecord, OperatingIndicator, Product, SupplyDirection, SupplyLink
from enterprises.registry.models import Enterprise, TierChange
from enterprises.registry.selectors import enterprises_visible

# Months of employment shown on the tab; the API pages through all of them.
EMPLOYMENT_MONTHS_SHOWN = 24
TREND_MONTHS = 12
PARTNER_SEARCH_LIMIT = 10


def supply_link_direction(*, link: SupplyLink, enterprise: Enterprise) -> str:
    """How ``link`` looks from ``enterprise``'s profile: its supplier is upstream."""
    return SupplyDirection.UPSTREAM if link.customer_id == enterprise.pk else SupplyDirection.DOWNSTREAM


def supply_link_partner(*, link: SupplyLink, enterprise: Enterprise) -> Enterprise | None:
    """The zone enterprise on the other side of ``link``, or None for an outside name."""
    return link.supplier if link.customer_id == enterprise.pk else link.customer


def product_list(*, enterprise: Enterprise) -> QuerySet[Product]:
    return Product.objects.filter(enterprise=enterprise).order_by("-is_main", "name", "id")


def supply_link_list(*, enterprise: Enterprise) -> QuerySet[SupplyLink]:
    """Links where the enterprise is the supplier or the customer: one row, both profiles."""
    return (
        SupplyLink.objects.filter(Q(supplier=enterprise) | Q(customer=enterprise))
        .select_related("supplier", "customer")
        .order_by("id")
    )


@dataclass(frozen=True)
class SupplyLinkView:
    """A link as one profile sees it: the partner on the other side."""

    link: SupplyLink
    direction: str
    partner: Enterprise | None
    partner_visible: bool

    @property
    def partner_name(self) -> str:
        return self.partner.name if self.partner else self.link.outside_name


def supply_link_views(*, enterprise: Enterprise, user: User) -> dict[str, list[SupplyLinkView]]:
    """Upstream and downstream partners of ``enterprise``; a zone partner is
    linked to its profile only when ``user`` may see that profile."""
    links = list(supply_link_list(enterprise=enterprise))
    partner_ids = {
        partner.pk for link in links if (partner := supply_link_partner(link=link, enterprise=enterprise)) is not None
    }
    visible = (
        set(enterprises_visible(user=user).filter(pk__in=partner_ids).values_list("pk", flat=True))
        if partner_ids
        else set()
    )
    views: dict[str, list[SupplyLinkView]] = {SupplyDirection.UPSTREAM: [], SupplyDirection.DOWNSTREAM: []}
    for link in links:
        partner = supply_link_partner(link=link, enterprise=enterprise)
        direction = supply_link_direction(link=link, enterprise=enterprise)
        views[direction].append(
            SupplyLinkView(
                link=link, direction=direction, partner=partner, partner_visible=bool(partner and partner.pk in visible)
            )
        )
    return views


def partner_search(*, query: str, exclude: Enterprise) -> QuerySet[Enterprise]:
    """Zone enterprises a link may point to, by name or USCC.

    The whole zone, not only the editor's scope: supply chains cross grids.
    Only names and codes are shown, never a profile the editor may not open.
    """
    query = (query or "").strip()
    if len(query) < 2:
        return Enterprise.objects.none()
    return (
        Enterprise.objects.filter(Q(name__icontains=query) | Q(uscc__startswith=query.upper()))
        .exclude(pk=exclude.pk)
        .only("id", "name", "uscc")
        .order_by("name", "id")[:PARTNER_SEARCH_LIMIT]
    )


def zone_enterprise_by_uscc(uscc: str) -> Enterprise | None:
    return Enterprise.objects.filter(uscc=(uscc or "").strip().upper()).first()


def employment_list(*, enterprise: Enterprise) -> QuerySet[EmploymentRecord]:
    return EmploymentRecord.objects.filter(enterprise=enterprise).order_by("-month")


def indicator_list(*, enterprise: Enterprise) -> QuerySet[OperatingIndicator]:
    return OperatingIndicator.objects.filter(enterprise=enterprise).order_by("-month")


def month_window(*, end: datetime.date, months: int) -> list[datetime.date]:
    """``months`` first-of-month dates ending with ``end``'s month, oldest first."""
    year, month = end.year, end.month
    window = []
    for _ in range(months):
        window.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return window[::-1]


def indicator_trend(
    *, enterprise: Enterprise, today: datetime.date
) -> list[tuple[datetime.date, OperatingIndicator | None]]:
    """The 12 months up to the latest month with figures (or this month when
    there are none), each with its record or None for a gap."""
    latest = indicator_list(enterprise=enterprise).values_list("month", flat=True).first()
    window = month_window(end=latest or first_of_month(today), months=TREND_MONTHS)
    records = {
        record.month: record
        for record in indicator_list(enterprise=enterprise).filter(month__gte=window[0], month__lte=window[-1])
    }
    return [(month, records.get(month)) for month in window]


def tier_change_list(*, enterprise: Enterprise) -> QuerySet[TierChange]:
    return TierChange.objects.filter(enterprise=enterprise).select_related("changed_by").order_by("-changed_at", "-id")
