"""Demo data, step 1: the organisation of the zone and its staff accounts.

The zone (经开区) with its grid chief, 4 districts (片区) each with a leader,
35 grid teams (网格工作组) spread over them, the bureaus (业务科室) of DESIGN §2
and the joint service task force (联合服务专班). Accounts follow DESIGN §5:
``admin``, ``manager``, ``district-1``…``district-4``, ``officer-01``…
``officer-35`` and ``bureau-<code>``, all with the password ``jingkai-demo``.

Deterministic: every value comes from a ``random.Random`` with a fixed seed and
is drawn before the database is read, so a fresh database always gets the same
rows. Idempotent: rows are found by their natural keys (username, code) and a
row that exists is left alone, so a second run changes nothing.

The person-name and phone helpers are shared with the later demo steps.
"""

import random
from collections.abc import Iterable
from functools import cache

from django.conf import settings
from django.contrib.auth.hashers import make_password

from accounts.models import PasswordChange, Role, User
from grids.models import Bureau, District, GridTeam, JointTaskForce, Zone

DEMO_PASSWORD = "jingkai-demo"

DISTRICT_COUNT = 4
GRID_TEAM_COUNT = 35

# (code, name, phone, duties): the bureaus of DESIGN §2 and the article.
BUREAUS = (
    ("econ", "经济发展局", "023-62580101", "工业经济运行监测，企业服务统筹，网格化服务牵头"),
    ("finance", "财政局", "023-62580102", "财政扶持资金、专项资金的审核与拨付"),
    ("tax", "税务局", "023-62580103", "税收政策辅导，减税降费，西部大开发鼓励类产业确认"),
    ("planning", "规划和自然资源局", "023-62580104", "用地规划，土地供应，厂房建设审批"),
    ("hr", "人力资源和社会保障局", "023-62580105", "用工保障，社会保险，人才引进与调剂"),
    ("safety", "应急管理局", "023-62580106", "安全生产监管（安监），应急事件处置"),
    ("fire", "消防救援支队", "023-62580107", "消防设计审验，消防安全检查"),
    ("municipal", "市政管理局", "023-62580108", "道路、排水、照明等市政设施"),
    ("ecology", "生态环境局", "023-62580109", "环境影响评价，排污许可，污染防治"),
    ("finance-office", "金融服务办公室", "023-62580110", "银企对接，融资担保，续贷与再贷款协调"),
    ("science", "科技局", "023-62580111", "科技项目申报，高新技术企业认定，智能化改造"),
    ("commerce", "商务局", "023-62580112", "外贸外资，区内配套采购，产销对接"),
    ("education", "教育局", "023-62580113", "企业高管及人才子女入学"),
)

# 联合服务专班 (FACTS.md): finance, tax, municipal, fire and work safety; the
# economic development bureau convenes it and takes cases one by one (一事一议).
TASK_FORCE_NAME = "企业服务联合专班"
TASK_FORCE_LEAD = "econ"
TASK_FORCE_MEMBERS = ("finance", "tax", "municipal", "fire", "safety")

DISTRICT_NAMES = ("第一片区", "第二片区", "第三片区", "第四片区")
# Grid work is done by zone cadres beside their posts: titles are their posts
# (the role label already says 片区负责人 / 网格员).
DISTRICT_LEADER_TITLES = ("经济发展局副局长", "企业服务中心主任", "建设管理局副局长", "党政办公室主任")
OFFICER_TITLES = ("经济发展局科员", "经济发展局副科长", "企业服务中心科员", "招商服务中心科员", "党政办公室科员")

# Common surnames and given-name characters: every combination is fictional.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃戴莫孔向汤冉"
)
# Given-name characters as parents choose them for sons and for daughters.
GIVEN_CHARACTERS = (
    "伟强磊军勇杰涛明超刚鹏辉建国志文斌宇浩凯俊峰健波亮锋鑫海松柏成荣德庆晓东瑞祥永兴泽睿航帆毅诚昊川勤",
    "芳娜敏静丽艳娟秀霞英华玉萍红婷雪琳晨欣佳宁琴云燕兰凤梅春嘉怡晓思源诗雨婉倩蕾薇月慧洁颖",
)


def demo_rng(step: str) -> random.Random:
    """The random source of one demo step: same seed, same data, every time."""
    return random.Random(f"jingkai-{step}")


def person_name(rng: random.Random) -> str:
    """A fictional Chinese personal name of two or three characters."""
    characters = rng.choice(GIVEN_CHARACTERS)
    given_length = 1 if rng.random() < 0.3 else 2
    return rng.choice(SURNAMES) + "".join(rng.sample(characters, given_length))


def mobile_phone(rng: random.Random) -> str:
    return rng.choice(("138", "139", "135", "136", "150", "151", "158", "177", "180", "189")) + "".join(
        str(rng.randrange(10)) for _ in range(8)
    )


@cache
def demo_password_hash() -> str:
    """The encoded demo password, hashed once: every demo user shares it
    (hashing per user would take minutes with PBKDF2)."""
    return make_password(DEMO_PASSWORD)


def ensure_users(specs: Iterable[dict]) -> dict[str, User]:
    """Create the users of ``specs`` (dicts of User fields, ``username`` the
    natural key) that do not exist yet, in one insert; existing users are left
    as they are. Returns every spec'd user by username."""
    specs = list(specs)
    usernames = [spec["username"] for spec in specs]
    existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    User.objects.bulk_create(
        # Their password is published: in production (DEBUG off) each must choose its own at sign-in.
        [
            User(password=demo_password_hash(), must_change_password=PasswordChange.PUBLISHED, **spec)
            for spec in specs
            if spec["username"] not in existing
        ],
        batch_size=500,
    )
    return {user.username: user for user in User.objects.filter(username__in=usernames)}


