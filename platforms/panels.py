"""The platforms' section of the officer's home: proposals waiting for an answer.

Open proposals (已推荐 or 已对接, not past their date) of the enterprises in the officer's
grids, per platform, each read through that platform's own scope (``proposals_visible``),
newest first: the matches an officer calls the two firms about and confirms.

A proposal is the officer's when either firm is theirs, so the other firm may be another
grid's: each row links to the officer's own side (the page listing the proposal), never
to the counterpart's posting, demand or listing, which that platform's scope keeps from them.
"""

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from platforms.labour import selectors as labour
from platforms.matching import OPEN_PROPOSAL_STATES
from platforms.procurement import selectors as procurement
from platforms.space import selectors as space

ROWS_PER_PLATFORM = 3


def _waiting(queryset, today):
    return queryset.filter(state__in=OPEN_PROPOSAL_STATES, expires_on__gte=today)


def _count(queryset) -> Coalesce:
    """``queryset``'s row count as a subquery, so the three platforms are counted in one query."""
    counted = queryset.order_by().values(one=Value(1)).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _ours(visible, field: str) -> Exists:
    """Whether the row's ``field`` is among the ``visible`` objects of the user (same query)."""
    return Exists(visible.filter(pk=OuterRef(field)))


def officer_home_panel(request: HttpRequest) -> dict | None:
    """One query when nothing waits; one more per platform that has something."""
    user = request.user
    if user.role not in (Role.GRID_OFFICER, Role.DISTRICT_LEADER):
        return None
    today = timezone.localdate()
    purchase = _waiting(procurement.proposals_visible(user=user), today)
    workers = _waiting(labour.proposals_visible(user=user), today)
    plants = _waiting(space.proposals_visible(user=user), today)
    counts = (
        User.objects.filter(pk=user.pk)
        .annotate(purchase=_count(purchase), workers=_count(workers), plants=_count(plants))
        .values("purchase", "workers", "plants")
        .get()
    )
    if not any(counts.values()):
        return None
    sections = []
    if counts["purchase"]:
        rows = purchase.select_related("need__buyer", "supplier").order_by("-created_at", "-id")[:ROWS_PER_PLATFORM]
        sections.append(
            {
                "label": _("企业内配"),
                "count": counts["purchase"],
                "rows": [
                    (
                        f"{p.need.buyer.name} ← {p.supplier.name}",
                        p.need.item,
                        reverse("procurement:need_detail", args=[p.need_id]),
                    )
                    for p in rows
                ],
            }
        )
    if counts["workers"]:
        rows = (
            workers.select_related("surplus__enterprise", "demand__enterprise")
            .annotate(surplus_ours=_ours(labour.postings_visible(user=user), "surplus_id"))
            .order_by("-created_at", "-id")
        )
        sections.append(
            {
                "label": _("共享用工"),
                "count": counts["workers"],
                "rows": [
                    (
                        f"{p.surplus.enterprise.name} → {p.demand.enterprise.name}",
                        p.reason_summary,
                        (p.surplus if p.surplus_ours else p.demand).get_absolute_url(),
                    )
                    for p in rows[:ROWS_PER_PLATFORM]
                ],
            }
        )
    if counts["plants"]:
        rows = (
            plants.select_related("demand__enterprise", "listing")
            .annotate(demand_ours=_ours(space.demands_visible(user=user), "demand_id"))
            .order_by("-created_at", "-id")
        )
        sections.append(
            {
                "label": _("产业载体"),
                "count": counts["plants"],
                "rows": [
                    (
                        f"{p.demand.enterprise.name} ← {p.listing.title}",
                        p.reason_summary,
                        (p.demand if p.demand_ours else p.listing).get_absolute_url(),
                    )
                    for p in rows[:ROWS_PER_PLATFORM]
                ],
            }
        )
    return {"sections": sections, "total": sum(counts.values())}
