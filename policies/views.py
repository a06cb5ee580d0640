"""Pages of the policy library, pushes and eligibility: thin views over selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from common.forms import add_service_errors
from enterprises.registry.filters import EnterpriseFilter
from enterprises.registry.selectors import enterprise_get, enterprises_visible
from policies import facts as fact_registry
from policies import rules, selectors, services
from policies.errors import PolicyError
from policies.forms import (
    AttachmentForm,
    CaseFormSet,
    ClauseForm,
    CriterionFormSet,
    ExplainForm,
    FactForm,
    LibraryFilterForm,
    PolicyForm,
    PushForm,
    case_initial,
    criterion_initial,
)
from policies.hooks import funnel_by_area
from policies.models import Answer, EligibilityResult, PolicyAttachment, PolicyPush
from policies.pages import act_and_tell

PAGE_SIZE = 30


def _staff_side(user) -> bool:
    return user.role != Role.ENTERPRISE_USER


@login_required
def library(request):
    """政策库: search in Chinese, filter, pick policies for the printed booklet."""
    form = LibraryFilterForm(request.GET)
    if form.is_valid():
        query = form.cleaned_data["q"]
        policies = form.apply(selectors.policy_search(user=request.user, query=query))
    else:  # an unknown level or state: show the whole library rather than guess
        query = ""
        policies = selectors.policy_search(user=request.user)
    page = Paginator(policies, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "policies/library.html",
        {
            "form": form,
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "can_edit": rules.is_editor(request.user),
            "query": query,
        },
    )


@login_required
def detail(request, pk: int):
    policy = selectors.policy_get(user=request.user, pk=pk)
    user = request.user
    context = {
        "policy": policy,
        "clauses": selectors.policy_clauses(policy=policy),
        "attachments": policy.attachments.all(),
        "allowed": rules.allowed(policy, user),
        "staff_side": _staff_side(user),
        "attach_form": AttachmentForm(),
    }
    if _staff_side(user):
        context["funnel"] = selectors.push_funnel(user=user, policy=policy)
        area = funnel_by_area(
            user=user, policy=policy, push_rows=selectors.push_funnel_by_area(user=user, policy=policy)
        )
        context["funnel_extra"] = area.stages
        context["funnel_by_district"] = area.districts
    elif user.enterprise_id:
        push = PolicyPush.objects.filter(policy=policy, enterprise_id=user.enterprise_id).first()
        if push is not None:
            services.push_open(push=push, actor=user)
        context["push"] = push
        context["results"] = {
            result.clause_id: result
            for result in EligibilityResult.objects.filter(enterprise_id=user.enterprise_id, clause__policy=policy)
        }
    results = context.pop("results", {})
    context["clause_rows"] = [(clause, results.get(clause.pk)) for clause in context.pop("clauses")]
    return render(request, "policies/detail.html", context)


@login_required
def policy_edit(request, pk: int | None = None):
    """录入 / 修改政策 (managers and admins)."""
    if not rules.is_editor(request.user):
        raise Http404
    policy = selectors.policy_get(user=request.user, pk=pk) if pk else None
    form = PolicyForm(request.POST or None, instance=policy, initial={"version": policy.version if policy else None})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in services.POLICY_FIELDS}
            try:
                if policy is None:
                    policy = services.policy_create(actor=request.user, **fields)
                else:
                    policy = services.policy_update(
                        policy=policy, actor=request.user, version=form.cleaned_data.get("version"), **fields
                    )
            except PolicyError as error:
                form.add_error(None, error.message)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("政策已保存。"))
                return redirect(policy.get_absolute_url())
    return render(request, "policies/edit.html", {"form": form, "policy": policy}, status=status)


@login_required
def clause_edit(request, pk: int, clause_pk: int | None = None):
    """录入 / 修改条款: the clause, its criteria and their test cases, saved together by ``clause_save``.

    Only those who may edit the policy (managers and admins, not on an expired policy) reach the
    page; anyone else gets 404. Bad input answers 400 with the field's error, and nothing is saved.
    """
    policy = selectors.policy_get(user=request.user, pk=pk)
    if rules.EDIT not in rules.allowed(policy, request.user):
        raise Http404
    clause = get_object_or_404(policy.clauses.all(), pk=clause_pk) if clause_pk else None
    data = request.POST if request.method == "POST" else None
    initial_number = (policy.clauses.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    form = ClauseForm(data, instance=clause, policy=policy, initial=None if clause else {"number": initial_number})
    criteria = CriterionFormSet(data, prefix="criteria", initial=criterion_initial(clause) if clause else None)
    cases = CaseFormSet(data, prefix="cases", initial=case_initial(clause) if clause else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and criteria.is_valid() and cases.is_valid():
            # An extra row left blank has no data; a row ticked 删除 is dropped.
            kept = [row for row in criteria if row.cleaned_data and not row.cleaned_data.get("DELETE")]
            examples = [row for row in cases if row.cleaned_data and not row.cleaned_data.get("DELETE")]
            try:
                saved = services.clause_save(
                    policy=policy,
                    actor=request.user,
                    **form.service_fields(),
                    criteria=[row.as_item() for row in kept],
                    cases=[row.as_item() for row in examples],
                )
            except PolicyError as error:
                form.add_error(None, error.message)
            except ValidationError as error:
                _add_clause_errors(form, cases, error)
            else:
                messages.success(request, _("条款已保存。"))
                return redirect(f"{policy.get_absolute_url()}#clause-{saved.number}")
    context = {"policy": policy, "clause": clause, "form": form, "criteria": criteria, "cases": cases}
    return render(request, "policies/clause_form.html", context, status=status)


def _add_clause_errors(form, cases, error: ValidationError) -> None:
    """The service's refusal beside the field it names: a case on the cases, the rest as for any form."""
    if hasattr(error, "error_dict") and "cases" in error.error_dict:
        case_errors = ValidationError(error.error_dict["cases"]).messages
        cases._non_form_errors = cases.error_class(list(cases.non_form_errors()) + case_errors)
        rest = {field: errors for field, errors in error.error_dict.items() if field != "cases"}
        if not rest:
            return
        error = ValidationError(rest)
    add_service_errors(form, error)


