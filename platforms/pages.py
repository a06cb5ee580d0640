"""What every platform's pages share: a page of rows, the 404 for who may not see a page, the caller's own firm,
and the one way a form page or a button hands its input to a service and tells the user how it went.

Who may see or write is each platform's rule (its ``policy``/``access``/``selectors``, or
``platforms.scoping``); a page only asks it and answers 404 on no, so ids and pages do not leak.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.scoping import scope_for
from common.forms import add_service_errors
from enterprises.models import Enterprise
from platforms.matching import ProposalState
from platforms.scoping import is_reader, is_staff

PAGE_SIZE = 30

Saved = TypeVar("Saved")


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


def proposal_act_flashed(request: HttpRequest, act: Callable[..., object], proposal: Any, action: str) -> None:
    """A proposal's button (contact, agree, or decline with the posted reason): the platform's ``*_proposal_act``,
    its outcome flashed; a refusal of the step or of the user is shown, not raised."""
    flash_outcome(
        request,
        lambda: act(proposal=proposal, action=action, actor=request.user, reason=request.POST.get("reason", "")),
        success=_("匹配状态已更新。"),
        refusals=(ValidationError, PermissionDenied),
    )


def agreed_proposal(request: HttpRequest, proposal_get: Callable[..., Any], pk: int) -> Any:
    """The proposal a record (a transfer, a lease) is made from: zone staff only, and only once the two
    firms agreed; anything else answers 404. ``proposal_get`` is the platform's scoped selector."""
    require_staff(request)
    proposal = proposal_get(user=request.user, pk=pk)
    if proposal.state != ProposalState.AGREED:
        raise Http404
    return proposal


def own_enterprise(request: HttpRequest) -> Enterprise | None:
    """The enterprise user's own firm; None for staff (who pick a firm of their scope)."""
    return request.user.enterprise if scope_for(request.user).role == Role.ENTERPRISE_USER else None


def posted_version(request: HttpRequest, current: int) -> int:
    """The ``version`` the form was read at (``current`` when the form sends none); a mangled one answers 404."""
    try:
        return int(request.POST.get("version", current))
    except ValueError:
        raise Http404 from None


def form_saved(
    request: HttpRequest,
    form: BaseForm,
    save: Callable[[dict[str, Any]], Saved],
    *,
    success: str | Callable[[Saved], str],
    then: Any = None,
    refusals: tuple[type[Exception], ...] = (),
) -> HttpResponse | None:
    """A form page's write: on a POST whose form is valid, ``save`` (a service call) gets a copy of the cleaned data.

    Saved: the ``success`` message (or the one it makes from what was saved) and a redirect to ``then`` — what
    ``redirect`` takes (a URL, a URL name, an object with a URL), or a function making it from what was saved;
    by default what was saved itself. Refused — a ``ValidationError``
    under the field it names, one of ``refusals`` (``PermissionDenied``, ``TransitionError``) above the form —
    or not posted, or invalid: None, and the view renders the form again (``render_form`` answers 400 on a refusal).
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save(dict(form.cleaned_data))
    except refusals as error:
        form.add_error(None, str(error))
        return None
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(request, success(saved) if callable(success) else success)
    if then is None:
        return redirect(saved)
    return redirect(then(saved) if callable(then) else then)


def flash_outcome(
    request: HttpRequest,
    act: Callable[[], object],
    *,
    success: str,
    refusals: tuple[type[Exception], ...] = (ValidationError,),
) -> bool:
    """A button's write (close, a proposal's step): run ``act``, then flash ``success``, or the refusal's messages.

    The caller redirects either way; True when it was done.
    """
    try:
        act()
    except refusals as error:
        messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
        return False
    messages.success(request, success)
    return True
