"""Field-work pages: the officer's home, visit and tracking forms, lists, exports, files.

Views parse input, call a selector or a service, and render. Only grid
officers log (anything else answers 404, as for an enterprise outside their
grids); managers, district leaders and officers read in their scope.
"""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Role
from accounts.scoping import scope_for
from common.export_views import export_view
from common.forms import add_service_errors
from common.panels import OFFICER_HOME, panels_for
from common.periods import IsoWeek
from fieldwork import selectors
from fieldwork.exports import TRACKING_EXPORT, VISITS_EXPORT
from fieldwork.filters import VisitFilter, WeeklyTrackingFilter
from fieldwork.forms import ProblemFormSet, VisitForm, WeeklyTrackingForm, raised_problems
from fieldwork.models import VISIT_REPORT_FIELDS
from fieldwork.offline import visit_queue_strings
from fieldwork.services import visit_create, weekly_tracking_record

PAGE_SIZE = 30
SEARCH_LIMIT = 30
# Inline in the browser for what it can show; everything else downloads.
INLINE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".pdf": "application/pdf"}


def _require_officer(request: HttpRequest) -> None:
    if scope_for(request.user).role != Role.GRID_OFFICER:
        raise Http404(_("该页面仅供网格员使用。"))


def _require_reader(request: HttpRequest) -> None:
    """Bureau staff and enterprise users have no field-work pages."""
    if not selectors.may_read_fieldwork(user=request.user):
        raise Http404(_("该页面不存在。"))


def _apply_filters(filterset):
    """Filtered rows, or none when a filter value is invalid (the form shows why)."""
    return filterset.qs if filterset.is_valid() else filterset.queryset.none()


def _filtered_enterprise(filterset):
    return filterset.form.cleaned_data.get("enterprise") if filterset.is_valid() else None


def _paged(request: HttpRequest, rows) -> dict:
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page_obj": page, "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1)}


# --- Officer home and enterprise search -------------------------------------


@login_required
@require_GET
def officer_home(request: HttpRequest) -> HttpResponse:
    _require_officer(request)
    due = selectors.due_list(user=request.user)
    return render(
        request,
        "fieldwork/officer_home.html",
        {
            "summary": selectors.due_summary(due),
            "issue_counts": selectors.officer_issue_counts(user=request.user),
            "recent_visits": selectors.recent_visits(user=request.user),
            "this_week": IsoWeek.current(),
            "panels": panels_for(request, OFFICER_HOME),
            **_paged(request, due),
        },
    )


@login_required
@require_GET
def enterprise_search(request: HttpRequest) -> HttpResponse:
    """Find one of my enterprises by name to log a visit or tracking for it."""
    _require_officer(request)
    query = request.GET.get("q", "").strip()
    enterprises = selectors.loggable_enterprises(user=request.user).select_related("grid").order_by("name", "id")
    if query:
        enterprises = enterprises.filter(name__icontains=query)
    context = {"query": query, "enterprises": enterprises[:SEARCH_LIMIT], "limit": SEARCH_LIMIT}
    if request.headers.get("HX-Request"):
        return render(request, "fieldwork/snippets/enterprise_results.html", context)
    return render(request, "fieldwork/enterprise_search.html", context)