def team_district_numbers() -> list[int]:
    """District number (1-based) of each grid team in code order: 9, 9, 9, 8."""
    per_district, extra = divmod(GRID_TEAM_COUNT, DISTRICT_COUNT)
    numbers: list[int] = []
    for number in range(1, DISTRICT_COUNT + 1):
        numbers += [number] * (per_district + (1 if number <= extra else 0))
    return numbers


def _staff_specs(rng: random.Random) -> list[dict]:
    specs = [
        {
            "username": "admin",
            "name": "系统管理员",
            "role": Role.ADMIN,
            "is_staff": True,
            "is_superuser": True,
            "title": "系统管理员",
            "phone": mobile_phone(rng),
        },
        {
            "username": "manager",
            "name": person_name(rng),
            "role": Role.MANAGER,
            "title": "管委会副主任、网格总负责人",
            "phone": mobile_phone(rng),
        },
    ]
    for number in range(1, DISTRICT_COUNT + 1):
        specs.append(
            {
                "username": f"district-{number}",
                "name": person_name(rng),
                "role": Role.DISTRICT_LEADER,
                "title": DISTRICT_LEADER_TITLES[number - 1],
                "phone": mobile_phone(rng),
            }
        )
    for number in range(1, GRID_TEAM_COUNT + 1):
        specs.append(
            {
                "username": f"officer-{number:02d}",
                "name": person_name(rng),
                "role": Role.GRID_OFFICER,
                "title": rng.choice(OFFICER_TITLES),
                "phone": mobile_phone(rng),
            }
        )
    for code, _name, _phone, _duties in BUREAUS:
        specs.append(
            {
                "username": f"bureau-{code}",
                "name": person_name(rng),
                "role": Role.BUREAU_STAFF,
                "title": rng.choice(("科长", "副科长", "科员")),
                "phone": mobile_phone(rng),
            }
        )
    return specs


def _ensure_bureaus() -> dict[str, Bureau]:
    existing = set(Bureau.objects.values_list("code", flat=True))
    Bureau.objects.bulk_create(
        [
            Bureau(code=code, name=name, phone=phone, duties=duties)
            for code, name, phone, duties in BUREAUS
            if code not in existing
        ]
    )
    return {bureau.code: bureau for bureau in Bureau.objects.filter(code__in=[row[0] for row in BUREAUS])}


def _ensure_task_force(bureaus: dict[str, Bureau]) -> None:
    task_force, created = JointTaskForce.objects.get_or_create(
        name=TASK_FORCE_NAME, defaults={"lead_bureau": bureaus[TASK_FORCE_LEAD]}
    )
    if created:
        task_force.bureaus.set([bureaus[code] for code in TASK_FORCE_MEMBERS])


def _ensure_districts(users: dict[str, User]) -> dict[int, District]:
    existing = set(District.objects.values_list("code", flat=True))
    District.objects.bulk_create(
        [
            District(code=f"D{number}", name=DISTRICT_NAMES[number - 1], leader=users[f"district-{number}"])
            for number in range(1, DISTRICT_COUNT + 1)
            if f"D{number}" not in existing
        ]
    )
    by_code = {district.code: district for district in District.objects.all()}
    return {number: by_code[f"D{number}"] for number in range(1, DISTRICT_COUNT + 1)}


def _ensure_grid_teams(users: dict[str, User], districts: dict[int, District]) -> None:
    existing = set(GridTeam.objects.values_list("code", flat=True))
    new_teams = []
    for number, district_number in enumerate(team_district_numbers(), start=1):
        code = f"{number:02d}"
        if code not in existing:
            new_teams.append(
                GridTeam(
                    code=code,
                    name=f"第{number}网格工作组",
                    district=districts[district_number],
                    leader=users[f"officer-{code}"],
                )
            )
    GridTeam.objects.bulk_create(new_teams)
    # officer-NN is an officer of team NN; only missing memberships are added.
    Membership = GridTeam.officers.through
    codes = [f"{number:02d}" for number in range(1, GRID_TEAM_COUNT + 1)]
    teams = {team.code: team.pk for team in GridTeam.objects.filter(code__in=codes)}
    present = set(Membership.objects.filter(gridteam_id__in=teams.values()).values_list("gridteam_id", "user_id"))
    wanted = {(teams[code], users[f"officer-{code}"].pk) for code in codes}
    Membership.objects.bulk_create(
        [Membership(gridteam_id=team_id, user_id=user_id) for team_id, user_id in sorted(wanted - present)]
    )


def seed_demo_data(*, stdout) -> None:
    rng = demo_rng("grids")
    specs = _staff_specs(rng)
    bureaus = _ensure_bureaus()
    for spec in specs:
        if spec["role"] == Role.BUREAU_STAFF:
            spec["bureau"] = bureaus[spec["username"].removeprefix("bureau-")]
    users_before = User.objects.count()
    users = ensure_users(specs)
    _ensure_task_force(bureaus)

    if not Zone.objects.exists():
        Zone.objects.create(name=settings.PORTAL_ZONE_NAME, grid_chief=users["manager"])
    districts = _ensure_districts(users)
    _ensure_grid_teams(users, districts)

    stdout.write(
        f"  organisation: {District.objects.count()} districts, {GridTeam.objects.count()} grid teams, "
        f"{Bureau.objects.count()} bureaus, {JointTaskForce.objects.count()} task force; "
        f"{len(users)} staff accounts ({User.objects.count() - users_before} new)"
    )
