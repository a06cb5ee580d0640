"""``seed_demo``: the demo zone of the article, deterministic and idempotent."""

import os
import subprocess
import sys
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.db.models import Count

from accounts.homes import home_url_for
from accounts.models import Role, User
from enterprises.models import Enterprise, EnterpriseContact, Ownership, Tier, TierChange
from enterprises.registry.demo import enterprise_plan
from enterprises.registry.uscc import validate_uscc
from grids.demo import BUREAUS, DEMO_PASSWORD, TASK_FORCE_MEMBERS
from grids.models import Bureau, District, GridTeam, JointTaskForce, Zone
from tests.seed.snapshot import all_rows, demo_digest

pytestmark = pytest.mark.django_db

BUREAU_CODES = [code for code, *_ in BUREAUS]
DEMO_USERNAMES = (
    ["admin", "manager"]
    + [f"district-{n}" for n in range(1, 5)]
    + [f"officer-{n:02d}" for n in range(1, 36)]
    + [f"bureau-{code}" for code in BUREAU_CODES]
    + [f"enterprise-{n:03d}" for n in range(1, 288)]
)
# One account of each kind.
ONE_OF_EACH = ("admin", "manager", "district-2", "officer-17", "bureau-finance", "enterprise-123")


def test_the_article_figures(demo_zone):
    assert District.objects.count() == 4
    assert GridTeam.objects.count() == 35
    assert Enterprise.objects.count() == 287
    assert Enterprise.objects.filter(ownership=Ownership.PRIVATE).count() == 254
    # The other 33 are state-owned, foreign and mixed, each present.
    others = Counter(Enterprise.objects.exclude(ownership=Ownership.PRIVATE).values_list("ownership", flat=True))
    assert set(others) == {Ownership.STATE, Ownership.FOREIGN, Ownership.MIXED}


def test_every_tier_in_plausible_proportions(demo_zone):
    tiers = Counter(Enterprise.objects.values_list("tier", flat=True))
    assert set(tiers) == set(Tier.values)
    # A few leaders, more backbone firms, most of them growing, a minority struggling.
    assert tiers[Tier.LEADING] < tiers[Tier.BACKBONE] < tiers[Tier.GROWTH]
    assert tiers[Tier.LEADING] < tiers[Tier.STRUGGLING] < tiers[Tier.GROWTH]
    assert tiers[Tier.GROWTH] > 287 / 2


def test_about_a_third_above_designated_size_and_several_industries(demo_zone):
    assert 80 <= Enterprise.objects.filter(above_scale=True).count() <= 110
    assert Enterprise.objects.values("industry").distinct().count() >= 8


def test_every_uscc_passes_its_check_character(demo_zone):
    for uscc in Enterprise.objects.values_list("uscc", flat=True):
        validate_uscc(uscc)


def test_names_are_unique_and_look_like_chongqing_firms(demo_zone):
    names = list(Enterprise.objects.values_list("name", flat=True))
    assert len(set(names)) == 287
    assert all(name.endswith("有限公司") and "重庆" in name for name in names)


def test_the_zone_has_a_grid_chief_with_a_phone(demo_zone):
    zone = Zone.current()
    assert zone.name == settings.PORTAL_ZONE_NAME
    assert zone.grid_chief.username == "manager"
    assert zone.grid_chief.phone


def test_each_district_has_its_leader_and_grid_teams(demo_zone):
    for number in range(1, 5):
        district = District.objects.get(leader__username=f"district-{number}")
        assert district.leader.role == Role.DISTRICT_LEADER
        assert district.leader.phone
        assert 8 <= district.grid_teams.count() <= 9


def test_every_grid_team_has_a_leader_and_officer_nn_serves_team_nn(demo_zone):
    for team in GridTeam.objects.select_related("leader").prefetch_related("officers"):
        assert team.leader is not None
        officers = {officer.username for officer in team.officers.all()}
        assert f"officer-{team.code}" in officers
        assert all(officer.role == Role.GRID_OFFICER and officer.phone for officer in team.officers.all())
    assert sorted(GridTeam.objects.values_list("code", flat=True)) == [f"{n:02d}" for n in range(1, 36)]


