"""Pages of the space platform: listings, demands, proposals, leases, custom-built plants.

Views parse input, call a selector or a service, and render; out of scope answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.views import render_form
from platforms import scoping as platform_scope
from platforms.matching import ProposalState
from platforms.pages import (
    agreed_proposal,
    flash_outcome,
    form_saved,
    own_enterprise,
    paged,
    proposal_act_flashed,
    require_reader,
    require_staff,
)
from platforms.records import OpenState
from platforms.space import selectors
from platforms.space.forms import AdvanceForm, CustomBuildForm, DemandForm, LeaseForm, ListingForm
from platforms.space.models import BuildState, SpaceKind
from platforms.space.services import (
    BUILD_STEPS,
    LISTING_EDITABLE_FIELDS,
    allowed_actions,
    custom_build_advance,
    custom_build_create,
    space_close,
    space_demand_create,
    space_lease_record,
    space_listing_create,
    space_listing_update,
    space_proposal_act,
)


def _form_page(request, form, title):
    return render_form(request, "space/form.html", {"form": form, "title": title})


@login_required
@require_GET
def listing_list(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    kind = request.GET.get("kind") if request.GET.get("kind") in SpaceKind.values else None
    rows = selectors.listing_list(user=request.user, kind=kind)
    return render(
        request, "space/listing_list.html", {"kind": kind, "kinds": SpaceKind.choices, **paged(request, rows)}
    )


def _publish_page(request: HttpRequest, form_class, create, *, party: str, success: str, title: str) -> HttpResponse:
    """Publish a listing or a demand: an enterprise user for its own firm, staff for a firm they may act for
    (the form's ``party`` field, which the fixed form of an enterprise user leaves out)."""
    require_reader(request)
    own = own_enterprise(request)
    form = form_class(
        request.POST or None, enterprises=platform_scope.actable_enterprises(user=request.user), fixed=bool(own)
    )

    def publish(data):
        enterprise = data.pop(party, own)
        return create(actor=request.user, **{party: enterprise}, **data)

    if done := form_saved(request, form, publish, success=success):
        return done
    return _form_page(request, form, title)


@login_required
@require_http_methods(["GET", "POST"])
def listing_create(request: HttpRequest) -> HttpResponse:
    return _publish_page(
        request,
        ListingForm,
        space_listing_create,
        party="owner",
        success=_("载体信息已发布。"),
        title=_("发布闲置厂房或土地"),
    )


# The edit form starts from the listing's values: what an owner may change, and the version it read.
LISTING_FIELDS = (*LISTING_EDITABLE_FIELDS, "version")


@login_required
@require_http_methods(["GET", "POST"])
def listing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner's edit of its listing (or zone staff's for a firm in their scope); others 404."""
    listing = selectors.listing_get(user=request.user, pk=pk)
    if listing.state != OpenState.OPEN or not platform_scope.may_act_for(user=request.user, enterprise=listing.owner):
        raise Http404
    initial = {field: getattr(listing, field) for field in LISTING_FIELDS}
    form = ListingForm(request.POST or None, enterprises=None, editing=True, initial=initial)

    def update(data):
        return space_listing_update(actor=request.user, listing=listing, **data)

    if done := form_saved(request, form, update, success=_("载体信息已更新。")):
        return done
    return _form_page(request, form, _("修改载体信息：%(title)s") % {"title": listing.title})


def _with_actions(proposals, user):
    proposals = list(proposals)
    for proposal in proposals:
        proposal.actions = allowed_actions(proposal, user)
    return proposals


@login_required
@require_GET
def listing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    listing = selectors.listing_get(user=request.user, pk=pk)
    return render(
        request,
        "space/listing_detail.html",
        {
            "listing": listing,
            "proposals": _with_actions(selectors.proposal_list(user=request.user, listing=listing), request.user),
            "leases": selectors.lease_list(user=request.user).filter(listing=listing),
            "may_record": platform_scope.is_staff(request.user),
            "agreed": ProposalState.AGREED,
            "may_close": listing.state == OpenState.OPEN
            and platform_scope.may_act_for(user=request.user, enterprise=listing.owner),
        },
    )


@login_required
@require_GET
def demand_list(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    return render(request, "space/demand_list.html", paged(request, selectors.demand_list(user=request.user)))


@login_required
@require_http_methods(["GET", "POST"])
def demand_create(request: HttpRequest) -> HttpResponse:
    return _publish_page(
        request,
        DemandForm,
        space_demand_create,
        party="enterprise",
        success=_("载体需求已发布。"),
        title=_("发布载体需求"),
    )


@login_required
@require_GET
def demand_detail(request: HttpRequest, pk: int) -> HttpResponse:
    demand = selectors.demand_get(user=request.user, pk=pk)
    return render(
        request,
        "space/demand_detail.html",
        {
            "demand": demand,
            "proposals": _with_actions(selectors.proposal_list(user=request.user, demand=demand), request.user),
            "may_record": platform_scope.is_staff(request.user),
            "agreed": ProposalState.AGREED,
            "may_close": demand.state == "open"
            and platform_scope.may_act_for(user=request.user, enterprise=demand.enterprise),
        },
    )


@login_required
@require_POST
def close(request: HttpRequest, what: str, pk: int) -> HttpResponse:
    if what not in ("listings", "demands"):
        raise Http404
    item = (selectors.listing_get if what == "listings" else selectors.demand_get)(user=request.user, pk=pk)
    owner = item.owner if what == "listings" else item.enterprise
    if not platform_scope.may_act_for(user=request.user, enterprise=owner):
        raise Http404
    flash_outcome(request, lambda: space_close(actor=request.user, item=item), success=_("已关闭。"))
    return redirect(item)


@login_required
@require_POST
def proposal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    proposal_act_flashed(request, space_proposal_act, proposal, action)
    if (
        request.POST.get("back") == "listing"
        and selectors.listings_visible(user=request.user).filter(pk=proposal.listing_id).exists()
    ):
        return redirect(proposal.listing)
    if selectors.demands_visible(user=request.user).filter(pk=proposal.demand_id).exists():
        return redirect(proposal.demand)
    return redirect(proposal.listing)


@login_required
@require_GET
def lease_list(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    return render(request, "space/lease_list.html", paged(request, selectors.lease_list(user=request.user)))


@login_required
@require_http_methods(["GET", "POST"])
def lease_create(request: HttpRequest, proposal_pk: int) -> HttpResponse:
    proposal = agreed_proposal(request, selectors.proposal_get, proposal_pk)
    initial = {"starts_on": max(proposal.listing.available_from, proposal.demand.needed_from)}
    if proposal.listing.rent_yuan_m2_month is not None:
        initial["rent_yuan_m2_month"] = proposal.listing.rent_yuan_m2_month
    form = LeaseForm(request.POST or None, initial=initial)

    def record(data):
        return space_lease_record(
            actor=request.user, listing=proposal.listing, tenant=proposal.demand.enterprise, proposal=proposal, **data
        )

    if done := form_saved(request, form, record, success=_("租赁已登记。"), then="space:lease_list"):
        return done
    return _form_page(
        request,
        form,
        _("登记租赁：%(listing)s → %(tenant)s")
        % {
            "listing": proposal.listing.title,
            "tenant": proposal.demand.enterprise.name,
        },
    )


@login_required
@require_GET
def custom_build_list(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    cases = list(selectors.custom_build_list(user=request.user))
    staff = platform_scope.is_staff(request.user)
    for case in cases:
        case.next_states = (
            [(state, BuildState(state).label) for state in BUILD_STEPS.get(case.state, ())] if staff else []
        )
    return render(
        request,
        "space/custom_build_list.html",
        {"cases": cases, "may_record": staff, "today": timezone.localdate()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def custom_build_new(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    lands = selectors.listing_list(user=request.user, kind=SpaceKind.LAND)
    form = CustomBuildForm(
        request.POST or None, lands=lands, enterprises=platform_scope.actable_enterprises(user=request.user)
    )

    def record(data):
        return custom_build_create(actor=request.user, **data)

    if done := form_saved(request, form, record, success=_("定制厂房案例已登记。"), then="space:custom_build_list"):
        return done
    return _form_page(request, form, _("登记定制厂房"))


@login_required
@require_POST
def custom_build_step(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request)
    case = selectors.custom_build_get(user=request.user, pk=pk)
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择状态并填写日期。"))
        return redirect("space:custom_build_list")
    flash_outcome(
        request,
        lambda: custom_build_advance(actor=request.user, case=case, **form.cleaned_data),
        success=_("案例状态已更新。"),
    )
    return redirect("space:custom_build_list")
