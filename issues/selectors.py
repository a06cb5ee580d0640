"""Reads of the ledger, always through the user's scope.

Every page, API view, export and attachment download finds issues through
``issues_visible``; an issue outside the scope is simply not found (404).
"""

import datetime
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Role, User
from accounts.scoping import Scope, scope_for
from common.workdays import working_days_between
from enterprises.models import Enterprise
from issues import figures
from issues.models import (
    OPEN_STATES,
    Attachment,
    Category,
    ExtensionRequest,
    ExtensionState,
    Issue,
    IssueEvent,
    ResponseTemplate,
    State,
)


def issue_scope_filter(scope: Scope) -> Q | None:
    """The filter that limits issues to ``scope``; None means all of them.

    A bureau sees what it holds or held, and its task forces' cases; everyone
    else the issues of the enterprises in scope.
    """
    if scope.is_bureau:
        return scope.bureau_issue_filter()
    return scope.enterprise_filter(path="enterprise__")


def _union_of_arms(condition: Q, issues: QuerySet[Issue]) -> QuerySet[Any, int]:
    """The ids of ``issues`` that meet ``condition``, read as a ``UNION ALL`` of one query per arm of
    its top-level OR: each arm can use its own index, where the OR made PostgreSQL read every issue.
    An id may come twice (from two arms, or a many-to-many join); it is only ever used in ``pk__in``."""
    arms = condition.children if condition.connector == Q.OR and not condition.negated else [condition]
    reads = [issues.filter(Q(arm)).values_list("pk", flat=True) for arm in arms]
    return reads[0].union(*reads[1:], all=True) if len(reads) > 1 else reads[0]


def bureau_held_ids(scope: Scope, *, states: Sequence[str] | None = None) -> QuerySet[Any, int]:
    """The ids of the issues the scope's bureau holds now (``Scope.holding_bureau_filter``, the one
    definition): its own at bureau level by the (level, bureau, state) index, those of its task
    forces at task-force level. ``states`` narrows every arm (so the id list is already the answer)."""
    issues = Issue.objects.order_by()
    if states is not None:
        issues = issues.filter(state__in=states)
    return _union_of_arms(scope.holding_bureau_filter(), issues)


def issues_visible(*, user: User) -> QuerySet[Issue]:
    """Every issue ``user`` may see: the one source for pages, API, exports and files."""
    condition = issue_scope_filter(scope_for(user))
    if condition is None:
        return Issue.objects.all()
    if scope_for(user).is_bureau:
        # The many-to-many joins would repeat rows; a subquery keeps each issue once. (Read as the
        # union of ``bureau_held_ids`` and the involved rows, the ledger's page got slower: the
        # planner then joins the display relations of every visible issue before its LIMIT.)
        return Issue.objects.filter(pk__in=Issue.objects.filter(condition).values("pk"))
    return Issue.objects.filter(condition)


def _with_display_relations(qs: QuerySet[Issue]) -> QuerySet[Issue]:
    pending = ExtensionRequest.objects.filter(issue=OuterRef("pk"), state=ExtensionState.PENDING)
    return qs.select_related("enterprise__grid__district", "category", "bureau", "task_force", "handler").annotate(
        has_pending_extension=Exists(pending), sla=figures.sla(today=timezone.localdate())
    )


# The ledger's order (``Issue.ledger_rank`` and ``running_deadline``), served by the index
# ``issue_ledger_order``: the same columns, the same directions.
LEDGER_ORDER = ("ledger_rank", F("running_deadline").asc(nulls_last=True), "-created_at", "-id")


def issue_list(*, user: User) -> QuerySet[Issue]:
    """The scoped ledger in its default order; filter (and re-sort) with ``IssueFilter``.

    Issues someone must act on come first, the soonest deadline (the response
    deadline while submitted) first; then resolved ones awaiting feedback; then
    the finished ones, newest first.
    """
    return _with_display_relations(issues_visible(user=user)).order_by(*LEDGER_ORDER)


def issue_get(*, user: User, pk: int) -> Issue:
    """The issue if ``user`` may see it, else 404 (ids do not leak)."""
    return get_object_or_404(_with_display_relations(issues_visible(user=user)), pk=pk)


