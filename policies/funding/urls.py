"""Pages of policies.funding (under ``/policies/funding/``)."""

from django.urls import path

from policies.funding import views

app_name = "funding"

urlpatterns = [
    path("", views.application_list_view, name="list"),
    path("queue/", views.review_queue_view, name="queue"),
    path("mine/", views.my_applications_view, name="mine"),
    path("new/", views.application_new_view, name="new"),
    path("<int:pk>/", views.application_detail_view, name="detail"),
    path("<int:pk>/act/<str:action>/", views.application_act_view, name="act"),
]
