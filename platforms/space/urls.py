"""Pages of platforms.space."""

from django.urls import path

from platforms.space import views

app_name = "space"

urlpatterns = [
    path("", views.listing_list, name="listing_list"),
    path("listings/new/", views.listing_create, name="listing_create"),
    path("listings/<int:pk>/", views.listing_detail, name="listing_detail"),
    path("listings/<int:pk>/edit/", views.listing_edit, name="listing_edit"),
    path("demands/", views.demand_list, name="demand_list"),
    path("demands/new/", views.demand_create, name="demand_create"),
    path("demands/<int:pk>/", views.demand_detail, name="demand_detail"),
    path("<str:what>/<int:pk>/close/", views.close, name="close"),
    path("proposals/<int:proposal_pk>/lease/", views.lease_create, name="lease_create"),
    path("proposals/<int:pk>/<str:action>/", views.proposal_action, name="proposal_action"),
    path("leases/", views.lease_list, name="lease_list"),
    path("custom-builds/", views.custom_build_list, name="custom_build_list"),
    path("custom-builds/new/", views.custom_build_new, name="custom_build_new"),
    path("custom-builds/<int:pk>/step/", views.custom_build_step, name="custom_build_step"),
]
