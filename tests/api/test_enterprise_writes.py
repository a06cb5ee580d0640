"""Administrators create and edit enterprises through the API; nobody else writes."""

import pytest

from accounts.models import Role
from enterprises.models import Enterprise, Ownership, Tier, TierChange
from enterprises.registry.uscc import make_uscc
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VALID_USCC = make_uscc("91500000MA5U00001")


def _new_enterprise(cast, **overrides) -> dict:
    body = {
        "name": "新建精密机械有限公司",
        "uscc": VALID_USCC,
        "ownership": "private",
        "industry": "equipment",
        "above_scale": True,
        "tier": "backbone",
        "grid": cast.grid_a.pk,
        "employees": 120,
        "registered_capital": "500.00",
        "founded_on": "2015-06-01",
    }
    return body | overrides


def _snapshot(enterprise: Enterprise) -> dict:
    enterprise.refresh_from_db()
    return {field.name: getattr(enterprise, field.name) for field in Enterprise._meta.concrete_fields}


def _post(client, body):
    return client.post("/api/enterprises/", body, content_type="application/json")


def _patch(client, enterprise, body):
    return client.patch(f"/api/enterprises/{enterprise.pk}/", body, content_type="application/json")


# --- create -----------------------------------------------------------------


def test_admin_creates_an_enterprise_with_its_tier_history(cast, client_for):
    response = _post(client_for(cast.admin), _new_enterprise(cast, tier_reason="招商引进"))

    assert response.status_code == 201
    body = response.json()
    enterprise = Enterprise.objects.get(uscc=VALID_USCC)
    assert body["id"] == enterprise.pk
    assert response["Location"] == f"http://testserver/api/enterprises/{enterprise.pk}/"
    assert (body["name"], body["tier"], body["grid"], body["district"]) == (
        "新建精密机械有限公司",
        "backbone",
        cast.grid_a.pk,
        cast.district_a.pk,
    )
    assert body["board_url"] == f"http://testserver/board/{enterprise.board_token}/"
    assert "tier_reason" not in body
    change = TierChange.objects.get(enterprise=enterprise)
    assert (change.from_tier, change.to_tier, change.reason, change.changed_by) == (
        "",
        Tier.BACKBONE,
        "招商引进",
        cast.admin,
    )
    assert enterprise.history.get().history_user == cast.admin


def test_a_lower_case_uscc_is_stored_in_capitals(cast, client_for):
    response = _post(client_for(cast.admin), _new_enterprise(cast, uscc=f" {VALID_USCC.lower()} "))

    assert response.status_code == 201
    assert Enterprise.objects.filter(uscc=VALID_USCC).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"uscc": VALID_USCC[:17] + ("0" if VALID_USCC[17] != "0" else "1")}, "uscc"),  # wrong check character
        ({"uscc": "12345"}, "uscc"),
        ({"grid": 999999}, "grid"),
        ({"grid": None}, "grid"),
        ({"tier": "unicorn"}, "tier"),
        ({"ownership": "public"}, "ownership"),
        ({"name": ""}, "name"),
    ],
)
def test_admin_create_with_a_bad_field_answers_400_naming_it_and_saves_nothing(cast, client_for, overrides, field):
    before = Enterprise.objects.count()

    response = _post(client_for(cast.admin), _new_enterprise(cast, **overrides))

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert Enterprise.objects.count() == before
    assert not TierChange.objects.filter(enterprise__uscc=VALID_USCC).exists()


