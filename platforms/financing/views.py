"""Financing pages: events, needs and their referral pipeline, an enterprise's records.

Views parse input, call a selector or a service, and render. Whoever has no
financing pages (other bureaus) gets 404, as does anything outside the
user's scope; recording pages answer 404 to enterprise users.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Role
from accounts.scoping import scope_for
from common.views import render_form
from issues.errors import TransitionError
from platforms.financing import access, forms, policy, selectors, services
from platforms.financing.models import ReferralState
from platforms.pages import form_saved, page_found_if, paged


def _require_reader(request: HttpRequest) -> None:
    page_found_if(access.reads_financing(request.user))


def _require_recorder(request: HttpRequest) -> None:
    page_found_if(access.records_financing(request.user))


def _recordable_enterprise(request: HttpRequest, pk: int):
    _require_recorder(request)
    return get_object_or_404(selectors.recordable_enterprises(user=request.user).select_related("grid"), pk=pk)


def _records_url(enterprise_pk: int) -> str:
    return reverse("financing:enterprise", kwargs={"pk": enterprise_pk})


def _record_page(request: HttpRequest, enterprise, form, record, *, success: str, heading: str, then=None):
    """A recording page for one enterprise (a need, a credit line, a loan): ``record`` is the service that writes it;
    saved, the page goes to ``then`` (by default what was recorded)."""

    def save(data):
        return record(actor=request.user, enterprise=enterprise, **data)

    if done := form_saved(request, form, save, success=success, then=then):
        return done
    return render_form(
        request, "financing/record_form.html", {"enterprise": enterprise, "form": form, "heading": heading}
    )


def _list_page(request: HttpRequest, template: str, rows_for) -> HttpResponse:
    """A list of the user's scope (``rows_for`` the selector), a page at a time; ``records`` shows the record links."""
    _require_reader(request)
    rows = rows_for(user=request.user)
    return render(request, template, {"records": access.records_financing(request.user), **paged(request, rows)})


# --- Events ------------------------------------------------------------------


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, "financing/event_list.html", selectors.event_list)


@login_required
@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    event = selectors.event_get(user=request.user, pk=pk)
    enterprises = selectors.event_enterprises(user=request.user, event=event)
    return render(
        request,
        "financing/event_detail.html",
        {
            "event": event,
            "banks": list(event.banks.all()),
            "present_count": event.enterprises.count(),
            **paged(request, enterprises),
        },
    )


# --- Needs and the pipeline -------------------------------------------------


@login_required
@require_GET
def need_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, "financing/need_list.html", selectors.need_list)


@login_required
@require_http_methods(["GET", "POST"])
def need_create(request: HttpRequest, enterprise_pk: int) -> HttpResponse:
    enterprise = _recordable_enterprise(request, enterprise_pk)
    form = forms.NeedForm(request.POST or None)
    return _record_page(
        request, enterprise, form, services.need_create, success=_("融资需求已登记。"), heading=_("登记融资需求")
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    need = selectors.need_get(user=request.user, pk=pk)
    may_record = access.may_record_for(request.user, need.enterprise.grid_id) and access.records_financing(request.user)
    refer_form = forms.ReferForm(request.POST or None, user=request.user) if may_record else None
    if request.method == "POST":
        if refer_form is None:
            raise Http404

        def refer(data):
            return services.referral_create(actor=request.user, need=need, **data)

        if done := form_saved(request, refer_form, refer, success=_("已推荐给银行。"), then=need):
            return done
    referrals = [
        (
            referral,
            [(action, policy.ACTION_LABELS[action]) for action in policy.allowed_actions(referral, request.user)],
        )
        for referral in need.referrals.all()
    ]
    return render_form(
        request,
        "financing/need_detail.html",
        {"need": need, "referrals": referrals, "refer_form": refer_form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step of the pipeline, on a page of its own (a phone has room for one form)."""
    _require_recorder(request)
    if action not in policy.RULES:
        raise Http404
    referral = selectors.referral_get(user=request.user, pk=pk)
    form = forms.STEP_FORMS[action](request.POST or None)

    def step(data):
        return services.STEPS[action](referral=referral, actor=request.user, **data)

    if done := form_saved(
        request,
        form,
        step,
        success=_("对接进展已更新：%(step)s。") % {"step": policy.ACTION_LABELS[action]},
        then=reverse("financing:need_detail", kwargs={"pk": referral.need_id}),
        refusals=(TransitionError,),
    ):
        return done
    return render_form(
        request,
        "financing/step_form.html",
        {"referral": referral, "form": form, "action": action, "label": policy.ACTION_LABELS[action]},
    )


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    return render(request, "financing/board.html", {"columns": selectors.referral_board(user=request.user)})


# --- An enterprise's records --------------------------------------------------


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """An enterprise user's own financing records."""
    scope = scope_for(request.user)
    if scope.role != Role.ENTERPRISE_USER or not scope.enterprise_id:
        raise Http404(_("该页面不存在。"))
    return redirect("financing:enterprise", pk=scope.enterprise_id)


@login_required
@require_GET
def enterprise_records(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    records = selectors.enterprise_financing(user=request.user, enterprise_pk=pk)
    may_record = access.records_financing(request.user) and access.may_record_for(
        request.user, records.enterprise.grid_id
    )
    return render(
        request,
        "financing/enterprise.html",
        {"records": records, "may_record": may_record, "declined": ReferralState.DECLINED},
    )


def _granted_page(request: HttpRequest, enterprise_pk: int, form_class, record, *, success: str, heading: str):
    """A credit line or loan recorded by hand (its bank chosen from the user's): saved, back to the firm's records."""
    enterprise = _recordable_enterprise(request, enterprise_pk)
    form = form_class(request.POST or None, user=request.user)
    return _record_page(
        request, enterprise, form, record, success=success, heading=heading, then=_records_url(enterprise.pk)
    )


@login_required
@require_http_methods(["GET", "POST"])
def credit_line_create(request: HttpRequest, enterprise_pk: int) -> HttpResponse:
    return _granted_page(
        request,
        enterprise_pk,
        forms.CreditLineForm,
        services.credit_line_record,
        success=_("贷款授信已登记。"),
        heading=_("登记贷款授信"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def loan_create(request: HttpRequest, enterprise_pk: int) -> HttpResponse:
    return _granted_page(
        request, enterprise_pk, forms.LoanForm, services.loan_record, success=_("贷款已登记。"), heading=_("登记贷款")
    )


@login_required
@require_http_methods(["GET", "POST"])
def extension_create(request: HttpRequest, loan_pk: int) -> HttpResponse:
    _require_recorder(request)
    loan = selectors.loan_get(user=request.user, pk=loan_pk)
    if not access.may_record_for(request.user, loan.enterprise.grid_id):
        raise Http404
    form = forms.LoanExtensionForm(request.POST or None)

    def record(data):
        return services.loan_extension_record(actor=request.user, loan=loan, **data)

    if done := form_saved(request, form, record, success=_("展期续贷已登记。"), then=_records_url(loan.enterprise_id)):
        return done
    return render_form(
        request,
        "financing/record_form.html",
        {"enterprise": loan.enterprise, "form": form, "heading": _("登记展期续贷"), "loan": loan},
    )
