"""Pages of the supply-chain platform (供应链互助): recommendations with outcomes, and suggestions
worked out from the profiles' supply links, which an officer confirms into recommendations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from accounts.scoping import scope_for
from common.views import render_form
from platforms.pages import form_saved, paged, posted_version, require_reader
from platforms.procurement import policy
from platforms.procurement.selectors import enterprises_in_scope
from platforms.supply_chain import selectors, services
from platforms.supply_chain.forms import OutcomeForm, RecommendationForm
from platforms.supply_chain.models import OUTCOME_NEXT
from platforms.supply_chain.suggestions import suggestions_for

SEARCH_LIMIT = 30


@login_required
@require_GET
def recommendation_list(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    rows = selectors.recommendation_list(user=request.user)
    return render(request, "supply_chain/recommendation_list.html", paged(request, rows))


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_create(request: HttpRequest) -> HttpResponse:
    """One firm recommends a zone purchaser or supplier to another: an enterprise user as its own
    firm, staff for a firm of their scope (or themselves). The service decides who may."""
    require_reader(request)
    scope = scope_for(request.user)
    staff = policy.is_staff(scope)
    form = RecommendationForm(
        request.POST or None,
        parties=selectors.recommendation_parties(user=request.user),
        recommenders=enterprises_in_scope(user=request.user) if staff else None,
    )

    def record(data):
        return services.recommendation_record(actor=request.user, **data)

    if done := form_saved(
        request, form, record, success=_("已登记互助推荐，请跟进对接结果。"), refusals=(PermissionDenied,)
    ):
        return done
    return render_form(request, "supply_chain/recommendation_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    recommendation = selectors.recommendation_get(user=request.user, pk=pk)
    allowed = OUTCOME_NEXT.get(recommendation.outcome, ())
    form = OutcomeForm(request.POST or None, allowed=allowed, initial={"outcome_on": timezone.localdate()})

    def record_outcome(data):
        return services.recommendation_record_outcome(
            recommendation=recommendation,
            actor=request.user,
            outcome=data["outcome"],
            outcome_on=data["outcome_on"],
            note=data["note"],
            version=posted_version(request, recommendation.version),
        )

    if done := form_saved(
        request,
        form,
        record_outcome,
        success=_("已记录推荐结果。"),
        then=recommendation,
        refusals=(PermissionDenied,),
    ):
        return done
    return render_form(
        request,
        "supply_chain/recommendation_detail.html",
        {"recommendation": recommendation, "form": form if allowed else None},
    )


@login_required
@require_GET
def suggestion_home(request: HttpRequest) -> HttpResponse:
    """An enterprise user goes to its own suggestions; staff find an enterprise of their scope."""
    require_reader(request)
    scope = scope_for(request.user)
    if scope.role == Role.ENTERPRISE_USER:
        return redirect("supply_chain:suggestions", pk=scope.enterprise_id)
    query = request.GET.get("q", "").strip()
    enterprises = enterprises_in_scope(user=request.user).select_related("grid")
    if query:
        enterprises = enterprises.filter(name__icontains=query)
    return render(
        request,
        "supply_chain/suggestion_home.html",
        {"query": query, "enterprises": enterprises[:SEARCH_LIMIT], "limit": SEARCH_LIMIT},
    )


@login_required
@require_GET
def suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    enterprise = selectors.suggestion_enterprise_get(user=request.user, pk=pk)
    return render(
        request,
        "supply_chain/suggestions.html",
        {
            "enterprise": enterprise,
            "matches": suggestions_for(enterprise),
            "may_confirm": policy.is_staff(scope_for(request.user)),
        },
    )


@login_required
@require_POST
def suggestion_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    enterprise = selectors.suggestion_enterprise_get(user=request.user, pk=pk)
    try:
        recommendation = services.recommendation_confirm_suggestion(
            actor=request.user, for_enterprise=enterprise, key=request.POST.get("key", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("supply_chain:suggestions", pk=enterprise.pk)
    messages.success(request, _("已确认为推荐，请跟进对接结果。"))
    return redirect(recommendation)
