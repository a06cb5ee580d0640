from django.urls import path

from common import export_views

app_name = "common"

urlpatterns = [
    # An export job: its page, the progress block the page polls, the file.
    path("exports/<int:job_id>/", export_views.export_job_detail, name="export_job"),
    path("exports/<int:job_id>/status/", export_views.export_job_status, name="export_job_status"),
    path("exports/<int:job_id>/download/", export_views.export_job_download, name="export_download"),
]
