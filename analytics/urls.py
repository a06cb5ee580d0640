from django.urls import path

from analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.zone_dashboard, name="zone_dashboard"),
    path("district/", views.district_dashboard, name="district_dashboard"),
    path("districts/<int:pk>/", views.district_detail, name="district_detail"),
    path("grids/<int:pk>/", views.grid_detail, name="grid_detail"),
    path("officers/<int:pk>/", views.officer_detail, name="officer_detail"),
    path("reports/monthly.xlsx", views.report_download, name="report_download"),
    path("weekly/", views.weekly, name="weekly"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("suggestions/<int:pk>/<str:decision>/", views.suggestion_decide, name="suggestion_decide"),
]
