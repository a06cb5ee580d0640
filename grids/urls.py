from django.urls import path

from grids import views

app_name = "grids"

urlpatterns: list = [
    path("", views.grid_team_list_view, name="list"),
    path("<int:pk>/", views.grid_team_detail_view, name="detail"),
    path("options/", views.grid_options_view, name="options"),
]
