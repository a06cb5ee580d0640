"""The service-project figures the office reports, for the dashboards (``analytics`` calls these).

A project counts once done, by its ``completed_on``, inside the window
(``date_from``/``date_to`` inclusive, either None for open), so a past month
keeps its figure when later projects are recorded. One aggregate query per call.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from platforms.service_projects.models import KIND_VALUE, Kind, ProjectState, ServiceProject


@dataclass(frozen=True)
class KindFigure:
    kind: str
    projects: int
    enterprises: int
    # The kind's figure: saving (万元) for cost savings, tax reduced (万元) for
    # confirmations, sales (万元) for live-stream sales, children for schooling; None for the rest.
    value: Decimal | int | None
    units: int | None = None  # live-stream sales: sets sold


def service_figures(
    *, date_from: datetime.date | None = None, date_to: datetime.date | None = None, district_id: int | None = None
) -> dict[str, KindFigure]:
    """Per kind (``Kind`` values as keys): done projects, their distinct enterprises and value."""
    qs = ServiceProject.objects.filter(state=ProjectState.DONE)
    if date_from is not None:
        qs = qs.filter(completed_on__gte=date_from)
    if date_to is not None:
        qs = qs.filter(completed_on__lte=date_to)
    if district_id is not None:
        qs = qs.filter(enterprise__grid__district_id=district_id)
    rows = {
        row["kind"]: row
        for row in qs.order_by()
        .values("kind")
        .annotate(
            projects=Count("pk"),
            enterprises=Count("enterprise", distinct=True),
            saving=Sum("saving_amount"),
            tax=Sum("tax_reduced"),
            sales=Sum("sales_amount"),
            units=Sum("units_sold"),
            children=Sum("children_count"),
        )
    }
    value_of = {"saving_amount": "saving", "tax_reduced": "tax", "sales_amount": "sales", "children_count": "children"}
    figures = {}
    for kind in Kind:
        row = rows.get(kind.value, {})
        value_field = KIND_VALUE[kind]
        value = None
        if value_field:
            value = row.get(value_of[value_field]) or (0 if value_field == "children_count" else Decimal("0"))
        figures[kind.value] = KindFigure(
            kind=kind.value,
            projects=row.get("projects", 0),
            enterprises=row.get("enterprises", 0),
            value=value,
            units=(row.get("units") or 0) if kind == Kind.LIVE_STREAM else None,
        )
    return figures
