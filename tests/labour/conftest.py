"""The labour platform's small world: the shared cast plus a struggling and two growing firms."""

import datetime
from types import SimpleNamespace

import pytest

from accounts.models import Role
from enterprises.models import Industry, Tier
from platforms.labour.models import LabourPosting, LabourProposal, Transfer
from tests.factories import EnterpriseFactory, GridTeamFactory, UserFactory

TODAY = datetime.date(2025, 6, 16)


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2025, 6, 16, 10, 0, tzinfo=datetime.UTC), tick=False)
    return TODAY


@pytest.fixture
def firms(cast, today):
    """A struggling automotive firm in grid A (enterprise A itself) and three possible takers."""
    cast.enterprise_a.tier = Tier.STRUGGLING
    cast.enterprise_a.industry = Industry.AUTOMOTIVE
    cast.enterprise_a.save()
    other_grid_in_a = GridTeamFactory(code="GA2", name="甲二网格", district=cast.district_a)
    growing_same_district = EnterpriseFactory(
        name="丙汽配有限公司", grid=other_grid_in_a, tier=Tier.GROWTH, industry=Industry.AUTOMOTIVE
    )
    backbone_elsewhere = EnterpriseFactory(
        name="丁电子有限公司", grid=cast.grid_b, tier=Tier.BACKBONE, industry=Industry.ELECTRONICS
    )
    struggling_elsewhere = EnterpriseFactory(
        name="戊机械有限公司", grid=cast.grid_b, tier=Tier.STRUGGLING, industry=Industry.EQUIPMENT
    )
    growing_user = UserFactory(username="ent-c", role=Role.ENTERPRISE_USER, enterprise=growing_same_district)
    return SimpleNamespace(
        struggling=cast.enterprise_a,
        growing=growing_same_district,
        backbone=backbone_elsewhere,
        struggling_b=struggling_elsewhere,
        growing_user=growing_user,
    )


def posting(enterprise, kind, *, skills, count, starts=0, days=90, today=TODAY) -> LabourPosting:
    """A posting written straight to the table (no matching): for building a scene."""
    return LabourPosting.objects.create(
        enterprise=enterprise,
        kind=kind,
        skills=skills,
        count=count,
        starts_on=today + datetime.timedelta(days=starts),
        ends_on=today + datetime.timedelta(days=starts + days),
    )


def labour_snapshot() -> dict:
    return {
        "postings": list(LabourPosting.objects.order_by("pk").values()),
        "proposals": list(LabourProposal.objects.order_by("pk").values()),
        "transfers": list(Transfer.objects.order_by("pk").values()),
    }
