"""Dashboards, the weekly close page, tier suggestions and the Excel report: thin views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.scoping import scope_for
from analytics import dashboards
from analytics.drilldown import grid_drill, officer_drill
from analytics.exports import workbook_response
from analytics.models import WeeklyClose
from analytics.selectors import (
    dashboard_district_get,
    dashboard_districts,
    dashboard_grid_get,
    dashboard_officer_get,
    pending_suggestions,
    suggestion_get,
    weekly_statuses_visible,
)
from analytics.services import tier_suggestion_accept, tier_suggestion_dismiss
from analytics.weekly import TierRule
from common.periods import IsoWeek, Month, previous_week


def _month_refused(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """400: the page says what was wrong with ``?month=`` and links to this dashboard's current month."""
    return render(
        request,
        "analytics/bad_month.html",
        {"problems": error.messages, "current_month": Month.current(), "current_url": request.path},
        status=400,
    )


def _with_query(request: HttpRequest, url_name: str) -> HttpResponse:
    """Redirect to another dashboard keeping the query (the month picked) as it was asked."""
    url = reverse(url_name)
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)


def _render_dashboard(request: HttpRequest, board, *, district=None) -> HttpResponse:
    return render(
        request,
        "analytics/dashboard.html",
        {
            "board": board,
            "district": district,
            "current_month": Month.current(),
            "months": dashboards.months_with_snapshots(user=request.user),
            "districts": dashboard_districts(user=request.user) if scope_for(request.user).sees_zone else [],
        },
    )


@login_required
def zone_dashboard(request: HttpRequest) -> HttpResponse:
    """The manager's home: the whole zone."""
    if not scope_for(request.user).sees_zone:
        if scope_for(request.user).role == Role.DISTRICT_LEADER:
            return _with_query(request, "analytics:district_dashboard")
        raise Http404
    try:
        month = Month.requested(request.GET.get("month"))
    except ValidationError as error:
        return _month_refused(request, error)
    return _render_dashboard(request, dashboards.zone_dashboard(user=request.user, month=month))


@login_required
def district_dashboard(request: HttpRequest) -> HttpResponse:
    """The district leader's home: his district (the first, if he leads several)."""
    district = dashboard_districts(user=request.user).first()
    if district is None:
        raise Http404
    if scope_for(request.user).sees_zone:
        return _with_query(request, "analytics:zone_dashboard")
    return district_detail(request, district.pk)


@login_required
def district_detail(request: HttpRequest, pk: int) -> HttpResponse:
    district = dashboard_district_get(user=request.user, pk=pk)
    try:
        month = Month.requested(request.GET.get("month"))
    except ValidationError as error:
        return _month_refused(request, error)
    board = dashboards.district_dashboard(user=request.user, district=district, month=month)
    return _render_dashboard(request, board, district=district)


@login_required
def report_download(request: HttpRequest) -> HttpResponse:
    """The monthly Excel report: stored for a finished month, built from the live rows for this one."""
    district = None
    if request.GET.get("district"):
        try:
            district = dashboard_district_get(user=request.user, pk=int(request.GET["district"]))
        except ValueError:
            raise Http404 from None
    elif not scope_for(request.user).sees_zone:
        district = dashboard_districts(user=request.user).first()
        if district is None:
            raise Http404
    try:
        month = Month.requested(request.GET.get("month"))
    except ValidationError as error:
        # A download names its month exactly: a bad one is refused, not replaced by another month.
        return HttpResponseBadRequest(" ".join(error.messages), content_type="text/plain; charset=utf-8")
    return workbook_response(user=request.user, month=month, district=district)


# --- The weekly close -----------------------------------------------------------------------


@login_required
def weekly(request: HttpRequest) -> HttpResponse:
    """A closed week: due, tracked and missed enterprises in the user's scope, and how figures moved."""
    if not scope_for(request.user).reads_field_notes:
        raise Http404
    week = previous_week()
    if request.GET.get("week"):
        try:
            week = IsoWeek.parse(request.GET["week"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    close = WeeklyClose.objects.filter(iso_year=week.year, iso_week=week.week).first()
    context = {"week": week, "close": close, "previous": week.minus(1), "next": week.minus(-1)}
    if close is not None:
        statuses = weekly_statuses_visible(user=request.user, close=close).select_related(
            "enterprise", "grid", "tracking__officer"
        )
        context["statuses"] = statuses
        context["missed"] = [status for status in statuses if not status.tracked]
        context["tracked"] = [status for status in statuses if status.tracked]
    context["recent_closes"] = WeeklyClose.objects.order_by("-week_start")[:8]
    return render(request, "analytics/weekly.html", context)


# --- Tier suggestions -------------------------------------------------------------------------


@login_required
def suggestions(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).reads_field_notes:
        raise Http404
    rule = TierRule.from_settings()
    return render(
        request,
        "analytics/suggestions.html",
        {
            "suggestions": pending_suggestions(user=request.user).select_related("close"),
            "decline": f"{float(rule.decline) * 100:g}%",
            "recovery": f"{float(rule.recovery) * 100:g}%",
        },
    )


@login_required
@require_POST
def suggestion_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    suggestion = suggestion_get(user=request.user, pk=pk)
    if decision not in ("accept", "dismiss"):
        raise Http404
    try:
        if decision == "accept":
            tier_suggestion_accept(suggestion=suggestion, actor=request.user, note=request.POST.get("note", ""))
            messages.success(
                request,
                _("已将 %(name)s 调整为%(tier)s。")
                % {"name": suggestion.enterprise.name, "tier": suggestion.get_to_tier_display()},
            )
        else:
            tier_suggestion_dismiss(suggestion=suggestion, actor=request.user)
            messages.info(request, _("已忽略对 %(name)s 的建议。") % {"name": suggestion.enterprise.name})
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect(reverse("analytics:suggestions"))


def _drill_page(request: HttpRequest, template: str, build) -> HttpResponse:
    """A drill-down page for ``?month=`` (400 naming what was wrong with it): ``build(month)``'s
    figures, which the shared comparison and ranking snippets read as the ``board``."""
    try:
        month = Month.requested(request.GET.get("month"))
    except ValidationError as error:
        return _month_refused(request, error)
    drill = build(month)
    return render(request, template, {"drill": drill, "board": drill, "zone": scope_for(request.user).sees_zone})


@login_required
def grid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Drill-down: one grid team's month figures and its officers' ranking (from a district's grid row)."""
    grid = dashboard_grid_get(user=request.user, pk=pk)
    return _drill_page(
        request, "analytics/grid_detail.html", lambda month: grid_drill(user=request.user, grid=grid, month=month)
    )


@login_required
def officer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Drill-down: one officer's visits in the month and the issues they hold (from the ranking)."""
    officer = dashboard_officer_get(user=request.user, pk=pk)
    return _drill_page(
        request,
        "analytics/officer_detail.html",
        lambda month: officer_drill(user=request.user, officer=officer, month=month),
    )
