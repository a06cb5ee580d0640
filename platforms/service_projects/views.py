"""Service-project pages: the list by kind with its totals, create and edit for staff.

Everyone with a scope reads (an enterprise user its own projects); staff record.
Outside the scope, or an enterprise user on a recording page, answers 404.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from common.views import render_form
from issues.errors import TransitionError
from platforms.pages import form_saved, page_found_if, paged
from platforms.service_projects import selectors, services
from platforms.service_projects.forms import ProjectForm
from platforms.service_projects.models import Kind

PICK_LIMIT = 20


@login_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    page_found_if(selectors.reads_projects(user=request.user))
    kind = request.GET.get("kind", "")
    if kind and kind not in Kind.values:
        kind = ""
    visible = selectors.projects_visible(user=request.user)
    rows = selectors.project_list(user=request.user)
    if kind:
        rows = rows.filter(kind=kind)
    return render(
        request,
        "service_projects/list.html",
        {
            "kind": kind,
            "kinds": Kind.choices,
            "totals": selectors.kind_totals(visible),
            "may_record": selectors.records_projects(user=request.user),
            **paged(request, rows),
        },
    )


@login_required
@require_GET
def enterprise_pick(request: HttpRequest) -> HttpResponse:
    """Find the enterprise to record a project for, by name or USCC."""
    page_found_if(selectors.records_projects(user=request.user))
    query = request.GET.get("q", "").strip()[:100]
    enterprises = selectors.recordable_enterprises(user=request.user).select_related("grid").order_by("name", "id")
    if query:
        enterprises = enterprises.filter(Q(name__icontains=query) | Q(uscc__iexact=query))
    return render(
        request,
        "service_projects/pick.html",
        {"query": query, "enterprises": enterprises[:PICK_LIMIT] if query else [], "kind": request.GET.get("kind", "")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest, enterprise_pk: int) -> HttpResponse:
    page_found_if(selectors.records_projects(user=request.user))
    enterprise = get_object_or_404(selectors.recordable_enterprises(user=request.user), pk=enterprise_pk)
    form = ProjectForm(request.POST or None, user=request.user, initial={"kind": request.GET.get("kind")})

    def record(data):
        return services.service_project_create(actor=request.user, enterprise=enterprise, **data)

    if done := _project_saved(request, form, record, success=_("服务项目已登记。")):
        return done
    return render_form(request, "service_projects/form.html", {"enterprise": enterprise, "form": form, "project": None})


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.editable_project_get(user=request.user, pk=pk)
    initial = model_to_dict(project, fields=list(services.EDITABLE_FIELDS))
    form = ProjectForm(request.POST or None, user=request.user, initial=initial)

    def update(data):
        return services.service_project_update(project=project, actor=request.user, **data)

    if done := _project_saved(request, form, update, success=_("服务项目已更新。")):
        return done
    return render_form(
        request, "service_projects/form.html", {"enterprise": project.enterprise, "form": form, "project": project}
    )


def _project_saved(request: HttpRequest, form: ProjectForm, save, *, success: str) -> HttpResponse | None:
    """Saved, a project's page goes back to the list of its kind."""
    return form_saved(
        request,
        form,
        save,
        success=success,
        then=lambda _project: f"{reverse('service_projects:list')}?kind={form.cleaned_data['kind']}",
        refusals=(TransitionError,),
    )
