"""Reads for the roster: who may import, which grids their rows may name, and
their own import jobs. The import itself (the writes) is ``enterprises.roster.imports``."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Role, User
from accounts.scoping import scope_for
from enterprises.roster.models import RosterImport
from grids.models import GridTeam


def can_import_roster(*, user: User) -> bool:
    """Managers and admins for the whole zone; district leaders for their grids."""
    scope = scope_for(user)
    return scope.sees_zone or scope.role == Role.DISTRICT_LEADER


def importable_grid_ids(*, user: User) -> frozenset[int] | None:
    """The grids ``user``'s rows may name; None means every grid."""
    scope = scope_for(user)
    return None if scope.sees_zone else scope.grid_ids


def importable_grids(*, user: User) -> QuerySet[GridTeam]:
    grid_ids = importable_grid_ids(user=user)
    grids = GridTeam.objects.all()
    return grids if grid_ids is None else grids.filter(id__in=grid_ids)


def roster_imports_visible(*, user: User) -> QuerySet[RosterImport]:
    """Import jobs are their uploader's alone, whatever anyone's role."""
    return RosterImport.objects.filter(uploaded_by=user)


def roster_import_for(*, user: User, job_id: int) -> RosterImport:
    """An import job, for the user who uploaded it only (others: 404)."""
    return get_object_or_404(roster_imports_visible(user=user), pk=job_id)
