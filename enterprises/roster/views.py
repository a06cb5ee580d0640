"""Pages of the Excel roster: the template, the export and the import with its progress."""

import tempfile
from typing import IO

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.requests import AuthenticatedRequest
from accounts.scoping import scope_for
from common.excel import xlsx_response
from common.export_views import export_view
from enterprises.registry.selectors import enterprises_visible
from enterprises.roster.exports import ROSTER_EXPORT, write_template
from enterprises.roster.forms import RosterUploadForm
from enterprises.roster.imports import roster_import_start
from enterprises.roster.selectors import (
    can_import_roster,
    importable_grids,
    roster_import_for,
    roster_imports_visible,
)

RECENT_IMPORTS = 10


def _xlsx_response(handle: IO[bytes], filename: str) -> HttpResponse:
    handle.seek(0)
    return xlsx_response(handle, filename=filename)


def _ensure_staff(request: AuthenticatedRequest) -> None:
    if not scope_for(request.user).is_staff_side:
        raise PermissionDenied(_("企业名册仅供园区工作人员使用。"))


@login_required
@require_http_methods(["GET", "POST"])
def roster_home(request: AuthenticatedRequest) -> HttpResponse:
    """Export the scoped roster; upload one to import (managers, admins, district leaders)."""
    _ensure_staff(request)
    may_import = can_import_roster(user=request.user)
    form = RosterUploadForm()
    if request.method == "POST":
        if not may_import:
            raise PermissionDenied(_("您没有导入企业名册的权限。"))
        form = RosterUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = roster_import_start(
                    actor=request.user, upload=form.cleaned_data["file"], mode=form.cleaned_data["mode"]
                )
            except ValidationError as error:
                # A problem with the file as a whole shows under the file field.
                form.add_error(None if hasattr(error, "error_dict") else "file", error)
            else:
                return redirect("enterprises:roster_import", job_id=job.pk)
    recent = roster_imports_visible(user=request.user).order_by("-created_at", "-id")[:RECENT_IMPORTS]
    return render(
        request,
        "enterprises/roster/home.html",
        {
            "form": form,
            "may_import": may_import,
            "recent": recent if may_import else [],
            "visible_count": enterprises_visible(user=request.user).count(),
        },
    )


@login_required
@require_GET
def roster_template(request: AuthenticatedRequest) -> HttpResponse:
    if not can_import_roster(user=request.user):
        raise PermissionDenied(_("您没有导入企业名册的权限。"))
    handle = tempfile.TemporaryFile()
    write_template(handle, grids=importable_grids(user=request.user))
    return _xlsx_response(handle, "企业名册导入模板.xlsx")


# Starts the export of every enterprise the user may see (narrowed by the list page's filters when
# given: ``tier=struggling&district=…``), in the import format, as a job.
roster_export = export_view(ROSTER_EXPORT)


@login_required
@require_GET
def roster_import_detail(request: AuthenticatedRequest, job_id: int) -> HttpResponse:
    job = roster_import_for(user=request.user, job_id=job_id)
    return render(request, "enterprises/roster/import.html", {"job": job})


@login_required
@require_GET
def roster_import_status(request: AuthenticatedRequest, job_id: int) -> HttpResponse:
    """The progress block, polled by htmx until the job finishes."""
    job = roster_import_for(user=request.user, job_id=job_id)
    return render(request, "enterprises/roster/_status.html", {"job": job})
