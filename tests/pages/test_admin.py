"""The Django admin: every model in Chinese, and enterprise saves through the services."""

import pytest
from django.urls import reverse

from accounts.models import Notification, Role, User
from enterprises.models import Enterprise, EnterpriseContact, Tier, TierChange
from enterprises.registry.uscc import make_uscc
from tests.factories import EnterpriseFactory

INLINE_PREFIXES = ("contacts", "products", "employment_records", "indicators")


def enterprise_form(enterprise_or_none, grid, **overrides) -> dict:
    """POST data for the enterprise admin form, with empty inlines."""
    data = {
        "name": "新建精密制造有限公司",
        "uscc": make_uscc("91500000MA5U00001"),
        "ownership": "private",
        "industry": "equipment",
        "above_scale": "",
        "grid": grid.pk,
        "tier": "growth",
        "tier_reason": "",
        "address": "",
        "legal_representative": "",
        "phone": "",
        "employees": "10",
        "founded_on": "",
        "registered_capital": "",
        "main_products": "",
    }
    if enterprise_or_none is not None:
        e = enterprise_or_none
        data.update(
            name=e.name, uscc=e.uscc, ownership=e.ownership, industry=e.industry, tier=e.tier, employees=e.employees
        )
        data["above_scale"] = "on" if e.above_scale else ""
    for prefix in INLINE_PREFIXES:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(overrides)
    return data


@pytest.fixture
def admin_client(cast, client_for):
    return client_for(cast.admin)


@pytest.mark.parametrize(
    "model",
    [
        "accounts/user",
        "accounts/notification",
        "grids/zone",
        "grids/district",
        "grids/gridteam",
        "grids/bureau",
        "grids/jointtaskforce",
        "enterprises/enterprise",
        "enterprises/tierchange",
        "enterprises/supplylink",
    ],
)
def test_every_model_has_a_changelist(admin_client, model):
    response = admin_client.get(f"/admin/{model}/")

    assert response.status_code == 200


def test_admin_speaks_chinese(admin_client):
    body = admin_client.get("/admin/").content.decode()

    for label in ("经开区网格化企业服务平台", "企业", "网格工作组", "片区", "业务科室", "联合服务专班", "用户"):
        assert label in body, label


def test_change_forms_open(cast, admin_client):
    for url in (
        reverse("admin:enterprises_enterprise_change", args=[cast.enterprise_a.pk]),
        reverse("admin:accounts_user_change", args=[cast.bureau_user_x.pk]),
        reverse("admin:grids_gridteam_change", args=[cast.grid_a.pk]),
        reverse("admin:grids_district_change", args=[cast.district_a.pk]),
        reverse("admin:enterprises_enterprise_add"),
        reverse("admin:accounts_user_add"),
    ):
        assert admin_client.get(url).status_code == 200, url


def test_user_form_shows_role_bureau_enterprise_and_phone(cast, admin_client):
    body = admin_client.get(reverse("admin:accounts_user_change", args=[cast.officer_a.pk])).content.decode()

    for name in ('name="role"', 'name="bureau"', 'name="enterprise"', 'name="phone"'):
        assert name in body
    assert "甲网格" in body  # the grid the officer works in


def test_enterprise_changelist_queries_do_not_grow(cast, admin_client, django_assert_max_num_queries):
    EnterpriseFactory.create_batch(60, grid=cast.grid_a)

    with django_assert_max_num_queries(15):
        response = admin_client.get("/admin/enterprises/enterprise/")

    assert response.status_code == 200


