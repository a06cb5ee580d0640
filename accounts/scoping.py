"""What a user may see, worked out once per request.

Every app turns a ``Scope`` into the filter for its own models in its
``selectors`` module; pages, API views, exports and tasks all go through those
selectors, so out-of-scope objects are never found (and answer 404).
"""

from dataclasses import dataclass

from accounts.models import Role


@dataclass(frozen=True)
class Scope:
    role: str
    everything: bool = False
    district_ids: frozenset[int] = frozenset()
    grid_ids: frozenset[int] = frozenset()
    bureau_id: int | None = None
    enterprise_id: int | None = None

    @property
    def reads_field_notes(self) -> bool:
        """Visits and weekly tracking are the zone's working notes: managers,
        district leaders and officers read them; bureaus and enterprises do not."""
        return self.everything or self.role in (Role.DISTRICT_LEADER, Role.GRID_OFFICER)

    @property
    def is_staff_side(self) -> bool:
        """Zone staff (not enterprise users or anonymous visitors)."""
        return self.role not in (Role.ENTERPRISE_USER, "anonymous")


NOTHING = Scope(role="anonymous")


def scope_for(user) -> Scope:
    """The user's scope, cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    cached = getattr(user, "_portal_scope", None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    user._portal_scope = scope
    return scope


def _compute_scope(user) -> Scope:
    if user.is_superuser or user.role in (Role.ADMIN, Role.MANAGER):
        return Scope(role=Role.ADMIN if user.is_superuser else user.role, everything=True)
    if user.role == Role.DISTRICT_LEADER:
        district_ids = frozenset(user.led_districts.values_list("id", flat=True))
        grid_ids = frozenset(user.led_districts.values_list("grid_teams__id", flat=True).exclude(grid_teams__id=None))
        return Scope(role=user.role, district_ids=district_ids, grid_ids=grid_ids)
    if user.role == Role.GRID_OFFICER:
        grid_ids = set(user.grid_teams.values_list("id", flat=True))
        grid_ids |= set(user.led_grid_teams.values_list("id", flat=True))
        return Scope(role=user.role, grid_ids=frozenset(grid_ids))
    if user.role == Role.BUREAU_STAFF:
        return Scope(role=user.role, bureau_id=user.bureau_id)
    if user.role == Role.ENTERPRISE_USER:
        return Scope(role=user.role, enterprise_id=user.enterprise_id)
    return NOTHING