TRANSITIONS = {"publish": services.policy_publish, "expire": services.policy_expire}


@login_required
@require_POST
def transition(request, pk: int, action: str):
    policy = selectors.policy_get(user=request.user, pk=pk)
    version = request.POST.get("version")
    try:
        TRANSITIONS[action](policy=policy, actor=request.user, version=int(version) if version else None)
    except PolicyError as error:
        messages.error(request, error.message)
    except (ValueError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("政策已发布。") if action == "publish" else _("政策已设为失效。"))
    return redirect(policy.get_absolute_url())


@login_required
@require_POST
def attach(request, pk: int):
    policy = selectors.policy_get(user=request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        files = form.cleaned_data["files"]
        act_and_tell(request, _("附件已上传。"), services.policy_attach, policy=policy, actor=request.user, files=files)
    else:
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
    return redirect(policy.get_absolute_url())


@login_required
def attachment_download(request, pk: int):
    attachment = get_object_or_404(
        PolicyAttachment.objects.filter(policy__in=selectors.policies_visible(user=request.user)), pk=pk
    )
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@login_required
def booklet(request):
    """编印成册: the chosen policies as one printable A4 booklet (cover, contents, each policy with its clauses)."""
    ids = [int(value) for value in request.GET.getlist("ids") if value.isdigit()][:100]
    policies = list(selectors.booklet_policies(user=request.user, ids=ids))
    if not policies:
        messages.error(request, _("请先勾选要编印成册的政策。"))
        return redirect("policies:library")
    return render(request, "policies/booklet.html", {"policies": policies, "today": timezone.localdate()})


# --- Pushes -----------------------------------------------------------------------------------------


@login_required
def push_new(request, pk: int):
    """一对一推送: to one enterprise, to a filtered set, or to everyone matched eligible and not yet told."""
    policy = selectors.policy_get(user=request.user, pk=pk)
    if rules.PUSH not in rules.allowed(policy, request.user):
        raise Http404
    visible = enterprises_visible(user=request.user).order_by("name", "id")
    form = PushForm(request.POST or None, enterprises=visible)
    eligible_count = services.push_targets_eligible(policy=policy, actor=request.user).count()
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            if data["target"] == PushForm.ONE:
                targets = [data["enterprise"]]
            elif data["target"] == PushForm.FILTERED:
                targets = list(EnterpriseFilter(form.filter_params(), queryset=visible).qs)
            else:
                targets = list(services.push_targets_eligible(policy=policy, actor=request.user))
            if not targets:
                # Nobody matches the filter, or every eligible enterprise has been told already.
                form.add_error("target", _("没有符合条件的推送对象。"))
            else:
                try:
                    outcome = services.push_send(
                        policy=policy, actor=request.user, enterprises=targets, note=data["note"]
                    )
                except PolicyError as error:
                    form.add_error(None, error.message)
                else:
                    messages.success(
                        request,
                        _("已推送 %(created)d 家企业；%(told)d 家此前已推送过，未重复推送。")
                        % {"created": len(outcome.created), "told": outcome.already_told},
                    )
                    return redirect(policy.get_absolute_url())
    return render(
        request,
        "policies/push_form.html",
        {"policy": policy, "form": form, "eligible_count": eligible_count},
        status=status,
    )


@login_required
def push_detail(request, pk: int):
    """One push as its enterprise reads it; opening it here is the read receipt (its own users only)."""
    push = selectors.push_get(user=request.user, pk=pk)
    services.push_open(push=push, actor=request.user)
    return render(
        request,
        "policies/push_detail.html",
        _push_page(request, push, _explain_form(request, push)),
    )


def _push_page(request, push: PolicyPush, form: ExplainForm) -> dict:
    from fieldwork.selectors import may_read_fieldwork

    return {
        "push": push,
        "allowed": rules.allowed(push, request.user),
        "explain_form": form,
        "visit_readable": push.visit_id is not None and may_read_fieldwork(user=request.user),
    }


def _explain_form(request, push: PolicyPush, data=None) -> ExplainForm:
    from fieldwork.selectors import visits_visible

    return ExplainForm(
        data,
        visits=visits_visible(user=request.user),
        choosable=selectors.explain_visits(user=request.user, push=push),
    )


@login_required
@require_POST
def push_acknowledge(request, pk: int):
    push = selectors.push_get(user=request.user, pk=pk)
    act_and_tell(request, _("已确认收到该政策。"), services.push_acknowledge, push=push, actor=request.user)
    return redirect("policies:push_detail", pk=push.pk)


@login_required
@require_POST
def push_explain(request, pk: int):
    push = selectors.push_get(user=request.user, pk=pk)
    form = _explain_form(request, push, request.POST)
    if form.is_valid():
        try:
            services.push_explain_in_person(
                push=push, actor=request.user, note=form.cleaned_data["note"], visit=form.cleaned_data["visit"]
            )
        except PolicyError as error:
            if error.field not in form.fields:
                messages.error(request, error.message)
                return redirect("policies:push_detail", pk=push.pk)
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("已登记当面解读。"))
            return redirect("policies:push_detail", pk=push.pk)
    # The page again with the officer's input and the field's error: nothing recorded.
    push.refresh_from_db()
    return render(request, "policies/push_detail.html", _push_page(request, push, form), status=400)


