"""What every platform's pages share: a page of rows, the 404 for who may not see a page, the caller's own firm.

Who may see or write is each platform's rule (its ``policy``/``access``/``selectors``, or
``platforms.scoping``); a page only asks it and answers 404 on no, so ids and pages do not leak.
"""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.scoping import scope_for
from enterprises.models import Enterprise
from platforms.scoping import is_reader, is_staff

PAGE_SIZE = 30


def paged(request: HttpRequest, rows) -> dict:
    """The page of ``rows`` asked for by ``?page=`` and the links around it, as the list templates read them."""
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page_obj": page, "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1)}


def page_found_if(allowed: bool) -> None:
    """A page the caller may not use answers 404, as one out of their scope does."""
    if not allowed:
        raise Http404(_("该页面不存在。"))


def require_reader(request: HttpRequest) -> None:
    """A matchmaking platform's pages are for zone staff and enterprise users (``platforms.scoping``)."""
    page_found_if(is_reader(request.user))


def require_staff(request: HttpRequest) -> None:
    """Pages that record for the firms (transfers, leases, cases): zone staff only."""
    page_found_if(is_staff(request.user))


def own_enterprise(request: HttpRequest) -> Enterprise | None:
    """The enterprise user's own firm; None for staff (who pick a firm of their scope)."""
    return request.user.enterprise if scope_for(request.user).role == Role.ENTERPRISE_USER else None
