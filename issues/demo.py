"""Demo ledger: categories with their bureaus, response templates, and a year of issues.

Deterministic (one seeded ``random.Random``; dates counted back from the day
the seed runs, so that "overdue" means overdue when the demo is shown) and
idempotent (categories by code; the issues are written once, marked on their
``submit`` event). Stories follow the state machine of ``issues.services``
step by step — accept, start, escalate, extend, resolve, verify, feedback —
but with historical timestamps, so rows are written here directly instead of
through the services (which always act "now").
"""

import datetime
import random
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import Role, User
from common.workdays import add_working_days, is_working_day, next_working_day, working_days_between
from enterprises.models import Enterprise
from grids.models import Bureau, JointTaskForce
from issues.demo_data import (
    CATEGORIES,
    CATEGORY_WEIGHTS,
    GENERAL_TEMPLATES,
    PROBLEMS,
    RESOLUTIONS,
    SHOWCASE,
    TEMPLATES,
)
from issues.history import ledger_facts
from issues.models import (
    Action,
    Category,
    ExtensionRequest,
    ExtensionState,
    Feedback,
    Issue,
    IssueEvent,
    Level,
    Rating,
    ResponseTemplate,
    Severity,
    Source,
    State,
)

SEED_TAG = "issues.demo"
ISSUE_COUNT = 170


def _ensure_categories() -> dict[str, Category]:
    bureaus = {bureau.code: bureau for bureau in Bureau.objects.all()}
    categories = {}
    for code, name, bureau_code, grid_days, bureau_days, task_force_days in CATEGORIES:
        bureau = bureaus.get(bureau_code) or bureaus.get("econ")
        if bureau is None:
            bureau, _created = Bureau.objects.get_or_create(code="econ", defaults={"name": "经济发展局"})
            bureaus["econ"] = bureau
        categories[code], _created = Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "default_bureau": bureau,
                "grid_days": grid_days,
                "bureau_days": bureau_days,
                "task_force_days": task_force_days,
            },
        )
    return categories


def _ensure_templates(categories: dict[str, Category]) -> None:
    for code, (title, body) in TEMPLATES.items():
        ResponseTemplate.objects.get_or_create(category=categories[code], title=title, defaults={"body": body})
    for title, body in GENERAL_TEMPLATES:
        ResponseTemplate.objects.get_or_create(category=None, title=title, defaults={"body": body})


@dataclass
class _People:
    officers: dict[int, User]  # grid id → the officer who handles its issues
    leaders: dict[int, User]  # district id → district leader
    bureau_staff: dict[int, User]  # bureau id → its demo account
    enterprise_users: dict[int, User]  # enterprise id → its account
    manager: User | None


def _people() -> _People:
    officers: dict[int, User] = {}
    for user in User.objects.filter(role=Role.GRID_OFFICER).prefetch_related("grid_teams").order_by("username"):
        for grid in user.grid_teams.all():
            officers.setdefault(grid.pk, user)
    leaders = {
        district_id: user
        for user in User.objects.filter(role=Role.DISTRICT_LEADER).prefetch_related("led_districts")
        for district_id in user.led_districts.values_list("id", flat=True)
    }
    bureau_staff: dict[int, User] = {}
    for user in User.objects.filter(role=Role.BUREAU_STAFF, bureau__isnull=False).order_by("username"):
        bureau_staff.setdefault(user.bureau_id, user)
    enterprise_users: dict[int, User] = {}
    for user in User.objects.filter(role=Role.ENTERPRISE_USER, enterprise__isnull=False).order_by("username"):
        enterprise_users.setdefault(user.enterprise_id, user)
    manager = User.objects.filter(role=Role.MANAGER).order_by("username").first()
    return _People(officers, leaders, bureau_staff, enterprise_users, manager)


