"""Demo ledger: categories with their bureaus, response templates, and a year of issues.

Deterministic (one seeded ``random.Random``; dates counted back from the day
the seed runs, so that "overdue" means overdue when the demo is shown) and
idempotent (categories by code; the issues are written once, found by the
first report's enterprise, author and title). Every story is played through
``issues.services`` — submit, accept or reject, start, escalate, extend,
resolve, verify, feedback, close, merge — each step ``at`` its historical
moment, so the seeded ledger is exactly what the services write and no story
can reach a state the services would refuse. Notifications are off while the
stories play (``accounts.notifications.quiet``): nobody is told of the past now.
"""

import datetime
import random
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from accounts.models import Role, User
from accounts.notifications import quiet
from common.workdays import add_working_days, is_working_day, next_working_day, working_days_between
from enterprises.models import Enterprise
from grids.models import Bureau, JointTaskForce
from issues import services
from issues.demo_data import (
    CATEGORIES,
    CATEGORY_WEIGHTS,
    GENERAL_TEMPLATES,
    PROBLEMS,
    RESOLUTIONS,
    SHOWCASE,
    TEMPLATES,
)
from issues.models import (
    OPEN_STATES,
    Category,
    Feedback,
    Issue,
    IssueEvent,
    Rating,
    ResponseTemplate,
    Severity,
    Source,
    State,
)
from issues.services.steps import deadline_of

SEED = "jingkai-issues"  # the one random seed of the demo ledger
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
class _Report:
    """What is reported, by whom: the arguments of ``issue_submit``."""

    enterprise: Enterprise
    title: str
    description: str
    source: str
    category: Category
    creator: User
    severity: str | None = None  # graded on acceptance


@dataclass
class _Story:
    """One issue's life, played through the services step by step with working-day gaps; it stops at ``now``."""

    issue: Issue
    clock: datetime.datetime
    now: datetime.datetime
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


