"""factory_boy factories: the small cast every test builds on."""

import itertools

import factory

from accounts.models import Role, User
from enterprises.models import Enterprise, Industry, Ownership, Tier
from enterprises.registry.uscc import make_uscc
from grids.models import Bureau, District, GridTeam
from issues.models import Category

_uscc_serial = itertools.count(1)


def next_uscc() -> str:
    return make_uscc(f"91500000{next(_uscc_serial):09d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    phone = factory.Sequence(lambda n: f"1380000{n:04d}")
    role = Role.GRID_OFFICER
    password = factory.django.Password("pw-test-123")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    code = factory.Sequence(lambda n: f"D{n}")
    name = factory.Sequence(lambda n: f"第{n}片区")


class GridTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GridTeam

    code = factory.Sequence(lambda n: f"{n:02d}")
    name = factory.Sequence(lambda n: f"第{n}网格工作组")
    district = factory.SubFactory(DistrictFactory)


class BureauFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bureau
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"bureau{n}")
    name = factory.Sequence(lambda n: f"科室{n}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试企业{n:04d}有限公司")
    uscc = factory.LazyFunction(next_uscc)
    ownership = Ownership.PRIVATE
    industry = Industry.EQUIPMENT
    tier = Tier.GROWTH
    grid = factory.SubFactory(GridTeamFactory)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"cat{n}")
    name = factory.Sequence(lambda n: f"类别{n}")
    default_bureau = factory.SubFactory(BureauFactory)


def issue_at_bureau(enterprise: Enterprise, bureau: Bureau, *, actor: User, title: str = "用地手续办理"):
    """An issue of ``enterprise`` that ``bureau`` holds, reached the way the ledger reaches it:
    submitted, accepted and escalated by ``actor`` (the manager may take every step)."""
    from issues.models import Source
    from issues.services import issue_accept, issue_escalate, issue_submit

    issue = issue_submit(
        enterprise=enterprise, actor=actor, title=title, description="厂房扩建用地手续需要协调。", source=Source.MANAGER
    )
    issue = issue_accept(issue=issue, actor=actor, category=CategoryFactory(code="land", name="用地"))
    return issue_escalate(issue=issue, actor=actor, reason="需科室协调", bureau=bureau)
