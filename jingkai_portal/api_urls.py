"""The API root: each app contributes its routes in its own ``apis.py``.

Apps register their viewsets on a ``DefaultRouter(include_root_view=False)``;
``/api/`` itself is the one root below, which lists every app's collections.
"""

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import APIRootView


class ApiRootView(APIRootView):
    """Links to every collection of the API (the ``<basename>-list`` routes of every app)."""

    @property
    def api_root_dict(self) -> dict[str, str]:
        return _collections(urlpatterns)


def _collections(patterns) -> dict[str, str]:
    """``{"enterprises": "enterprise-list", …}`` from the routes below, in order."""
    found: dict[str, str] = {}
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            for prefix, name in _collections(pattern.url_patterns).items():
                found.setdefault(prefix, name)
        elif isinstance(pattern, URLPattern) and pattern.name and pattern.name.endswith("-list"):
            # Router routes read "^enterprises/$"; format-suffix twins carry a "(?P<format>" group.
            route = str(pattern.pattern)
            if "(?P<format>" not in route:
                found.setdefault(route.strip("^$").rstrip("/"), pattern.name)
    return found


urlpatterns = [
    path("", ApiRootView.as_view(), name="api-root"),
    path("auth/", include("accounts.apis")),
    path("", include("accounts.notification_apis")),
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
