"""The platforms' section of the officer's home: proposals waiting for an answer.

Open proposals (已推荐 or 已对接, not past their date) of the enterprises in the officer's
grids, per platform, each read through that platform's own scope (``proposals_visible``),
newest first: the matches an officer calls the two firms about and confirms.

A proposal is the officer's when either firm is theirs, so the other firm may be another
grid's: each row links to the officer's own side (the page listing the proposal), never
to the counterpart's posting, demand or listing, which that platform's scope keeps from them.
"""

from collections.abc import Callable
from typing import Any

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


def _section(
    label, count: int, proposals, *, ours: Exists, sides: tuple[str, str], parties: Callable[[Any], str]
) -> dict:
    """A matching platform's part of the panel: its newest few ``proposals``, each linking to the officer's
    own side — the first of ``sides`` when ``ours`` says so, else the second — with ``parties(proposal)``
    naming the two firms and its reasons as the text."""
    rows = proposals.annotate(ours=ours).order_by("-created_at", "-id")[:ROWS_PER_PLATFORM]
    return {
        "label": label,
        "count": count,
        "rows": [
            (
                parties(proposal),
                proposal.reason_summary,
                getattr(proposal, sides[0] if proposal.ours else sides[1]).get_absolute_url(),
            )
            for proposal in rows
        ],
    }


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
        sections.append(
            _section(
                _("共享用工"),
                counts["workers"],
                workers.select_related("surplus__enterprise", "demand__enterprise"),
                ours=_ours(labour.postings_visible(user=user), "surplus_id"),
                sides=("surplus", "demand"),
                parties=lambda p: f"{p.surplus.enterprise.name} → {p.demand.enterprise.name}",
            )
        )
    if counts["plants"]:
        sections.append(
            _section(
                _("产业载体"),
                counts["plants"],
                plants.select_related("demand__enterprise", "listing"),
                ours=_ours(space.demands_visible(user=user), "demand_id"),
                sides=("demand", "listing"),
                parties=lambda p: f"{p.demand.enterprise.name} ← {p.listing.title}",
            )
        )
    return {"sections": sections, "total": sum(counts.values())}