def test_a_duplicate_uscc_answers_400_naming_uscc_and_saves_nothing(cast, client_for):
    before = Enterprise.objects.count()

    response = _post(client_for(cast.admin), _new_enterprise(cast, uscc=cast.enterprise_b.uscc))

    assert response.status_code == 400
    assert list(response.json()) == ["uscc"]
    assert Enterprise.objects.count() == before


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MANAGER])
def test_a_superuser_or_an_admin_role_may_write(cast, client_for, role):
    user = UserFactory(username=f"writer-{role}", role=role, is_superuser=role != Role.ADMIN)

    response = _post(client_for(user), _new_enterprise(cast))

    assert response.status_code == 201
    enterprise = Enterprise.objects.get(uscc=VALID_USCC)
    assert (enterprise.pk, enterprise.name, enterprise.grid) == (
        response.json()["id"],
        "新建精密机械有限公司",
        cast.grid_a,
    )
    assert enterprise.history.get().history_user == user


# --- edit -------------------------------------------------------------------


def test_admin_edits_profile_fields(cast, client_for):
    response = _patch(client_for(cast.admin), cast.enterprise_b, {"name": "乙企业（集团）有限公司", "employees": 88})

    assert response.status_code == 200
    assert response.json()["name"] == "乙企业（集团）有限公司"
    cast.enterprise_b.refresh_from_db()
    assert (cast.enterprise_b.name, cast.enterprise_b.employees) == ("乙企业（集团）有限公司", 88)
    assert cast.enterprise_b.history.first().history_user == cast.admin


def test_admin_moves_an_enterprise_to_another_grid(cast, client_for):
    response = _patch(client_for(cast.admin), cast.enterprise_a, {"grid": cast.grid_b.pk})

    assert response.status_code == 200
    assert (response.json()["grid"], response.json()["district"]) == (cast.grid_b.pk, cast.district_b.pk)
    cast.enterprise_a.refresh_from_db()
    assert (cast.enterprise_a.grid, cast.enterprise_a.grid.district) == (cast.grid_b, cast.district_b)


def test_a_tier_change_needs_a_reason_and_without_one_changes_nothing(cast, client_for):
    before = _snapshot(cast.enterprise_a)

    response = _patch(client_for(cast.admin), cast.enterprise_a, {"tier": "struggling", "name": "改名"})

    assert response.status_code == 400
    assert "tier_reason" in response.json()
    assert _snapshot(cast.enterprise_a) == before
    assert not TierChange.objects.filter(enterprise=cast.enterprise_a).exists()


def test_a_tier_change_with_a_reason_is_kept_in_the_tier_history(cast, client_for):
    response = _patch(
        client_for(cast.admin), cast.enterprise_a, {"tier": "struggling", "tier_reason": "订单下降五成", "phone": "1"}
    )

    assert response.status_code == 200
    assert (response.json()["tier"], response.json()["tier_display"], response.json()["phone"]) == (
        "struggling",
        "困难企业",
        "1",
    )
    change = TierChange.objects.get(enterprise=cast.enterprise_a)
    assert (change.from_tier, change.to_tier, change.reason) == (Tier.GROWTH, Tier.STRUGGLING, "订单下降五成")
    cast.enterprise_a.refresh_from_db()
    assert (cast.enterprise_a.tier, cast.enterprise_a.phone) == (Tier.STRUGGLING, "1")


def test_a_full_put_with_the_same_tier_records_no_tier_change(cast, client_for):
    body = _new_enterprise(cast, uscc=cast.enterprise_a.uscc, tier=cast.enterprise_a.tier, name="甲企业股份有限公司")

    response = client_for(cast.admin).put(
        f"/api/enterprises/{cast.enterprise_a.pk}/", body, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["name"] == "甲企业股份有限公司"
    cast.enterprise_a.refresh_from_db()
    assert (cast.enterprise_a.name, cast.enterprise_a.employees) == ("甲企业股份有限公司", 120)
    assert not TierChange.objects.filter(enterprise=cast.enterprise_a).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"uscc": "91500000MA5U0000XX"}, "uscc"),
        ({"grid": 999999}, "grid"),
        ({"ownership": "nationalised"}, "ownership"),
    ],
)
def test_admin_edit_with_a_bad_field_answers_400_and_changes_nothing(cast, client_for, body, field):
    before = _snapshot(cast.enterprise_a)

    response = _patch(client_for(cast.admin), cast.enterprise_a, body)

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert _snapshot(cast.enterprise_a) == before


