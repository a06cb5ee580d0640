"""htmx requests whose session has ended.

A fragment request (``HX-Request: true``) answered by a redirect to the sign-in
page would otherwise be followed by the browser and the sign-in form swapped
into the page — the incident board's roll-call, say, turning into a login box.
Instead the whole page goes to the sign-in page (``HX-Redirect``), and after
signing in the user comes back to the page they were on, not to the fragment.
"""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


class HtmxSignInRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.headers.get("HX-Request") != "true" or response.status_code not in (301, 302):
            return response
        login_path = urlsplit(resolve_url(settings.LOGIN_URL)).path
        if urlsplit(response["Location"]).path != login_path:
            return response
        page = request.headers.get("HX-Current-URL", "")
        if not url_has_allowed_host_and_scheme(page, allowed_hosts={request.get_host()}):
            page = ""
        split = urlsplit(page)
        back = split.path + (f"?{split.query}" if split.query else "") if page else request.get_full_path()
        answer = HttpResponse(status=204)
        answer["HX-Redirect"] = f"{login_path}?" + urlencode({REDIRECT_FIELD_NAME: back}, safe="/")
        return answer
