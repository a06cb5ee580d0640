"""The fixed cast (personas) shared by every test.

Two districts (A, B), one grid team in each, two bureaus, an enterprise in
each grid, and one user per role: whatever one persona may see, the persona
on the other side may not.
"""

from types import SimpleNamespace

import pytest
from django.test import Client

from accounts.models import Role
from tests.factories import (
    BureauFactory,
    DistrictFactory,
    EnterpriseFactory,
    GridTeamFactory,
    UserFactory,
)

PASSWORD = "pw-test-123"


@pytest.fixture
def cast(db):
    manager = UserFactory(username="manager", role=Role.MANAGER, name="王主任")
    admin = UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True)
    leader_a = UserFactory(username="leader-a", role=Role.DISTRICT_LEADER, name="李片长")
    leader_b = UserFactory(username="leader-b", role=Role.DISTRICT_LEADER, name="赵片长")
    district_a = DistrictFactory(code="A", name="甲片区", leader=leader_a)
    district_b = DistrictFactory(code="B", name="乙片区", leader=leader_b)
    officer_a = UserFactory(username="officer-a", role=Role.GRID_OFFICER, name="张网格")
    officer_b = UserFactory(username="officer-b", role=Role.GRID_OFFICER, name="陈网格")
    grid_a = GridTeamFactory(code="GA", name="甲网格", district=district_a, leader=officer_a)
    grid_b = GridTeamFactory(code="GB", name="乙网格", district=district_b, leader=officer_b)
    grid_a.officers.add(officer_a)
    grid_b.officers.add(officer_b)
    bureau_x = BureauFactory(code="finance", name="财政局")
    bureau_y = BureauFactory(code="tax", name="税务局")
    bureau_user_x = UserFactory(username="bureau-x", role=Role.BUREAU_STAFF, bureau=bureau_x, name="周科员")
    bureau_user_y = UserFactory(username="bureau-y", role=Role.BUREAU_STAFF, bureau=bureau_y, name="吴科员")
    enterprise_a = EnterpriseFactory(name="甲企业有限公司", grid=grid_a)
    enterprise_b = EnterpriseFactory(name="乙企业有限公司", grid=grid_b)
    enterprise_user_a = UserFactory(username="ent-a", role=Role.ENTERPRISE_USER, enterprise=enterprise_a)
    enterprise_user_b = UserFactory(username="ent-b", role=Role.ENTERPRISE_USER, enterprise=enterprise_b)
    return SimpleNamespace(**locals())


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_for():
    """``client_for(user)`` gives a test client signed in as ``user``."""
    return login
