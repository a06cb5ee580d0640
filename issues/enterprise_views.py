"""The enterprise side of the ledger (我的诉求) and the submission form shared with zone staff."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from issues import policy
from issues.errors import TransitionError
from issues.forms import SubmitForm
from issues.selectors import enterprise_issue_list
from issues.services import issue_submit


@login_required
def my_issues(request):
    """我的诉求: an enterprise user's own issues with where each stands."""
    if request.user.role != Role.ENTERPRISE_USER:
        raise Http404
    # The enterprise is told when it will hear back, not the staff's SLA warnings (即将到期 / 已逾期).
    return render(
        request,
        "issues/my_issues.html",
        {"issues": enterprise_issue_list(user=request.user), "today": timezone.localdate()},
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
