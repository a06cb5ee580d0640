"""What a user may see, worked out once per request.

``Scope`` answers the questions every app asks — does the user see the whole
zone, which enterprises (the filter for any model that leads to one), which
issues a bureau holds now, may the user act for a grid, does the user read the
field notes. Every app turns these answers into the filter for its own models
in its ``selectors`` module; pages, API views, exports and tasks all go through
those selectors, so out-of-scope objects are never found (and answer 404).
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Role, User

# The handling levels of ``issues.models.Level`` that a bureau holds. The ledger
# sits above this module, so its values are spelt here (a test checks they agree).
BUREAU_LEVEL = "bureau"
TASK_FORCE_LEVEL = "task_force"

# Roles whose scope is a set of grids (a district leader's are those of his district).
GRID_ROLES = (Role.DISTRICT_LEADER, Role.GRID_OFFICER)


def holding_bureau_filter(bureau: Any, *, path: str = "") -> Q:
    """Issues held now by ``bureau`` (an id or an ``OuterRef``): at bureau level its own,
    at task-force level those of a task force it leads or sits on.

    ``path`` is the lookup from the queried model to the issue (``"issues__"`` from
    an enterprise); the one definition of "the holding bureau" for every app.
    """
    at_bureau = Q(**{f"{path}level": BUREAU_LEVEL, f"{path}bureau_id": bureau})
    on_task_force = Q(**{f"{path}task_force__bureaus": bureau}) | Q(**{f"{path}task_force__lead_bureau": bureau})
    return at_bureau | (Q(**{f"{path}level": TASK_FORCE_LEVEL}) & on_task_force)


@dataclass(frozen=True)
class Scope:
    role: str
    everything: bool = False
    district_ids: frozenset[int] = frozenset()
    grid_ids: frozenset[int] = frozenset()
    bureau_id: int | None = None
    enterprise_id: int | None = None

    @property
    def cache_key(self) -> str:
        """Everything that decides what the user sees, as text: two users share a cached
        figure only if their keys are equal, that is if they see the same rows."""
        districts = ",".join(str(pk) for pk in sorted(self.district_ids))
        grids = ",".join(str(pk) for pk in sorted(self.grid_ids))
        return (
            f"role={self.role};all={self.everything};districts={districts};grids={grids};"
            f"bureau={self.bureau_id};enterprise={self.enterprise_id}"
        )

    @property
    def sees_zone(self) -> bool:
        """Managers and admins (and superusers) see and act for the whole zone."""
        return self.everything

    @property
    def is_grid_side(self) -> bool:
        """Grid officers and district leaders: their scope is a set of grids."""
        return self.role in GRID_ROLES

    @property
    def reads_field_notes(self) -> bool:
        """Visits and weekly tracking are the zone's working notes: managers,
        district leaders and officers read them; bureaus and enterprises do not."""
        return self.sees_zone or self.is_grid_side

    def speaks_for(self, enterprise_id: int | None) -> bool:
        """An enterprise user of that enterprise (acting as the enterprise itself, not on its behalf)."""
        return (
            self.role == Role.ENTERPRISE_USER and self.enterprise_id is not None and self.enterprise_id == enterprise_id
        )

    @property
    def is_staff_side(self) -> bool:
        """Zone staff (not enterprise users or anonymous visitors)."""
        return self.role not in (Role.ENTERPRISE_USER, "anonymous")

    @property
    def is_bureau(self) -> bool:
        return self.role == Role.BUREAU_STAFF and self.bureau_id is not None

    @property
    def sees_full_profile(self) -> bool:
        """Bureau staff see only the basic profile of the enterprises whose issues
        they hold (DESIGN §1); everyone who sees an enterprise otherwise sees all
        of its standard profile (products, supply links, employment, indicators, …)."""
        return self.role != Role.BUREAU_STAFF

    def acts_for_grid(self, grid_id: int | None) -> bool:
        """A manager, or an officer or leader of the grid (a district leader for his district's grids)."""
        return self.sees_zone or (self.is_grid_side and grid_id in self.grid_ids)

    def acts_for_bureau(self, bureau_id: int | None) -> bool:
        """A manager, or staff of that bureau."""
        return self.sees_zone or (self.is_bureau and bureau_id == self.bureau_id)

    def logs_visits_for(self, grid_id: int | None) -> bool:
        """Visits and weekly tracking are logged by the grid's own officers only."""
        return self.role == Role.GRID_OFFICER and self.acts_for_grid(grid_id)

    def holding_bureau_filter(self, *, path: str = "") -> Q:
        """Issues the user's bureau holds now; nothing for anyone else."""
        if not self.is_bureau:
            return Q(pk__in=[])
        return holding_bureau_filter(self.bureau_id, path=path)

    def bureau_issue_filter(self, *, path: str = "") -> Q:
        """Issues the user's bureau holds or held (and its task forces' cases)."""
        if not self.is_bureau:
            return Q(pk__in=[])
        return Q(**{f"{path}bureaus_involved": self.bureau_id}) | self.holding_bureau_filter(path=path)

    def enterprise_filter(self, *, path: str = "") -> Q | None:
        """The filter that limits a model to enterprises in scope; None means all of them.

        ``path`` is the lookup from the queried model to the enterprise: ``""`` for
        enterprises themselves, ``"enterprise__"`` for issues, visits, suggestions ….
        Grid roles see their grids' enterprises, an enterprise user its own, a bureau
        those whose issues it holds or held (the basic profile only).
        """
        if self.is_bureau:
            return self.bureau_issue_filter(path=f"{path}issues__")
        return self.grid_or_own_filter(grid=f"{path}grid_id", enterprise=f"{path}pk")

    def grid_or_own_filter(self, *, grid: str = "grid_id", enterprise: str = "enterprise_id") -> Q | None:
        """Rows that keep a grid and an enterprise of their own (an incident's affected rows keep the
        grid of the declaration): all for the zone (None), the grids' rows for grid roles, its own
        rows for an enterprise user, none for anyone else — a bureau included.

        ``grid`` and ``enterprise`` are the lookups of the row's grid id and enterprise id.
        """
        if self.sees_zone:
            return None
        if self.is_grid_side:
            return Q(**{f"{grid}__in": self.grid_ids})
        if self.role == Role.ENTERPRISE_USER and self.enterprise_id:
            return Q(**{enterprise: self.enterprise_id})
        return Q(pk__in=[])


NOTHING = Scope(role="anonymous")


def scope_for(user: User | None) -> Scope:
    """The user's scope, cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    cached = getattr(user, "_portal_scope", None)
    if isinstance(cached, Scope):
        return cached
    scope = _compute_scope(user)
    user._portal_scope = scope  # type: ignore[attr-defined]
    return scope


def is_manager(user: User | None) -> bool:
    """Managers and admins (and superusers) act for the whole zone: every rule table asks this."""
    return scope_for(user).sees_zone


def require_staff_side(user: User | None) -> None:
    """Pages for zone staff only (the printed ledger, the funding review list, a training's door list):
    an enterprise user or a visitor gets 404, as for any object out of scope, so the page is not revealed."""
    if not scope_for(user).is_staff_side:
        raise Http404(_("该页面仅供园区工作人员使用。"))


def _compute_scope(user: User) -> Scope:
    if user.is_superuser or user.role in (Role.ADMIN, Role.MANAGER):
        return Scope(role=Role.ADMIN if user.is_superuser else user.role, everything=True)
    if user.role == Role.DISTRICT_LEADER:
        district_ids = frozenset(user.led_districts.values_list("id", flat=True))
        grid_ids = frozenset(
            user.led_districts.values_list("grid_teams__id", flat=True).exclude(grid_teams__id__isnull=True)
        )
        return Scope(role=user.role, district_ids=district_ids, grid_ids=grid_ids)
    if user.role == Role.GRID_OFFICER:
        officer_grid_ids = set(user.grid_teams.values_list("id", flat=True))
        officer_grid_ids |= set(user.led_grid_teams.values_list("id", flat=True))
        return Scope(role=user.role, grid_ids=frozenset(officer_grid_ids))
    if user.role == Role.BUREAU_STAFF:
        return Scope(role=user.role, bureau_id=user.bureau_id)
    if user.role == Role.ENTERPRISE_USER:
        return Scope(role=user.role, enterprise_id=user.enterprise_id)
    return NOTHING
