"""Who hears about an issue, and what they are told.

Everything goes through ``accounts.notifications.notify`` with a dedupe key,
so a service or sweep that runs twice for the same moment tells nobody twice.
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from accounts import scoping
from accounts.models import Role, User
from accounts.notifications import enterprise_people, is_quiet, notify
from issues.models import Issue, Level


def issue_url(issue: Issue) -> str:
    return reverse("issues:detail", args=[issue.pk])


def grid_people(issue: Issue) -> QuerySet[User]:
    """Officers and the leader of the enterprise's grid team."""
    grid = issue.enterprise.grid
    return User.objects.filter(Q(grid_teams=grid) | Q(led_grid_teams=grid), is_active=True).distinct()


def unit_members(issue: Issue) -> QuerySet[User]:
    """The people of the handling unit that holds the issue now."""
    if issue.level == Level.GRID:
        return grid_people(issue)
    # Staff of every bureau the ledger's one definition says holds this issue now.
    held = Issue.objects.filter(pk=issue.pk).filter(scoping.holding_bureau_filter(OuterRef("bureau_id")))
    return User.objects.filter(Exists(held), role=Role.BUREAU_STAFF, is_active=True)


def handlers(issue: Issue) -> list[User]:
    """The named handler if it still belongs to the unit, else the whole unit."""
    members = list(unit_members(issue))
    if issue.handler_id and any(member.pk == issue.handler_id for member in members):
        return [member for member in members if member.pk == issue.handler_id]
    return members


def leaders(issue: Issue) -> list[User]:
    """Whom an overdue issue is reported to: the grid and district leaders, managers at the top level."""
    grid = issue.enterprise.grid
    people = []
    if issue.level == Level.GRID and grid.leader_id:
        people.append(grid.leader)
    if grid.district.leader_id:
        people.append(grid.district.leader)
    if issue.level == Level.TASK_FORCE:
        people.extend(managers())
    return [person for person in people if person.is_active]


def managers() -> QuerySet[User]:
    return User.objects.filter(role=Role.MANAGER, is_active=True)


def enterprise_users(issue: Issue) -> QuerySet[User]:
    return enterprise_people(enterprise_id=issue.enterprise_id)


def tell(
    recipients: Iterable[User],
    *,
    issue: Issue,
    kind: str,
    title: str,
    body: str = "",
    key: str,
    exclude: User | None = None,
) -> int:
    """Notify each recipient once per ``key``; returns how many were newly told (none inside ``quiet()``)."""
    if is_quiet():
        return 0
    sent = 0
    seen: set[int] = set()
    for recipient in recipients:
        if recipient.pk in seen or (exclude is not None and recipient.pk == exclude.pk):
            continue
        seen.add(recipient.pk)
        created = notify(
            recipient=recipient,
            kind=kind,
            title=title,
            body=body,
            url=issue_url(issue),
            dedupe_key=f"issue:{issue.pk}:{key}:{recipient.pk}",
        )
        sent += created is not None
    return sent