@login_required
def mine(request):
    """我的政策: an enterprise user's pushed policies and the clauses it may be eligible for."""
    if request.user.role != Role.ENTERPRISE_USER or not request.user.enterprise_id:
        raise Http404
    enterprise = request.user.enterprise
    unread = request.GET.get("unread", "")
    if unread not in ("", "1"):
        return render(request, "policies/mine.html", {"pushes": [], "candidates": [], "unread_error": True}, status=400)
    return render(
        request,
        "policies/mine.html",
        {
            "pushes": selectors.enterprise_pushes(enterprise=enterprise, unread_only=unread == "1"),
            "candidates": selectors.enterprise_candidates(enterprise=enterprise),
            "unread_only": unread == "1",
        },
    )


# --- Facts --------------------------------------------------------------------------------------------


@login_required
def fact_record(request, enterprise_pk: int):
    """补充企业信息: the officer records a fact the matching is missing; the enterprise is re-evaluated."""
    if not rules.may_record_facts(request.user):
        raise Http404
    enterprise = enterprise_get(user=request.user, pk=enterprise_pk)
    form = FactForm(request.POST or None, initial={"key": request.GET.get("key")})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.fact_record(
                    enterprise=enterprise,
                    actor=request.user,
                    key=data["key"],
                    value=data["parsed"],
                    source=data["source"],
                )
            except PolicyError as error:
                form.add_error(None, error.message)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("已记录，政策匹配已重新判定。"))
                return redirect("policies:fact_record", enterprise_pk=enterprise.pk)
    unknown = (
        EligibilityResult.objects.filter(
            enterprise=enterprise, answer=Answer.UNKNOWN, clause__policy__state="published"
        )
        .select_related("clause__policy")
        .order_by("clause__policy_id", "clause__number")
    )
    recorded = selectors.enterprise_recorded_facts(enterprise=enterprise)
    facts = [
        {"key": key, "label": fact.label, "recorded": recorded.get(key)}
        for key, fact in fact_registry.RECORDED_FACTS.items()
    ]
    return render(
        request,
        "policies/fact_form.html",
        {"enterprise": enterprise, "form": form, "unknown": unknown, "facts": facts},
        status=status,
    )
