"""Ledger pages: thin views over the selectors (reads) and services (writes)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.scoping import require_staff_side, scope_for
from common.api import BoundedPaginator
from common.export_views import export_view
from grids.models import Bureau, JointTaskForce
from issues import policy
from issues.errors import TransitionError
from issues.exports import LEDGER_EXPORT
from issues.filters import IssueFilter
from issues.forms import ACTION_FORMS, ResolveForm, ReturnForm, StartForm
from issues.metrics import cached_issue_measures, issue_measures
from issues.models import Action, Level, State
from issues.selectors import (
    attachment_get,
    issue_attachments,
    issue_events,
    issue_get,
    issue_list,
    issues_in_order,
    sla_countdown,
    sla_status,
    workbench_counts,
    workbench_queue,
    workbench_recent,
)
from issues.services import ACTIONS

PAGE_SIZE = 30

# The order in which the allowed actions are offered on the issue page.
ACTION_ORDER = [
    policy.ACCEPT,
    policy.START,
    policy.RESOLVE,
    policy.FEEDBACK,
    policy.VERIFY,
    policy.CLOSE,
    policy.ESCALATE,
    policy.RETURN,
    policy.EXTEND,
    policy.APPROVE_EXTENSION,
    policy.MERGE,
    policy.REJECT,
]

# How each action is offered: label, icon, button style.
ACTION_LOOK = {
    policy.ACCEPT: (_lazy("受理立案"), "bi-check2-square", "primary"),
    policy.REJECT: (_lazy("不予立案"), "bi-x-octagon", "outline-danger"),
    policy.START: (_lazy("签收办理"), "bi-box-arrow-in-down", "primary"),
    policy.ESCALATE: (_lazy("升级转办"), "bi-arrow-up-circle", "outline-warning"),
    policy.RETURN: (_lazy("退回网格"), "bi-arrow-return-left", "outline-secondary"),
    policy.EXTEND: (_lazy("申请延期"), "bi-calendar-plus", "outline-secondary"),
    policy.APPROVE_EXTENSION: (_lazy("审批延期"), "bi-calendar-check", "primary"),
    policy.RESOLVE: (_lazy("办结"), "bi-check2-circle", "success"),
    policy.VERIFY: (_lazy("核查"), "bi-clipboard-check", "primary"),
    policy.FEEDBACK: (_lazy("评价办理结果"), "bi-star", "primary"),
    policy.CLOSE: (_lazy("销号"), "bi-archive", "outline-success"),
    policy.MERGE: (_lazy("合并重复问题"), "bi-intersect", "outline-secondary"),
}

SUCCESS_MESSAGES = {
    policy.ACCEPT: _lazy("已受理立案。"),
    policy.REJECT: _lazy("已作不予立案处理。"),
    policy.START: _lazy("已签收，开始办理。"),
    policy.ESCALATE: _lazy("已升级转办。"),
    policy.RETURN: _lazy("已退回网格。"),
    policy.EXTEND: _lazy("延期申请已提交，等待审批。"),
    policy.APPROVE_EXTENSION: _lazy("已完成延期审批。"),
    policy.RESOLVE: _lazy("已办结，等待企业评价或核查。"),
    policy.VERIFY: _lazy("已记录核查结果。"),
    policy.FEEDBACK: _lazy("感谢您的评价。"),
    policy.CLOSE: _lazy("已销号。"),
    policy.MERGE: _lazy("已合并。"),
    "comment": _lazy("已添加。"),
}


def _year_to_date() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today.replace(month=1, day=1), today


def measure_cards(measures: dict) -> list[tuple]:
    """(label, value, unit, hint) for each measure shown above the ledger."""
    return [
        (_("结案率"), measures["closure_rate"], "%", _("销号 %(closed)d / 到期 %(due)d") % measures),
        (_("按期结案率"), measures["on_time_rate"], "%", _("按期 %(closed_on_time)d 件") % measures),
        (_("平均办理用时"), measures["avg_working_days"], _("个工作日"), ""),
        (_("当前逾期"), measures["overdue_now"], _("件"), ""),
        (_("按时受理率"), measures["response_on_time_rate"], "%", ""),
        (_("返工率"), measures["rework_rate"], "%", _("返工 %(reworked)d 件") % measures),
        (_("延期率"), measures["extension_rate"], "%", _("延期 %(extended)d 件") % measures),
        (_("重新办理率"), measures["reopen_rate"], "%", _("不满意重办 %(reopened)d 件") % measures),
        (_("满意率"), measures["satisfaction_rate"], "%", _("评价 %(feedback)d 次") % measures),
        (_("未按期办结"), measures["missed_deadline"], _("件"), _("到期问题中超过时限办结或仍未办结")),
    ]


def state_summary(selected: list[str]) -> str:
    """What the state drop-down's button says: 全部, the one state ticked, or how many are ticked."""
    labels = [label for value, label in State.choices if value in selected]
    if not labels:
        return _("全部")
    if len(labels) == 1:
        return str(labels[0])
    return _("已选 %(count)s 项") % {"count": len(labels)}


