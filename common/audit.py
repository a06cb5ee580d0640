"""The audit trail shown on an object's page: who changed what, and when (django-simple-history).

Every model with ``history = HistoricalRecords(...)`` keeps a row per save (and per
bulk write through simple_history's bulk helpers). ``change_history`` reads an
object's newest rows in two queries (the rows with their users, then the names of
what their foreign keys point to, one query per related model), diffs each row
against the one before it and returns entries with the fields' Chinese labels.

Only managers and administrators see it (``may_see_change_history``); it is read
only everywhere in the portal's pages: no view writes a history row except through
the services' own saves.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role

DEFAULT_LIMIT = 50
ACTION_LABELS = {"+": gettext_lazy("新建"), "~": gettext_lazy("修改"), "-": gettext_lazy("删除")}
# Bookkeeping, not content: never listed as a change.
SKIPPED_FIELDS = {"id", "version", "created_at", "updated_at", "search_vector"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class ChangeEntry:
    at: datetime.datetime
    user_name: str
    action: str
    reason: str = ""
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))


def record_actor(instance: models.Model, actor: models.Model | None, reason: str = "") -> None:
    """Tell django-simple-history who makes ``instance``'s next save or delete, and why
    (also outside a request: the API, jobs, the seeder)."""
    instance._history_user = actor  # type: ignore[attr-defined]
    if reason:
        instance._change_reason = reason  # type: ignore[attr-defined]


def may_see_change_history(user) -> bool:
    """Managers and administrators (and superusers); nobody else sees who changed what."""
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_superuser or getattr(user, "role", None) in (Role.MANAGER, Role.ADMIN))
    )


def change_history(instance: models.Model, *, limit: int = DEFAULT_LIMIT) -> list[ChangeEntry]:
    """The newest ``limit`` changes of ``instance``, newest first ([] for a model without history)."""
    manager = getattr(type(instance), "history", None)
    if manager is None:
        return []
    relations = [
        model_field.name
        for model_field in type(instance)._meta.concrete_fields
        if model_field.is_relation and model_field.name not in SKIPPED_FIELDS
    ]
    # The related rows come in the same query (history keeps its foreign keys, unconstrained),
    # so the section costs the same queries however many changes it lists.
    rows = list(
        manager.filter(id=instance.pk)
        .select_related("history_user", *relations)
        .order_by("-history_date", "-history_id")[: limit + 1]
    )
    if not rows:  # written in bulk without history (generate_scale's province): nothing to list
        return []
    rows.reverse()  # oldest first, to diff each against the one before
    names = _related_names(type(instance), rows, relations)
    entries = []
    for previous, row in zip([None, *rows[:-1]], rows, strict=True):
        entry = ChangeEntry(
            at=row.history_date,
            user_name=(row.history_user.display_name if row.history_user else _("系统")),
            action=row.history_type,
            reason=row.history_change_reason or "",
        )
        if previous is not None and row.history_type == "~":
            entry.changes = [
                _change(type(instance), change.field, change.old, change.new, names)
                for change in row.diff_against(previous).changes
                if change.field not in SKIPPED_FIELDS
            ]
        entries.append(entry)
    # The extra row fetched was only there to diff the oldest one shown.
    shown = entries[1:] if len(rows) > limit else entries
    return list(reversed(shown))


def _related_names(model, rows, relations: list[str]) -> dict:
    """{related model: {pk: name}} from the related rows the history query joined.

    Each related object is named once, however many rows point to it: a name that reads
    further (a clause's names its policy) then costs one query per object, not one per change.
    """
    names: dict = defaultdict(dict)
    for name in relations:
        related_model = model._meta.get_field(name).related_model
        for row in rows:
            related = getattr(row, name, None)
            if related is not None and related.pk not in names[related_model]:
                names[related_model][related.pk] = str(related)
    return names


def _display(model, name: str, value, names: dict) -> str:
    if value in (None, ""):
        return "—"
    try:
        model_field = model._meta.get_field(name)
    except Exception:  # a field the model no longer has
        return str(value)
    if model_field.is_relation and model_field.related_model is not None:
        return names.get(model_field.related_model, {}).get(value) or _("（已删除，编号%(pk)s）") % {"pk": value}
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    return str(value)


def _change(model, name: str, old, new, names: dict) -> FieldChange:
    try:
        label = str(model._meta.get_field(name).verbose_name)
    except Exception:
        label = name
    return FieldChange(label=label, old=_display(model, name, old, names), new=_display(model, name, new, names))
