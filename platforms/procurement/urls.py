"""Pages of platforms.procurement (企业内配)."""

from django.urls import path

from platforms.procurement import views

app_name = "procurement"

urlpatterns = [
    path("", views.need_list, name="need_list"),
    path("mine/", views.my_needs, name="my_needs"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("needs/<int:pk>/edit/", views.need_edit, name="need_edit"),
    path("proposals/<int:pk>/deal/", views.deal_from_proposal, name="deal_from_proposal"),
    path("proposals/<int:pk>/<str:action>/", views.proposal_act, name="proposal_act"),
    path("deals/", views.deal_list, name="deal_list"),
    path("totals/", views.totals, name="totals"),
    path("retooling/", views.retooling_list, name="retooling_list"),
    path("retooling/new/", views.retooling_create, name="retooling_create"),
    path("retooling/<int:pk>/", views.retooling_detail, name="retooling_detail"),
]
