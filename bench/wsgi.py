"""The portal's WSGI application plus the benchmark's floor: ``/bench/floor/<pk>/`` reads one user by
primary key and answers its name, through the same middleware (session, CSRF, CSP, locale) as every
page. Every measured page is also given as a ratio to it (``bench/load.py``). Never deployed."""

from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

application = get_wsgi_application()

from accounts.models import User  # noqa: E402  (after the app registry is ready)
from jingkai_portal import urls  # noqa: E402


def floor(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(User.objects.only("username").get(pk=pk).username, content_type="text/plain")


urls.urlpatterns.insert(0, path("bench/floor/<int:pk>/", floor))
