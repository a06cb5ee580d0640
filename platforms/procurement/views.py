"""Pages of the procurement platform (企业内配): thin — parse, call a selector or a service, render.

Enterprise users see and edit only their own postings and the proposals
addressed to them; staff their scope; anything else answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from accounts.scoping import scope_for
from common.forms import add_service_errors
from common.views import render_form
from enterprises.models import Enterprise, Tier
from grids.models import District
from platforms.matching import AGREE, CONTACT, DECLINE, TRANSITIONS, ProposalState
from platforms.pages import paged, require_reader, require_staff
from platforms.procurement import figures, policy, selectors, services
from platforms.procurement.forms import DealForm, DeclineForm, PurchaseNeedForm, RetoolingAdvanceForm, RetoolingCaseForm
from platforms.procurement.models import RetoolingState

# --- Needs --------------------------------------------------------------------------------


@login_required
@require_GET
def need_list(request: HttpRequest) -> HttpResponse:
    """Staff: the needs of their scope; an enterprise user: its own and those it was proposed for."""
    require_reader(request)
    needs = selectors.need_list(user=request.user)
    return render(
        request, "procurement/need_list.html", {"mine": False, "today": timezone.localdate(), **paged(request, needs)}
    )


@login_required
@require_GET
def my_needs(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    needs = selectors.need_list(user=request.user, mine=True)
    return render(
        request, "procurement/need_list.html", {"mine": True, "today": timezone.localdate(), **paged(request, needs)}
    )


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
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        buyer = data.get("buyer") or Enterprise.objects.get(pk=scope_for(request.user).enterprise_id)
        try:
            need = services.purchase_need_post(
                actor=request.user,
                buyer=buyer,
                item=data["item"],
                category=data["category"],
                quantity=data["quantity"],
                unit=data["unit"],
                needed_by=data["needed_by"],
                description=data["description"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("采购需求已发布，系统推荐了 %(count)s 家园区供应企业。") % {"count": need.proposals.count()}
            )
            return redirect(need)
    return render_form(request, "procurement/need_form.html", {"form": form, "need": None})


@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    need = selectors.need_get_editable(user=request.user, pk=pk)
    form = PurchaseNeedForm(request.POST or None, instance=need, buyers=None)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in services.NEED_FIELDS}
        try:
            services.purchase_need_update(
                need=need, actor=request.user, version=int(request.POST.get("version", need.version)), **changes
            )
        except ValueError:
            raise Http404 from None
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("采购需求已更新。"))
            return redirect(need)
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
    try:
        version = int(request.POST.get("version", proposal.version))
        services.purchase_proposal_act(
            proposal=proposal, actor=request.user, action=action, reason=request.POST.get("reason", ""), version=version
        )
    except ValueError:
        raise Http404 from None
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
    else:
        messages.success(request, _("已更新推荐状态。"))
    return redirect(proposal.need)


@login_required
@require_http_methods(["GET", "POST"])
def deal_from_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    form = DealForm(request.POST or None, initial={"deal_on": timezone.localdate(), "item": proposal.product.name})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.deal_record(
                actor=request.user,
                proposal=proposal,
                amount=data["amount"],
                deal_on=data["deal_on"],
                item=data["item"],
                note=data["note"],
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已登记内配成交，推荐标记为已达成。"))
            return redirect(proposal.need)
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
    if request.method == "POST" and form.is_valid():
        try:
            services.retooling_case_record(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已登记转产配套。"))
            return redirect("procurement:retooling_list")
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
        if form.is_valid():
            try:
                services.retooling_case_advance(
                    case=case,
                    actor=request.user,
                    state=form.cleaned_data["state"],
                    note=form.cleaned_data["note"] or None,
                    version=int(request.POST.get("version", case.version)),
                )
            except ValueError:
                raise Http404 from None
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("已更新转产配套进展。"))
                return redirect("procurement:retooling_detail", pk=case.pk)
    return render_form(
        request,
        "procurement/retooling_detail.html",
        {"case": case, "form": form, "may_advance": may_advance and bool(next_states)},
    )