# --- Visits ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def visit_create_view(request: HttpRequest, enterprise_pk: int) -> HttpResponse:
    """The visit form. Its script (fieldwork/visit-queue.js) posts the same form with
    ``Accept: application/json`` and gets JSON back: 201 stored, 200 already stored under its
    idempotency key, 400 with the errors by field. The form's own submit (``X-Visit-Submit:
    form``) then opens the visit, which shows the flash message; a visit sent later from the
    offline queue gets none (the queue reports it)."""
    enterprise = selectors.loggable_enterprise_get(user=request.user, pk=enterprise_pk)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    if request.method == "POST":
        form = VisitForm(request.POST, request.FILES)
        problems = ProblemFormSet(request.POST, prefix="problems")
        if form.is_valid() and problems.is_valid():
            data = form.cleaned_data
            try:
                visit = visit_create(
                    officer=request.user,
                    enterprise=enterprise,
                    visited_at=data["visited_at"],
                    **{name: data[name] for name in VISIT_REPORT_FIELDS},
                    problems=raised_problems(problems),
                    attachments=data["attachments"],
                    client_key=data["client_key"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                raised = visit.raised_issues.count()
                if visit.replayed:
                    message = _("这次走访已登记过，未重复保存。")
                else:
                    message = _("走访已登记。")
                    if raised:
                        message += ngettext(
                            "%(count)d 个问题已提交问题台账。", "%(count)d 个问题已提交问题台账。", raised
                        ) % {"count": raised}
                if not wants_json or request.headers.get("X-Visit-Submit") == "form":
                    # The form itself (with or without its script) goes on to the visit: tell it there.
                    # A visit sent later from the queue is reported in the queue instead.
                    messages.add_message(request, messages.INFO if visit.replayed else messages.SUCCESS, message)
                if wants_json:
                    return JsonResponse(
                        {
                            "visit": visit.pk,
                            "url": visit.get_absolute_url(),
                            "issues": raised,
                            "replayed": visit.replayed,
                        },
                        status=200 if visit.replayed else 201,
                    )
                return redirect(visit)
        if wants_json:
            errors = {field: [str(message) for message in messages_] for field, messages_ in form.errors.items()}
            for problem in problems.forms:
                for field, messages_ in problem.errors.items():
                    errors[problem.add_prefix(field)] = [str(message) for message in messages_]
            if problems.non_form_errors():
                errors["problems"] = [str(message) for message in problems.non_form_errors()]
            return JsonResponse({"errors": errors}, status=400)
    else:
        form = VisitForm()
        problems = ProblemFormSet(prefix="problems")
    return render(
        request,
        "fieldwork/visit_form.html",
        {
            "enterprise": enterprise,
            "form": form,
            "problems": problems,
            # Browsers never refill a file input: say so when files were chosen.
            "files_lost": bool(request.FILES),
            "queue_strings": visit_queue_strings(),
            # The page's script presets the time in the portal's time zone, whatever the phone's.
            "utc_offset_minutes": int(timezone.localtime().utcoffset().total_seconds() // 60),
        },
    )


@login_required
@require_GET
def visit_by_token(request: HttpRequest, token: str) -> HttpResponse:
    """Where an officer lands after scanning an enterprise's notice-board QR code."""
    enterprise = selectors.loggable_enterprise_by_token(user=request.user, token=token)
    return redirect("fieldwork:visit_create", enterprise_pk=enterprise.pk)


@login_required
@require_GET
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_get(user=request.user, pk=pk)
    return render(request, "fieldwork/visit_detail.html", {"visit": visit})


@login_required
@require_GET
def visit_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    filterset = VisitFilter(request.GET, queryset=selectors.visit_list(user=request.user), request=request)
    return _list_page(request, "fieldwork/visit_list.html", filterset)


def _list_page(request: HttpRequest, template: str, filterset) -> HttpResponse:
    """A list of visits or trackings: its filters, the enterprise it is narrowed to, and a page of rows."""
    return render(
        request,
        template,
        {
            "filterset": filterset,
            "filtered_enterprise": _filtered_enterprise(filterset),
            **_paged(request, _apply_filters(filterset)),
        },
    )


# Starts the export of the filtered visits (the list's filters, POSTed) as a job.
visit_export = export_view(VISITS_EXPORT)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Serve a visit's file to those who may read the visit; 404 to everyone else."""
    attachment = selectors.attachment_get(user=request.user, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("文件不存在。")) from None
    inline_type = INLINE_TYPES.get(attachment.extension)
    response = FileResponse(
        handle,
        as_attachment=inline_type is None,
        filename=attachment.original_name,
        content_type=inline_type or mimetypes.guess_type(attachment.original_name)[0] or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- Weekly tracking ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def tracking_record(request: HttpRequest, enterprise_pk: int) -> HttpResponse:
    """Fill in (or correct) the enterprise's tracking for a week: one row per week."""
    enterprise = selectors.loggable_enterprise_get(user=request.user, pk=enterprise_pk)
    if request.method == "POST":
        form = WeeklyTrackingForm(request.POST)
        if form.is_valid():
            week = form.cleaned_data.pop("week")
            try:
                tracking, created = weekly_tracking_record(
                    officer=request.user, enterprise=enterprise, week=week, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if created:
                    messages.success(request, _("已保存 %(week)s 的周跟踪。") % {"week": week.label()})
                else:
                    messages.success(request, _("已更新 %(week)s 的周跟踪。") % {"week": week.label()})
                return redirect("fieldwork:officer_home")
        existing = None
    else:
        week = _week_from_query(request)
        existing = selectors.tracking_for_week(enterprise=enterprise, iso_year=week.year, iso_week=week.week)
        # Start from this week's entry when there is one, else carry last week's figures forward.
        source = existing or selectors.latest_tracking(enterprise=enterprise)
        form = WeeklyTrackingForm(instance=source, initial={"week": week.code})
    return render(
        request, "fieldwork/tracking_form.html", {"enterprise": enterprise, "form": form, "existing": existing}
    )


def _week_from_query(request: HttpRequest) -> IsoWeek:
    try:
        return IsoWeek.parse(request.GET["week"])
    except (KeyError, ValidationError):
        return IsoWeek.current()


@login_required
@require_GET
def tracking_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    filterset = WeeklyTrackingFilter(request.GET, queryset=selectors.tracking_list(user=request.user), request=request)
    return _list_page(request, "fieldwork/tracking_list.html", filterset)


# Starts the export of the filtered weekly tracking (the list's filters, POSTed) as a job.
tracking_export = export_view(TRACKING_EXPORT)


# --- The enterprise's timeline (an HTML fragment for the profile page) ------


@login_required
@require_GET
def enterprise_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = selectors.fieldwork_enterprise_get(user=request.user, pk=pk)
    return render(
        request,
        "fieldwork/snippets/timeline.html",
        {
            "enterprise": enterprise,
            "entries": selectors.enterprise_timeline(enterprise=enterprise),
            "may_log": selectors.may_log_for(user=request.user, enterprise=enterprise),
        },
    )
