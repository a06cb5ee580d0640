"""What the filter forms of other apps ask of the organisation."""

from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse

from grids.models import GridTeam


def _chosen_pk(data: Mapping[str, Any] | None, name: str) -> int | None:
    raw = data.get(name, "") if data else ""
    return int(raw) if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 18 else None


def offer_grids_by_district(
    form: forms.Form,
    data: Mapping[str, Any] | None,
    *,
    empty_label: str,
    district: str = "district",
    grid: str = "grid",
) -> None:
    """The zone's grids (3,000 in a province) are offered one district at a time: the grid
    drop-down lists the chosen district's grids (and the chosen grid), and picking another
    district fetches its grids (``grids:options``, htmx). Any grid in the field's queryset still
    filters; only the ``<option>``s rendered change."""
    chosen_district = _chosen_pk(data, district)
    chosen_grid = _chosen_pk(data, grid)
    field = cast("forms.ModelChoiceField[GridTeam]", form.fields[grid])
    grids = cast(QuerySet[GridTeam], field.queryset)
    shown = (
        grids.filter(Q(district_id=chosen_district) | Q(pk=chosen_grid))
        if chosen_district or chosen_grid
        else grids.none()
    )
    field.widget.choices = [("", empty_label), *((team.pk, str(team)) for team in shown)]
    form.fields[district].widget.attrs.update(
        {"hx-get": reverse("grids:options"), "hx-target": f"#{form[grid].id_for_label}", "hx-trigger": "change"}
    )
