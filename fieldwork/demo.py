"""Demo data: a year of visits and a year of weekly tracking.

Every enterprise is visited at least once in the year (the article's 100 %
coverage): key enterprises about monthly, growth ones every two or three
months, each by an officer of its grid, on working days in office hours, with
an operating snapshot that fits its tier (struggling firms shrink, leading ones
grow). Key enterprises have a weekly tracking entry for each of the last 52
ISO weeks, a few of them missed, and this week's entry for about half; growth
enterprises have one entry a month. A full year, so that the dashboards'
twelve-month tracking trend has data in every month. Problems that the ledger's demo recorded as
raised during a visit (source ``visit``) are linked to a visit on that day.

Deterministic: every value comes from a fixed seed, walking enterprises in
USCC order; dates count back from today in Asia/Shanghai, so the demo always
looks current. Idempotent: visits and tracking are made only when there are
none yet, and an issue is linked only while it has no source visit, so a
second run changes nothing. Rows go in through the services (``visit_create``,
``weekly_tracking_record``) with ``at=`` the moment they were recorded, so the demo
holds no state the pages would refuse; one transaction keeps that quick.
"""

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from common.periods import IsoWeek, local_today
from enterprises.models import KEY_TIERS, Enterprise, EnterpriseContact, Tier
from fieldwork.models import ContactMode, Trend, Visit, WeeklyTracking
from fieldwork.services import visit_create, weekly_tracking_record
from grids.demo import demo_rng
from grids.models import GridTeam
from issues.models import Issue, Source

VISITS_PER_YEAR = {Tier.LEADING: 12, Tier.BACKBONE: 10, Tier.STRUGGLING: 12, Tier.GROWTH: 5}
TRACKED_WEEKS = 52
MISSED_WEEK_SHARE = 0.05
# Monthly output per employee (万元) and capacity use (%) by tier.
OUTPUT_PER_HEAD = {
    Tier.LEADING: (2.0, 3.5),
    Tier.BACKBONE: (1.4, 2.6),
    Tier.GROWTH: (0.8, 1.8),
    Tier.STRUGGLING: (0.5, 1.0),
}
CAPACITY = {Tier.LEADING: (78, 95), Tier.BACKBONE: (68, 90), Tier.GROWTH: (55, 85), Tier.STRUGGLING: (35, 60)}
TRENDS = {
    Tier.LEADING: (Trend.UP, Trend.UP, Trend.FLAT),
    Tier.BACKBONE: (Trend.UP, Trend.FLAT, Trend.FLAT, Trend.DOWN),
    Tier.GROWTH: (Trend.UP, Trend.FLAT, Trend.DOWN),
    Tier.STRUGGLING: (Trend.DOWN, Trend.DOWN, Trend.FLAT),
}
# What an officer writes down, and whether it is a difficulty (存在困难).
FINDINGS = {
    Tier.LEADING: (
        ("生产经营稳定，订单排产已到下季度，正推进智能化产线改造。", False),
        ("新产品线试产顺利，计划扩大区内配套采购比例。", False),
        ("企业反映高端技工紧缺，已对接人力资源平台。", True),
    ),
    Tier.BACKBONE: (
        ("生产正常，主要客户订单稳定，资金周转良好。", False),
        ("企业计划申报技术改造专项资金，已讲解申报流程。", False),
        ("原材料价格上涨，利润空间收窄，持续关注。", True),
    ),
    Tier.GROWTH: (
        ("企业处于成长期，订单逐步增加，厂房空间趋紧。", True),
        ("送达最新惠企政策汇编，讲解申报条件。", False),
        ("生产经营平稳，暂无困难诉求。", False),
        ("企业计划扩大产能，咨询区内闲置厂房租赁。", False),
    ),
    Tier.STRUGGLING: (
        ("订单同比下降约三成，部分产线停产，资金周转紧张。", True),
        ("企业有富余员工，已推荐至区内用工紧缺企业调剂。", True),
        ("银行贷款即将到期，企业申请协调续贷。", True),
    ),
}
MODES = (ContactMode.ON_SITE,) * 6 + (ContactMode.PHONE,) * 2 + (ContactMode.ONLINE,) * 2


