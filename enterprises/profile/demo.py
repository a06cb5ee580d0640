"""Demo data, step 3: the standard profile of every demo enterprise.

Products (产品结构) for every enterprise; supply links (上下游配套商) along the
zone's vehicle-manufacturing chain, as in the article (parts makers, among
them struggling firms retooled to supply the zone's leaders, selling to the
leading and backbone vehicle firms), plus links to outside suppliers and
customers; and the last 12 complete months of employment (用工情况) and
operating indicators (经营指标): leading and growth firms grow and are short
of workers, struggling firms trend down and have workers to spare.

Deterministic: each enterprise's figures come from a random source seeded
with its USCC, and the months are the 12 before the current one. Idempotent:
rows are found by their natural keys (enterprise + product name, enterprise
+ month, supplier + customer + outside name + product) and only missing ones
are inserted, in bulk.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone, translation
from simple_history.utils import bulk_create_with_history

from enterprises.profile.models import EmploymentRecord, OperatingIndicator, Product, SupplyLink
from enterprises.profile.selectors import month_window
from enterprises.registry.demo import enterprise_plan
from enterprises.registry.models import Enterprise, Industry, Tier

MONTHS = 12
# Annual output (万元) and capacity use (%) by tier; monthly growth of output and staff.
TIER_OUTPUT = {
    Tier.LEADING: (60_000, 300_000),
    Tier.BACKBONE: (8_000, 60_000),
    Tier.GROWTH: (600, 8_000),
    Tier.STRUGGLING: (500, 6_000),
}
TIER_CAPACITY = {Tier.LEADING: (82, 95), Tier.BACKBONE: (75, 90), Tier.GROWTH: (65, 88), Tier.STRUGGLING: (45, 62)}
TIER_OUTPUT_GROWTH = {
    Tier.LEADING: (0.002, 0.01),
    Tier.BACKBONE: (0.0, 0.008),
    Tier.GROWTH: (0.01, 0.025),
    Tier.STRUGGLING: (-0.05, -0.025),
}
TIER_STAFF_GROWTH = {
    Tier.LEADING: 0.003,
    Tier.BACKBONE: 0.0,
    Tier.GROWTH: 0.01,
    Tier.STRUGGLING: -0.015,
}
# Spring Festival: February's output is lower everywhere.
SEASONAL = {2: 0.78, 1: 0.95, 12: 1.05}

# Fictional outside partners (区外), by side of the chain.
OUTSIDE_CUSTOMERS = {
    Industry.AUTOMOTIVE: ("西部整车制造有限公司", "川渝汽车集团有限公司", "华西新能源汽车有限公司"),
    Industry.ELECTRONICS: ("西南笔记本电脑整机有限公司", "蓉城智能终端有限公司"),
    Industry.EQUIPMENT: ("长江工程机械有限公司", "西南轨道交通装备有限公司"),
}
OUTSIDE_SUPPLIERS = {
    Industry.AUTOMOTIVE: ("长江钢材贸易有限公司", "西南铝业有限公司"),
    Industry.ELECTRONICS: ("华南电子元器件有限公司", "西部覆铜板有限公司"),
    Industry.METALWORK: ("长江钢材贸易有限公司", "西南铝业有限公司"),
    Industry.MATERIALS: ("西南化工原料有限公司",),
    Industry.FOOD: ("川渝农产品批发市场有限公司",),
}
# Industries whose firms also supply the zone's vehicle makers.
FEEDS_VEHICLE_CHAIN = (Industry.METALWORK, Industry.ELECTRONICS, Industry.MATERIALS, Industry.CHEMICALS)


def _rng(enterprise: Enterprise, part: str) -> random.Random:
    return random.Random(f"jingkai-profile-{part}-{enterprise.uscc}")


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(Decimal("0.01"))


def _annual_output(enterprise: Enterprise) -> float:
    low, high = TIER_OUTPUT[enterprise.tier]
    return _rng(enterprise, "output").uniform(low, high)


def _products(enterprise: Enterprise, industry_labels: dict) -> list[Product]:
    rng = _rng(enterprise, "products")
    names = [name for name in enterprise.main_products.split("、") if name] or [enterprise.name[:10] + "产品"]
    annual = _annual_output(enterprise)
    main_share = rng.randint(50, 75) if len(names) > 1 else 100
    shares = [main_share] + ([100 - main_share - rng.randint(0, 15)] if len(names) > 1 else [])
    return [
        Product(
            enterprise=enterprise,
            name=name,
            category=industry_labels[enterprise.industry],
            annual_output=_money(annual * share / 100),
            share_percent=share,
            is_main=index == 0,
        )
        for index, (name, share) in enumerate(zip(names, shares, strict=False))
    ]


def _monthly(enterprise: Enterprise, months: list[dt.date]) -> tuple[list[EmploymentRecord], list[OperatingIndicator]]:
    rng = _rng(enterprise, "monthly")
    growth = rng.uniform(*TIER_OUTPUT_GROWTH[enterprise.tier])
    staff_growth = TIER_STAFF_GROWTH[enterprise.tier]
    base_output = _annual_output(enterprise) / 12
    capacity_low, capacity_high = TIER_CAPACITY[enterprise.tier]
    capacity = rng.randint(capacity_low, capacity_high)
    energy_rate = rng.uniform(0.02, 0.08)  # 万千瓦时 per 万元 of output
    headcount_now = max(enterprise.employees, 10)
    employment, indicators = [], []
    last = len(months) - 1
    for index, month in enumerate(months):
        # The latest month matches the enterprise's figures; earlier ones are
        # worked back along its trend, with a little noise.
        age = last - index
        output = base_output * (1 + growth) ** (-age) * SEASONAL.get(month.month, 1.0) * rng.uniform(0.95, 1.05)
        orders_ratio = rng.uniform(0.8, 0.95) if enterprise.tier == Tier.STRUGGLING else rng.uniform(0.95, 1.15)
        # Struggling firms ran fuller a year ago: 2 points more per month back.
        month_capacity = capacity + (2 * age if enterprise.tier == Tier.STRUGGLING else 0) + rng.randint(-3, 3)
        indicators.append(
            OperatingIndicator(
                enterprise=enterprise,
                month=month,
                output_value=_money(output),
                orders_value=_money(output * orders_ratio),
                capacity_use=max(20, min(100, month_capacity)),
                energy_use=_money(output * energy_rate),
            )
        )
        headcount = round(headcount_now * (1 + staff_growth) ** (-age) * rng.uniform(0.99, 1.01))
        if enterprise.tier == Tier.STRUGGLING:
            vacancies, surplus = 0, round(headcount * rng.uniform(0.05, 0.15))
        elif enterprise.tier in (Tier.GROWTH, Tier.LEADING):
            vacancies, surplus = round(headcount * rng.uniform(0.02, 0.08)), 0
        else:
            vacancies, surplus = round(headcount * rng.uniform(0.0, 0.03)), 0
        employment.append(
            EmploymentRecord(
                enterprise=enterprise, month=month, headcount=headcount, vacancies=vacancies, surplus=surplus
            )
        )
    return employment, indicators


def _supply_links(enterprises: list[Enterprise]) -> list[SupplyLink]:
    """The vehicle chain inside the zone, and outside partners at both ends."""
    makers = [e for e in enterprises if e.industry == Industry.AUTOMOTIVE and e.tier in (Tier.LEADING, Tier.BACKBONE)]
    links = []
    for enterprise in enterprises:
        rng = _rng(enterprise, "links")
        product = enterprise.main_products.split("、")[0] if enterprise.main_products else ""
        in_chain = enterprise.industry == Industry.AUTOMOTIVE or (
            enterprise.industry in FEEDS_VEHICLE_CHAIN and rng.random() < 0.3
        )
        if in_chain and enterprise not in makers and makers:
            for customer in rng.sample(makers, k=min(len(makers), 1 + (rng.random() < 0.4))):
                amount = _annual_output(enterprise) * rng.uniform(0.1, 0.4)
                links.append(
                    SupplyLink(supplier=enterprise, customer=customer, product=product, annual_amount=_money(amount))
                )
        if enterprise in makers or rng.random() < 0.3:
            customers = OUTSIDE_CUSTOMERS.get(enterprise.industry)
            if customers:
                links.append(
                    SupplyLink(
                        supplier=enterprise,
                        outside_name=rng.choice(customers),
                        product=product,
                        annual_amount=_money(_annual_output(enterprise) * rng.uniform(0.2, 0.5)),
                    )
                )
        suppliers = OUTSIDE_SUPPLIERS.get(enterprise.industry)
        if suppliers and rng.random() < 0.5:
            links.append(
                SupplyLink(
                    customer=enterprise,
                    outside_name=rng.choice(suppliers),
                    product=rng.choice(("钢材", "铝材", "原材料", "电子元器件", "包装材料")),
                    annual_amount=_money(_annual_output(enterprise) * rng.uniform(0.05, 0.2)),
                )
            )
    return links


def seed_demo_data(*, stdout, today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    months = month_window(end=last_month, months=MONTHS)
    order = {item.fields["uscc"]: item.number for item in enterprise_plan()}
    enterprises = sorted(Enterprise.objects.filter(uscc__in=order), key=lambda e: order[e.uscc])
    ids = [enterprise.pk for enterprise in enterprises]
    with translation.override("zh-hans"):
        industry_labels = {value: str(label) for value, label in Industry.choices}

    have_products = set(Product.objects.filter(enterprise_id__in=ids).values_list("enterprise_id", "name"))
    products = [
        product
        for enterprise in enterprises
        for product in _products(enterprise, industry_labels)
        if (enterprise.pk, product.name) not in have_products
    ]
    bulk_create_with_history(products, Product, batch_size=500)

    have_employment = set(
        EmploymentRecord.objects.filter(enterprise_id__in=ids, month__in=months).values_list("enterprise_id", "month")
    )
    have_indicators = set(
        OperatingIndicator.objects.filter(enterprise_id__in=ids, month__in=months).values_list("enterprise_id", "month")
    )
    employment, indicators = [], []
    for enterprise in enterprises:
        monthly_employment, monthly_indicators = _monthly(enterprise, months)
        employment += [r for r in monthly_employment if (enterprise.pk, r.month) not in have_employment]
        indicators += [r for r in monthly_indicators if (enterprise.pk, r.month) not in have_indicators]
    bulk_create_with_history(employment, EmploymentRecord, batch_size=500)
    bulk_create_with_history(indicators, OperatingIndicator, batch_size=500)

    have_links = set(
        SupplyLink.objects.filter(Q(supplier_id__in=ids) | Q(customer_id__in=ids)).values_list(
            "supplier_id", "customer_id", "outside_name", "product"
        )
    )
    links = [
        link
        for link in _supply_links(enterprises)
        if (link.supplier_id, link.customer_id, link.outside_name, link.product) not in have_links
    ]
    bulk_create_with_history(links, SupplyLink, batch_size=500)

    stdout.write(
        f"  profiles: {len(products)} products, {len(links)} supply links, "
        f"{len(employment)} employment and {len(indicators)} indicator months new "
        f"({months[0]:%Y-%m} to {months[-1]:%Y-%m})"
    )