def test_every_grid_team_holds_enterprises(demo_zone):
    counts = dict(GridTeam.objects.annotate(n=Count("enterprises")).values_list("code", "n"))
    assert min(counts.values()) >= 5
    assert sum(counts.values()) == 287


def test_all_bureaus_each_with_its_account_and_the_task_force(demo_zone):
    assert set(Bureau.objects.values_list("code", flat=True)) == set(BUREAU_CODES)
    for code in BUREAU_CODES:
        user = User.objects.get(username=f"bureau-{code}")
        assert user.role == Role.BUREAU_STAFF
        assert user.bureau.code == code
    task_force = JointTaskForce.objects.get()
    assert task_force.name == "企业服务联合专班"
    assert set(task_force.bureaus.values_list("code", flat=True)) == set(TASK_FORCE_MEMBERS)


def test_enterprise_nnn_is_the_user_of_enterprise_nnn(demo_zone):
    plan = enterprise_plan()
    users = {
        user.username: user.enterprise.uscc
        for user in User.objects.filter(role=Role.ENTERPRISE_USER).select_related("enterprise")
    }
    assert users == {f"enterprise-{item.number:03d}": item.fields["uscc"] for item in plan}
    # enterprise-001 sits in grid team 01, which officer-01 serves.
    assert User.objects.get(username="enterprise-001").enterprise.grid.code == "01"


def test_every_enterprise_has_contacts_one_primary_and_its_filing_in_the_tier_history(demo_zone):
    contacts = Counter(EnterpriseContact.objects.values_list("enterprise_id", flat=True))
    primaries = Counter(EnterpriseContact.objects.filter(is_primary=True).values_list("enterprise_id", flat=True))
    filings = Counter(TierChange.objects.filter(from_tier="", reason="建档").values_list("enterprise_id", flat=True))
    for enterprise_id in Enterprise.objects.values_list("id", flat=True):
        assert 1 <= contacts[enterprise_id] <= 2
        assert primaries[enterprise_id] == 1
        assert filings[enterprise_id] == 1
    assert Enterprise.history.filter(history_type="+").count() == 287


def test_every_demo_account_exists_with_its_role_and_the_demo_password(demo_zone):
    users = {user.username: user for user in User.objects.filter(username__in=DEMO_USERNAMES)}
    assert sorted(users) == sorted(DEMO_USERNAMES)
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert users["manager"].role == Role.MANAGER
    # Hashed once and shared, so one check proves every account's password.
    assert len({user.password for user in users.values()}) == 1
    assert check_password(DEMO_PASSWORD, users["officer-01"].password)
    assert not check_password("wrong-password", users["officer-01"].password)


@pytest.mark.parametrize("username", ONE_OF_EACH)
def test_a_demo_account_signs_in_and_lands_on_its_home(demo_zone, client, username):
    response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    home = client.get("/")
    user = User.objects.get(username=username)
    assert home.status_code == 302
    assert home["Location"] == home_url_for(user)
    assert client.get(home["Location"]).status_code == 200


def test_a_second_run_changes_nothing(demo_zone):
    before = all_rows()
    output = StringIO()
    call_command("seed_demo", stdout=output)
    assert all_rows() == before
    assert "0 new" in output.getvalue()


def test_two_fresh_databases_get_identical_demo_data(demo_zone):
    """A new process seeds an empty in-memory SQLite database: its content,
    by natural keys, equals this database's (SQLite or PostgreSQL)."""
    script = (
        "import django; django.setup();"
        "from django.core.management import call_command;"
        "call_command('migrate', verbosity=0, skip_checks=True);"
        "call_command('seed_demo', skip_checks=True, stdout=open('/dev/null', 'w'));"
        "from tests.seed.snapshot import demo_digest; print(demo_digest())"
    )
    env = {**os.environ, "DATABASE_URL": "sqlite://:memory:", "DJANGO_SETTINGS_MODULE": "jingkai_portal.settings.test"}
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == demo_digest()
