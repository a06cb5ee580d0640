"""Exports as a user meets them: press the button, let the worker write the file, download it.

Every list export runs as an export job (``common.export_jobs``); ``exported`` does the
three steps in one call, in a media folder of its own that is gone afterwards.
"""

import tempfile

from django.http import HttpResponse, StreamingHttpResponse
from django.test import override_settings
from django.urls import resolve, reverse

from common.export_jobs import export_job_run


def exported(client, url: str, data: dict | None = None) -> HttpResponse:
    """POST the export button with the list's filters ``data``, run the job as the worker
    would, and GET the file: the download's response (streamed), or the POST's answer
    when no job was started (a 400, 403 or 404)."""
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        started = client.post(url, data or {})
        if started.status_code != 302:
            return started
        job_id = resolve(started["Location"]).kwargs["job_id"]
        export_job_run(job_id=job_id)
        download = client.get(reverse("common:export_download", args=[job_id]))
        if download.status_code != 200:
            return download
        content = b"".join(download.streaming_content)
    return StreamingHttpResponse([content], status=200, headers=dict(download.headers))
