from django.urls import path

from fieldwork import views

app_name = "fieldwork"

urlpatterns = [
    path("", views.officer_home, name="officer_home"),
    path("enterprises/", views.enterprise_search, name="enterprise_search"),
    path("enterprises/<int:enterprise_pk>/visits/new/", views.visit_create_view, name="visit_create"),
    path("enterprises/<int:enterprise_pk>/tracking/new/", views.tracking_record, name="tracking_record"),
    path("enterprises/<int:pk>/timeline/", views.enterprise_timeline, name="enterprise_timeline"),
    # Where the notice board's QR code leads a signed-in officer.
    path("visit/by-token/<str:token>/", views.visit_by_token, name="visit_by_token"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/export.xlsx", views.visit_export, name="visit_export"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("tracking/", views.tracking_list, name="tracking_list"),
    path("tracking/export.xlsx", views.tracking_export, name="tracking_export"),
]
