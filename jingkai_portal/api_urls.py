"""The API root: each app contributes its routes in its own ``apis.py``."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

urlpatterns = [
    path("auth/", include("accounts.apis")),
    path("", include("grids.apis")),
    path("", include("enterprises.apis")),
    path("", include("enterprises.profile_apis")),
    path("", include("issues.apis")),
    path("", include("fieldwork.apis")),
    path("", include("analytics.apis")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
