"""The standard profile's tabs and the enterprise's monthly figures (included by enterprises.urls)."""

from django.urls import path

from enterprises.profile import submission_views, views

profile = "enterprises/<int:pk>/profile"

urlpatterns = [
    path(f"{profile}/basic/", views.profile_basic, name="profile_basic"),
    path(f"{profile}/basic/edit/", views.profile_basic_edit, name="profile_basic_edit"),
    path(f"{profile}/products/", views.profile_products, name="profile_products"),
    path(f"{profile}/products/add/", views.profile_product_form, name="profile_product_add"),
    path(f"{profile}/products/<int:item>/edit/", views.profile_product_form, name="profile_product_edit"),
    path(f"{profile}/products/<int:item>/delete/", views.profile_product_delete, name="profile_product_delete"),
    path(f"{profile}/supply/", views.profile_supply, name="profile_supply"),
    path(f"{profile}/supply/add/", views.profile_supply_form, name="profile_supply_add"),
    path(f"{profile}/supply/partners/", views.profile_partner_search, name="profile_partner_search"),
    path(f"{profile}/supply/<int:item>/edit/", views.profile_supply_form, name="profile_supply_edit"),
    path(f"{profile}/supply/<int:item>/delete/", views.profile_supply_delete, name="profile_supply_delete"),
    path(f"{profile}/employment/", views.profile_employment, name="profile_employment"),
    path(f"{profile}/employment/save/", views.profile_employment_save, name="profile_employment_save"),
    path(f"{profile}/employment/<int:item>/delete/", views.profile_employment_delete, name="profile_employment_delete"),
    path(f"{profile}/indicators/", views.profile_indicators, name="profile_indicators"),
    path(f"{profile}/indicators/save/", views.profile_indicators_save, name="profile_indicators_save"),
    path(f"{profile}/indicators/<int:item>/delete/", views.profile_indicators_delete, name="profile_indicators_delete"),
    path(f"{profile}/tier/", views.profile_tier, name="profile_tier"),
    path(f"{profile}/tier/change/", views.profile_tier_change, name="profile_tier_change"),
    path(f"{profile}/history/", views.profile_history_tab, name="profile_history"),
    # 企业报送: the enterprise reports its month, an officer of its grid confirms or sends it back.
    path("my/figures/", submission_views.figures_mine, name="figures_mine"),
    path("enterprises/figures/", submission_views.figures_queue, name="figures_queue"),
    path("enterprises/figures/<int:pk>/confirm/", submission_views.figures_confirm, name="figures_confirm"),
    path("enterprises/figures/<int:pk>/reject/", submission_views.figures_reject, name="figures_reject"),
]