@dataclass
class _Story:
    """One issue's life, told step by step with working-day gaps; it stops at ``now``."""

    issue: Issue
    clock: datetime.datetime
    now: datetime.datetime
    events: list[IssueEvent] = field(default_factory=list)
    bureaus: set[int] = field(default_factory=set)
    feedback: list[Feedback] = field(default_factory=list)
    extensions: list[ExtensionRequest] = field(default_factory=list)
    stopped: bool = False
    merge: bool = False

    def later(self, working_days: int, rng: random.Random) -> bool:
        """Advance the clock; False (and the story ends) once it would pass ``now``."""
        day = (
            add_working_days(timezone.localdate(self.clock), working_days)
            if working_days
            else timezone.localdate(self.clock)
        )
        moment = datetime.datetime.combine(day, datetime.time(rng.randint(9, 17), rng.choice((0, 15, 30, 45))))
        moment = timezone.make_aware(moment)
        if moment <= self.clock:
            moment = self.clock + datetime.timedelta(minutes=rng.randint(20, 90))
        if moment >= self.now:
            self.stopped = True
            return False
        self.clock = moment
        return True

    def record(self, action, actor, *, to_state=None, reason="", note="", data=None, internal=False):
        from_state = self.issue.state
        if to_state:
            self.issue.state = to_state
        self.issue.version += 1 if to_state or action in (Action.EXTEND_REQUEST, Action.EXTEND_APPROVE) else 0
        self.events.append(
            IssueEvent(
                actor=actor,
                at=self.clock,
                action=action,
                from_state=from_state if action != Action.SUBMIT else "",
                to_state=self.issue.state,
                reason=reason,
                note=note,
                is_internal=internal,
                data=data or {},
                **ledger_facts(self.issue),
            )
        )

    def restart(self) -> None:
        """Back to work after 不满意 or a failed check, on a new deadline (``issues.services._restart``)."""
        self.issue.due_on = add_working_days(
            timezone.localdate(self.clock), self.issue.category.rework_days_for(self.issue.level)
        )
        self.issue.resolution, self.issue.resolved_at, self.issue.handling_working_days = "", None, None


def _deadline(issue: Issue, moment: datetime.datetime) -> datetime.date:
    return add_working_days(timezone.localdate(moment), issue.category.days_for(issue.level))


