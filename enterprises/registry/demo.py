"""Demo data, step 2: the zone's 287 industrial enterprises (FACTS.md).

254 of them private (民营), the rest state-owned, foreign or mixed; all four
tiers in plausible proportions; about a third above designated size (规上);
valid 统一社会信用代码; fictional names (重庆 + an invented trade name + an
industry word); 1–2 contacts each; a 建档 row in the tier history; and the
user ``enterprise-NNN`` of enterprise NNN, counting in the plan's order (grid
team 01 first, so ``enterprise-001`` sits in ``officer-01``'s grid).

Deterministic and idempotent like ``grids.demo``: the whole plan is drawn
from a fixed seed before the database is read, enterprises are found by USCC
and users by username, and what exists is left alone. Board tokens are the
one random part: they stay unguessable (they are not derived from the seed).
"""

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from simple_history.utils import bulk_create_with_history

from accounts.models import Role
from enterprises.registry.models import Enterprise, EnterpriseContact, Industry, Ownership, Tier, TierChange
from enterprises.registry.uscc import ALPHABET, make_uscc
from grids.demo import GRID_TEAM_COUNT, demo_rng, ensure_users, mobile_phone, person_name
from grids.models import GridTeam

ENTERPRISE_COUNT = 287
PRIVATE_COUNT = 254
TIER_COUNTS = {Tier.LEADING: 15, Tier.BACKBONE: 45, Tier.GROWTH: 190, Tier.STRUGGLING: 37}
# Larger firms are more often state-owned or foreign-invested: 33 non-private in all.
NON_PRIVATE_BY_TIER = {Tier.LEADING: 8, Tier.BACKBONE: 12, Tier.GROWTH: 10, Tier.STRUGGLING: 3}
NON_PRIVATE_OWNERSHIPS = [Ownership.STATE] * 14 + [Ownership.FOREIGN] * 11 + [Ownership.MIXED] * 8
# 规上 (annual revenue above 20 million yuan): 98 of 287, about a third.
ABOVE_SCALE_BY_TIER = {Tier.LEADING: 15, Tier.BACKBONE: 36, Tier.GROWTH: 38, Tier.STRUGGLING: 9}
# (employees, registered capital in 万元, founded from year) by tier.
TIER_SIZE = {
    Tier.LEADING: ((800, 5000), (20000, 120000), 1995),
    Tier.BACKBONE: ((200, 1200), (3000, 30000), 1998),
    Tier.GROWTH: ((20, 300), (100, 5000), 2005),
    Tier.STRUGGLING: ((30, 400), (200, 8000), 2000),
}