def _filter_key(request) -> str:
    """The filters of the request, in a stable order: what the measures depend on (not the page or sort)."""
    pairs = sorted(
        (name, value) for name in request.GET if name not in ("page", "sort") for value in request.GET.getlist(name)
    )
    return urlencode(pairs)


def _querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def ledger(request):
    """问题台账: every issue in scope, filtered, soonest deadline first, with the measures."""
    if request.user.role == Role.ENTERPRISE_USER:
        return redirect("issues:my_list")
    issue_filter = IssueFilter(request.GET or None, queryset=issue_list(user=request.user), user=request.user)
    rows = issue_filter.qs if issue_filter.is_bound and issue_filter.is_valid() else issue_filter.queryset
    start, end = _year_to_date()
    if issue_filter.is_bound and not issue_filter.is_valid():
        rows = rows.none()
        measures = issue_measures(rows, start=start, end=end)
    else:
        # Eleven counts over the whole scope: cached per scope, filter and day, fresh after any write.
        measures = cached_issue_measures(
            rows, scope_key=scope_for(request.user).cache_key, filter_key=_filter_key(request), start=start, end=end
        )
    page = BoundedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "issues/ledger.html",
        {
            "filter": issue_filter,
            "state_summary": state_summary(request.GET.getlist("state")),
            "page": page,
            "querystring": _querystring_without_page(request),
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "measures_cards": measure_cards(measures),
            "period_start": start,
            "period_end": end,
        },
    )


# Starts the export of the filtered ledger (the page's filters, POSTed; the same scope) as a job.
ledger_export = export_view(LEDGER_EXPORT)


def escalation_targets(events: list) -> None:
    """Name on each 升级转办 event the unit it went to (``event.escalated_to``), in one query per kind.

    The event stores the bureau's code or the task force's id (``data``); the names are looked up
    once for the whole timeline, not once per event.
    """
    escalations = [event for event in events if event.action == Action.ESCALATE and isinstance(event.data, dict)]
    codes = {event.data["bureau"] for event in escalations if event.data.get("bureau")}
    force_ids = {event.data["task_force"] for event in escalations if isinstance(event.data.get("task_force"), int)}
    bureaus = dict(Bureau.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    forces = dict(JointTaskForce.objects.filter(pk__in=force_ids).values_list("pk", "name")) if force_ids else {}
    level_name = str(Level.TASK_FORCE.label)
    for event in escalations:
        if event.data.get("bureau") in bureaus:
            event.escalated_to = bureaus[event.data["bureau"]]
        elif event.data.get("task_force") in forces:
            name = forces[event.data["task_force"]]
            event.escalated_to = (
                name if name == level_name else _("%(level)s（%(name)s）") % {"level": level_name, "name": name}
            )


def _after_action_message(action: str, issue) -> str:
    """What the actor is told after ``action``; after a 不满意, what happens next and by when."""
    if action == "feedback" and issue.state == State.IN_PROGRESS:
        return _("已收到您的评价。问题已退回%(unit)s重新办理，新的办结时限为 %(due)s；办结后将再次请您评价。") % {
            "unit": issue.handling_unit_name,
            "due": date_format(issue.due_on, "SHORT_DATE_FORMAT"),
        }
    return str(SUCCESS_MESSAGES[action])


# The events that send a resolved issue back to work: 不满意 feedback, a failed check.
REOPENING_ACTIONS = (Action.FEEDBACK, Action.VERIFY_FAIL)


def earlier_resolutions(events: list) -> list[dict]:
    """The resolutions that were sent back (不满意 or a failed check), oldest first, each with why.

    They are history: the issue's current result is only the last resolution not sent back.
    """
    earlier, pending = [], None
    for event in events:
        if event.action == Action.RESOLVE:
            pending = event
        elif pending is not None and event.to_state == State.IN_PROGRESS and event.action in REOPENING_ACTIONS:
            earlier.append({"resolution": pending, "sent_back": event})
            pending = None
    return earlier


def _detail_context(request, issue, *, failed_action: str | None = None, failed_form=None) -> dict:
    user = request.user
    allowed = policy.allowed_actions(issue, user)
    forms = []
    for action in ACTION_ORDER:
        if action not in allowed:
            continue
        form = failed_form if action == failed_action else ACTION_FORMS[action](issue=issue, user=user)
        label, icon, style = ACTION_LOOK[action]
        forms.append({"action": action, "form": form, "label": label, "icon": icon, "style": style})
    can_comment = bool({policy.NOTE, policy.REPLY} & allowed)
    comment_form = None
    if can_comment:
        comment_form = failed_form if failed_action == "comment" else ACTION_FORMS["comment"](issue=issue, user=user)
    is_enterprise = user.role == Role.ENTERPRISE_USER
    days_left = sla_countdown(issue)
    events = list(issue_events(user=user, issue=issue))
    escalation_targets(events)
    return {
        "issue": issue,
        "events": events,
        "submitted_files": [a for a in issue_attachments(user=user, issue=issue) if a.event_id is None],
        "sla": sla_status(issue),
        "sla_days": days_left,
        "sla_late_days": -days_left if days_left is not None and days_left < 0 else None,
        "action_forms": forms,
        "open_action": failed_action,
        "comment_form": comment_form,
        "feedbacks": issue.feedbacks.select_related("author") if not is_enterprise else issue.feedbacks.all(),
        "pending_extension": policy.pending_extension(issue),
        "is_enterprise": is_enterprise,
        "today": timezone.localdate(),
        "duplicates": issue.duplicates.all(),
        "earlier_resolutions": earlier_resolutions(events),
        # The visit that raised it, for those who read the field notes (the visit's page has the
        # same scope: the enterprise's grid). The reverse accessor keeps issues from importing fieldwork.
        "source_visits": (
            list(issue.source_visits.select_related("officer").order_by("-visited_at"))
            if scope_for(user).reads_field_notes
            else []
        ),
    }


@login_required
def issue_detail(request, pk: int):
    issue = issue_get(user=request.user, pk=pk)
    return render(request, "issues/detail.html", _detail_context(request, issue))


def _next_url(request, issue) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return issue.get_absolute_url()


@login_required
@require_POST
def issue_act(request, pk: int, action: str):
    """One action on one issue: validate the form, call the service, report the outcome."""
    issue = issue_get(user=request.user, pk=pk)
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, request.FILES, issue=issue, user=request.user)
    status = 400
    if form.is_valid():
        seen_version = form.cleaned_data.get("version")
        if seen_version is not None:
            issue.version = seen_version
        try:
            ACTIONS[action](issue=issue, actor=request.user, **form.service_kwargs())
        except TransitionError as error:
            form.add_error(None, error.message)
            status = error.http_status
        else:
            messages.success(request, _after_action_message(action, issue_get(user=request.user, pk=pk)))
            return redirect(_next_url(request, issue))
    issue = issue_get(user=request.user, pk=pk)
    context = _detail_context(request, issue, failed_action=action, failed_form=form)
    if not any(item["action"] == action for item in context["action_forms"]) and action != "comment":
        # The form is not offered to this user (or in this state): say why at the top.
        for error in form.non_field_errors() or [_("操作未完成，请检查填写的内容。")]:
            messages.error(request, error)
    return render(request, "issues/detail.html", context, status=status)


