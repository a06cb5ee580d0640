"""The enterprises app's pages, one urls module per package, under the one namespace ``enterprises``."""

from django.urls import include, path

app_name = "enterprises"

urlpatterns: list = [
    path("", include("enterprises.registry.urls")),
    path("", include("enterprises.profile.urls")),
    path("", include("enterprises.roster.urls")),
]
