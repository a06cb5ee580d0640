"""The Excel roster (名册): template, export of the scoped list, import with progress."""

from django.urls import path

from enterprises.roster import views

urlpatterns = [
    path("enterprises/roster/", views.roster_home, name="roster"),
    path("enterprises/roster/template.xlsx", views.roster_template, name="roster_template"),
    path("enterprises/roster/export.xlsx", views.roster_export, name="roster_export"),
    path("enterprises/roster/imports/<int:job_id>/", views.roster_import_detail, name="roster_import"),
    path("enterprises/roster/imports/<int:job_id>/status/", views.roster_import_status, name="roster_import_status"),
]
