"""The audit history shown on the profile: who changed which field when.

django-simple-history keeps a row per save of the enterprise and of each of
its products, supply links, monthly employment and indicator records. Here
those rows are read in a fixed number of queries (one per table, plus one to
name the grids and enterprises they point to), diffed against the previous
row of the same object and turned into entries with Chinese field labels and
readable old → new values.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from common.audit import ChangeEntry, FieldChange
from enterprises.profile.models import EmploymentRecord, OperatingIndicator, Product, SupplyLink
from enterprises.registry.models import Enterprise
from grids.models import GridTeam

# How many history rows per table are read for one profile; entries beyond the
# newest ``limit`` are not shown.
FETCH_PER_TABLE = 500
DEFAULT_LIMIT = 100


@dataclass
class HistoryEntry(ChangeEntry):
    """A change to the profile: the audit trail's entry, with what it was made to (基本信息, a product …)."""

    subject: str = ""


def profile_history(*, enterprise: Enterprise, limit: int = DEFAULT_LIMIT) -> list[HistoryEntry]:
    """The newest ``limit`` changes to the enterprise's profile, newest first."""
    pk = enterprise.pk
    tables = (
        (Enterprise, Enterprise.history.filter(id=pk)),
        (Product, Product.history.filter(enterprise_id=pk)),
        (SupplyLink, SupplyLink.history.filter(Q(supplier_id=pk) | Q(customer_id=pk))),
        (EmploymentRecord, EmploymentRecord.history.filter(enterprise_id=pk)),
        (OperatingIndicator, OperatingIndicator.history.filter(enterprise_id=pk)),
    )
    rows_by_model = {
        model: list(queryset.select_related("history_user").order_by("-history_date", "-history_id")[:FETCH_PER_TABLE])
        for model, queryset in tables
    }
    names = _Names(rows_by_model)
    entries: list[HistoryEntry] = []
    for model, rows in rows_by_model.items():
        entries += _entries_for(model, rows, names)
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]


class _Names:
    """Names of the grids and enterprises that history rows point to, read in one query each."""

    def __init__(self, rows_by_model: dict):
        grid_ids = {row.grid_id for row in rows_by_model[Enterprise]}
        enterprise_ids = set()
        for row in rows_by_model[SupplyLink]:
            enterprise_ids |= {row.supplier_id, row.customer_id}
        enterprise_ids.discard(None)
        self.by_model = {
            GridTeam: dict(GridTeam.objects.filter(id__in=grid_ids).values_list("id", "name")) if grid_ids else {},
            Enterprise: (
                dict(Enterprise.objects.filter(id__in=enterprise_ids).values_list("id", "name"))
                if enterprise_ids
                else {}
            ),
        }

    def of(self, model, pk) -> str:
        return self.by_model.get(model, {}).get(pk) or _("（已删除，编号%(pk)s）") % {"pk": pk}


# Fields never listed as changes: the row's own identity.
HIDDEN_FIELDS = {"id", "enterprise", "month"}
# Fields a new row's subject line already names.
SUBJECT_FIELDS = {Product: {"name"}, SupplyLink: {"supplier", "customer", "outside_name"}}


def _entries_for(model, rows: list, names: _Names) -> list[HistoryEntry]:
    by_object = defaultdict(list)
    for row in rows:
        by_object[row.id].append(row)
    entries = []
    for object_rows in by_object.values():
        object_rows.sort(key=lambda row: (row.history_date, row.history_id))
        previous = None
        for row in object_rows:
            entries.append(_entry(model, row, previous, names))
            previous = row
    return entries


def _entry(model, row, previous, names: _Names) -> HistoryEntry:
    entry = HistoryEntry(
        at=row.history_date,
        user_name=row.history_user.display_name if row.history_user else _("系统"),
        action=row.history_type,
        subject=_subject(model, row, names),
        reason=row.history_change_reason or "",
    )
    if row.history_type == "~" and previous is not None:
        delta = row.diff_against(previous)
        entry.changes = [
            _change(model, c.field, c.old, c.new, names) for c in delta.changes if c.field not in HIDDEN_FIELDS
        ]
    elif row.history_type == "+" and model is not Enterprise:
        shown_in_subject = SUBJECT_FIELDS.get(model, set())
        entry.changes = [
            _change(model, f.name, None, getattr(row, f.attname), names, created=True)
            for f in model._meta.concrete_fields
            if f.editable and f.name not in HIDDEN_FIELDS | shown_in_subject and f.name in _tracked(row)
            if getattr(row, f.attname) not in (None, "", False)
        ]
    return entry


def _tracked(row) -> set[str]:
    return {f.name for f in row.tracked_fields}


def _subject(model, row, names: _Names) -> str:
    if model is Enterprise:
        return _("基本信息")
    if model is Product:
        return _("产品：%(name)s") % {"name": row.name}
    if model is SupplyLink:
        supplier = names.of(Enterprise, row.supplier_id) if row.supplier_id else row.outside_name
        customer = names.of(Enterprise, row.customer_id) if row.customer_id else row.outside_name
        return _("上下游配套：%(supplier)s → %(customer)s") % {"supplier": supplier, "customer": customer}
    label = _("用工情况") if model is EmploymentRecord else _("经营指标")
    return _("%(label)s：%(year)d年%(month)d月") % {"label": label, "year": row.month.year, "month": row.month.month}


def _change(model, name: str, old, new, names: _Names, *, created: bool = False) -> FieldChange:
    model_field = model._meta.get_field(name)
    return FieldChange(
        label=str(model_field.verbose_name),
        old="" if created else display_value(model_field, old, names),
        new=display_value(model_field, new, names),
    )


def display_value(model_field: models.Field, value, names: _Names | None = None) -> str:
    """A field's value as people read it: choice labels, 是/否, names for links."""
    if value is None or value == "":
        return _("（空）")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _("是") if value else _("否")
    if isinstance(model_field, models.ForeignKey):
        return names.of(model_field.related_model, value) if names else str(value)
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
