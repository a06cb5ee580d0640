"""Panels this app adds to the officer's home and the enterprise's home (``common.panels``)."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role
from common import panels
from policies import selectors


def missing_facts_panel(request: HttpRequest) -> dict | None:
    """收集任务: facts the matching needs from enterprises of the officer's grids, and the ones just ticked off."""
    user = request.user
    if user.role not in (Role.GRID_OFFICER, Role.DISTRICT_LEADER):
        return None
    tasks = selectors.missing_fact_tasks(user=user, limit=10)
    collected = list(selectors.recently_collected(user=user, limit=5))
    if not tasks and not collected:
        return None
    return {"tasks": tasks, "collected": collected}


def pushes_to_explain_panel(request: HttpRequest) -> dict | None:
    user = request.user
    if user.role not in (Role.GRID_OFFICER, Role.DISTRICT_LEADER):
        return None
    pushes = list(selectors.pushes_to_explain(user=user, limit=8))
    return {"pushes": pushes} if pushes else None


def enterprise_policies_panel(request: HttpRequest) -> dict | None:
    """The enterprise's pushed policies (unread first) and the clauses it may be eligible for."""
    user = request.user
    if user.role != Role.ENTERPRISE_USER or not user.enterprise_id:
        return None
    pushes = list(selectors.enterprise_pushes(enterprise=user.enterprise)[:6])
    candidates = list(selectors.enterprise_candidates(enterprise=user.enterprise)[:6])
    return {"pushes": pushes, "candidates": candidates}


def unread_pushes_figure(request: HttpRequest) -> dict | None:
    """新政策: pushes the enterprise has not opened yet, linking to 我的政策 showing only those."""
    user = request.user
    if user.role != Role.ENTERPRISE_USER or not user.enterprise_id:
        return None
    count = selectors.enterprise_pushes(enterprise=user.enterprise, unread_only=True).count()
    return {"label": _("新政策"), "count": count, "url": f"{reverse('policies:mine')}?unread=1"}


def register_all() -> None:
    panels.register_figure(page=panels.ENTERPRISE_HOME, key="policies-unread", figure=unread_pushes_figure, order=30)
    panels.register(
        page=panels.OFFICER_HOME,
        key="policies-missing-facts",
        template="policies/panels/missing_facts.html",
        context=missing_facts_panel,
        order=40,
    )
    panels.register(
        page=panels.OFFICER_HOME,
        key="policies-pushes-to-explain",
        template="policies/panels/pushes_to_explain.html",
        context=pushes_to_explain_panel,
        order=41,
    )
    panels.register(
        page=panels.ENTERPRISE_HOME,
        key="policies-enterprise",
        template="policies/panels/enterprise.html",
        context=enterprise_policies_panel,
        order=20,
    )
