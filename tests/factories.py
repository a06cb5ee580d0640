"""factory_boy factories: the small cast every test builds on."""

import itertools

import factory

from accounts.models import Role, User
from enterprises.models import Enterprise, Industry, Ownership, Tier
from enterprises.uscc import make_uscc
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
