"""Months of field work and a ledger for each synthetic enterprise.

For every enterprise of a batch: its visits, its weekly tracking over the recent weeks, and its
issues, each with the timeline the services would have written (submit, accept, escalations,
start, resolve, close or reject), so that ``issues.history`` reads the same states from the
events as the rows hold. The mix follows the demo zone: most older issues closed, the recent ones
still in hand, a share of those past their deadline, a fifth escalated to a bureau and a few to
the task force. Values are deterministic per enterprise and reference day.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

from analytics.scale.organisation import LedgerUnits
from analytics.scale.rows import IdBlock
from common.workdays import add_working_days, working_days_between
from fieldwork.models import ContactMode, Trend, Visit, WeeklyTracking
from issues.models import Action, Issue, IssueEvent, Level, Severity, Source, State

ZONE = ZoneInfo(settings.TIME_ZONE)
PROBLEMS = (
    ("用电增容审批进度慢", "新增生产线需要增容，报装材料已交，尚未排期。"),
    ("厂区道路积水影响物流", "雨后厂区门口道路积水，货车进出困难。"),
    ("招工难，缺熟练焊工", "订单增加，熟练焊工缺口约二十人。"),
    ("流动资金紧张", "回款周期拉长，原材料采购资金不足。"),
    ("环评手续办理咨询", "扩建项目环评需要哪些材料，希望上门指导。"),
    ("消防验收整改指导", "仓库消防验收未通过，需要整改意见。"),
    ("员工子女入学", "外地骨干员工子女入学需要协调。"),
    ("原材料供应不稳定", "主要原料供应商停产，需要对接替代供应商。"),
)
FINDINGS = ("生产经营正常，订单饱满。", "订单较上月减少，企业正在开拓新客户。", "新产线调试中，预计下月投产。")
OPEN_SHARE_RECENT = 0.6  # issues of the last 45 days still in hand
# Looked up once: a choices class's ``values`` builds its list anew on every call.
MODES, TRENDS, SEVERITIES = ContactMode.values, Trend.values, Severity.values


@dataclass
class Batch:
    """What one batch of enterprises adds, ready for ``rows.write`` in dependency order."""

    visits: list[Visit] = field(default_factory=list)
    trackings: list[WeeklyTracking] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    events: list[IssueEvent] = field(default_factory=list)
    bureau_links: list = field(default_factory=list)
    visit_links: list = field(default_factory=list)


@dataclass(frozen=True)
class Plan:
    today: datetime.date
    months: int
    visits: int
    issues: int
    tracking_weeks: int


class Ids:
    """One id counter per table written, taken once per run."""

    def __init__(self) -> None:
        self.visit = IdBlock(Visit)
        self.tracking = IdBlock(WeeklyTracking)
        self.issue = IdBlock(Issue)
        self.event = IdBlock(IssueEvent)
        self.bureau_link = IdBlock(Issue.bureaus_involved.through)
        self.visit_link = IdBlock(Visit.raised_issues.through)


def moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=ZONE)


def enterprise_activity(
    batch: Batch, *, enterprise: tuple[int, int, int], plan: Plan, units: LedgerUnits, ids: Ids
) -> None:
    """Add the visits, tracking and issues of one enterprise, given as (id, employees, officer id)."""
    enterprise_id, employees, officer_id = enterprise
    rng = random.Random(f"jingkai-scale-activity-{enterprise_id}-{plan.today.isoformat()}")
    window = plan.months * 30
    visits = []
    for _ in range(plan.visits):
        day = plan.today - datetime.timedelta(days=rng.randint(1, window))
        visited_at = moment(day, rng.randint(9, 16), rng.choice((0, 15, 30, 45)))
        visit = Visit(
            id=ids.visit.take(),
            enterprise_id=enterprise_id,
            officer_id=officer_id,
            visited_at=visited_at,
            created_at=visited_at,
            updated_at=visited_at,
            mode=rng.choices(MODES, (70, 20, 10))[0],
            met_with="办公室主任",
            findings=rng.choice(FINDINGS),
            output_value=Decimal(rng.randint(50, 50000)),
            orders_trend=rng.choice(TRENDS),
            employees=max(1, employees + rng.randint(-20, 20)),
            capacity_use=rng.randint(40, 100),
            has_difficulties=rng.random() < 0.15,
        )
        visits.append(visit)
    batch.visits.extend(visits)

    monday = plan.today - datetime.timedelta(days=plan.today.weekday())
    for weeks_back in range(1, plan.tracking_weeks + 1):
        if rng.random() < 0.08:  # a week nobody tracked: the weekly close reports it
            continue
        week_start = monday - datetime.timedelta(weeks=weeks_back)
        tracked_at = moment(week_start + datetime.timedelta(days=rng.randint(0, 4)), 10)
        iso = week_start.isocalendar()
        batch.trackings.append(
            WeeklyTracking(
                id=ids.tracking.take(),
                enterprise_id=enterprise_id,
                iso_year=iso.year,
                iso_week=iso.week,
                week_start=week_start,
                officer_id=officer_id,
                tracked_at=tracked_at,
                created_at=tracked_at,
                updated_at=tracked_at,
                mode=ContactMode.PHONE,
                output_value=Decimal(rng.randint(10, 12000)),
                orders_trend=rng.choice(TRENDS),
                employees=max(1, employees + rng.randint(-20, 20)),
                capacity_use=rng.randint(40, 100),
                risk_orders=rng.random() < 0.05,
                risk_funding=rng.random() < 0.05,
            )
        )

    for _ in range(plan.issues):
        _issue(
            batch,
            rng=rng,
            enterprise_id=enterprise_id,
            officer_id=officer_id,
            visits=visits,
            plan=plan,
            units=units,
            ids=ids,
        )


def _issue(batch: Batch, *, rng, enterprise_id, officer_id, visits, plan: Plan, units: LedgerUnits, ids: Ids) -> None:
    category_id, bureau_id = rng.choice(sorted(units.category_bureaus.items()))
    title, description = rng.choice(PROBLEMS)
    from_visit = visits and rng.random() < 0.4
    if from_visit:
        visit = rng.choice(visits)
        created_at = visit.visited_at + datetime.timedelta(hours=1)
    else:
        day = plan.today - datetime.timedelta(days=rng.randint(0, plan.months * 30))
        created_at = moment(day, rng.randint(8, 17), rng.randint(0, 59))
    age = (plan.today - created_at.date()).days
    in_hand = age <= 45 and rng.random() < OPEN_SHARE_RECENT
    state = (
        rng.choices((State.SUBMITTED, State.ACCEPTED, State.IN_PROGRESS, State.RESOLVED), (10, 15, 60, 15))[0]
        if in_hand
        else rng.choices((State.CLOSED, State.REJECTED, State.IN_PROGRESS), (90, 4, 6))[0]
    )
    issue = Issue(
        id=ids.issue.take(),
        enterprise_id=enterprise_id,
        title=title,
        description=description,
        source=Source.VISIT if from_visit else rng.choice((Source.ENTERPRISE, Source.BUREAU, Source.MANAGER)),
        category_id=category_id,
        severity=rng.choices(SEVERITIES, (80, 15, 5))[0],
        level=Level.GRID,
        state=State.SUBMITTED,
        created_by_id=officer_id,
        created_at=created_at,
        response_due_on=add_working_days(created_at.date(), 1),
    )
    timeline = Timeline(batch, issue, ids)
    timeline.add(Action.SUBMIT, created_at, actor=officer_id)
    if from_visit:
        batch.visit_links.append(
            Visit.raised_issues.through(id=ids.visit_link.take(), visit_id=visit.pk, issue_id=issue.pk)
        )
    if state == State.SUBMITTED:
        return timeline.finish()

    # Nothing happens after the day the province is generated on: its history, not its future.
    latest = moment(plan.today, 21)
    responded_at = min(created_at + datetime.timedelta(hours=rng.randint(1, 20)), latest)
    issue.responded_at = responded_at
    if state == State.REJECTED:
        issue.state = State.REJECTED
        timeline.add(
            Action.REJECT, responded_at, actor=officer_id, reason="不属于企业服务事项，已告知企业其他办理渠道。"
        )
        return timeline.finish()

    issue.state, issue.accepted_at, issue.handler_id = State.ACCEPTED, responded_at, officer_id
    issue.due_on = add_working_days(responded_at.date(), 3)
    timeline.add(Action.ACCEPT, responded_at, actor=officer_id)
    clock = responded_at
    escalations = rng.choices((0, 1, 2), (75, 20, 5))[0]
    for step in range(escalations):
        clock = min(clock + datetime.timedelta(days=rng.randint(1, 3)), latest)
        if step == 0:
            issue.level, issue.bureau_id, issue.handler_id = Level.BUREAU, bureau_id, units.bureau_staff[bureau_id]
            issue.due_on = add_working_days(clock.date(), 10)
            batch.bureau_links.append(
                Issue.bureaus_involved.through(id=ids.bureau_link.take(), issue_id=issue.pk, bureau_id=bureau_id)
            )
        else:
            issue.level, issue.task_force_id = Level.TASK_FORCE, units.task_force_id
            issue.due_on = add_working_days(clock.date(), 20)
        issue.escalation_count += 1
        timeline.add(Action.ESCALATE, clock, actor=issue.handler_id, reason="需要科室协调办理。")
    if state == State.ACCEPTED:
        return timeline.finish()

    clock = min(clock + datetime.timedelta(hours=rng.randint(1, 30)), latest)
    issue.state = State.IN_PROGRESS
    timeline.add(Action.START, clock, actor=issue.handler_id)
    if state == State.IN_PROGRESS:
        return timeline.finish()

    # Most are resolved in time; about one in five after the deadline.
    late = rng.random() < 0.2
    days = working_days_between(clock.date(), issue.due_on) if issue.due_on > clock.date() else 0
    finished = add_working_days(clock.date(), days + rng.randint(1, 5) if late else rng.randint(0, max(days, 0)))
    resolved_at = min(moment(finished, 16), moment(plan.today, 9) - datetime.timedelta(hours=1))
    resolved_at = max(resolved_at, clock + datetime.timedelta(hours=1))
    issue.state, issue.resolved_at, issue.resolution = State.RESOLVED, resolved_at, "已协调解决，企业认可。"
    issue.handling_working_days = working_days_between(issue.accepted_at.date(), resolved_at.date())
    timeline.add(Action.RESOLVE, resolved_at, actor=issue.handler_id)
    if state == State.RESOLVED:
        return timeline.finish()

    closed_at = min(resolved_at + datetime.timedelta(days=rng.randint(1, 5)), moment(plan.today, 8))
    closed_at = max(closed_at, resolved_at + datetime.timedelta(minutes=10))
    issue.state, issue.closed_at = State.CLOSED, closed_at
    timeline.add(Action.CLOSE, closed_at, actor=officer_id, note="电话回访，企业满意。")
    return timeline.finish()


class Timeline:
    """The events of one issue, each copying what the ledger said once it had happened (``issues.history``)."""

    def __init__(self, batch: Batch, issue: Issue, ids: Ids) -> None:
        self.batch, self.issue, self.ids = batch, issue, ids
        self.state = ""

    def add(self, action: str, at: datetime.datetime, *, actor: int | None, reason: str = "", note: str = "") -> None:
        issue = self.issue
        self.batch.events.append(
            IssueEvent(
                id=self.ids.event.take(),
                issue_id=issue.pk,
                actor_id=actor,
                at=at,
                action=action,
                from_state=self.state,
                to_state=issue.state,
                reason=reason,
                note=note,
                data={},
                to_due_on=issue.due_on,
                to_level=issue.level,
                to_bureau_id=issue.bureau_id,
                to_handler_id=issue.handler_id,
            )
        )
        self.state = issue.state
        issue.updated_at = at
        issue.version += 1

    def finish(self) -> None:
        self.batch.issues.append(self.issue)
