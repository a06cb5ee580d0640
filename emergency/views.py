"""Incident pages: list, declare, the roll-call board, a row's report form and calls, the
timeline, closing; the enterprise's acknowledgement (its link, or its session).

Views parse input, call a selector or a service, and render. The board and the
staff pages are for managers, district leaders and officers (others get 404);
an enterprise user acknowledges through its own link or its session.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from accounts.scoping import scope_for
from common.forms import add_service_errors
from common.views import render_form
from emergency import policy, selectors, services
from emergency.figures import incident_totals
from emergency.forms import CallForm, CloseForm, DeclareForm, ReportForm
from emergency.models import Notice
from grids.models import District
from issues.errors import TransitionError

# While an incident is open its board asks for the roll-call again this often (htmx polling).
BOARD_REFRESH_SECONDS = 10

STAFF_ROLES = (Role.MANAGER, Role.ADMIN, Role.DISTRICT_LEADER, Role.GRID_OFFICER)


def _require_staff(request: HttpRequest) -> None:
    if scope_for(request.user).role not in STAFF_ROLES:
        raise Http404(_("该页面不存在。"))


@login_required
@require_GET
def incident_list_view(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    page = Paginator(selectors.incident_list(user=request.user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "emergency/list.html",
        {
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1),
            "may_declare": policy.may_declare(request.user),
        },
    )


def _declare_district(request: HttpRequest) -> District | None:
    scope = scope_for(request.user)
    if scope.role == Role.DISTRICT_LEADER:
        return District.objects.filter(pk__in=scope.district_ids).order_by("code").first()
    raw = request.POST.get("district") or request.GET.get("district")
    if not raw:
        return None
    if not str(raw).isdigit():
        raise Http404
    return get_object_or_404(District, pk=raw)


@login_required
@require_http_methods(["GET", "POST"])
def declare_view(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    if not policy.may_declare(request.user):
        raise Http404(_("该页面不存在。"))
    district = _declare_district(request)
    form = DeclareForm(request.POST or None, district=district)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = services.incident_declare(
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                is_exercise=data["is_exercise"],
                district=district,
                whole_district=data.get("whole_district", False),
                grids=list(data["grids"]),
                enterprises=list(data["enterprises"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except TransitionError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("应急事件已发布，正在通知受影响企业及网格员。"))
            return redirect("emergency:board", incident.pk)
    districts = District.objects.order_by("code") if policy.is_manager(request.user) else None
    return render_form(request, "emergency/declare.html", {"form": form, "district": district, "districts": districts})


def _board_context(request: HttpRequest, incident) -> dict:
    rows = list(selectors.roll_call(user=request.user, incident=incident))
    visible = selectors.affected_visible(user=request.user, incident=incident)
    may_call = incident.is_open
    for row in rows:
        row.may_act = may_call and policy.is_grid_side(request.user, row)
    return {
        "incident": incident,
        "totals": incident_totals(incident=incident, rows=visible),
        "unreached": [row for row in rows if not row.acknowledged_at],
        "reached": [row for row in rows if row.acknowledged_at],
        "in_doubt": Notice.objects.filter(incident=incident, claimed_at__isnull=False, sent_at__isnull=True).count(),
        "may_close": policy.allowed(policy.CLOSE, incident, request.user),
        "refresh_seconds": BOARD_REFRESH_SECONDS,
        "refreshed_at": timezone.localtime(),
    }


@login_required
@require_GET
def board_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The roll-call board: totals, the unreached list first (oldest notice first), then the reached."""
    _require_staff(request)
    incident = selectors.incident_get(user=request.user, pk=pk)
    context = _board_context(request, incident)
    if request.headers.get("HX-Request") == "true":
        return render(request, "emergency/snippets/rollcall.html", context)
    return render(request, "emergency/board.html", context)


@login_required
@require_GET
def timeline_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    incident = selectors.incident_get(user=request.user, pk=pk)
    page = Paginator(selectors.incident_timeline(user=request.user, incident=incident), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "emergency/timeline.html",
        {
            "incident": incident,
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1),
        },
    )


def _row(request: HttpRequest, pk: int, row: int):
    incident = selectors.incident_get(user=request.user, pk=pk)
    affected = get_object_or_404(
        selectors.with_latest(selectors.affected_visible(user=request.user, incident=incident)).select_related(
            "enterprise", "grid__leader", "acknowledged_by", "follow_up_issue"
        ),
        pk=row,
    )
    return incident, affected


