"""Pages of the labour platform: postings, their proposals, transfers.

Views parse input, call a selector or a service, and render. What is out of the
user's scope answers 404 (an enterprise user reaching another firm's posting included).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from accounts.scoping import scope_for
from common.views import render_form
from platforms import scoping as platform_scope
from platforms.labour import policy, selectors
from platforms.labour.figures import transfer_person_times
from platforms.labour.forms import DeclineForm, PostingForm, TransferForm
from platforms.labour.models import PostingKind, PostingState
from platforms.labour.services import (
    labour_posting_close,
    labour_posting_create,
    labour_posting_update,
    labour_proposal_act,
    labour_transfer_record,
)
from platforms.matching import AGREE, CONTACT, DECLINE, ProposalState
from platforms.pages import (
    agreed_proposal,
    flash_outcome,
    form_saved,
    own_enterprise,
    page_found_if,
    paged,
    proposal_act_flashed,
    require_reader,
)


@login_required
@require_GET
def posting_list(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    kind = request.GET.get("kind") if request.GET.get("kind") in PostingKind.values else None
    state = request.GET.get("state") if request.GET.get("state") in PostingState.values else None
    rows = selectors.posting_list(user=request.user, kind=kind, state=state)
    mine = scope_for(request.user).role == Role.ENTERPRISE_USER
    return render(
        request,
        "labour/posting_list.html",
        {"kind": kind, "state": state, "kinds": PostingKind.choices, "mine": mine, **paged(request, rows)},
    )


@login_required
@require_GET
def my_postings(request: HttpRequest) -> HttpResponse:
    """The enterprise user's own postings (the same list, which for them holds only their firm's)."""
    if scope_for(request.user).role != Role.ENTERPRISE_USER:
        raise Http404(_("该页面仅供企业用户使用。"))
    return posting_list(request)


@login_required
@require_http_methods(["GET", "POST"])
def posting_create(request: HttpRequest) -> HttpResponse:
    enterprises = platform_scope.actable_enterprises(user=request.user)
    own = own_enterprise(request)
    page_found_if(own is not None or platform_scope.is_staff(request.user))
    initial = {"kind": request.GET.get("kind")} if request.GET.get("kind") in PostingKind.values else {}
    form = PostingForm(request.POST or None, enterprises=enterprises, fixed_enterprise=own, initial=initial)

    def publish(data):
        enterprise = data.pop("enterprise", own)
        return labour_posting_create(actor=request.user, enterprise=enterprise, **data)

    def published(posting) -> str:
        found = posting.proposals_as_surplus.count() + posting.proposals_as_demand.count()
        return _("用工信息已发布，系统推荐了 %(count)d 条匹配。") % {"count": found}

    if done := form_saved(request, form, publish, success=published):
        return done
    return render_form(request, "labour/posting_form.html", {"form": form, "own": own, "posting": None})


@login_required
@require_http_methods(["GET", "POST"])
def posting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    posting = selectors.posting_get(user=request.user, pk=pk)
    if not platform_scope.may_act_for(user=request.user, enterprise=posting.enterprise):
        raise Http404
    initial = {
        field: getattr(posting, field) for field in ("skills", "skills_note", "count", "starts_on", "ends_on", "note")
    }
    form = PostingForm(request.POST or None, enterprises=None, editing=True, initial=initial)

    def update(data):
        return labour_posting_update(actor=request.user, posting=posting, version=_version(request), **data)

    if done := form_saved(request, form, update, success=_("用工信息已更新。")):
        return done
    return render_form(request, "labour/posting_form.html", {"form": form, "posting": posting})


def _version(request: HttpRequest) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


@login_required
@require_POST
def posting_close(request: HttpRequest, pk: int) -> HttpResponse:
    posting = selectors.posting_get(user=request.user, pk=pk)
    if not platform_scope.may_act_for(user=request.user, enterprise=posting.enterprise):
        raise Http404
    flash_outcome(
        request,
        lambda: labour_posting_close(actor=request.user, posting=posting, version=_version(request)),
        success=_("用工信息已关闭。"),
    )
    return redirect(posting)


@login_required
@require_GET
def posting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    posting = selectors.posting_get(user=request.user, pk=pk)
    proposals = list(selectors.proposal_list(user=request.user, posting=posting))
    for proposal in proposals:
        proposal.other = proposal.demand if proposal.surplus_id == posting.pk else proposal.surplus
        proposal.actions = policy.allowed_actions(proposal, request.user)
    transfers = selectors.transfer_list(user=request.user).filter(
        **{"surplus_posting" if posting.kind == PostingKind.SURPLUS else "demand_posting": posting}
    )
    return render(
        request,
        "labour/posting_detail.html",
        {
            "posting": posting,
            "proposals": proposals,
            "transfers": transfers,
            "may_edit": posting.state == PostingState.OPEN
            and platform_scope.may_act_for(user=request.user, enterprise=posting.enterprise),
            "may_record": platform_scope.is_staff(request.user),
            "decline_form": DeclineForm(),
            "agreed": ProposalState.AGREED,
        },
    )


@login_required
@require_POST
def proposal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in (CONTACT, AGREE, DECLINE):
        raise Http404
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    back = proposal.surplus if str(proposal.surplus_id) == request.POST.get("posting") else proposal.demand
    if not selectors.postings_visible(user=request.user).filter(pk=back.pk).exists():
        back = proposal.surplus
    proposal_act_flashed(request, labour_proposal_act, proposal, action)
    return redirect(back)


@login_required
@require_GET
def transfer_list(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    rows = selectors.transfer_list(user=request.user)
    return render(
        request,
        "labour/transfer_list.html",
        {
            "visible_total": selectors.transfers_total(rows),
            "zone_total": transfer_person_times(),
            "may_record": platform_scope.is_staff(request.user),
            **paged(request, rows),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def transfer_create(request: HttpRequest, proposal_pk: int) -> HttpResponse:
    """Record a transfer from an agreed proposal, the officer ticking the three rules."""
    proposal = agreed_proposal(request, selectors.proposal_get, proposal_pk)
    initial = {
        "count": min(proposal.surplus.count, proposal.demand.count),
        "starts_on": max(proposal.surplus.starts_on, proposal.demand.starts_on),
        "ends_on": min(proposal.surplus.ends_on, proposal.demand.ends_on),
    }
    form = TransferForm(request.POST or None, initial=initial)

    def record(data):
        return labour_transfer_record(
            actor=request.user,
            from_enterprise=proposal.surplus.enterprise,
            to_enterprise=proposal.demand.enterprise,
            proposal=proposal,
            **data,
        )

    if done := form_saved(request, form, record, success=_("员工调配已登记。"), then="labour:transfer_list"):
        return done
    return render_form(request, "labour/transfer_form.html", {"form": form, "proposal": proposal})
