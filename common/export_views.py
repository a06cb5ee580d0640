"""Pages of the export jobs: start one (called by each app's export view), follow it, download it."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from common.excel import XLSX_CONTENT_TYPE
from common.export_jobs import ExportKind, export_file_for, export_job_for, export_job_start


def start_export(request: HttpRequest, kind: ExportKind) -> HttpResponse:
    """The export button's POST: the list's filters in the body; the job's page, or 400 naming the field.

    ``export_view`` checks the method and the login; who may export and the filters are
    ``kind.select``'s (a 404 or 403 propagates as the app's pages answer it).
    """
    try:
        job = export_job_start(user=request.user, kind=kind, data=request.POST)
    except ValidationError as error:
        return render(
            request,
            "common/export_refused.html",
            {"label": kind.label, "errors": error.message_dict},
            status=400,
        )
    return redirect("common:export_job", job_id=job.pk)


def export_view(kind: ExportKind) -> Callable[[HttpRequest], HttpResponse]:
    """An app's export button: a logged-in POST of the list's filters starts ``kind`` as a job."""

    @login_required
    @require_POST
    def view(request: HttpRequest) -> HttpResponse:
        return start_export(request, kind)

    return view


@login_required
@require_GET
def export_job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = export_job_for(user=request.user, job_id=job_id)
    return render(request, "common/export_job.html", {"job": job, "export_file_days": settings.EXPORT_FILE_DAYS})


@login_required
@require_GET
def export_job_status(request: HttpRequest, job_id: int) -> HttpResponse:
    """The progress block, polled by htmx until the job finishes."""
    job = export_job_for(user=request.user, job_id=job_id)
    return render(request, "common/snippets/export_status.html", {"job": job})


@login_required
@require_GET
def export_job_download(request: HttpRequest, job_id: int) -> FileResponse:
    """The file, for the user who asked for it only; everyone else (any role) gets 404."""
    job = export_file_for(user=request.user, job_id=job_id)
    response = FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=XLSX_CONTENT_TYPE
    )
    response["Cache-Control"] = "private, no-store"
    return response