def issue_events(*, user: User, issue: Issue) -> QuerySet[IssueEvent]:
    """The timeline; enterprise users never see internal notes or their files."""
    events = issue.events.select_related("actor")
    attachments = Attachment.objects.order_by("uploaded_at", "id")
    if scope_for(user).role == Role.ENTERPRISE_USER:
        events = events.filter(is_internal=False)
        attachments = attachments.filter(is_internal=False)
    return events.prefetch_related(Prefetch("attachments", queryset=attachments))


def issue_attachments(*, user: User, issue: Issue) -> QuerySet[Attachment]:
    attachments = issue.attachments.select_related("uploaded_by")
    if scope_for(user).role == Role.ENTERPRISE_USER:
        attachments = attachments.filter(is_internal=False)
    return attachments


def attachment_get(*, user: User, pk: int) -> Attachment:
    """A file if its issue is in scope (and, for enterprises, it is not internal); else 404."""
    attachments = Attachment.objects.filter(issue__in=issues_visible(user=user))
    if scope_for(user).role == Role.ENTERPRISE_USER:
        attachments = attachments.filter(is_internal=False)
    return get_object_or_404(attachments, pk=pk)


WORKBENCH_STATES = [State.SUBMITTED, *OPEN_STATES]


def workbench_queue(*, user: User) -> QuerySet[Issue]:
    """What the user's bureau holds now and must act on, soonest deadline first: the issues alone,
    to page and count (a province's bureau holds thousands); ``issues_in_order`` reads a page's
    display relations."""
    scope = scope_for(user)
    if not scope.is_bureau:
        return Issue.objects.none()
    # A subquery, not a list of ids: a province's bureau holds 18,498 issues, and compiling that list
    # into the count, the page and the cards took the page from 180 ms to 261 ms.
    held = bureau_held_ids(scope, states=WORKBENCH_STATES)
    return Issue.objects.filter(pk__in=held).order_by(
        F("due_on").asc(nulls_last=True), "response_due_on", "created_at", "id"
    )


def issues_in_order(ids: Sequence[int]) -> list[Issue]:
    """The issues of ``ids`` (a page of a list, already scoped and ordered) with what the pages show
    of each, in that order. Read after the page's ids: with the display relations joined to a
    bureau's thousands of issues before the LIMIT, PostgreSQL read every enterprise."""
    found = _with_display_relations(Issue.objects.filter(pk__in=list(ids))).in_bulk()
    return [found[pk] for pk in ids if pk in found]


def workbench_counts(queue: QuerySet[Issue]) -> dict[str, int]:
    """The workbench's cards over the whole of ``workbench_queue`` (one query, whatever page is shown):
    held, waiting to be accepted or started, due soon and overdue (``figures.sla``, as the badges)."""
    return (
        queue.order_by()
        .alias(sla=figures.sla(today=timezone.localdate()))
        .aggregate(
            total=Count("pk"),
            waiting=Count("pk", filter=Q(state__in=[State.SUBMITTED, State.ACCEPTED])),
            due_soon=Count("pk", filter=Q(sla=figures.SLA_DUE_SOON)),
            overdue=Count("pk", filter=Q(sla=figures.SLA_OVERDUE)),
        )
    )


def workbench_recent(*, user: User, limit: int = 10) -> QuerySet[Issue]:
    """Issues the bureau held or resolved that are out of its hands now (latest first)."""
    scope = scope_for(user)
    if not scope.is_bureau:
        return Issue.objects.none()
    queue_ids = bureau_held_ids(scope, states=WORKBENCH_STATES)
    order = ("-updated_at", "-id")
    # The latest ``limit`` of each arm of the bureau's filter (involved before, holding now, its task
    # forces'), each read in the order of an index (``issue_recent``, ``issue_bureau_recent``) and
    # stopped at ``limit``; the union of the arms, newest first, then cut to ``limit``. As one query
    # with the arms OR-ed, PostgreSQL read every issue and sorted the bureau's (3.2 s on a province).
    condition = scope.bureau_issue_filter()
    arms = condition.children if condition.connector == Q.OR and not condition.negated else [condition]
    candidates: set[tuple[datetime.datetime, int]] = set()
    for arm in arms:
        # DISTINCT: the task-force arm joins the task force's bureaus, one row each when it leads.
        latest = Issue.objects.filter(Q(arm)).exclude(pk__in=queue_ids).order_by(*order)
        candidates.update(latest.values_list("updated_at", "pk").distinct()[:limit])
    ids = [pk for _updated, pk in sorted(candidates, reverse=True)[:limit]]
    return _with_display_relations(Issue.objects.filter(pk__in=ids)).order_by(*order)


