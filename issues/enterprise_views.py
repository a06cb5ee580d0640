"""The enterprise side of the ledger (我的诉求) and the submission form shared with zone staff."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Role
from accounts.scoping import scope_for
from enterprises.registry.selectors import enterprise_get
from issues import policy
from issues.errors import TransitionError
from issues.forms import MyIssuesFilterForm, SubmitForm
from issues.models import OPEN_STATES, Issue, State
from issues.selectors import enterprise_issue_list, enterprise_issues
from issues.services import issue_submit


@login_required
def my_issues(request):
    """我的诉求: an enterprise user's own issues with where each stands."""
    if request.user.role != Role.ENTERPRISE_USER:
        raise Http404
    form = MyIssuesFilterForm(request.GET)
    if form.is_valid():
        issues, status = (
            enterprise_issue_list(user=request.user, group=form.cleaned_data["state"], query=form.cleaned_data["q"]),
            200,
        )
    else:
        # A bad filter shows its error and no rows, rather than rows that look filtered but are not.
        issues, status = Issue.objects.none(), 400
    # The enterprise is told when it will hear back, not the staff's SLA warnings (即将到期 / 已逾期).
    return render(
        request,
        "issues/my_issues.html",
        {
            "issues": issues,
            "form": form,
            "filtered": any(request.GET.get(name) for name in form.fields),
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
def issue_new(request):
    """提交问题: an enterprise for itself; officers, leaders and managers for an enterprise in scope."""
    source = policy.submit_source(request.user)
    if source is None:
        raise Http404
    form = SubmitForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            enterprise = data.get("enterprise") or request.user.enterprise
            try:
                issue = issue_submit(
                    enterprise=enterprise,
                    actor=request.user,
                    title=data["title"],
                    description=data["description"],
                    source=source,
                    category=data["category"],
                    attachments=data["attachments"],
                )
            except TransitionError as error:
                form.add_error(None, error.message)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("问题已提交，编号 #%(pk)d，将在 1 个工作日内受理。") % {"pk": issue.pk})
                return redirect(issue.get_absolute_url())
    return render(request, "issues/new.html", {"form": form}, status=status)


@login_required
@require_GET
def enterprise_issues_tab(request, pk: int):
    """The 问题 tab of the enterprise profile: its issues in the user's scope, each with where it stands.

    A fragment for htmx on the profile page; opened directly, a page of its own. Bureau staff
    see only the basic profile (DESIGN §1), so the tab is not theirs either.
    """
    enterprise = enterprise_get(user=request.user, pk=pk)
    if not scope_for(request.user).sees_full_profile:
        raise Http404
    issues = list(enterprise_issues(user=request.user, enterprise=enterprise))
    counts = Counter(issue.state for issue in issues)
    context = {
        "enterprise": enterprise,
        "issues": issues,
        "open_count": sum(counts[state] for state in (State.SUBMITTED, *OPEN_STATES)),
        "resolved_count": counts[State.RESOLVED],
        "finished_count": counts[State.CLOSED],
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "issues/snippets/enterprise_issues.html", context)
    return render(request, "issues/enterprise_issues.html", context)
