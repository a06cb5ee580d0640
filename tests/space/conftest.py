import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from accounts.models import Role
from enterprises.models import Industry, Tier
from platforms.space.models import CustomBuildCase, Lease, SpaceDemand, SpaceListing, SpaceProposal
from tests.factories import EnterpriseFactory, UserFactory

TODAY = datetime.date(2025, 6, 16)


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2025, 6, 16, 10, 0, tzinfo=datetime.UTC), tick=False)
    return TODAY


@pytest.fixture
def firms(cast, today):
    cast.enterprise_a.tier = Tier.STRUGGLING
    cast.enterprise_a.save()
    tenant = EnterpriseFactory(name="丙汽配有限公司", grid=cast.grid_a, tier=Tier.GROWTH, industry=Industry.AUTOMOTIVE)
    tenant_user = UserFactory(username="ent-c", role=Role.ENTERPRISE_USER, enterprise=tenant)
    return SimpleNamespace(owner=cast.enterprise_a, tenant=tenant, tenant_user=tenant_user)


def listing(owner, *, area, district, kind="plant", height=None, load=None, power=None, available=0, industries=()):
    return SpaceListing.objects.create(
        owner=owner,
        kind=kind,
        title=f"{owner.name} {area} m²",
        area_m2=Decimal(area),
        floor_height_m=None if height is None else Decimal(height),
        floor_load_t_m2=None if load is None else Decimal(load),
        power_kva=power,
        address="兴业路 1 号",
        district=district,
        available_from=TODAY + datetime.timedelta(days=available),
        industries_allowed=list(industries),
    )


def space_snapshot() -> dict:
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (SpaceListing, SpaceDemand, SpaceProposal, Lease, CustomBuildCase)
    }