def _tell_story(
    story: _Story,
    rng: random.Random,
    people: _People,
    task_force: JointTaskForce | None,
    severity: str | None,
    script: dict | None = None,
) -> None:
    """Play one issue's life through the services, each step ``at`` the story's moment.

    ``script`` forces the decisions (path, lateness, rating) and where it stops.
    """
    script = {"reject": False, **script} if script else {}

    def stop(label: str) -> bool:
        return script.get("stop") == label

    def chance(key: str, probability: float) -> bool:
        return script[key] if key in script else rng.random() < probability

    issue = story.issue
    grid = issue.enterprise.grid
    officer = people.officers.get(grid.pk) or people.manager
    leader = people.leaders.get(grid.district_id)
    customer = people.enterprise_users.get(issue.enterprise_id)

    # The response clock: most are answered the same or the next working day, a few late.
    if not story.later(rng.choice((0, 0, 1, 1, 2)), rng):
        return
    if chance("reject", 0.05):
        services.issue_reject(
            issue=issue, actor=officer, reason="该事项属于企业间商业纠纷，建议通过司法途径解决。", at=story.clock
        )
        return
    if stop("accept"):
        story.stopped = True
        return
    issue = story.issue = services.issue_accept(issue=issue, actor=officer, severity=severity, at=story.clock)
    if stop("start") or not story.later(rng.choice((0, 1)), rng):
        return
    issue = story.issue = services.issue_start(issue=issue, actor=officer, at=story.clock)

    handler = officer
    path = {"grid": 1.0, "bureau": 0.2, "task_force": 0.01}[script["path"]] if "path" in script else rng.random()
    if path < 0.38:  # the grid cannot solve it alone: a bureau takes it (the category's bureau)
        if not story.later(rng.choice((1, 2)), rng):
            return
        issue = story.issue = services.issue_escalate(
            issue=issue, actor=officer, reason="涉及专业审批事项，网格协调后需业务科室办理。", at=story.clock
        )
        handler = people.bureau_staff.get(issue.bureau_id) or people.manager
        if stop("bureau_start") or not story.later(rng.choice((0, 1)), rng):
            return
        issue = story.issue = services.issue_start(issue=issue, actor=handler, at=story.clock)
        if path < 0.07 and task_force is not None:  # the hardest cases: one case, one decision
            if not story.later(rng.choice((2, 3)), rng):
                return
            issue = story.issue = services.issue_escalate(
                issue=issue,
                actor=handler,
                reason="涉及财政、税务、市政等多部门，提请联合服务专班一事一议。",
                task_force=task_force,
                at=story.clock,
            )
            handler = people.bureau_staff.get(task_force.lead_bureau_id) or people.manager
            if not story.later(1, rng):
                return
            issue = story.issue = services.issue_start(issue=issue, actor=handler, at=story.clock)

    if chance("extend", 0.12) and leader is not None:  # an extension, approved by the district leader
        if not story.later(1, rng):
            return
        days = rng.choice((2, 3, 5))
        request = services.issue_request_extension(
            issue=issue, actor=handler, days=days, reason="需等待第三方评估结果。", at=story.clock
        )
        issue = story.issue = request.issue
        if not story.later(rng.choice((0, 1)), rng):
            return
        services.issue_decide_extension(issue=issue, actor=leader, approve=True, at=story.clock)
        issue = story.issue = Issue.objects.get(pk=issue.pk)

    if stop("resolve"):
        return
    rounds = 0
    while rounds < 3:
        rounds += 1
        # Most are resolved within the limit; about one in six runs late (and, if recent, is overdue now).
        budget = working_days_between(timezone.localdate(story.clock), deadline_of(issue))
        late = chance("late", 0.17) and rounds == 1
        gap = max(budget, 0) + rng.randint(1, 6) if late else rng.randint(0, max(budget, 0))
        if not story.later(gap, rng):
            return
        if rng.random() < 0.3:
            services.issue_comment(
                issue=issue, actor=handler, body="已电话联系企业负责人，了解具体诉求。", internal=True, at=story.clock
            )
        issue = story.issue = services.issue_resolve(
            issue=issue, actor=handler, resolution=RESOLUTIONS[issue.category.code], at=story.clock
        )
        if stop("feedback") or not story.later(rng.choice((0, 1, 1, 2)), rng):
            return
        if not script and rng.random() < 0.08:  # the officer's check fails: rework
            issue = story.issue = services.issue_verify(
                issue=issue, actor=officer, passed=False, note="现场核查发现问题未完全解决。", at=story.clock
            )
            continue
        if customer is None:
            story.issue = services.issue_close(
                issue=issue, actor=officer, note="企业电话确认办理结果。", at=story.clock
            )
            return
        rating = rng.choices((Rating.SATISFIED, Rating.BASICALLY, Rating.DISSATISFIED), weights=(72, 18, 10))[0]
        if rounds == 1 and "rating" in script:
            rating = script["rating"]
        comment = {
            "satisfied": "感谢网格员和科室的帮助！",
            "basically": "基本解决，希望后续继续跟进。",
            "dissatisfied": "问题还没有真正解决。",
        }[rating]
        feedback = services.issue_feedback(issue=issue, actor=customer, rating=rating, comment=comment, at=story.clock)
        issue = story.issue = feedback.issue
        if rating == Rating.DISSATISFIED:
            if stop("reopened"):
                return
            continue
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
        severity = rng.choices(Severity.values, weights=(70, 22, 8))[0]
        yield _Report(enterprise, title, description, source, category, creator, severity), created_at


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
        yield _Report(enterprise, title, description, source, category, creator), created_at, script


def _submit(report: _Report, at: datetime.datetime) -> Issue:
    return services.issue_submit(
        enterprise=report.enterprise,
        actor=report.creator,
        title=report.title,
        description=report.description,
        source=report.source,
        category=report.category,
        at=at,
    )


