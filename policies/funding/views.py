"""Funding pages: thin views over the selectors (reads) and services (writes)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from accounts.scoping import require_staff_side, scope_for
from common.forms import add_refusal
from grids.models import District
from grids.selectors import district_list
from policies.funding import policy, services
from policies.funding.errors import TransitionError
from policies.funding.forms import ACTION_FORMS, ApplicationForm
from policies.funding.models import FundingState
from policies.funding.selectors import application_events, application_get, application_list, review_queue
from policies.models import PolicyLevel

PAGE_SIZE = 30

ACTION_ORDER = [policy.SUBMIT, policy.REVIEW, policy.APPROVE, policy.DISBURSE, policy.REJECT]
ACTION_LOOK = {
    policy.SUBMIT: (_lazy("提交申报"), "bi-send", "primary"),
    policy.REVIEW: (_lazy("受理审核"), "bi-inbox", "primary"),
    policy.APPROVE: (_lazy("批准"), "bi-check2-circle", "success"),
    policy.REJECT: (_lazy("不予通过"), "bi-x-octagon", "outline-danger"),
    policy.DISBURSE: (_lazy("登记拨付"), "bi-cash-coin", "primary"),
}
SUCCESS_MESSAGES = {
    policy.SUBMIT: _lazy("申报已提交，等待审核科室受理。"),
    policy.REVIEW: _lazy("已受理，进入审核。"),
    policy.APPROVE: _lazy("已批准，并按各级承担比例分解核定金额。"),
    policy.REJECT: _lazy("已作不予通过处理。"),
    policy.DISBURSE: _lazy("已登记拨付。"),
}


def _is_enterprise(request: HttpRequest) -> bool:
    return scope_for(request.user).role == Role.ENTERPRISE_USER


def _districts_for(request: HttpRequest) -> QuerySet[District]:
    """The districts the list offers to filter by: those the user sees (grids.selectors), no other."""
    return district_list(user=request.user).order_by("code")


def _int_or_none(value: str) -> int | None:
    return int(value) if value and value.isdigit() else None


def _page(request: HttpRequest, queryset):
    paginator = Paginator(queryset, PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


@login_required
@require_GET
def application_list_view(request: HttpRequest) -> HttpResponse:
    """资金申报台账: the scoped list with filters by state, funding level and district."""
    if _is_enterprise(request):
        return redirect("funding:mine")
    require_staff_side(request.user)
    state = request.GET.get("state", "")
    level = request.GET.get("level", "")
    district_id = _int_or_none(request.GET.get("district", ""))
    state = state if state in FundingState.values else ""
    level = level if level in PolicyLevel.values else ""
    districts = _districts_for(request)
    queryset = application_list(user=request.user, state=state, level=level, district_id=district_id)
    if district_id is not None and not districts.filter(pk=district_id).exists():
        # Only the districts offered filter the list: another district answers as one that does
        # not exist (nothing listed), never with the applications the user sees there by name.
        queryset = queryset.none()
    page = _page(request, queryset)
    return render(
        request,
        "funding/list.html",
        {
            "page_obj": page,
            "applications": page.object_list,
            "states": FundingState.choices,
            "levels": PolicyLevel.choices,
            "districts": districts,
            "chosen": {"state": state, "level": level, "district": district_id},
        },
    )


@login_required
@require_GET
def review_queue_view(request: HttpRequest) -> HttpResponse:
    """The reviewing bureau's queue (待审核): submitted and under review, oldest first."""
    scope = scope_for(request.user)
    if not (scope.sees_zone or scope.role == Role.BUREAU_STAFF):
        raise Http404(_("该页面仅供审核科室使用。"))
    page = _page(request, review_queue(user=request.user))
    return render(request, "funding/queue.html", {"page_obj": page, "applications": page.object_list})


@login_required
@require_GET
def my_applications_view(request: HttpRequest) -> HttpResponse:
    """我的申报: the enterprise user's own applications."""
    scope = scope_for(request.user)
    if scope.role != Role.ENTERPRISE_USER:
        raise Http404(_("该页面仅供企业用户使用。"))
    page = _page(request, application_list(user=request.user))
    return render(request, "funding/mine.html", {"page_obj": page, "applications": page.object_list})


@login_required
@require_http_methods(["GET", "POST"])
def application_new_view(request: HttpRequest) -> HttpResponse:
    """A new application: saved as a draft, or submitted at once (保存并提交)."""
    scope = scope_for(request.user)
    if scope.role not in (Role.ENTERPRISE_USER, Role.GRID_OFFICER, Role.DISTRICT_LEADER) and not scope.sees_zone:
        raise Http404(_("您的角色不能填报资金申报。"))
    form = ApplicationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enterprise = data.get("enterprise") or request.user.enterprise
        try:
            application = services.funding_application_create(
                enterprise=enterprise,
                clause=data["clause"],
                amount_requested=data["amount_requested"],
                reviewing_bureau=data["reviewing_bureau"],
                purpose=data["purpose"],
                actor=request.user,
            )
        except TransitionError as error:
            add_refusal(form, error)
        else:
            if "then_submit" not in request.POST:
                messages.success(request, _("已保存为草稿。"))
                return redirect(application.get_absolute_url())
            try:
                services.funding_application_submit(application=application, actor=request.user)
            except TransitionError as error:
                # The draft is kept (it was valid); the window or the policy's state stopped the submission.
                messages.warning(request, _("已保存为草稿，但未能提交：%(why)s") % {"why": error.message})
            else:
                messages.success(request, SUCCESS_MESSAGES[policy.SUBMIT])
            return redirect(application.get_absolute_url())
    return render(request, "funding/new.html", {"form": form})


def _action_forms(application, user, *, bound=None) -> list[dict]:
    allowed = policy.allowed_actions(application, user)
    items = []
    for action in ACTION_ORDER:
        if action not in allowed:
            continue
        label, icon, style = ACTION_LOOK[action]
        form = bound if bound is not None and bound.action == action else ACTION_FORMS[action](application=application)
        items.append({"action": action, "form": form, "label": label, "icon": icon, "style": style})
    return items


def _detail(request: HttpRequest, application, *, bound=None, status=200) -> HttpResponse:
    return render(
        request,
        "funding/detail.html",
        {
            "application": application,
            "grants": list(application.grants.order_by("level")),
            "disbursements": list(
                application.disbursements.select_related("recorded_by").order_by("disbursed_on", "id")
            ),
            "events": list(application_events(application=application)),
            "action_forms": _action_forms(application, request.user, bound=bound),
            "open_action": bound.action if bound is not None else "",
            "is_enterprise": _is_enterprise(request),
        },
        status=status,
    )


@login_required
@require_GET
def application_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, application_get(user=request.user, pk=pk))


@login_required
@require_POST
def application_act_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    application = application_get(user=request.user, pk=pk)
    if action not in ACTION_FORMS:
        raise Http404
    form = ACTION_FORMS[action](request.POST, application=application)
    if not form.is_valid():
        return _detail(request, application, bound=form, status=400)
    if form.cleaned_data.get("version") is not None:
        application.version = form.cleaned_data["version"]
    try:
        services.ACTIONS[action](application=application, actor=request.user, **form.arguments())
    except TransitionError as error:
        add_refusal(form, error)
        return _detail(request, application_get(user=request.user, pk=pk), bound=form, status=error.http_status)
    messages.success(request, SUCCESS_MESSAGES[action])
    return redirect("funding:detail", pk=pk)
