"""Figures of incidents, for the board and for the month's report (analytics calls these).

Computed from the records in SQL: the people counts are the sum, over affected
enterprises, of each enterprise's *latest* reported value (a later report
corrects an earlier one; it is not added to it).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone

from emergency.models import AckMethod, AffectedEnterprise, Incident
from emergency.selectors import with_latest


@dataclass(frozen=True)
class IncidentTotals:
    affected: int
    acknowledged: int
    acknowledged_on_behalf: int
    unreached: int
    evacuated: int
    on_site: int
    restored: int


def _totals_of(rows) -> IncidentTotals:
    sums = with_latest(rows).aggregate(
        evacuated=Sum("latest_evacuated"),
        on_site=Sum("latest_on_site"),
    )
    counts = rows.aggregate(
        affected=Count("pk"),
        acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
        on_behalf=Count("pk", filter=Q(ack_method=AckMethod.ON_BEHALF)),
    )
    restored = with_latest(rows).filter(latest_restored_on__isnull=False).count()
    return IncidentTotals(
        affected=counts["affected"],
        acknowledged=counts["acknowledged"],
        acknowledged_on_behalf=counts["on_behalf"],
        unreached=counts["affected"] - counts["acknowledged"],
        evacuated=sums["evacuated"] or 0,
        on_site=sums["on_site"] or 0,
        restored=restored,
    )


def incident_totals(*, incident: Incident, rows=None) -> IncidentTotals:
    """Affected, acknowledged (and on behalf), unreached, evacuated, still on site, restored.

    ``rows`` narrows the count to a scoped set of the incident's rows (the board of an officer).
    """
    return _totals_of(rows if rows is not None else AffectedEnterprise.objects.filter(incident=incident))


@dataclass(frozen=True)
class IncidentFigures:
    incident_id: int
    title: str
    kind: str
    is_exercise: bool
    declared_on: datetime.date
    closed: bool
    totals: IncidentTotals


def incidents_declared(
    *, start: datetime.date, end: datetime.date, include_exercises: bool = False
) -> list[IncidentFigures]:
    """Incidents declared from ``start`` to ``end`` (both inclusive, Asia/Shanghai days), with totals."""
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    incidents = Incident.objects.filter(declared_at__gte=since, declared_at__lt=until).order_by("declared_at", "id")
    if not include_exercises:
        incidents = incidents.filter(is_exercise=False)
    return [
        IncidentFigures(
            incident_id=incident.pk,
            title=incident.title,
            kind=incident.kind,
            is_exercise=incident.is_exercise,
            declared_on=timezone.localdate(incident.declared_at),
            closed=not incident.is_open,
            totals=incident_totals(incident=incident),
        )
        for incident in incidents
    ]