@login_required
@require_http_methods(["GET", "POST"])
def row_view(request: HttpRequest, pk: int, row: int) -> HttpResponse:
    """One affected enterprise: its latest values, a report form, and its own timeline."""
    _require_staff(request)
    incident, affected = _row(request, pk, row)
    may_report = policy.allowed(policy.REPORT, incident, request.user, affected)
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        if not may_report:
            messages.error(
                request, _("事件已结束，处置记录只读。") if not incident.is_open else _("您无权登记该企业的情况。")
            )
            return redirect("emergency:row", incident.pk, affected.pk)
        if form.is_valid():
            try:
                services.response_entry_add(affected=affected, actor=request.user, report=form.report())
            except ValidationError as error:
                add_service_errors(form, error)
            except TransitionError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(
                    request, _("已登记 %(enterprise)s 的情况。") % {"enterprise": affected.enterprise.name}
                )
                return redirect("emergency:board", incident.pk)
    return render_form(
        request,
        "emergency/row.html",
        {
            "incident": incident,
            "row": affected,
            "form": form,
            "may_report": may_report,
            "may_call": policy.allowed(policy.CALL, incident, request.user, affected) and not affected.acknowledged_at,
            "entries": selectors.entries_of(affected=affected)[:100],
        },
    )


@login_required
@require_POST
def call_view(request: HttpRequest, pk: int, row: int) -> HttpResponse:
    """The outcome of a call: reached (acknowledged on the enterprise's behalf) or no answer."""
    _require_staff(request)
    incident, affected = _row(request, pk, row)
    form = CallForm(request.POST)
    if not form.is_valid():
        # The board again, saying which field was wrong: nothing recorded.
        call_errors = [
            _("%(field)s：%(error)s") % {"field": form.fields[name].label, "error": error}
            for name, errors in form.errors.items()
            for error in errors
        ]
        context = {**_board_context(request, incident), "call_errors": call_errors}
        return render(request, "emergency/board.html", context, status=400)
    try:
        services.call_outcome_record(
            affected=affected, actor=request.user, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"]
        )
    except TransitionError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("已登记与 %(enterprise)s 的联系结果。") % {"enterprise": affected.enterprise.name})
    return redirect("emergency:board", incident.pk)


@login_required
@require_http_methods(["GET", "POST"])
def close_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    incident = selectors.incident_get(user=request.user, pk=pk)
    if not policy.allowed(policy.CLOSE, incident, request.user):
        raise Http404(_("该页面不存在。"))
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_close(incident=incident, actor=request.user, note=form.cleaned_data["note"])
        except TransitionError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("事件已结束，记录已转为只读；未解决的需求已登记到问题台账。"))
        return redirect("emergency:board", incident.pk)
    return render_form(request, "emergency/close.html", {"incident": incident, "form": form})


@login_required
@require_GET
def relief_view(request: HttpRequest, pk: int, row: int) -> HttpResponse:
    """The relief offered to one enterprise at closing: for the enterprise itself and its officers."""
    incident = selectors.incident_get(user=request.user, pk=pk)
    offer = selectors.relief_offer_get(user=request.user, incident=incident, row=row)
    staff = scope_for(request.user).role in STAFF_ROLES
    return render(
        request,
        "emergency/relief.html",
        {"incident": incident, "offer": offer, "row": offer.affected, "staff": staff},
    )


# --- The enterprise's acknowledgement --------------------------------------------------


def _acknowledged_message(request, newly: bool) -> None:
    if newly:
        messages.success(request, _("已确认收到，谢谢。网格员会继续与您保持联系。"))
    else:
        messages.info(request, _("贵企业此前已确认收到。"))


@require_http_methods(["GET", "POST"])
def ack_link_view(request: HttpRequest, token: str) -> HttpResponse:
    """The enterprise's own link: signed out with the token, or signed in as its user.

    Opening it shows one button; pressing it records the acknowledgement (a GET
    changes nothing, since chat apps and mail scanners open links by themselves).
    """
    user = request.user if request.user.is_authenticated else None
    affected = services.affected_for_token(token=token, user=user)
    if affected is None:
        raise Http404(_("链接无效。"))
    if request.method == "POST":
        try:
            _row, newly = services.incident_acknowledge(affected=affected, actor=user, by_token=user is None)
        except TransitionError as error:
            messages.error(request, str(error.message))
        else:
            _acknowledged_message(request, newly)
        return redirect("emergency:ack", token)
    affected.refresh_from_db()
    return render(request, "emergency/ack.html", {"row": affected, "incident": affected.incident})


@login_required
@require_POST
def acknowledge_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The enterprise user's session: acknowledge its own row of the incident."""
    if scope_for(request.user).role != Role.ENTERPRISE_USER:
        raise Http404
    incident = selectors.incident_get(user=request.user, pk=pk)
    affected = get_object_or_404(selectors.affected_visible(user=request.user, incident=incident))
    try:
        _row, newly = services.incident_acknowledge(affected=affected, actor=request.user)
    except TransitionError as error:
        messages.error(request, str(error.message))
    else:
        _acknowledged_message(request, newly)
    return redirect("enterprises:my_enterprise")