@login_required
def attachment_download(request, pk: int):
    attachment = attachment_get(user=request.user, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=attachment.name)


@login_required
def workbench(request):
    """科室工作台: what my bureau holds, soonest deadline first, with accept / return / resolve."""
    if request.user.role != Role.BUREAU_STAFF or not request.user.bureau_id:
        raise Http404
    queue = workbench_queue(user=request.user)
    counts = workbench_counts(queue)
    # A page at a time: a province's bureau holds thousands of issues, each rendered with its forms.
    paginator = Paginator(queue.values_list("pk", flat=True), PAGE_SIZE)
    paginator.count = counts["total"]  # the same rows, counted with the cards
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "issues/workbench.html",
        {
            "queue": issues_in_order(page.object_list),
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "counts": counts,
            "recent": workbench_recent(user=request.user),
            "bureau": request.user.bureau,
            # Empty forms only to render labels and help texts; each row posts its own values.
            "start_form": StartForm,
            "return_form": ReturnForm,
            "resolve_form": ResolveForm,
        },
    )


# The printed ledger is for a meeting table, not an archive: more rows than this ask for a narrower filter.
PRINT_LIMIT = 500


@login_required
def ledger_print(request):
    """打印台账: the filtered ledger as a formatted A4 sheet (same filters and scope as the page)."""
    require_staff_side(request.user)
    issue_filter = IssueFilter(request.GET or None, queryset=issue_list(user=request.user), user=request.user)
    valid = not issue_filter.is_bound or issue_filter.is_valid()
    rows = issue_filter.qs if valid else issue_filter.queryset.none()
    total = rows.count()
    issues = list(rows[:PRINT_LIMIT])
    today = timezone.localdate()
    for issue in issues:
        issue.sla = sla_status(issue, today=today)
    filters = []
    if valid and issue_filter.is_bound:
        for name, field in issue_filter.form.fields.items():
            value = issue_filter.form.cleaned_data.get(name)
            if value in (None, "", [], ()):
                continue
            if isinstance(value, list):
                labels = dict(field.choices)
                value = "、".join(str(labels.get(item, item)) for item in value)
            elif hasattr(field, "choices") and not hasattr(value, "pk"):
                value = dict(field.choices).get(value, value)
            filters.append((field.label, value))
    return render(
        request,
        "issues/ledger_print.html",
        {
            "filter": issue_filter,
            "issues": issues,
            "total": total,
            "truncated": total > PRINT_LIMIT,
            "print_limit": PRINT_LIMIT,
            "filters": filters,
            "printed_at": timezone.localtime(),
        },
        status=200 if valid else 400,
    )
