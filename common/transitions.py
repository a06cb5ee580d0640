"""The plumbing every versioned transition shares (the ledger, funding applications, policies).

``lock_for_action`` takes the steps in their one order — scope, row lock, version, rule — and
``save_new_version`` writes the change with a new version number. Each app's services call
them with their own selector, their own "changed by someone else" refusal and their own rule
table (``common.rules``), so a lost race or another scope is refused alike everywhere.
"""

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils.functional import Promise

from common.errors import InvalidInput, NotPermitted, StateConflict

VersionedModel = TypeVar("VersionedModel", bound=Model)


def lock_for_action(
    instance: VersionedModel,
    *,
    changed: Callable[[], StateConflict],
    require: Callable[[VersionedModel], None] | None,
    actor: Model | None,
    visible: QuerySet[VersionedModel] | None = None,
    out_of_scope: str | Promise = "",
    related: Sequence[str] = (),
    seen_version: int | None = None,
) -> VersionedModel:
    """Lock ``instance``'s row and refuse another scope, a stale copy, a wrong state or role.

    ``visible`` is the acting user's selector (``None`` where no scope applies: a manager,
    a job); ``seen_version`` the version the user saw when it is not ``instance``'s own;
    ``require`` checks the rule on the locked row (``None`` for a job). The locked row
    names ``actor`` in its change history, also outside a request (API, jobs).
    """
    require_visible(instance, visible=visible, out_of_scope=out_of_scope)
    rows = type(instance)._default_manager
    locking = rows.select_for_update(of=("self",)).select_related(*related) if related else rows.select_for_update()
    locked = locking.get(pk=instance.pk)
    expected = seen_version if seen_version is not None else instance.version  # type: ignore[attr-defined]
    if locked.version != expected:  # type: ignore[attr-defined]
        raise changed()
    if require is not None:
        require(locked)
    # simple_history reads this attribute (as ``common.audit.record_actor`` sets it).
    locked._history_user = actor  # type: ignore[attr-defined]
    return locked


def require_visible(instance: Model, *, visible: QuerySet[Any] | None, out_of_scope: str | Promise) -> None:
    """Refuse a row that the acting user's selector ``visible`` does not return (``None``: no scope applies)."""
    if visible is not None and not visible.filter(pk=instance.pk).exists():
        raise NotPermitted(out_of_scope)


def required_text(value: str, message: str | Promise, *, field: str | None = None) -> str:
    """A reason, resolution or other text a transition cannot go without, stripped; refused when empty."""
    value = (value or "").strip()
    if not value:
        raise InvalidInput(message, field=field)
    return value


def save_new_version(instance: Any) -> None:
    """Validate and save a changed row with the next version number (what ``lock_for_action`` compares)."""
    instance.version += 1
    instance.full_clean()
    instance.save()