# How 我的诉求 groups the states for an enterprise (its filter and its home's summary).
ENTERPRISE_STATE_GROUPS: dict[str, tuple[str, ...]] = {
    "submitted": (State.SUBMITTED,),
    "open": OPEN_STATES,
    "resolved": (State.RESOLVED,),
    "closed": (State.CLOSED,),
    "rejected": (State.REJECTED, State.MERGED),
}


def enterprise_issue_list(*, user: User, group: str = "", query: str = "") -> QuerySet[Issue]:
    """An enterprise user's own issues, newest first; ``group`` one of ``ENTERPRISE_STATE_GROUPS``
    (empty: all), ``query`` a word in the title or description."""
    if scope_for(user).role != Role.ENTERPRISE_USER:
        return Issue.objects.none()
    issues = issues_visible(user=user).select_related("category").order_by("-created_at", "-id")
    if group:
        issues = issues.filter(state__in=ENTERPRISE_STATE_GROUPS[group])
    if query:
        issues = issues.filter(Q(title__icontains=query) | Q(description__icontains=query))
    return issues


def enterprise_issue_counts(*, user: User) -> dict[str, int]:
    """How many of the enterprise's issues sit in each group of ``ENTERPRISE_STATE_GROUPS`` (one query)."""
    counted = (
        enterprise_issue_list(user=user)
        .order_by()
        .aggregate(
            **{group: Count("pk", filter=Q(state__in=states)) for group, states in ENTERPRISE_STATE_GROUPS.items()}
        )
    )
    return {group: counted[group] or 0 for group in ENTERPRISE_STATE_GROUPS}


def enterprise_issues(*, user: User, enterprise: Enterprise) -> QuerySet[Issue]:
    """One enterprise's issues as ``user`` may see them (the profile's 问题 tab), latest first."""
    return (
        issues_visible(user=user)
        .filter(enterprise=enterprise)
        .select_related("category", "bureau", "task_force")
        .order_by("-created_at", "-id")
    )


def category_choices() -> QuerySet[Category]:
    return Category.objects.select_related("default_bureau").order_by("code")


def response_templates_for(*, category: Category | None) -> QuerySet[ResponseTemplate]:
    qs = ResponseTemplate.objects.filter(is_active=True)
    if category is None:
        return qs.filter(category__isnull=True)
    return qs.filter(Q(category=category) | Q(category__isnull=True)).order_by("-category_id", "title")


# --- The SLA clock ----------------------------------------------------------


def sla_status(issue: Issue, *, today: datetime.date | None = None) -> str | None:
    """ok / due_soon (due today or on the next working day) / overdue; None when no clock runs.

    The ledger's queries carry it as the ``sla`` annotation (``issues.figures.sla``);
    a bare issue, or another day, costs one query through the same expression.
    """
    if "sla" in issue.__dict__ and today in (None, timezone.localdate()):
        annotated: str | None = issue.__dict__["sla"]
        return annotated
    day = today or timezone.localdate()
    status: str | None = (
        Issue.objects.filter(pk=issue.pk).annotate(sla=figures.sla(today=day)).values_list("sla", flat=True).first()
    )
    return status


def sla_countdown(issue: Issue, *, today: datetime.date | None = None) -> int | None:
    """Working days left on the running clock (negative: working days overdue); None when none runs."""
    today = today or timezone.localdate()
    if issue.state == State.SUBMITTED and issue.response_due_on:
        return working_days_between(today, issue.response_due_on)
    if issue.state in OPEN_STATES and issue.due_on:
        return working_days_between(today, issue.due_on)
    return None