def _tell_story(
    story: _Story, rng: random.Random, people: _People, task_force: JointTaskForce | None, script: dict | None = None
) -> None:
    """Play one issue's life. ``script`` forces the decisions (path, lateness, rating) and where it stops."""
    script = {"reject": False, **script} if script else {}

    def stop(label: str) -> bool:
        return script.get("stop") == label

    def chance(key: str, probability: float) -> bool:
        return script[key] if key in script else rng.random() < probability

    issue = story.issue
    grid = issue.enterprise.grid
    officer = people.officers.get(grid.pk)
    leader = people.leaders.get(grid.district_id)
    customer = people.enterprise_users.get(issue.enterprise_id)
    creator = issue.created_by
    story.record(Action.SUBMIT, creator, to_state=State.SUBMITTED, data={"seed": SEED_TAG})

    # The response clock: most are answered the same or the next working day, a few late.
    if not story.later(rng.choice((0, 0, 1, 1, 2)), rng):
        return
    if chance("reject", 0.05):
        issue.responded_at = story.clock
        story.record(
            Action.REJECT, officer, to_state=State.REJECTED, reason="该事项属于企业间商业纠纷，建议通过司法途径解决。"
        )
        return
    if stop("accept"):
        story.stopped = True
        return
    issue.accepted_at = issue.responded_at = story.clock
    issue.due_on = _deadline(issue, story.clock)
    issue.handler = officer
    story.record(Action.ACCEPT, officer, to_state=State.ACCEPTED, data={"due_on": issue.due_on.isoformat()})
    if stop("start") or not story.later(rng.choice((0, 1)), rng):
        return
    story.record(Action.START, officer, to_state=State.IN_PROGRESS)

    handler = officer
    path = {"grid": 1.0, "bureau": 0.2, "task_force": 0.01}[script["path"]] if "path" in script else rng.random()
    if path < 0.38:  # the grid cannot solve it alone: a bureau takes it
        if not story.later(rng.choice((1, 2)), rng):
            return
        bureau = issue.category.default_bureau
        issue.level, issue.bureau, issue.handler = Level.BUREAU, bureau, None
        issue.escalation_count += 1
        issue.due_on = _deadline(issue, story.clock)
        story.bureaus.add(bureau.pk)
        story.record(
            Action.ESCALATE,
            officer,
            to_state=State.ACCEPTED,
            reason="涉及专业审批事项，网格协调后需业务科室办理。",
            # The same shape as issue_escalate's event: the timeline names the bureau from its code.
            data={
                "from_level": "grid",
                "auto": False,
                "bureau": bureau.code,
                "to_level": "bureau",
                "due_on": issue.due_on.isoformat(),
            },
        )
        handler = people.bureau_staff.get(bureau.pk)
        if stop("bureau_start") or not story.later(rng.choice((0, 1)), rng):
            return
        issue.handler = handler
        story.record(Action.START, handler, to_state=State.IN_PROGRESS)
        if path < 0.07 and task_force is not None:  # the hardest cases: one case, one decision
            if not story.later(rng.choice((2, 3)), rng):
                return
            issue.level, issue.task_force, issue.handler = Level.TASK_FORCE, task_force, None
            issue.escalation_count += 1
            issue.due_on = _deadline(issue, story.clock)
            story.bureaus.update([task_force.lead_bureau_id, *task_force.bureaus.values_list("id", flat=True)])
            story.record(
                Action.ESCALATE,
                handler,
                to_state=State.ACCEPTED,
                reason="涉及财政、税务、市政等多部门，提请联合服务专班一事一议。",
                data={
                    "from_level": "bureau",
                    "auto": False,
                    "task_force": task_force.pk,
                    "to_level": "task_force",
                    "due_on": issue.due_on.isoformat(),
                },
            )
            handler = people.bureau_staff.get(task_force.lead_bureau_id)
            if not story.later(1, rng):
                return
            issue.handler = handler
            story.record(Action.START, handler, to_state=State.IN_PROGRESS)

    if chance("extend", 0.12) and leader is not None:  # an extension, approved by the district leader
        if not story.later(1, rng):
            return
        days = rng.choice((2, 3, 5))
        request = ExtensionRequest(
            issue=issue,
            requested_by=handler or officer,
            requested_at=story.clock,
            days=days,
            reason="需等待第三方评估结果。",
            old_due_on=issue.due_on,
        )
        story.extensions.append(request)
        story.record(Action.EXTEND_REQUEST, handler, reason=request.reason, data={"days": days})
        if not story.later(rng.choice((0, 1)), rng):
            return
        request.state, request.decided_by, request.decided_at = ExtensionState.APPROVED, leader, story.clock
        request.new_due_on = issue.due_on = add_working_days(issue.due_on, days)
        issue.extension_count += 1
        story.record(Action.EXTEND_APPROVE, leader, data={"days": days, "due_on": issue.due_on.isoformat()})

    if stop("resolve"):
        return
    rounds = 0
    while rounds < 3:
        rounds += 1
        # Most are resolved within the limit; about one in six runs late (and, if recent, is overdue now).
        budget = working_days_between(timezone.localdate(story.clock), issue.due_on)
        late = chance("late", 0.17) and rounds == 1
        gap = max(budget, 0) + rng.randint(1, 6) if late else rng.randint(0, max(budget, 0))
        if not story.later(gap, rng):
            return
        if rng.random() < 0.3:
            story.record(Action.NOTE, handler, note="已电话联系企业负责人，了解具体诉求。", internal=True)
        issue.resolution = RESOLUTIONS[issue.category.code]
        issue.resolved_at = story.clock
        issue.handling_working_days = working_days_between(
            timezone.localdate(issue.accepted_at), timezone.localdate(story.clock)
        )
        story.record(Action.RESOLVE, handler, to_state=State.RESOLVED, note=issue.resolution)
        if stop("feedback") or not story.later(rng.choice((0, 1, 1, 2)), rng):
            return
        if officer is not None and not script and rng.random() < 0.08:  # the officer's check fails: rework
            issue.rework_count += 1
            story.restart()
            story.record(
                Action.VERIFY_FAIL,
                officer,
                to_state=State.IN_PROGRESS,
                reason="现场核查发现问题未完全解决。",
                data={"due_on": issue.due_on.isoformat()},
            )
            continue
        if customer is None:
            issue.closed_at = story.clock
            story.record(Action.CLOSE, officer, to_state=State.CLOSED, note="企业电话确认办理结果。")
            return
        rating = rng.choices((Rating.SATISFIED, Rating.BASICALLY, Rating.DISSATISFIED), weights=(72, 18, 10))[0]
        if rounds == 1 and "rating" in script:
            rating = script["rating"]
        comment = {
            "satisfied": "感谢网格员和科室的帮助！",
            "basically": "基本解决，希望后续继续跟进。",
            "dissatisfied": "问题还没有真正解决。",
        }[rating]
        story.feedback.append(Feedback(issue=issue, author=customer, rating=rating, comment=comment, at=story.clock))
        if rating == Rating.DISSATISFIED:
            issue.reopen_count += 1
            story.restart()
            story.record(
                Action.FEEDBACK,
                customer,
                to_state=State.IN_PROGRESS,
                reason=comment,
                data={"rating": rating, "due_on": issue.due_on.isoformat()},
            )
            if stop("reopened"):
                return
            continue
        issue.closed_at = story.clock
        story.record(Action.FEEDBACK, customer, to_state=State.CLOSED, note=comment, data={"rating": rating})
        return


