"""Pages of platforms.service_projects (under /platforms/services/)."""

from django.urls import path

from platforms.service_projects import views

app_name = "service_projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.enterprise_pick, name="pick"),
    path("enterprises/<int:enterprise_pk>/new/", views.project_create, name="create"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
]
