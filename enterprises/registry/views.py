"""Enterprise pages: the scoped list, the profile, the enterprise user's home
and the public notice board."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Role
from accounts.requests import AuthenticatedRequest
from accounts.scoping import scope_for
from common.api import BoundedPaginator
from common.panels import ENTERPRISE_HOME, ENTERPRISE_PROFILE, figures_for, panels_for
from enterprises.registry.board import board_enterprise_get, board_qr_svg, grid_people_for
from enterprises.registry.board_tokens import may_rotate_board
from enterprises.registry.forms import EnterpriseListFilter
from enterprises.registry.models import Enterprise
from enterprises.registry.selectors import enterprise_get, enterprise_list
from grids.views import may_view_grid_pages

PAGE_SIZE = 20


@login_required
@require_GET
def enterprise_list_view(request: AuthenticatedRequest) -> HttpResponse:
    filterset = EnterpriseListFilter(
        request.GET or None, queryset=enterprise_list(user=request.user), user=request.user
    )
    # A bad filter value shows its error and no rows, rather than rows that
    # look filtered but are not.
    enterprises = filterset.qs if not filterset.is_bound or filterset.is_valid() else filterset.queryset.none()
    page = BoundedPaginator(enterprises, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "enterprises/list.html",
        {
            "filterset": filterset,
            "form": filterset.form,
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        },
    )


@login_required
@require_GET
def enterprise_detail_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    enterprise = enterprise_get(user=request.user, pk=pk)
    context = {
        **_profile_context(request, enterprise),
        "panels": panels_for(request, ENTERPRISE_PROFILE, enterprise=enterprise),
    }
    return render(request, "enterprises/detail.html", context)


@login_required
@require_GET
def my_enterprise_view(request: AuthenticatedRequest) -> HttpResponse:
    """The enterprise user's home: its profile and who to call."""
    scope = scope_for(request.user)
    if scope.role != Role.ENTERPRISE_USER or scope.enterprise_id is None:
        raise Http404(_("该页面仅供企业用户使用。"))
    enterprise = enterprise_get(user=request.user, pk=scope.enterprise_id)
    context = {
        **_profile_context(request, enterprise),
        "panels": panels_for(request, ENTERPRISE_HOME),
        "figures": figures_for(request, ENTERPRISE_HOME),
    }
    return render(request, "enterprises/my_enterprise.html", context)


@require_GET
def board_view(request: AuthenticatedRequest, token: str) -> HttpResponse:
    """The public notice board: anonymous, found only by its unguessable token.

    It names the people to call and nothing else about the enterprise.
    """
    enterprise = board_enterprise_get(token=token)
    board_url = request.build_absolute_uri(enterprise.get_board_url())
    # An officer of this grid who scans the QR at the gate goes straight on to log the visit.
    officer_here = scope_for(request.user).logs_visits_for(enterprise.grid_id)
    response = render(
        request,
        "enterprises/board.html",
        {
            "enterprise_name": enterprise.name,
            "people": grid_people_for(enterprise=enterprise),
            "board_url": board_url,
            "qr_svg": board_qr_svg(url=board_url, title=_("扫码查看公示牌")),
            "visit_url": reverse("fieldwork:visit_by_token", args=[token]) if officer_here else "",
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The token is the key to the page: do not hand it to other sites.
    response["Referrer-Policy"] = "no-referrer"
    return response


def _profile_context(request: AuthenticatedRequest, enterprise: Enterprise) -> dict[str, Any]:
    return {
        "enterprise": enterprise,
        "contacts": list(enterprise.contacts.all()),
        "people": grid_people_for(enterprise=enterprise),
        # Bureau staff see the basic profile only (DESIGN §1), not the
        # standard-profile tabs (products, supply chain, employment, …).
        "full_profile": scope_for(request.user).sees_full_profile,
        "grid_link": may_view_grid_pages(request.user),
        "may_rotate_board": may_rotate_board(user=request.user, enterprise=enterprise),
    }