def _issue_plan(
    rng: random.Random, enterprises: list[Enterprise], categories: dict[str, Category], people: _People, now
):
    codes = list(CATEGORY_WEIGHTS)
    weights = [CATEGORY_WEIGHTS[code] for code in codes]
    today = timezone.localdate(now)
    for _number in range(ISSUE_COUNT):
        enterprise = rng.choice(enterprises)
        category = categories[rng.choices(codes, weights=weights)[0]]
        title, description = rng.choice(PROBLEMS[category.code])
        # A year of history, and a third from the last month: the ones still being worked on.
        days_ago = rng.randint(0, 30) if rng.random() < 0.34 else int(rng.triangular(0, 365, 60))
        created_on = next_working_day(today - datetime.timedelta(days=days_ago))
        if created_on > today:
            created_on = today
        created_at = timezone.make_aware(
            datetime.datetime.combine(created_on, datetime.time(rng.randint(8, 16), rng.choice((5, 20, 35, 50))))
        )
        if created_at >= now:
            created_at = now - datetime.timedelta(hours=rng.randint(1, 3))
        source = rng.choices((Source.VISIT, Source.ENTERPRISE, Source.MANAGER), weights=(58, 36, 6))[0]
        creator = {
            Source.VISIT: people.officers.get(enterprise.grid_id),
            Source.ENTERPRISE: people.enterprise_users.get(enterprise.pk),
            Source.MANAGER: people.manager,
        }[source]
        if creator is None:
            source, creator = Source.VISIT, people.officers.get(enterprise.grid_id)
        issue = Issue(
            enterprise=enterprise,
            title=title,
            description=description,
            source=source,
            category=category,
            severity=rng.choices(Severity.values, weights=(70, 22, 8))[0],
            level=Level.GRID,
            state=State.SUBMITTED,
            created_by=creator,
            response_due_on=add_working_days(created_on, 1),
        )
        yield issue, created_at


def _showcase_plan(rng, enterprises, categories, people, now):
    first_user = User.objects.filter(username="enterprise-001", enterprise__isnull=False).first()
    first = next((e for e in enterprises if first_user and e.pk == first_user.enterprise_id), enterprises[0])
    shared = rng.choice(enterprises)
    codes = list(CATEGORY_WEIGHTS)
    today = timezone.localdate(now)
    for working_days_ago, which, script in SHOWCASE:
        enterprise = {"first": first, "dup": shared}.get(which) or rng.choice(enterprises)
        category = categories["financing"] if which == "dup" else categories[rng.choice(codes)]
        title, description = PROBLEMS[category.code][
            0 if which == "dup" else rng.randrange(len(PROBLEMS[category.code]))
        ]
        created_on = today
        for _step in range(working_days_ago):
            created_on -= datetime.timedelta(days=1)
            while not is_working_day(created_on):
                created_on -= datetime.timedelta(days=1)
        created_at = timezone.make_aware(datetime.datetime.combine(created_on, datetime.time(9, 30)))
        if created_at >= now:
            created_at = now - datetime.timedelta(minutes=30)
        source = Source.ENTERPRISE if people.enterprise_users.get(enterprise.pk) else Source.VISIT
        creator = people.enterprise_users.get(enterprise.pk) or people.officers.get(enterprise.grid_id)
        issue = Issue(
            enterprise=enterprise,
            title=title,
            description=description,
            source=source,
            category=category,
            level=Level.GRID,
            state=State.SUBMITTED,
            created_by=creator,
            response_due_on=add_working_days(created_on, 1),
        )
        yield issue, created_at, script


