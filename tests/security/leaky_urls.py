"""The project's URLs plus four views that forget scoping, for the matrix to catch."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.html import format_html, format_html_join

from enterprises.models import Enterprise, Product
from issues.models import Issue
from jingkai_portal.urls import urlpatterns as project_urlpatterns


@login_required
def leaky_issue(request, pk: int):
    """An issue by id, looked up without issues_visible: every user reads every issue,
    and a POST retitles it."""
    issue = get_object_or_404(Issue, pk=pk)
    if request.method == "POST":
        Issue.objects.filter(pk=issue.pk).update(title="改过了")
    return HttpResponse(format_html("<h1>{}</h1>", issue.title))


@login_required
def leaky_issue_list(request):
    """Every issue, linked to its page, whoever asks."""
    rows = format_html_join("", '<li><a href="/issues/{}/">{}</a></li>', Issue.objects.values_list("pk", "title"))
    return HttpResponse(format_html("<ul>{}</ul>", rows))


@login_required
def leaky_product_add(request, pk: int):
    """Adds a product to any enterprise by id: the parent is read without enterprises_visible."""
    enterprise = get_object_or_404(Enterprise, pk=pk)
    if request.method == "POST":
        Product.objects.create(enterprise=enterprise, name=request.POST.get("name", ""))
        return HttpResponse(status=201)
    return HttpResponse(format_html("<h1>{}</h1>", enterprise.name))


@login_required
def leaky_enterprise_filter(request):
    """A list whose ``?enterprise=`` takes any id and names the enterprise it finds."""
    enterprise = Enterprise.objects.filter(pk=request.GET.get("enterprise") or 0).first()
    return HttpResponse(format_html("<p>{}</p>", enterprise.name if enterprise else "全部企业"))


urlpatterns = [
    path("leak/issues/", leaky_issue_list, name="leaky-issue-list"),
    path("leak/enterprises/", leaky_enterprise_filter, name="leaky-enterprise-filter"),
    path("leak/enterprises/<int:pk>/products/", leaky_product_add, name="leaky-product-add"),
    path("leak/issues/<int:pk>/", leaky_issue, name="leaky-issue"),
    *project_urlpatterns,
]
