"""Panels this app adds to the officer's home and the enterprise's home (``common.panels``)."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role
from common import panels
from enterprises.models import Enterprise
from policies import selectors

GRID_SIDE = (Role.GRID_OFFICER, Role.DISTRICT_LEADER)


def _own_enterprise(request: HttpRequest) -> Enterprise | None:
    """The enterprise of an enterprise user (its panels show nothing to anyone else)."""
    user = request.user
    return user.enterprise if user.role == Role.ENTERPRISE_USER and user.enterprise_id else None


def missing_facts_panel(request: HttpRequest) -> dict | None:
    """收集任务: facts the matching needs from enterprises of the officer's grids, and the ones just ticked off."""
    user = request.user
    if user.role not in GRID_SIDE:
        return None
    tasks = selectors.missing_fact_tasks(user=user, limit=10)
    collected = list(selectors.recently_collected(user=user, limit=5))
    if not tasks and not collected:
        return None
    return {"tasks": tasks, "collected": collected}


def pushes_to_explain_panel(request: HttpRequest) -> dict | None:
    user = request.user
    if user.role not in GRID_SIDE:
        return None
    pushes = list(selectors.pushes_to_explain(user=user, limit=8))
    return {"pushes": pushes} if pushes else None


def enterprise_policies_panel(request: HttpRequest) -> dict | None:
    """The enterprise's pushed policies (unread first) and the clauses it may be eligible for."""
    enterprise = _own_enterprise(request)
    if enterprise is None:
        return None
    pushes = list(selectors.enterprise_pushes(enterprise=enterprise)[:6])
    candidates = list(selectors.enterprise_candidates(enterprise=enterprise)[:6])
    return {"pushes": pushes, "candidates": candidates}


def unread_pushes_figure(request: HttpRequest) -> dict | None:
    """新政策: pushes the enterprise has not opened yet, linking to 我的政策 showing only those."""
    enterprise = _own_enterprise(request)
    if enterprise is None:
        return None
    count = selectors.enterprise_pushes(enterprise=enterprise, unread_only=True).count()
    return {"label": _("新政策"), "count": count, "url": f"{reverse('policies:mine')}?unread=1"}


# The panels, a row each: (page, key, template under policies/panels/, context, order).
PANELS = (
    (panels.OFFICER_HOME, "policies-missing-facts", "missing_facts.html", missing_facts_panel, 40),
    (panels.OFFICER_HOME, "policies-pushes-to-explain", "pushes_to_explain.html", pushes_to_explain_panel, 41),
    (panels.ENTERPRISE_HOME, "policies-enterprise", "enterprise.html", enterprise_policies_panel, 20),
)


def register_all() -> None:
    panels.register_figure(page=panels.ENTERPRISE_HOME, key="policies-unread", figure=unread_pushes_figure, order=30)
    for page, key, template, context, order in PANELS:
        panels.register(page=page, key=key, template=f"policies/panels/{template}", context=context, order=order)
