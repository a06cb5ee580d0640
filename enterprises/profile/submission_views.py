"""企业报送 pages: the enterprise reports its monthly figures; its officers confirm or return them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from accounts.scoping import GRID_ROLES, scope_for
from enterprises.profile import submissions
from enterprises.profile.forms import FiguresRejectForm, FiguresSubmissionForm
from enterprises.registry.selectors import enterprise_get


@login_required
@require_http_methods(["GET", "POST"])
def figures_mine(request: HttpRequest) -> HttpResponse:
    """报送企业数据: the enterprise's form and its earlier reports with where each stands."""
    scope = scope_for(request.user)
    if scope.role != Role.ENTERPRISE_USER or not scope.enterprise_id:
        raise Http404
    enterprise = enterprise_get(user=request.user, pk=scope.enterprise_id)
    form = FiguresSubmissionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                submissions.figures_submit(enterprise=enterprise, actor=request.user, **form.service_fields())
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("已报送，网格员确认后将更新企业档案中的数据。"))
                return redirect("enterprises:figures_mine")
    return render(
        request,
        "enterprises/figures_mine.html",
        {"enterprise": enterprise, "form": form, "reports": submissions.figures_mine(user=request.user)[:24]},
        status=status,
    )


def _require_confirmer(request: HttpRequest) -> None:
    scope = scope_for(request.user)
    if not (scope.sees_zone or scope.role in GRID_ROLES):
        raise Http404


@login_required
def figures_queue(request: HttpRequest, *, reject_form=None, rejecting=None, status: int = 200) -> HttpResponse:
    """待确认的企业报送: the pending reports of the user's grids, each beside the official figures."""
    _require_confirmer(request)
    queue = list(submissions.figures_queue(user=request.user))
    return render(
        request,
        "enterprises/figures_queue.html",
        {"queue": queue, "reject_form": reject_form, "rejecting": rejecting},
        status=status,
    )


@login_required
@require_POST
def figures_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    _require_confirmer(request)
    submission = submissions.figures_submission_get(user=request.user, pk=pk)
    try:
        submissions.figures_confirm(submission=submission, actor=request.user)
    except ValidationError as error:  # decided by a colleague a moment ago
        messages.error(request, " ".join(error.messages))
        return redirect("enterprises:figures_queue")
    messages.success(
        request,
        _("已确认%(name)s %(month)s的数据。")
        % {"name": submission.enterprise.name, "month": f"{submission.month:%Y-%m}"},
    )
    return redirect("enterprises:figures_queue")


@login_required
@require_POST
def figures_reject(request: HttpRequest, pk: int) -> HttpResponse:
    _require_confirmer(request)
    submission = submissions.figures_submission_get(user=request.user, pk=pk)
    form = FiguresRejectForm(request.POST)
    if not form.is_valid():
        return figures_queue(request, reject_form=form, rejecting=submission.pk, status=400)
    try:
        submissions.figures_reject(submission=submission, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:  # decided by a colleague a moment ago
        messages.error(request, " ".join(error.messages))
        return redirect("enterprises:figures_queue")
    messages.success(request, _("已退回%(name)s的报送。") % {"name": submission.enterprise.name})
    return redirect("enterprises:figures_queue")
