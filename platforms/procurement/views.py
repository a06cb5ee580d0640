"""Pages of the procurement platform (企业内配): thin — parse, call a selector or a service, render.

Enterprise users see and edit only their own postings and the proposals
addressed to them; staff their scope; anything else answers 404.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from accounts.scoping import scope_for
from common.views import render_form
from enterprises.models import Enterprise, Tier
from grids.models import District
from platforms.matching import AGREE, CONTACT, DECLINE, TRANSITIONS, ProposalState
from platforms.pages import flash_outcome, form_saved, paged, posted_version, require_reader, require_staff
from platforms.procurement import figures, policy, selectors, services
from platforms.procurement.forms import DealForm, DeclineForm, PurchaseNeedForm, RetoolingAdvanceForm, RetoolingCaseForm
from platforms.procurement.models import RetoolingState

# --- Needs --------------------------------------------------------------------------------


def _need_list_page(request: HttpRequest, *, mine: bool) -> HttpResponse:
    require_reader(request)
    needs = selectors.need_list(user=request.user, mine=mine)
    return render(
        request, "procurement/need_list.html", {"mine": mine, "today": timezone.localdate(), **paged(request, needs)}
    )


@login_required
@require_GET
def need_list(request: HttpRequest) -> HttpResponse:
    """Staff: the needs of their scope; an enterprise user: its own and those it was proposed for."""
    return _need_list_page(request, mine=False)


@login_required
@require_GET
def my_needs(request: HttpRequest) -> HttpResponse:
    return _need_list_page(request, mine=True)


def _buyers(request: HttpRequest):
    """Staff choose the buyer in their scope; an enterprise user posts for its own firm (None)."""
    if scope_for(request.user).role == Role.ENTERPRISE_USER:
        return None
    return selectors.enterprises_in_scope(user=request.user)


@login_required
@require_http_methods(["GET", "POST"])
def need_create(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    buyers = _buyers(request)
    form = PurchaseNeedForm(request.POST or None, buyers=buyers)

    def post(data):
        buyer = data.get("buyer") or Enterprise.objects.get(pk=scope_for(request.user).enterprise_id)
        return services.purchase_need_post(
            actor=request.user,
            buyer=buyer,
            item=data["item"],
            category=data["category"],
            quantity=data["quantity"],
            unit=data["unit"],
            needed_by=data["needed_by"],
            description=data["description"],
        )

    def posted(need) -> str:
        return _("采购需求已发布，系统推荐了 %(count)s 家园区供应企业。") % {"count": need.proposals.count()}

    if done := form_saved(request, form, post, success=posted):
        return done
    return render_form(request, "procurement/need_form.html", {"form": form, "need": None})


@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    need = selectors.need_get_editable(user=request.user, pk=pk)
    form = PurchaseNeedForm(request.POST or None, instance=need, buyers=None)

    def update(data):
        changes = {name: data[name] for name in services.NEED_FIELDS}
        version = posted_version(request, need.version)
        return services.purchase_need_update(need=need, actor=request.user, version=version, **changes)

    if done := form_saved(request, form, update, success=_("采购需求已更新。"), then=need):
        return done
    return render_form(request, "procurement/need_form.html", {"form": form, "need": need})


@login_required
@require_GET
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    need = selectors.need_get(user=request.user, pk=pk)
    proposals = list(selectors.proposals_of_need(user=request.user, need=need))
    for proposal in proposals:
        proposal.actions = policy.RULES.allowed_actions(proposal, request.user)
        has_deal = hasattr(proposal, "deal")  # select_related: no query
        proposal.may_record_deal = (
            not has_deal
            and proposal.state in (*TRANSITIONS[AGREE][0], ProposalState.AGREED)
            and policy.may(AGREE, proposal, request.user)
        )
    editable = selectors.needs_editable(user=request.user).filter(pk=need.pk).exists()
    return render(
        request,
        "procurement/need_detail.html",
        {"need": need, "proposals": proposals, "editable": editable, "decline_form": DeclineForm()},
    )


# --- Proposals ----------------------------------------------------------------------------


@login_required
@require_POST
def proposal_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    require_reader(request)
    if action not in (CONTACT, AGREE, DECLINE):
        raise Http404
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    version = posted_version(request, proposal.version)
    flash_outcome(
        request,
        lambda: services.purchase_proposal_act(
            proposal=proposal, actor=request.user, action=action, reason=request.POST.get("reason", ""), version=version
        ),
        success=_("已更新推荐状态。"),
        refusals=(ValidationError, PermissionDenied),
    )
    return redirect(proposal.need)


@login_required
@require_http_methods(["GET", "POST"])
def deal_from_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    form = DealForm(request.POST or None, initial={"deal_on": timezone.localdate(), "item": proposal.product.name})

    def record(data):
        return services.deal_record(
            actor=request.user,
            proposal=proposal,
            amount=data["amount"],
            deal_on=data["deal_on"],
            item=data["item"],
            note=data["note"],
        )

    if done := form_saved(
        request,
        form,
        record,
        success=_("已登记内配成交，推荐标记为已达成。"),
        then=lambda _deal: proposal.need,
        refusals=(PermissionDenied,),
    ):
        return done
    return render_form(request, "procurement/deal_form.html", {"form": form, "proposal": proposal})


# --- Deals, totals ------------------------------------------------------------------------


@login_required
@require_GET
def deal_list(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    deals = selectors.deal_list(user=request.user)
    return render(request, "procurement/deal_list.html", paged(request, deals))


@login_required
@require_GET
def totals(request: HttpRequest) -> HttpResponse:
    """In-zone purchasing this month, this year and to date (zone and per district: managers and leaders)."""
    scope = scope_for(request.user)
    if not (scope.sees_zone or scope.role == Role.DISTRICT_LEADER):
        raise Http404(_("该页面不存在。"))
    today = timezone.localdate()
    windows = [
        (_("本月"), today.replace(day=1)),
        (_("本年"), today.replace(month=1, day=1)),
        (_("累计"), None),
    ]
    districts = District.objects.order_by("code")
    if not scope.sees_zone:
        districts = districts.filter(pk__in=scope.district_ids)
    rows = []
    for district in [None, *districts] if scope.sees_zone else list(districts):
        district_id = district.pk if district else None
        rows.append(
            {
                "district": district,
                "windows": [
                    {
                        "label": label,
                        "purchasing": figures.in_zone_purchasing(start=start, end=today, district_id=district_id),
                        "proposals": figures.proposal_figures(start=start, end=today, district_id=district_id),
                        "retooling": figures.retooling_figures(start=start, end=today, district_id=district_id),
                    }
                    for label, start in windows
                ],
            }
        )
    return render(request, "procurement/totals.html", {"rows": rows, "today": today})


# --- Retooling cases ----------------------------------------------------------------------


@login_required
@require_GET
def retooling_list(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    cases = selectors.retooling_list(user=request.user)
    return render(
        request,
        "procurement/retooling_list.html",
        {"staff": policy.is_staff(scope_for(request.user)), **paged(request, cases)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def retooling_create(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    in_scope = selectors.enterprises_in_scope(user=request.user)
    form = RetoolingCaseForm(
        request.POST or None,
        enterprises=in_scope.filter(tier=Tier.STRUGGLING),
        leaders=Enterprise.objects.filter(tier=Tier.LEADING).order_by("name", "id"),
        initial={"started_on": timezone.localdate(), "state": RetoolingState.NEGOTIATING},
    )

    def record(data):
        return services.retooling_case_record(actor=request.user, **data)

    if done := form_saved(request, form, record, success=_("已登记转产配套。"), then="procurement:retooling_list"):
        return done
    return render_form(request, "procurement/retooling_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def retooling_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    case = selectors.retooling_get(user=request.user, pk=pk)
    scope = scope_for(request.user)
    may_advance = policy.is_staff(scope) and policy.covers(scope, case.enterprise)
    next_states = services.RETOOLING_NEXT.get(case.state, ())
    form = RetoolingAdvanceForm(request.POST or None)
    form.fields["state"].choices = [(value, label) for value, label in RetoolingState.choices if value in next_states]
    if request.method == "POST":
        if not may_advance:
            raise Http404

    def advance(data):
        version = posted_version(request, case.version)
        return services.retooling_case_advance(
            case=case, actor=request.user, state=data["state"], note=data["note"] or None, version=version
        )

    if done := form_saved(
        request,
        form,
        advance,
        success=_("已更新转产配套进展。"),
        then=reverse("procurement:retooling_detail", kwargs={"pk": case.pk}),
    ):
        return done
    return render_form(
        request,
        "procurement/retooling_detail.html",
        {"case": case, "form": form, "may_advance": may_advance and bool(next_states)},
    )
