"""Pages of platforms.supply_chain (供应链互助)."""

from django.urls import path

from platforms.supply_chain import views

app_name = "supply_chain"

urlpatterns = [
    path("", views.recommendation_list, name="recommendation_list"),
    path("recommendations/new/", views.recommendation_create, name="recommendation_create"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation_detail"),
    path("suggestions/", views.suggestion_home, name="suggestion_home"),
    path("enterprises/<int:pk>/suggestions/", views.suggestions, name="suggestions"),
    path("enterprises/<int:pk>/suggestions/confirm/", views.suggestion_confirm, name="suggestion_confirm"),
]
