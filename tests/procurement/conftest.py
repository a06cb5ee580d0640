"""Procurement tests: a fixed day, a small vehicle chain in two districts around the cast."""

import datetime
from types import SimpleNamespace

import pytest

from enterprises.models import Industry, Product, Tier
from tests.factories import EnterpriseFactory

TODAY = datetime.date(2025, 6, 16)


@pytest.fixture
def today(time_machine):
    # 10:00 in Shanghai on a Monday.
    time_machine.move_to(datetime.datetime(2025, 6, 16, 2, 0, tzinfo=datetime.UTC), tick=False)
    return TODAY


def product(enterprise, name, *, category="", main=True):
    return Product.objects.create(enterprise=enterprise, name=name, category=category, is_main=main)


@pytest.fixture
def chain(cast, today):
    """The buyer is enterprise A (vehicles, district A); suppliers around it in both districts."""
    cast.enterprise_a.industry = Industry.AUTOMOTIVE
    cast.enterprise_a.save()
    product(cast.enterprise_a, "制动器")  # the buyer's own product: never proposed to itself
    brakes = EnterpriseFactory(name="重庆瑞恒制动有限公司", industry=Industry.AUTOMOTIVE, grid=cast.grid_b)
    brakes_main = product(brakes, "制动器总成", category="汽车及零部件")
    product(brakes, "刹车片", category="汽车及零部件", main=False)
    knuckles = EnterpriseFactory(
        name="重庆嘉鑫车桥有限公司", industry=Industry.AUTOMOTIVE, tier=Tier.STRUGGLING, grid=cast.grid_a
    )
    knuckles_main = product(knuckles, "转向节", category="汽车及零部件")
    discs = EnterpriseFactory(
        name="重庆华宏机械有限公司", industry=Industry.EQUIPMENT, tier=Tier.STRUGGLING, grid=cast.grid_a
    )
    discs_main = product(discs, "制动盘", category="装备制造")
    hotpot = EnterpriseFactory(name="重庆博通食品有限公司", industry=Industry.FOOD, grid=cast.grid_a)
    product(hotpot, "火锅底料", category="食品加工")
    leader = EnterpriseFactory(
        name="重庆通达汽车有限公司", industry=Industry.AUTOMOTIVE, tier=Tier.LEADING, grid=cast.grid_b
    )
    return SimpleNamespace(
        brakes=brakes,
        brakes_main=brakes_main,
        knuckles=knuckles,
        knuckles_main=knuckles_main,
        discs=discs,
        discs_main=discs_main,
        hotpot=hotpot,
        leader=leader,
    )
