"""Demo data: the service projects of the article's 常态化 section, from records (FACTS.md).

Done, and so counted: 12 industrial-internet / cloud projects at 12 enterprises;
62 smart-manufacturing upgrades (60余项); cost-saving services (能源智管)
saving exactly 15,000 万元 (约 1.5 亿元) at 36 enterprises; 10 encouraged-industry
confirmations reducing taxes by 1,830 万元; one firm's live-stream sales of
26,180 sets (2.6万余套) and 8,149 万元; 42 enterprises' executives' children
enrolled (40余家). Besides them a few projects planned, in progress or
cancelled, which the figures leave out.

Deterministic: a fixed seed, enterprises in USCC order, dates counted back from
today. Idempotent: a project is found by its natural key (enterprise, kind,
title) and only missing ones are inserted.
"""

import datetime
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from enterprises.models import KEY_TIERS, Enterprise, Tier
from grids.demo import demo_rng
from grids.models import Bureau
from platforms.financing.demo import split
from platforms.service_projects.models import Kind, ProjectState, ServiceProject

CLOUD_COUNT = 12
SMART_UPGRADE_COUNT = 62
COST_SAVING_ENTERPRISES = 36
COST_SAVING_TOTAL = 15_000
TAX_CONFIRMATIONS = 10
TAX_REDUCED_TOTAL = 1_830
LIVE_STREAM_UNITS = 26_180
LIVE_STREAM_AMOUNT = Decimal("8149")
SCHOOLING_ENTERPRISES = 42

# The responsible unit of each kind (bureau codes of grids.demo).
BUREAU_OF = {
    Kind.CLOUD: "econ",
    Kind.SMART_UPGRADE: "science",
    Kind.COST_SAVING: "econ",
    Kind.TAX_CONFIRMATION: "tax",
    Kind.LIVE_STREAM: "commerce",
    Kind.SCHOOLING: "education",
}
TITLES = {
    Kind.CLOUD: ("生产管理系统上云", "设备联网与工业互联网平台接入", "供应链协同平台上云"),
    Kind.SMART_UPGRADE: ("智能化产线改造", "数字化车间建设", "自动化焊装线改造", "智能仓储物流改造"),
    Kind.COST_SAVING: ("能源智管综合节能服务", "用电负荷优化与峰谷调度", "余热回收节能改造"),
    Kind.TAX_CONFIRMATION: ("西部大开发鼓励类产业确认",),
    Kind.LIVE_STREAM: ("空调线上直播带货",),
    Kind.SCHOOLING: ("企业高管子女入学协调",),
}


def seed_demo_data(*, stdout) -> None:
    rng = demo_rng("service-projects")
    today = timezone.localdate()
    enterprises = list(Enterprise.objects.order_by("uscc"))
    bureaus = {bureau.code: bureau for bureau in Bureau.objects.filter(code__in=set(BUREAU_OF.values()))}
    planned: list[ServiceProject] = []

    def add(enterprise, kind, number, state=ProjectState.DONE, **values) -> None:
        completed_on = today - datetime.timedelta(days=rng.randrange(15, 350)) if state == ProjectState.DONE else None
        started_on = None
        if state != ProjectState.PLANNED:
            started_on = (completed_on or today) - datetime.timedelta(days=rng.randrange(30, 120))
        planned.append(
            ServiceProject(
                enterprise=enterprise,
                kind=kind,
                title=f"{rng.choice(TITLES[kind])}（{number:03d}）",
                bureau=bureaus[BUREAU_OF[kind]],
                state=state,
                started_on=started_on,
                completed_on=completed_on,
                **values,
            )
        )

    for number, enterprise in enumerate(rng.sample(enterprises, CLOUD_COUNT + 2), start=1):
        add(enterprise, Kind.CLOUD, number, ProjectState.DONE if number <= CLOUD_COUNT else ProjectState.IN_PROGRESS)
    upgraders = rng.sample(enterprises, 50)
    for number in range(1, SMART_UPGRADE_COUNT + 5):
        state = ProjectState.DONE
        if number > SMART_UPGRADE_COUNT:
            state = (ProjectState.IN_PROGRESS, ProjectState.IN_PROGRESS, ProjectState.PLANNED, ProjectState.CANCELLED)[
                number - SMART_UPGRADE_COUNT - 1
            ]
        add(upgraders[number % len(upgraders)], Kind.SMART_UPGRADE, number, state)
    savings = split(COST_SAVING_TOTAL, COST_SAVING_ENTERPRISES, rng, minimum=60)
    for number, (enterprise, saving) in enumerate(
        zip(rng.sample(enterprises, COST_SAVING_ENTERPRISES), savings, strict=True), start=1
    ):
        add(enterprise, Kind.COST_SAVING, number, saving_amount=Decimal(saving))
    taxes = split(TAX_REDUCED_TOTAL, TAX_CONFIRMATIONS, rng, minimum=50)
    for number, (enterprise, tax) in enumerate(
        zip(rng.sample(enterprises, TAX_CONFIRMATIONS), taxes, strict=True), start=1
    ):
        add(enterprise, Kind.TAX_CONFIRMATION, number, tax_reduced=Decimal(tax))
    add(
        next(enterprise for enterprise in enterprises if enterprise.tier == Tier.LEADING),
        Kind.LIVE_STREAM,
        1,
        units_sold=LIVE_STREAM_UNITS,
        sales_amount=LIVE_STREAM_AMOUNT,
    )
    key = [enterprise for enterprise in enterprises if enterprise.tier in KEY_TIERS or enterprise.above_scale]
    for number, enterprise in enumerate(rng.sample(key, SCHOOLING_ENTERPRISES + 2), start=1):
        state = ProjectState.DONE if number <= SCHOOLING_ENTERPRISES else ProjectState.IN_PROGRESS
        add(enterprise, Kind.SCHOOLING, number, state, children_count=rng.choice((1, 1, 1, 2, 2, 3)))

    existing = set(ServiceProject.objects.values_list("enterprise_id", "kind", "title"))
    missing = [project for project in planned if (project.enterprise_id, project.kind, project.title) not in existing]
    for project in missing:
        project.clean_fields(exclude=["enterprise", "bureau", "recorded_by"])
        project.clean()
    bulk_create_with_history(missing, ServiceProject)
    stdout.write(f"  service projects: {len(missing)} new, {ServiceProject.objects.count()} in all")
