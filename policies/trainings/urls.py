"""Pages of policies.trainings (under ``/policies/trainings/``)."""

from django.urls import path

from policies.trainings import views

app_name = "trainings"

urlpatterns = [
    path("", views.session_list_view, name="list"),
    path("<int:pk>/", views.session_detail_view, name="detail"),
    path("<int:pk>/register/", views.register_view, name="register"),
    path("<int:pk>/door/", views.door_view, name="door"),
    path("checkin/<str:token>/", views.checkin_view, name="checkin"),
    path("registrations/<int:pk>/cancel/", views.cancel_view, name="cancel"),
    path("registrations/<int:pk>/check-in/", views.door_check_in_view, name="door_check_in"),
]
