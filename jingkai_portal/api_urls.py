"""The API root: each app contributes its routes in its own ``apis.py``.

Apps register their viewsets on a ``DefaultRouter(include_root_view=False)``;
``/api/`` itself is the one root below, which lists every app's collections.
"""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, URLPattern, URLResolver, include, path, re_path, resolve
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.routers import APIRootView
from rest_framework.views import APIView


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


@extend_schema(exclude=True)
class ApiNotFoundView(APIView):
    """Any address under ``/api/`` that names no endpoint (``/api/issues/3/accept.json``,
    ``/api/enterprises/-1/products/``): the endpoints' own JSON 404, for every
    method, rather than the HTML page not-found of the site.

    A GET without its trailing slash is still sent on to the slashed address,
    as Django's ``APPEND_SLASH`` did before this view caught every path.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]

    def answer(self, request, *args, **kwargs):
        if request.method in ("GET", "HEAD") and settings.APPEND_SLASH and not request.path_info.endswith("/"):
            try:
                match = resolve(f"{request.path_info}/")
            except Resolver404:
                match = None
            if match is not None and getattr(match.func, "view_class", None) is not ApiNotFoundView:
                return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
        raise NotFound()

    get = post = put = patch = delete = head = options = answer


urlpatterns = [
    path("", ApiRootView.as_view(), name="api-root"),
    path("auth/", include("accounts.apis")),
    path("", include("accounts.notification_apis")),
    path("", include("grids.apis")),
    path("", include("enterprises.registry.apis")),
    path("", include("enterprises.profile.apis")),
    path("", include("issues.apis")),
    path("", include("fieldwork.apis")),
    path("", include("policies.apis")),
    path("", include("policies.funding.apis")),
    path("", include("policies.trainings.apis")),
    path("", include("platforms.financing.apis")),
    path("", include("platforms.service_projects.apis")),
    path("", include("platforms.procurement.apis")),
    path("", include("platforms.labour.apis")),
    path("", include("platforms.supply_chain.apis")),
    path("", include("platforms.space.apis")),
    path("", include("emergency.apis")),
    path("", include("analytics.apis")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The interactive docs keep the site's script policy (Swagger UI's start-up script is served
    # from ?script by the split view, not inline) but need inline styles: Swagger UI's page has a
    # <style> block and its React components set style attributes; ReDoc's styled-components
    # write <style> elements and its search runs in a worker made from a blob: URL. Only here.
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path(
        "redoc/",
        csp_update({"style-src": [UNSAFE_INLINE], "worker-src": ["blob:"]})(
            SpectacularRedocView.as_view(url_name="api-schema")
        ),
        name="api-redoc",
    ),
    re_path(r"^.*", ApiNotFoundView.as_view(), name="api-not-found"),  # last: whatever the routes above miss
]
