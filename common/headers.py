"""Response headers every page gets beside the Content-Security-Policy (django-csp)."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """``Permissions-Policy`` from ``settings.PERMISSIONS_POLICY``: the browser
    features no page of the portal uses are switched off for it and for
    anything it might embed (a photo is taken through the file input, which
    needs no camera permission)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})" for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.header)
        return response
