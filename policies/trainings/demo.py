"""Demo trainings (``seed_demo`` step ``policies.trainings.demo``): past sessions with attendance,
coming ones with registrations, one of them full with a waitlist.

Rows are history, so they are written directly (the services judge times against *now*),
as the services would write them. Deterministic and idempotent: a session is found by its
topic and a registration by (session, phone); what exists is left alone.
"""

import datetime
import random

from django.utils import timezone

from accounts.models import Role, User
from enterprises.models import Enterprise
from policies.models import Policy
from policies.trainings.models import Registration, RegistrationState, TrainingSession

SEED = 20261202
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "霞", "平", "刚")

# (topic, days from today, capacity, registrations, policies by title)
SESSIONS = (
    ("企业信息化专项资金申报实务培训", -300, 60, 52, ("企业信息化专项资金",)),
    ("中央财政专项资金申报辅导会", -220, 40, 35, ("制造业高质量发展中央财政专项资金",)),
    ("经开区工业企业发展扶持政策解读", -150, 80, 70, ("经开区工业企业发展扶持资金", "南岸区民营经济发展扶持办法")),
    ("惠企政策汇编专题宣讲（第二期）", -60, 50, 44, ("企业信息化专项资金", "经开区工业企业发展扶持资金")),
    ("民营企业贷款贴息政策培训", -20, 30, 28, ("南岸区民营经济发展扶持办法",)),
    ("2027 年度技改扶持申报预备会", 9, 20, 25, ("经开区工业企业发展扶持资金",)),
    ("工业互联网上云用云专题培训", 16, 40, 18, ("企业信息化专项资金",)),
)


def seed_demo_data(*, stdout) -> None:
    today = timezone.localdate()
    rng = random.Random(SEED)
    organiser = User.objects.filter(username="bureau-econ").first()
    enterprises = list(Enterprise.objects.order_by("uscc"))
    users = {user.enterprise_id: user for user in User.objects.filter(role=Role.ENTERPRISE_USER)}
    made_sessions = made_registrations = 0
    for index, (topic, offset, capacity, count, titles) in enumerate(SESSIONS):
        day = today + datetime.timedelta(days=offset)
        starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(14, 30)))
        session = TrainingSession.objects.filter(topic=topic).first()
        if session is None:
            session = TrainingSession(
                topic=topic,
                description=f"讲解{'、'.join(titles)}的政策要点、适用范围和申报流程，现场答疑。",
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                place=rng.choice(("经开区管委会三楼报告厅", "企业服务中心二楼培训室", "智谷科创中心路演厅")),
                capacity=capacity,
                organiser=organiser,
            )
            session.full_clean()
            session.save()
            session.policies.set(Policy.objects.filter(title__in=titles))
            made_sessions += 1
        made_registrations += _registrations(
            session, random.Random(f"{SEED}:{index}"), enterprises, users, count, past=offset < 0
        )
    stdout.write(f"  {made_sessions} training sessions and {made_registrations} registrations created")


def _registrations(session, rng, enterprises, users, count, *, past: bool) -> int:
    have = set(session.registrations.values_list("attendee_phone", flat=True))
    seated = session.registrations.filter(state__in=[RegistrationState.REGISTERED, RegistrationState.ATTENDED]).count()
    made = 0
    for number, enterprise in enumerate(rng.sample(enterprises, count)):
        phone = f"139{session.pk % 100:02d}{number:06d}"
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(("", *GIVEN))
        draw = rng.random()
        if phone in have:
            continue
        registered_at = session.starts_at - datetime.timedelta(days=rng.randint(2, 14), minutes=number)
        state = RegistrationState.REGISTERED if seated < session.capacity else RegistrationState.WAITLISTED
        cancelled_at = checked_in_at = None
        if draw < 0.08 and state == RegistrationState.REGISTERED:
            state, cancelled_at = RegistrationState.CANCELLED, registered_at + datetime.timedelta(days=1)
        elif past and state == RegistrationState.REGISTERED and draw < 0.9:
            state, checked_in_at = (
                RegistrationState.ATTENDED,
                session.starts_at - datetime.timedelta(minutes=rng.randint(0, 40)),
            )
        if state in (RegistrationState.REGISTERED, RegistrationState.ATTENDED):
            seated += 1
        Registration.objects.create(
            session=session,
            enterprise=enterprise,
            attendee_name=name,
            attendee_phone=phone,
            state=state,
            registered_at=registered_at,
            registered_by=users.get(enterprise.pk),
            cancelled_at=cancelled_at,
            checked_in_at=checked_in_at,
        )
        made += 1
    return made
