"""What every HTML view shares."""

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_form(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """Render a page that holds a form: 400 when a submitted form was refused, else 200.

    A refused form — a field's own check or a service's refusal added to it — is shown again
    with the field named, nothing saved, and the status says so (a client, a script or a test
    can tell a refusal from a page that merely rendered). Any bound form in ``context`` with
    errors counts; a page with no submitted form answers 200.
    """
    refused = request.method == "POST" and any(
        isinstance(value, BaseForm) and value.is_bound and value.errors for value in context.values()
    )
    return render(request, template, context, status=400 if refused else 200)
