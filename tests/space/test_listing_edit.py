"""A listing is edited by its owner enterprise (or zone staff in scope) only — others get 404 —
with a version check, never below the area running leases hold, and matched again after."""

import datetime
import json
from decimal import Decimal

import pytest

from platforms.space.models import Lease, SpaceListing, SpaceProposal
from platforms.space.services import space_demand_create
from tests.conftest import login
from tests.space.conftest import TODAY, listing, space_snapshot


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def form_data(plant: SpaceListing, **changes) -> dict:
    data = {
        "title": plant.title,
        "area_m2": str(plant.area_m2),
        "address": plant.address,
        "district": plant.district_id,
        "available_from": plant.available_from.isoformat(),
        "version": plant.version,
    }
    data.update(changes)
    return data


@pytest.fixture
def plant(firms, cast):
    return listing(firms.owner, area="800", district=cast.district_a, height="9", load="3")


def test_the_owner_edits_its_listing_on_the_page_and_it_is_matched_again(firms, cast):
    plant = listing(firms.owner, area="500", district=cast.district_a, height="9", load="3")
    # A demand for 1,000–1,500 m² that a 500 m² plant does not meet.
    demand = space_demand_create(
        actor=firms.tenant_user,
        enterprise=firms.tenant,
        kind="plant",
        area_min_m2=Decimal("1000"),
        area_max_m2=Decimal("1500"),
        needed_from=TODAY + datetime.timedelta(days=10),
    )
    assert not SpaceProposal.objects.filter(listing=plant).exists()
    owner = login(cast.enterprise_user_a)
    url = f"/platforms/space/listings/{plant.pk}/edit/"
    assert owner.get(url).status_code == 200

    response = owner.post(url, form_data(plant, area_m2="1200", title="一号厂房（扩建后）"))

    assert response.status_code == 302 and response["Location"] == plant.get_absolute_url()
    plant.refresh_from_db()
    assert (plant.area_m2, plant.title, plant.version) == (Decimal("1200.00"), "一号厂房（扩建后）", 1)
    assert SpaceProposal.objects.filter(listing=plant, demand=demand).count() == 1


def test_others_get_404_and_nothing_changes(firms, cast, plant):
    url = f"/platforms/space/listings/{plant.pk}/edit/"
    before = space_snapshot()
    for outsider in (firms.tenant_user, cast.enterprise_user_b, cast.officer_b, cast.bureau_user_x):
        client = login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, form_data(plant, area_m2="5000")).status_code == 404
        assert patch(client, f"/api/space-listings/{plant.pk}/", {"area_m2": "5000"}).status_code == 404
    assert space_snapshot() == before
    # The grid's officer edits for the firm in his scope.
    assert login(cast.officer_a).post(url, form_data(plant, note="已核实")).status_code == 302


def test_a_stale_edit_or_bad_input_is_400_naming_the_field_and_saves_nothing(firms, cast, plant):
    owner = login(cast.enterprise_user_a)
    url = f"/platforms/space/listings/{plant.pk}/edit/"
    owner.post(url, form_data(plant, note="第一次修改"))
    before = space_snapshot()

    stale = owner.post(url, form_data(plant, note="基于旧版本的修改"))  # still version 0
    negative = owner.post(url, form_data(plant, area_m2="-5", version=1))

    assert stale.status_code == 400
    assert "已被他人修改" in stale.context["form"].errors["version"][0]
    assert negative.status_code == 400 and list(negative.context["form"].errors) == ["area_m2"]
    assert space_snapshot() == before


def test_the_area_never_falls_below_running_leases(firms, cast, plant):
    Lease.objects.create(
        listing=plant,
        tenant=firms.tenant,
        area_m2=Decimal("600"),
        starts_on=TODAY,
        ends_on=TODAY + datetime.timedelta(days=365),
        rent_yuan_m2_month=Decimal("20"),
    )
    before = space_snapshot()

    response = patch(login(cast.enterprise_user_a), f"/api/space-listings/{plant.pk}/", {"area_m2": "500"})

    assert response.status_code == 400
    assert response.json() == {"area_m2": ["在租面积共 600 m²，面积不能小于此数。"]}
    assert space_snapshot() == before


def test_the_api_edit_checks_the_version_and_refuses_owner_and_kind(firms, cast, plant):
    owner = login(cast.enterprise_user_a)
    url = f"/api/space-listings/{plant.pk}/"
    before = space_snapshot()
    for body, field in (({"kind": "land"}, "kind"), ({"owner": firms.tenant.pk}, "owner")):
        response = patch(owner, url, body)
        assert response.status_code == 400 and list(response.json()) == [field]
    assert patch(owner, url, {"note": "x", "expected_version": 3}).json() == {
        "version": ["该载体信息已被他人修改，请刷新后重试。"]
    }
    assert space_snapshot() == before

    response = patch(owner, url, {"power_kva": 630, "expected_version": 0})

    assert response.status_code == 200
    assert (response.json()["power_kva"], response.json()["version"]) == (630, 1)