# Weighted towards vehicles and electronics, the zone's main chains.
INDUSTRY_WEIGHTS = {
    Industry.AUTOMOTIVE: 30,
    Industry.ELECTRONICS: 15,
    Industry.EQUIPMENT: 15,
    Industry.MATERIALS: 10,
    Industry.METALWORK: 10,
    Industry.BIOMEDICINE: 5,
    Industry.FOOD: 5,
    Industry.CHEMICALS: 4,
    Industry.PRINTING: 3,
    Industry.OTHER: 3,
}
# Product lines per industry: (the word in the firm's name, what such a firm makes).
INDUSTRY_LINES = {
    Industry.AUTOMOTIVE: (
        ("汽车零部件", ("制动器总成", "转向节", "座椅骨架", "汽车线束")),
        ("车桥", ("车桥总成", "半轴", "轮毂")),
        ("汽车电子", ("车载控制器", "汽车线束", "车身传感器")),
        ("传动系统", ("变速器齿轮", "传动轴", "离合器总成")),
        ("汽车配件", ("汽车车灯", "内饰件", "冲压车身件")),
    ),
    Industry.ELECTRONICS: (
        ("电子科技", ("印制电路板", "连接器", "电源适配器")),
        ("光电科技", ("液晶显示模组", "背光源", "光学镜片")),
        ("智能科技", ("笔记本电脑结构件", "智能终端", "传感器")),
        ("微电子", ("功率器件", "集成电路封装", "传感器")),
    ),
    Industry.EQUIPMENT: (
        ("机械", ("通用机械配件", "减速机", "输送设备")),
        ("智能装备", ("工业机器人", "自动化生产线", "数控机床")),
        ("机电设备", ("电机", "液压泵阀", "配电柜")),
        ("精密机械", ("精密模具", "数控机床配件", "精密轴承")),
    ),
    Industry.BIOMEDICINE: (
        ("制药", ("化学原料药", "中成药", "口服制剂")),
        ("生物科技", ("体外诊断试剂", "生物制剂")),
        ("医疗器械", ("医用敷料", "一次性注射器", "康复器具")),
    ),
    Industry.MATERIALS: (
        ("新材料", ("改性塑料", "特种玻璃", "电子浆料")),
        ("复合材料", ("碳纤维复合件", "玻纤增强板材")),
        ("新型建材", ("装配式墙板", "铝合金型材", "节能门窗")),
    ),
    Industry.FOOD: (
        ("食品", ("火锅底料", "方便食品", "休闲食品")),
        ("调味品", ("复合调味料", "火锅底料", "酱油")),
        ("饮品", ("饮用水", "茶饮料")),
    ),
    Industry.CHEMICALS: (
        ("化工", ("表面处理剂", "工业清洗剂")),
        ("涂料", ("工业涂料", "汽车涂料", "防腐涂料")),
        ("精细化工", ("胶黏剂", "电子化学品")),
    ),
    Industry.METALWORK: (
        ("金属制品", ("冲压件", "紧固件", "金属结构件")),
        ("精密铸造", ("铝合金压铸件", "精密铸件")),
        ("钢结构", ("钢结构件", "钢构厂房")),
    ),
    Industry.PRINTING: (
        ("印务", ("彩色印刷品", "不干胶标签")),
        ("包装", ("纸箱包装", "塑料包装膜", "缓冲包装材料")),
    ),
    Industry.OTHER: (
        ("家具", ("办公家具", "定制家具")),
        ("实业", ("工装服装", "日用制品")),
    ),
}
TRADE_NAME_CHARACTERS = (
    "瑞恒嘉鑫华宏博通达联创源睿泰德丰盛锦川渝岳凯航宇耀弘展荣隆昌汇诚信远兴旺晟铭祥泓昊骏卓越浩润坤元"
)
ROADS = ("开拓大道", "兴业路", "创业大道", "科创路", "聚才路", "工业一路", "工业二路", "工业三路", "腾飞路", "振兴路")
CONTACT_TITLES = ("总经理", "办公室主任", "行政经理", "副总经理", "综合部部长")
SECOND_CONTACT_TITLES = ("财务总监", "人事经理", "生产经理", "安全主管")
# 经开区 lies in 南岸区 (行政区划码 500108); the first two characters mean
# "registered by market regulation, as an enterprise".
USCC_PREFIX = "91500108"
# When the enterprises were put on file in the portal (the 建档 rows).
ENROLLED_AT = dt.datetime(2024, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@dataclass
class PlannedEnterprise:
    number: int  # 1-based: the NNN of enterprise-NNN
    grid_code: str
    fields: dict
    contacts: list[dict] = field(default_factory=list)


def _grid_sizes(rng: random.Random) -> list[int]:
    """How many enterprises each grid team holds: 287 over 35 teams, 5 to 13 each."""
    sizes = [ENTERPRISE_COUNT // GRID_TEAM_COUNT] * GRID_TEAM_COUNT
    for index in rng.sample(range(GRID_TEAM_COUNT), ENTERPRISE_COUNT - sum(sizes)):
        sizes[index] += 1
    for _ in range(60):
        give, take = rng.randrange(GRID_TEAM_COUNT), rng.randrange(GRID_TEAM_COUNT)
        if give != take and sizes[give] > 5 and sizes[take] < 13:
            sizes[give] -= 1
            sizes[take] += 1
    return sizes


def _tiers_ownerships_scale(rng: random.Random) -> list[tuple[str, str, bool]]:
    """(tier, ownership, above_scale) for every enterprise, shuffled."""
    others = list(NON_PRIVATE_OWNERSHIPS)
    rng.shuffle(others)
    rows: list[tuple[str, str, bool]] = []
    for tier, count in TIER_COUNTS.items():
        non_private = set(rng.sample(range(count), NON_PRIVATE_BY_TIER[tier]))
        above_scale = set(rng.sample(range(count), ABOVE_SCALE_BY_TIER[tier]))
        for index in range(count):
            ownership = others.pop() if index in non_private else Ownership.PRIVATE
            rows.append((tier, ownership, index in above_scale))
    rng.shuffle(rows)
    return rows


def _uscc(rng: random.Random, taken: set[str]) -> str:
    while True:
        uscc = make_uscc(USCC_PREFIX + "".join(rng.choice(ALPHABET) for _ in range(9)))
        if uscc not in taken:
            taken.add(uscc)
            return uscc


def _name(rng: random.Random, line_word: str, ownership: str, taken: set[str]) -> str:
    while True:
        trade_name = "".join(rng.sample(TRADE_NAME_CHARACTERS, 2))
        if ownership == Ownership.FOREIGN:
            name = f"{trade_name}{line_word}（重庆）有限公司"
        else:
            suffix = "股份有限公司" if ownership in (Ownership.STATE, Ownership.MIXED) else "有限公司"
            name = f"重庆{trade_name}{line_word}{suffix}"
        if name not in taken:
            taken.add(name)
            return name


def _contacts(rng: random.Random) -> list[dict]:
    contacts = [
        {"name": person_name(rng), "title": rng.choice(CONTACT_TITLES), "phone": mobile_phone(rng), "is_primary": True}
    ]
    if rng.random() < 0.5:
        contacts.append(
            {
                "name": person_name(rng),
                "title": rng.choice(SECOND_CONTACT_TITLES),
                "phone": mobile_phone(rng),
                "is_primary": False,
            }
        )
    return contacts


def enterprise_plan() -> list[PlannedEnterprise]:
    """The 287 demo enterprises, in enterprise-NNN order; reads no database."""
    rng = demo_rng("enterprises")
    sizes = _grid_sizes(rng)
    profiles = _tiers_ownerships_scale(rng)
    industries, weights = zip(*INDUSTRY_WEIGHTS.items(), strict=True)
    taken_usccs: set[str] = set()
    taken_names: set[str] = set()
    plan: list[PlannedEnterprise] = []
    for grid_index, size in enumerate(sizes):
        for _ in range(size):
            tier, ownership, above_scale = profiles[len(plan)]
            industry = rng.choices(industries, weights)[0]
            line_word, products = rng.choice(INDUSTRY_LINES[industry])
            (low_staff, high_staff), (low_capital, high_capital), since = TIER_SIZE[tier]
            fields = {
                "name": _name(rng, line_word, ownership, taken_names),
                "uscc": _uscc(rng, taken_usccs),
                "ownership": ownership,
                "industry": industry,
                "above_scale": above_scale,
                "tier": tier,
                "address": f"重庆经开区{rng.choice(ROADS)}{rng.randint(1, 300)}号",
                "legal_representative": person_name(rng),
                "phone": f"023-6{rng.randint(0, 9_999_999):07d}",
                "employees": rng.randint(low_staff, high_staff),
                "founded_on": dt.date(rng.randint(since, 2022), rng.randint(1, 12), rng.randint(1, 28)),
                "registered_capital": Decimal(rng.randint(low_capital, high_capital)),
                "main_products": "、".join(rng.sample(products, 2)),
            }
            plan.append(
                PlannedEnterprise(
                    number=len(plan) + 1,
                    grid_code=f"{grid_index + 1:02d}",
                    fields=fields,
                    contacts=_contacts(rng),
                )
            )
    return plan


def seed_demo_data(*, stdout) -> None:
    plan = enterprise_plan()
    grids = {grid.code: grid for grid in GridTeam.objects.filter(code__in={item.grid_code for item in plan})}
    existing = set(
        Enterprise.objects.filter(uscc__in=[item.fields["uscc"] for item in plan]).values_list("uscc", flat=True)
    )
    new_items = [item for item in plan if item.fields["uscc"] not in existing]

    new_enterprises = []
    for item in new_items:
        enterprise = Enterprise(grid=grids[item.grid_code], **item.fields)
        # Field validation (USCC check character, choices, lengths) without a query per row.
        enterprise.clean_fields(exclude=["grid", "board_token"])
        new_enterprises.append(enterprise)
    # Stored data, not a label: the same words whatever language is active.
    reason = "建档"
    bulk_create_with_history(
        new_enterprises, Enterprise, batch_size=500, default_change_reason=reason, default_date=ENROLLED_AT
    )
    ids = dict(Enterprise.objects.filter(uscc__in=[item.fields["uscc"] for item in plan]).values_list("uscc", "id"))

    TierChange.objects.bulk_create(
        [
            TierChange(
                enterprise_id=ids[item.fields["uscc"]],
                from_tier="",
                to_tier=item.fields["tier"],
                reason=reason,
                changed_at=ENROLLED_AT,
            )
            for item in new_items
        ],
        batch_size=500,
    )
    EnterpriseContact.objects.bulk_create(
        [
            EnterpriseContact(enterprise_id=ids[item.fields["uscc"]], **contact)
            for item in new_items
            for contact in item.contacts
        ],
        batch_size=500,
    )
    # The user of each enterprise is its primary contact.
    users = ensure_users(
        {
            "username": f"enterprise-{item.number:03d}",
            "name": item.contacts[0]["name"],
            "phone": item.contacts[0]["phone"],
            "title": item.contacts[0]["title"],
            "role": Role.ENTERPRISE_USER,
            "enterprise_id": ids[item.fields["uscc"]],
        }
        for item in plan
    )
    private = sum(1 for item in plan if item.fields["ownership"] == Ownership.PRIVATE)
    stdout.write(
        f"  enterprises: {len(plan)} ({private} private, {len(new_items)} new), {len(users)} enterprise accounts"
    )
