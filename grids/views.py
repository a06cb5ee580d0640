"""Grid team pages: who works in which grid, and which enterprises it serves."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.scoping import scope_for
from grids.selectors import district_list, grid_team_choices, grid_team_list


def may_view_grid_pages(user) -> bool:
    # Bureau staff and enterprise users work with issues and their own enterprise,
    # not with the grid organisation: the grid pages go with the field notes.
    return scope_for(user).reads_field_notes


def _require_grid_roles(request: HttpRequest) -> None:
    if not may_view_grid_pages(request.user):
        raise Http404(_("没有可查看的网格。"))


@login_required
@require_GET
def grid_team_list_view(request: HttpRequest) -> HttpResponse:
    _require_grid_roles(request)
    return render(request, "grids/list.html", {"grid_teams": list(grid_team_list(user=request.user))})


@login_required
@require_GET
def grid_team_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require_grid_roles(request)
    grid_team = get_object_or_404(grid_team_list(user=request.user), pk=pk)
    # Every enterprise of a grid the user may see is in the user's scope, so the
    # reverse relation is the scoped list here (and grids, a lower floor, does
    # not import enterprises).
    enterprises = grid_team.enterprises.order_by("name", "id")
    return render(
        request,
        "grids/detail.html",
        {
            "grid_team": grid_team,
            "district": grid_team.district,
            # The leader is listed on their own line above the officers.
            "officers": [officer for officer in grid_team.officers.all() if officer.pk != grid_team.leader_id],
            "enterprises": list(enterprises),
        },
    )


@login_required
@require_GET
def grid_options_view(request: HttpRequest) -> HttpResponse:
    """The ``<option>``s of one district's grids the user may see (the ledger's grid filter asks
    for them, htmx, when a district is picked): a province's 3,000 grids are never one drop-down.
    No district: only 全部. A district outside the scope: 404."""
    _require_grid_roles(request)
    raw = request.GET.get("district", "").strip()
    grids = grid_team_choices(user=request.user).none()
    if raw:
        if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
            return HttpResponseBadRequest(_("片区：请选择有效的片区。"))
        district = get_object_or_404(district_list(user=request.user), pk=int(raw))
        grids = grid_team_choices(user=request.user).filter(district=district)
    return render(request, "grids/grid_options.html", {"grids": grids})
