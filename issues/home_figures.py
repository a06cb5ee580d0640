"""The ledger's figures on the enterprise's home (``common.panels``): 待评价 and 办理中, each linking
to 我的诉求 filtered to the issues it counts."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role
from common import panels
from issues.selectors import enterprise_issue_counts


def _counts(request: HttpRequest) -> dict[str, int] | None:
    if request.user.role != Role.ENTERPRISE_USER or not request.user.enterprise_id:
        return None
    # Both figures come from one query, remembered on the request.
    if not hasattr(request, "_enterprise_issue_counts"):
        request._enterprise_issue_counts = enterprise_issue_counts(user=request.user)
    return request._enterprise_issue_counts


def _figure(group: str, label):
    def figure(request: HttpRequest) -> dict | None:
        counts = _counts(request)
        if counts is None:
            return None
        return {"label": str(label()), "count": counts[group], "url": f"{reverse('issues:my_list')}?state={group}"}

    return figure


def register_all() -> None:
    panels.register_figure(
        page=panels.ENTERPRISE_HOME, key="issues-resolved", figure=_figure("resolved", lambda: _("待评价")), order=10
    )
    panels.register_figure(
        page=panels.ENTERPRISE_HOME, key="issues-open", figure=_figure("open", lambda: _("办理中")), order=20
    )