def _merge_duplicates(stories: list[_Story], people: _People, now: datetime.datetime) -> int:
    """The showcase's second report is merged into the enterprise's earlier open issue (enterprise told)."""
    open_by_enterprise: dict[int, Issue] = {}
    merged = 0
    for story in sorted(stories, key=lambda story: (story.issue.created_at, story.issue.pk)):
        issue = story.issue
        earlier = open_by_enterprise.get(issue.enterprise_id)
        if earlier is not None and story.merge and issue.state in (State.SUBMITTED, State.ACCEPTED):
            officer = people.officers.get(issue.enterprise.grid_id) or people.manager
            story.issue = services.issue_merge(
                issue=issue,
                actor=officer,
                into=earlier,
                reason=f"与问题 #{earlier.pk} 重复，合并办理。",
                at=min(issue.created_at + datetime.timedelta(hours=2), now),
            )
            merged += 1
            continue
        if issue.state in (State.SUBMITTED, State.ACCEPTED, State.IN_PROGRESS):
            open_by_enterprise.setdefault(issue.enterprise_id, issue)
    return merged


def _already_seeded(rng: random.Random, enterprises, categories, people: _People, now) -> bool:
    """The demo ledger is present when its first report is (found by enterprise, author and title)."""
    report, _created_at = next(_issue_plan(rng, enterprises, categories, people, now))
    return Issue.objects.filter(
        enterprise=report.enterprise, created_by=report.creator, title=report.title, source=report.source
    ).exists()


def seed_demo_data(*, stdout) -> None:
    """Play the demo's stories through ``issues.services`` with notifications off (``quiet``):
    the ledger holds exactly what the services write, and nobody is told of the past now."""
    categories = _ensure_categories()
    _ensure_templates(categories)
    enterprises = list(Enterprise.objects.select_related("grid").order_by("uscc"))
    if not enterprises:
        stdout.write("  issues: no enterprises yet; run the grids and enterprises steps first")
        return
    people = _people()
    now = timezone.now()
    if _already_seeded(random.Random(SEED), enterprises, categories, people, now):
        stdout.write(f"  issues: demo ledger already present ({Issue.objects.count()} issues); nothing to do")
        return
    rng = random.Random(SEED)
    task_force = JointTaskForce.objects.filter(is_active=True).order_by("id").first()
    stories: list[_Story] = []
    with quiet():
        for report, created_at in _issue_plan(rng, enterprises, categories, people, now):
            # Recent stories are caught mid-way: they end at a random moment between submission and now.
            story_end = now
            if now - created_at < datetime.timedelta(days=40) and rng.random() < 0.7:
                story_end = created_at + (now - created_at) * rng.random()
            story = _Story(issue=_submit(report, created_at), clock=created_at, now=story_end)
            _tell_story(story, rng, people, task_force, report.severity)
            stories.append(story)
        for report, created_at, script in _showcase_plan(rng, enterprises, categories, people, now):
            story = _Story(
                issue=_submit(report, created_at), clock=created_at, now=now, merge=script.get("merge", False)
            )
            _tell_story(story, rng, people, task_force, report.severity, script)
            stories.append(story)
        _merge_duplicates(stories, people, now)

    seeded = Issue.objects.filter(pk__in=[story.issue.pk for story in stories])
    counts = {state: 0 for state in State.values}
    for state in seeded.values_list("state", flat=True):
        counts[state] += 1
    overdue = seeded.filter(Q(state__in=OPEN_STATES, due_on__lt=timezone.localdate(now))).count()
    events = IssueEvent.objects.filter(issue__in=seeded).count()
    feedback = Feedback.objects.filter(issue__in=seeded).count()
    stdout.write(
        f"  issues: {len(categories)} categories, {len(stories)} issues "
        f"({', '.join(f'{state} {count}' for state, count in counts.items())}; {overdue} overdue), "
        f"{events} events, {feedback} feedback"
    )