def test_editing_to_another_enterprises_uscc_answers_400_and_changes_nothing(cast, client_for):
    before = _snapshot(cast.enterprise_a)

    response = _patch(client_for(cast.admin), cast.enterprise_a, {"uscc": cast.enterprise_b.uscc})

    assert response.status_code == 400
    assert list(response.json()) == ["uscc"]
    assert _snapshot(cast.enterprise_a) == before


def test_keeping_its_own_uscc_is_not_a_duplicate(cast, client_for):
    before = _snapshot(cast.enterprise_a)

    response = _patch(client_for(cast.admin), cast.enterprise_a, {"uscc": cast.enterprise_a.uscc, "phone": "2"})

    assert response.status_code == 200
    assert _snapshot(cast.enterprise_a) == before | {"phone": "2", "updated_at": cast.enterprise_a.updated_at}


def test_the_board_token_cannot_be_set_through_the_api(cast, client_for):
    before = _snapshot(cast.enterprise_a)

    response = _patch(client_for(cast.admin), cast.enterprise_a, {"board_token": "chosen-by-me"})

    assert response.status_code == 400
    assert list(response.json()) == ["board_token"]
    assert _snapshot(cast.enterprise_a) == before


# --- refused writes ---------------------------------------------------------

NON_ADMINS = ["manager", "leader_a", "officer_a", "bureau_user_x", "enterprise_user_a"]


@pytest.mark.parametrize("persona", NON_ADMINS)
def test_non_admins_cannot_create(cast, client_for, persona):
    before = Enterprise.objects.count()

    response = _post(client_for(getattr(cast, persona)), _new_enterprise(cast))

    assert response.status_code == 403
    assert Enterprise.objects.count() == before


@pytest.mark.parametrize("persona", ["manager", "leader_a", "officer_a", "enterprise_user_a"])
def test_non_admins_cannot_edit_an_enterprise_they_see(cast, client_for, persona):
    before = _snapshot(cast.enterprise_a)
    client = client_for(getattr(cast, persona))

    patched = _patch(client, cast.enterprise_a, {"name": "被改名"})
    put = client.put(
        f"/api/enterprises/{cast.enterprise_a.pk}/", _new_enterprise(cast), content_type="application/json"
    )

    assert (patched.status_code, put.status_code) == (403, 403)
    assert _snapshot(cast.enterprise_a) == before


@pytest.mark.parametrize("persona", ["leader_a", "officer_a", "bureau_user_x", "enterprise_user_a"])
def test_editing_an_enterprise_outside_the_scope_answers_404(cast, client_for, persona):
    before = _snapshot(cast.enterprise_b)

    response = _patch(client_for(getattr(cast, persona)), cast.enterprise_b, {"name": "被改名"})

    assert response.status_code == 404
    assert _snapshot(cast.enterprise_b) == before


def test_anonymous_writes_are_refused(cast, client):
    before = Enterprise.objects.count()

    assert _post(client, _new_enterprise(cast)).status_code == 401
    assert _patch(client, cast.enterprise_a, {"name": "x"}).status_code == 401
    assert Enterprise.objects.count() == before
    assert Enterprise.objects.get(pk=cast.enterprise_a.pk).name == "甲企业有限公司"


def test_there_is_no_delete(cast, client_for):
    response = client_for(cast.admin).delete(f"/api/enterprises/{cast.enterprise_a.pk}/")

    assert response.status_code == 405
    assert Enterprise.objects.filter(pk=cast.enterprise_a.pk).exists()


def test_ownership_and_tier_codes_are_the_documented_ones():
    assert set(Ownership.values) == {"private", "state", "foreign", "mixed"}
    assert set(Tier.values) == {"leading", "backbone", "growth", "struggling"}