def test_grid_team_changelist_queries_are_bounded(cast, admin_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert admin_client.get("/admin/grids/gridteam/").status_code == 200


# --- Enterprise saves go through the services -----------------------------------


def test_adding_an_enterprise_records_its_first_tier_and_who_did_it(cast, admin_client):
    data = enterprise_form(None, cast.grid_a)
    data.update({"contacts-TOTAL_FORMS": "1", "contacts-0-name": "周经理", "contacts-0-phone": "13800001111"})

    response = admin_client.post(reverse("admin:enterprises_enterprise_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    enterprise = Enterprise.objects.get(name="新建精密制造有限公司")
    change = TierChange.objects.get(enterprise=enterprise)
    assert (change.from_tier, change.to_tier, change.reason, change.changed_by) == ("", "growth", "建档", cast.admin)
    assert enterprise.history.get().history_user == cast.admin
    assert EnterpriseContact.objects.get(enterprise=enterprise).name == "周经理"


def test_an_invalid_credit_code_is_refused(cast, admin_client):
    valid = make_uscc("91500000MA5U00002")
    wrong_check = valid[:17] + ("0" if valid[17] != "0" else "1")
    data = enterprise_form(None, cast.grid_a, uscc=wrong_check)

    response = admin_client.post(reverse("admin:enterprises_enterprise_add"), data)

    assert response.status_code == 200
    assert "uscc" in response.context["adminform"].form.errors
    assert not Enterprise.objects.filter(name="新建精密制造有限公司").exists()


def test_changing_the_tier_without_a_reason_is_refused_and_changes_nothing(cast, admin_client):
    enterprise = cast.enterprise_a
    url = reverse("admin:enterprises_enterprise_change", args=[enterprise.pk])

    response = admin_client.post(url, enterprise_form(enterprise, cast.grid_a, tier="struggling", name="改名"))

    assert response.status_code == 200
    assert "tier_reason" in response.context["adminform"].form.errors
    enterprise.refresh_from_db()
    assert (enterprise.tier, enterprise.name) == (Tier.GROWTH, "甲企业有限公司")
    assert not TierChange.objects.filter(enterprise=enterprise).exists()


def test_changing_the_tier_with_a_reason_is_recorded(cast, admin_client):
    enterprise = cast.enterprise_a
    url = reverse("admin:enterprises_enterprise_change", args=[enterprise.pk])

    response = admin_client.post(
        url, enterprise_form(enterprise, cast.grid_a, tier="struggling", tier_reason="订单连续三个月下滑")
    )

    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.tier == Tier.STRUGGLING
    change = TierChange.objects.get(enterprise=enterprise)
    assert (change.from_tier, change.to_tier, change.reason, change.changed_by) == (
        "growth",
        "struggling",
        "订单连续三个月下滑",
        cast.admin,
    )


def test_editing_other_fields_keeps_the_tier_history_untouched(cast, admin_client):
    enterprise = cast.enterprise_a
    url = reverse("admin:enterprises_enterprise_change", args=[enterprise.pk])

    response = admin_client.post(url, enterprise_form(enterprise, cast.grid_a, address="开发大道1号"))

    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.address == "开发大道1号"
    assert not TierChange.objects.filter(enterprise=enterprise).exists()
    latest = enterprise.history.latest()
    assert (latest.address, latest.history_user) == ("开发大道1号", cast.admin)


# --- Read-only and role rules ----------------------------------------------------


def test_tier_history_and_notifications_cannot_be_added_by_hand(admin_client):
    assert admin_client.get(reverse("admin:enterprises_tierchange_add")).status_code == 403
    assert admin_client.get(reverse("admin:accounts_notification_add")).status_code == 403


def test_notifications_are_read_mostly(cast, admin_client):
    note = Notification.objects.create(recipient=cast.officer_a, kind="issue_due", title="即将到期")
    url = reverse("admin:accounts_notification_change", args=[note.pk])

    admin_client.post(url, {"title": "篡改", "read_at_0": "2025-01-02", "read_at_1": "08:00:00"})

    note.refresh_from_db()
    assert note.title == "即将到期"
    assert note.read_at is not None


def test_a_bureau_user_needs_a_bureau(cast, admin_client):
    user = cast.bureau_user_x
    url = reverse("admin:accounts_user_change", args=[user.pk])
    data = {
        "username": user.username,
        "role": Role.BUREAU_STAFF,
        "bureau": "",
        "enterprise": "",
        "is_active": "on",
        "date_joined_0": "2025-01-01",
        "date_joined_1": "08:00:00",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "bureau" in response.context["adminform"].form.errors
    assert User.objects.get(pk=user.pk).bureau == cast.bureau_x


def test_non_staff_users_cannot_open_the_admin(cast, client_for):
    response = client_for(cast.manager).get("/admin/enterprises/enterprise/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_enterprise_page_shows_the_registrys_and_the_profiles_inlines(cast, admin_client):
    """registry.admin and profile.admin meet in enterprises.admin: contacts, products,
    employment and indicators all on the one enterprise page."""
    response = admin_client.get(reverse("admin:enterprises_enterprise_change", args=[cast.enterprise_a.pk]))

    assert response.status_code == 200
    body = response.content.decode()
    for prefix in INLINE_PREFIXES:
        assert f'name="{prefix}-TOTAL_FORMS"' in body, prefix
