"""Training pages: sessions, the enterprise's registration, and check-in at the door."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from accounts.scoping import require_staff_side, scope_for
from common.forms import add_refusal
from enterprises.registry.board import board_qr_svg
from policies.funding.errors import TransitionError
from policies.pages import act_and_tell
from policies.trainings import services
from policies.trainings.forms import RegistrationForm
from policies.trainings.models import Registration, RegistrationState
from policies.trainings.selectors import (
    registration_get,
    registration_list,
    session_get,
    session_get_by_token,
    session_list,
)

PAGE_SIZE = 30


def _is_enterprise(request: HttpRequest) -> bool:
    return scope_for(request.user).role == Role.ENTERPRISE_USER


@login_required
@require_http_methods(["GET"])
def session_list_view(request: HttpRequest) -> HttpResponse:
    sessions = session_list(user=request.user)
    if _is_enterprise(request):
        sessions = sessions.filter(ends_at__gte=timezone.now()).order_by("starts_at", "id")
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "trainings/list.html",
        {"page_obj": page, "sessions": page.object_list, "is_enterprise": _is_enterprise(request)},
    )


@login_required
@require_http_methods(["GET"])
def session_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_get(user=request.user, pk=pk)
    context = {
        "session": session,
        "is_enterprise": _is_enterprise(request),
        "registrations": list(registration_list(user=request.user, session=session)),
        "policies": list(session.policies.order_by("title")),
    }
    if not context["is_enterprise"]:
        context["qr_svg"] = board_qr_svg(url=request.build_absolute_uri(session.get_checkin_url()), title=_("扫码签到"))
    return render(request, "trainings/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def register_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The enterprise user registers an attendee (a seat, or the waitlist when full)."""
    if not _is_enterprise(request):
        raise Http404(_("该页面仅供企业用户使用。"))
    session = session_get(user=request.user, pk=pk)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_create(
                session=session, enterprise=request.user.enterprise, actor=request.user, **form.cleaned_data
            )
        except TransitionError as error:
            add_refusal(form, error)
        else:
            if registration.state == RegistrationState.WAITLISTED:
                messages.warning(request, _("名额已满，已为您登记候补；有人取消时将按顺序递补并通知您。"))
            else:
                messages.success(request, _("报名成功。"))
            return redirect(session.get_absolute_url())
    return render(
        request, "trainings/register.html", {"session": session, "form": form}, status=400 if form.errors else 200
    )


def _check_in(request: HttpRequest, registration: Registration) -> TransitionError | None:
    """Check the attendee in (at the door or by the door QR), saying so by name or why not."""
    success = _("%(name)s 签到成功。") % {"name": registration.attendee_name}
    return act_and_tell(request, success, services.registration_check_in, registration=registration, actor=request.user)


@login_required
@require_POST
def cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    registration = registration_get(user=request.user, pk=pk)
    act_and_tell(
        request, _("已取消报名。"), services.registration_cancel, registration=registration, actor=request.user
    )
    return redirect(registration.session.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def checkin_view(request: HttpRequest, token: str) -> HttpResponse:
    """The page behind the door QR: an enterprise user checks in its own registered attendees."""
    session = session_get_by_token(user=request.user, token=token)
    if not _is_enterprise(request):
        return redirect("trainings:door", pk=session.pk)
    status = 200
    if request.method == "POST":
        chosen = request.POST.get("registration", "")
        registration = (
            registration_list(user=request.user, session=session)
            .filter(pk=int(chosen) if chosen.isdigit() else 0)
            .first()
        )
        if registration is None:
            raise Http404
        refusal = _check_in(request, registration)
        if refusal is None:
            return redirect(request.path)
        status = refusal.http_status
    mine = [
        item
        for item in registration_list(user=request.user, session=session)
        if item.state != RegistrationState.CANCELLED
    ]
    return render(request, "trainings/checkin.html", {"session": session, "registrations": mine}, status=status)


@login_required
@require_http_methods(["GET"])
def door_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The officer at the door: find an attendee by name (or phone) and check them in."""
    require_staff_side(request.user)
    session = get_object_or_404(session_list(user=request.user), pk=pk)
    query = request.GET.get("q", "").strip()[:50]
    registrations = registration_list(user=request.user, session=session).filter(
        state__in=[RegistrationState.REGISTERED, RegistrationState.ATTENDED]
    )
    if query:
        registrations = registrations.filter(attendee_name__icontains=query) | registrations.filter(
            attendee_phone__endswith=query
        )
    return render(
        request, "trainings/door.html", {"session": session, "registrations": list(registrations[:100]), "query": query}
    )


@login_required
@require_POST
def door_check_in_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff_side(request.user)
    registration = registration_get(user=request.user, pk=pk)
    _check_in(request, registration)
    return redirect("trainings:door", pk=registration.session_id)