def _merge_duplicates(issues: list[Issue], duplicates: set[int], people: _People, now) -> list[IssueEvent]:
    """The showcase's second report is merged into the enterprise's earlier open issue (enterprise told)."""
    open_by_enterprise: dict[int, Issue] = {}
    merged, events = [], []
    for issue in sorted(issues, key=lambda row: (row.created_at, row.pk)):
        earlier = open_by_enterprise.get(issue.enterprise_id)
        if earlier is not None and issue.pk in duplicates and issue.state in (State.SUBMITTED, State.ACCEPTED):
            officer = people.officers.get(issue.enterprise.grid_id)
            moment = min(issue.created_at + datetime.timedelta(hours=2), now)
            from_state = issue.state
            issue.state, issue.duplicate_of, issue.handler = State.MERGED, earlier, None
            issue.version += 1
            events.append(
                IssueEvent(
                    issue=issue,
                    actor=officer,
                    at=moment,
                    action=Action.MERGE,
                    from_state=from_state,
                    to_state=State.MERGED,
                    reason=f"与问题 #{earlier.pk} 重复，合并办理。",
                    data={"into": earlier.pk},
                    **ledger_facts(issue),
                )
            )
            events.append(
                IssueEvent(
                    issue=earlier,
                    actor=officer,
                    at=moment,
                    action=Action.MERGED_IN,
                    from_state=earlier.state,
                    to_state=earlier.state,
                    note=f"并入重复问题 #{issue.pk}：{issue.title}",
                    data={"merged": issue.pk},
                    **ledger_facts(earlier),
                )
            )
            merged.append(issue)
            continue
        if issue.state in (State.SUBMITTED, State.ACCEPTED, State.IN_PROGRESS):
            open_by_enterprise.setdefault(issue.enterprise_id, issue)
    bulk_update_with_history(merged, Issue, ["state", "duplicate_of", "handler", "version"])
    return events


def seed_demo_data(*, stdout) -> None:
    categories = _ensure_categories()
    _ensure_templates(categories)
    if IssueEvent.objects.filter(action=Action.SUBMIT, data__seed=SEED_TAG).exists():
        stdout.write(f"  issues: demo ledger already present ({Issue.objects.count()} issues); nothing to do")
        return
    enterprises = list(Enterprise.objects.select_related("grid").order_by("uscc"))
    if not enterprises:
        stdout.write("  issues: no enterprises yet; run the grids and enterprises steps first")
        return
    rng = random.Random("jingkai-issues")
    people = _people()
    task_force = JointTaskForce.objects.filter(is_active=True).order_by("id").first()
    now = timezone.now()
    stories = []
    for issue, created_at in _issue_plan(rng, enterprises, categories, people, now):
        # Recent stories are caught mid-way: they end at a random moment between submission and now.
        story_end = now
        if now - created_at < datetime.timedelta(days=40) and rng.random() < 0.7:
            story_end = created_at + (now - created_at) * rng.random()
        story = _Story(issue=issue, clock=created_at, now=story_end)
        _tell_story(story, rng, people, task_force)
        stories.append((story, created_at))
    for issue, created_at, script in _showcase_plan(rng, enterprises, categories, people, now):
        story = _Story(issue=issue, clock=created_at, now=now, merge=script.get("merge", False))
        _tell_story(story, rng, people, task_force, script)
        stories.append((story, created_at))

    # Through simple_history's helpers, so every demo issue has its 变更记录 from the start.
    issues = bulk_create_with_history([story.issue for story, _created_at in stories], Issue)
    # created_at is auto_now_add: set the historical moment after the insert.
    for (_story, created_at), issue in zip(stories, issues, strict=True):
        issue.created_at = created_at
    Issue.objects.bulk_update(issues, ["created_at"])  # a timestamp, not a change: no history row
    events, feedback, extensions, involved = [], [], [], []
    Through = Issue.bureaus_involved.through
    for story, _created_at in stories:
        for event in story.events:
            event.issue = story.issue
            events.append(event)
        for row in story.feedback:
            row.issue = story.issue
            feedback.append(row)
        for row in story.extensions:
            row.issue = story.issue
            extensions.append(row)
        involved.extend(Through(issue_id=story.issue.pk, bureau_id=bureau_id) for bureau_id in sorted(story.bureaus))
    duplicates = {story.issue.pk for story, _created_at in stories if story.merge}
    events.extend(_merge_duplicates(issues, duplicates, people, now))
    IssueEvent.objects.bulk_create(events, batch_size=500)
    Feedback.objects.bulk_create(feedback, batch_size=500)
    ExtensionRequest.objects.bulk_create(extensions, batch_size=500)
    Through.objects.bulk_create(involved, batch_size=500)
    counts = {state: 0 for state in State.values}
    for issue in issues:
        counts[issue.state] += 1
    overdue = Issue.objects.filter(
        Q(state__in=[State.ACCEPTED, State.IN_PROGRESS], due_on__lt=timezone.localdate(now))
    ).count()
    stdout.write(
        f"  issues: {len(categories)} categories, {len(issues)} issues "
        f"({', '.join(f'{state} {count}' for state, count in counts.items())}; {overdue} overdue), "
        f"{len(events)} events, {len(feedback)} feedback"
    )
