import datetime
from decimal import Decimal

import pytest

from platforms.service_projects.models import Kind, ProjectState
from platforms.service_projects.services import service_project_create

DONE_ON = datetime.date(2026, 3, 15)


@pytest.fixture
def sp(cast):
    """A cost-saving project at enterprise A (bureau X responsible) and a schooling case at B (bureau Y)."""
    cast.saving_a = service_project_create(
        actor=cast.manager,
        enterprise=cast.enterprise_a,
        kind=Kind.COST_SAVING,
        title="能源智管",
        bureau=cast.bureau_x,
        state=ProjectState.DONE,
        started_on=datetime.date(2026, 1, 5),
        completed_on=DONE_ON,
        saving_amount=Decimal("120"),
    )
    cast.schooling_b = service_project_create(
        actor=cast.manager,
        enterprise=cast.enterprise_b,
        kind=Kind.SCHOOLING,
        title="子女入学",
        bureau=cast.bureau_y,
        state=ProjectState.DONE,
        started_on=datetime.date(2026, 2, 1),
        completed_on=DONE_ON,
        children_count=2,
    )
    return cast