@transaction.atomic
def seed_demo_data(*, stdout) -> None:
    enterprises = list(Enterprise.objects.order_by("uscc"))
    officers = _officers_by_grid()
    users = User.objects.in_bulk({user_id for ids in officers.values() for user_id in ids})
    if not Visit.objects.exists():
        visits = _plan_visits(enterprises, officers, _contact_names())
        for visit in visits:
            officer = users[visit.pop("officer_id")]
            visit_create(**visit, officer=officer, at=visit["visited_at"])
        stdout.write(f"  {len(visits)} visits, every one of {len(enterprises)} enterprises visited")
    else:
        stdout.write("  visits present: left as they are")
    linked = _link_visit_issues(officers, users)
    if linked:
        stdout.write(f"  {linked} problems raised during visits linked to their visit")
    if not WeeklyTracking.objects.exists():
        trackings = _plan_tracking(enterprises, officers)
        for tracking in trackings:
            officer, tracked_at = users[tracking.pop("officer_id")], tracking.pop("tracked_at")
            weekly_tracking_record(**tracking, officer=officer, at=tracked_at)
        stdout.write(f"  {len(trackings)} weekly tracking entries")
    else:
        stdout.write("  weekly tracking present: left as it is")


def _officers_by_grid() -> dict[int, list[int]]:
    """Officer ids of each grid team by username (the leader when it has none)."""
    officers: dict[int, list[int]] = defaultdict(list)
    through = GridTeam.officers.through.objects.order_by("gridteam_id", "user__username")
    for grid_id, user_id in through.values_list("gridteam_id", "user_id"):
        officers[grid_id].append(user_id)
    for grid_id, leader_id in GridTeam.objects.filter(leader__isnull=False).values_list("id", "leader_id"):
        officers.setdefault(grid_id, [leader_id])
    return officers


def _contact_names() -> dict[int, str]:
    names: dict[int, str] = {}
    for enterprise_id, name, title in EnterpriseContact.objects.order_by("-is_primary", "id").values_list(
        "enterprise_id", "name", "title"
    ):
        names.setdefault(enterprise_id, f"{name}（{title}）" if title else name)
    return names


