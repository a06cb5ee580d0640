"""Relief after an incident: what the portal has for each affected enterprise (``ReliefOffer``).

Built once when the incident closes, from each app's own matching — nothing here restates
their rules: the policy clauses the policy matching stored as eligible for the enterprise
(``policies.selectors.enterprise_candidates``), its loans still running that a renewal or an
extension can help (``platforms.financing.selectors.loans_outstanding``) and the zone's open
vacancies its idle workers could fill while production is down (``platforms.labour.selectors
.open_postings``). The problem-ledger entry for an open need is filed by ``incident_close``
itself (the row's ``follow_up_issue``). Emergency sits on the same floor as policies and
platforms, so it may read them; none of them reads emergency.
"""

import datetime

from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.notifications import notify
from emergency.models import AffectedEnterprise, Incident, ReliefOffer
from grids.models import GridTeam
from platforms.financing.selectors import loans_outstanding
from platforms.labour.models import PostingKind
from platforms.labour.selectors import open_postings
from policies.models import Answer
from policies.selectors import enterprise_candidates

# How many eligible clauses and vacancies one offer lists (the best first).
POLICIES_PER_OFFER = 5
VACANCIES_PER_OFFER = 5


def _vacancies(row: AffectedEnterprise, today: datetime.date) -> list:
    """Open vacancies of other firms with places left, those in the enterprise's own district first."""
    nearby = Case(
        When(enterprise__grid__district_id=row.grid.district_id, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    postings = open_postings(kind=PostingKind.DEMAND, today=today, besides_enterprise_id=row.enterprise_id)
    return list(
        postings.filter(remaining__gt=0)
        .annotate(nearby=nearby)
        .order_by("nearby", "starts_on", "pk")[:VACANCIES_PER_OFFER]
    )


def relief_offers_make(*, incident: Incident, at: datetime.datetime | None = None) -> list[ReliefOffer]:
    """One offer per affected enterprise of ``incident``, made ``at`` (now unless given) from what
    is eligible, running and open on that day; an enterprise already offered keeps its offer (safe
    to run twice). Returns the offers made now."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    rows = incident.affected.filter(relief_offer__isnull=True).select_related("enterprise", "grid").order_by("pk")
    made = []
    for row in rows:
        offer = ReliefOffer.objects.create(affected=row, created_at=at)
        eligible = enterprise_candidates(enterprise=row.enterprise).filter(answer=Answer.ELIGIBLE)
        offer.policy_clauses.set(list(eligible.values_list("clause_id", flat=True)[:POLICIES_PER_OFFER]))
        offer.loans.set(loans_outstanding(enterprise=row.enterprise, on=today))
        offer.vacancies.set(_vacancies(row, today))
        made.append(offer)
    return made


def relief_offers_announce(*, incident: Incident) -> None:
    """Tell each affected enterprise's users of their own offer, and each grid's officers of the
    offers of their enterprises (one notice per person, even when run twice)."""
    offers = ReliefOffer.objects.filter(affected__incident=incident).select_related("affected__enterprise")
    by_grid: dict[int, int] = {}
    for offer in offers:
        row = offer.affected
        by_grid[row.grid_id] = by_grid.get(row.grid_id, 0) + 1
        for user in User.objects.filter(role=Role.ENTERPRISE_USER, is_active=True, enterprise_id=row.enterprise_id):
            notify(
                recipient=user,
                kind="emergency_closed",
                title=_("应急事件已结束：%(title)s") % {"title": incident.title},
                body=_("园区为贵企业整理了灾后支持清单：纾困政策、贷款续贷展期、共享用工及未解决需求的跟进。"),
                url=offer.get_absolute_url(),
                dedupe_key=f"emergency:{incident.pk}:closed:{user.pk}",
            )
    for grid in GridTeam.objects.filter(pk__in=by_grid).select_related("leader").order_by("pk"):
        people = {user.pk: user for user in grid.officers.filter(is_active=True)}
        if grid.leader_id and grid.leader.is_active:
            people.setdefault(grid.leader_id, grid.leader)
        for person in people.values():
            notify(
                recipient=person,
                kind="emergency_relief",
                title=_("%(title)s：%(count)d 家企业的灾后支持清单已生成")
                % {"title": incident.title, "count": by_grid[grid.pk]},
                body=_("请联系企业，帮助其申请清单中的政策、贷款续贷展期和共享用工。"),
                url=reverse("emergency:board", args=[incident.pk]),
                dedupe_key=f"emergency:{incident.pk}:relief:{grid.pk}:{person.pk}",
            )