def _working_moment(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A moment in office hours, moved off the weekend, in Asia/Shanghai."""
    if day.weekday() >= 5:
        day -= datetime.timedelta(days=day.weekday() - 4)
    minutes = rng.randrange(9 * 60, 17 * 60 + 30)
    naive = datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60))
    return timezone.make_aware(naive)


def _snapshot(enterprise: Enterprise, rng: random.Random, months_ago: float) -> dict:
    """Operating figures for ``months_ago``: struggling firms were bigger a year ago."""
    tier = enterprise.tier
    drift = {Tier.STRUGGLING: 0.03, Tier.LEADING: -0.01}.get(tier, 0.0)
    scale = 1 + drift * months_ago
    employees = max(5, round(max(enterprise.employees, 20) * scale * rng.uniform(0.96, 1.04)))
    low, high = OUTPUT_PER_HEAD[tier]
    return {
        "output_value": Decimal(str(round(employees * rng.uniform(low, high) * scale, 2))),
        "orders_trend": rng.choice(TRENDS[tier]),
        "employees": employees,
        "capacity_use": rng.randint(*CAPACITY[tier]),
    }


def _plan_visits(enterprises, officers, contacts) -> list[dict]:
    """The year's visits, as the arguments of ``visit_create`` (with ``officer_id``)."""
    rng = demo_rng("fieldwork-visits")
    now = timezone.now()
    first_day = local_today() - datetime.timedelta(days=364)
    visits = []
    for enterprise in enterprises:
        grid_officers = officers.get(enterprise.grid_id)
        if not grid_officers:
            continue
        count = VISITS_PER_YEAR[enterprise.tier]
        slot = 364 / count
        for number in range(count):
            day = first_day + datetime.timedelta(days=int(slot * number + rng.uniform(0, slot - 1)))
            visited_at = min(_working_moment(day, rng), now - datetime.timedelta(hours=1))
            months_ago = (now - visited_at).days / 30
            findings, difficult = rng.choice(FINDINGS[enterprise.tier])
            visits.append(
                {
                    "enterprise": enterprise,
                    "officer_id": rng.choice(grid_officers),
                    "visited_at": visited_at,
                    "mode": rng.choice(MODES),
                    "met_with": contacts.get(enterprise.pk, ""),
                    "findings": findings,
                    "has_difficulties": difficult,
                    **_snapshot(enterprise, rng, months_ago),
                }
            )
    return visits


def _link_visit_issues(officers, users) -> int:
    """Give each problem the ledger's demo raised "during a visit" that visit."""
    issues = list(
        Issue.objects.filter(source=Source.VISIT, source_visits__isnull=True)
        .select_related("enterprise")
        .order_by("created_at", "id")
    )
    through = Visit.raised_issues.through
    links = []
    for issue in issues:
        grid_officers = officers.get(issue.enterprise.grid_id)
        if not grid_officers:
            continue
        rng = random.Random(f"jingkai-fieldwork-issue-{issue.enterprise.uscc}-{issue.title}")
        officer_id = issue.created_by_id if issue.created_by_id in grid_officers else grid_officers[0]
        visited_at = issue.created_at - datetime.timedelta(minutes=rng.randrange(15, 120))
        visit = visit_create(
            enterprise=issue.enterprise,
            officer=users[officer_id],
            visited_at=visited_at,
            mode=ContactMode.ON_SITE,
            findings=issue.description[:200],
            has_difficulties=True,
            **_snapshot(issue.enterprise, rng, 0),
            at=visited_at,
        )
        links.append(through(visit_id=visit.pk, issue_id=issue.pk))
    through.objects.bulk_create(links)
    return len(links)


def _plan_tracking(enterprises, officers) -> list[dict]:
    """The year's tracking entries, as the arguments of ``weekly_tracking_record`` (with
    ``officer_id`` and ``tracked_at``, the moment of the entry)."""
    rng = demo_rng("fieldwork-tracking")
    now = timezone.now()
    this_week = IsoWeek.current()
    trackings = []
    for enterprise in enterprises:
        grid_officers = officers.get(enterprise.grid_id)
        if not grid_officers:
            continue
        if enterprise.tier in KEY_TIERS:
            weeks = [this_week.minus(offset) for offset in range(TRACKED_WEEKS, 0, -1)]
            weeks = [week for week in weeks if rng.random() >= MISSED_WEEK_SHARE]
            if rng.random() < 0.5:
                weeks.append(this_week)
        else:
            weeks = _one_week_a_month(this_week, rng)
        for week in weeks:
            day = week.monday + datetime.timedelta(days=rng.randrange(0, 5))
            tracked_at = min(_working_moment(day, rng), now)
            snapshot = _snapshot(enterprise, rng, (now - tracked_at).days / 30)
            snapshot["output_value"] = (snapshot["output_value"] / Decimal("4.33")).quantize(Decimal("0.01"))
            struggling = enterprise.tier == Tier.STRUGGLING
            trackings.append(
                {
                    "enterprise": enterprise,
                    "week": week,
                    "officer_id": rng.choice(grid_officers),
                    "tracked_at": tracked_at,
                    "mode": rng.choice((ContactMode.PHONE, ContactMode.PHONE, ContactMode.ON_SITE, ContactMode.ONLINE)),
                    "risk_orders": (struggling and rng.random() < 0.7) or rng.random() < 0.05,
                    "risk_funding": (struggling and rng.random() < 0.5) or rng.random() < 0.03,
                    "risk_labour": rng.random() < 0.08,
                    "risk_safety": rng.random() < 0.02,
                    "note": ("订单持续下滑，继续跟踪。" if struggling else ""),
                    **snapshot,
                }
            )
    return trackings


def _one_week_a_month(this_week: IsoWeek, rng: random.Random) -> list[IsoWeek]:
    """Growth enterprises: one week in each month of the tracked year, this month about half the time."""
    by_month: dict[datetime.date, list[IsoWeek]] = defaultdict(list)
    for offset in range(TRACKED_WEEKS + 1):
        week = this_week.minus(offset)
        by_month[week.monday.replace(day=1)].append(week)
    months = sorted(by_month)[1:]  # the first month is only partly inside the year
    chosen = []
    for month in months[:-1]:
        chosen.append(rng.choice(sorted(by_month[month], key=lambda week: week.monday)))
    if rng.random() < 0.5:
        chosen.append(rng.choice(sorted(by_month[months[-1]], key=lambda week: week.monday)))
    return sorted(chosen, key=lambda week: week.monday)
