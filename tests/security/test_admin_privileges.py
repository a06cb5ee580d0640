"""Only superusers grant privilege in /admin/; the 系统管理员 group manages
users day to day; every change to a user or a group is recorded, and the record
is read-only (no "revert to this version", which would grant privilege past the form)."""

import pytest
from django.contrib import admin as django_admin
from django.contrib.auth.models import Group, Permission
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import registered_models

from accounts.models import Role, User
from accounts.user_admins import USER_ADMINS_GROUP
from common.admin import ReadOnlyHistoryAdmin
from tests.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def user_snapshot(user: User) -> dict:
    """Everything an escalation attempt must leave as it was."""
    return {
        "row": User.objects.filter(pk=user.pk).values().get(),
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "permissions": sorted(user.user_permissions.values_list("codename", flat=True)),
    }


def change_form_data(user: User, **changes) -> dict:
    """What the admin's change form posts for ``user``, with ``changes`` on top."""
    data = {
        "username": user.username,
        "name": user.name,
        "title": user.title,
        "phone": user.phone,
        "email": user.email,
        "role": user.role,
        "bureau": user.bureau_id or "",
        "enterprise": user.enterprise_id or "",
        "is_active": "on" if user.is_active else "",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


@pytest.fixture
def user_admin(cast):
    """A member of the 系统管理员 group: staff, not superuser."""
    member = UserFactory(username="user-admin", role=Role.GRID_OFFICER, is_staff=True, name="孙管理")
    member.groups.add(Group.objects.get(name=USER_ADMINS_GROUP))
    return member


@pytest.fixture
def change_user_staff(cast):
    """A staff user holding Django's change_user permission directly (the hole the issue found)."""
    staff = UserFactory(username="staff-changer", role=Role.GRID_OFFICER, is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
    return staff


def test_the_user_admins_group_exists_with_only_day_to_day_permissions():
    group = Group.objects.get(name=USER_ADMINS_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))

    assert {
        "view_user",
        "add_user",
        "change_user",
        "view_group",
        "view_accessattempt",
        "delete_accessattempt",
    } <= codenames
    assert not codenames & {
        "delete_user",
        "add_group",
        "change_group",
        "delete_group",
        "add_permission",
        "change_permission",
    }


@pytest.mark.parametrize("actor_fixture", ["user_admin", "change_user_staff"])
def test_a_staff_user_cannot_make_itself_superuser(cast, client_for, request, actor_fixture):
    actor = request.getfixturevalue(actor_fixture)
    client = client_for(actor)  # signed in first: the sign-in's last_login is not what is checked
    before = user_snapshot(actor)
    everything = list(Permission.objects.values_list("pk", flat=True))

    response = client.post(
        f"/admin/accounts/user/{actor.pk}/change/",
        change_form_data(
            actor,
            is_superuser="on",
            is_staff="on",
            role=Role.ADMIN,
            user_permissions=everything,
            groups=list(Group.objects.values_list("pk", flat=True)),
        ),
    )

    assert response.status_code == 403
    assert user_snapshot(actor) == before


@pytest.mark.parametrize("actor_fixture", ["user_admin", "change_user_staff"])
def test_a_staff_user_cannot_grant_privilege_to_another_user(cast, client_for, request, actor_fixture):
    actor = request.getfixturevalue(actor_fixture)
    target = cast.officer_a
    before = user_snapshot(target)

    response = client_for(actor).post(
        f"/admin/accounts/user/{target.pk}/change/",
        change_form_data(
            target,
            is_superuser="on",
            is_staff="on",
            role=Role.ADMIN,
            user_permissions=list(Permission.objects.values_list("pk", flat=True)),
            groups=[Group.objects.get(name=USER_ADMINS_GROUP).pk],
        ),
    )

    assert response.status_code == 200  # the form again, with the role refused
    assert "role" in response.context["adminform"].form.errors
    assert user_snapshot(target) == before


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MANAGER])
def test_a_staff_user_cannot_create_a_privileged_role(cast, client_for, user_admin, role):
    before = User.objects.count()

    response = client_for(user_admin).post(
        "/admin/accounts/user/add/",
        {
            "username": "new-boss",
            "usable_password": "true",
            "password1": "Lang-genug-42",
            "password2": "Lang-genug-42",
            "name": "新领导",
            "role": role,
        },
    )

    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors
    assert User.objects.count() == before


def test_a_staff_user_cannot_change_or_reset_the_password_of_a_superuser(cast, client_for, user_admin):
    before = user_snapshot(cast.admin)
    actor = client_for(user_admin)

    assert actor.get(f"/admin/accounts/user/{cast.admin.pk}/change/").status_code == 200  # may look
    edit = actor.post(f"/admin/accounts/user/{cast.admin.pk}/change/", change_form_data(cast.admin, name="改了"))
    reset = actor.post(
        f"/admin/accounts/user/{cast.admin.pk}/password/",
        {"password1": "Mine-now-12345", "password2": "Mine-now-12345"},
    )

    assert edit.status_code == 403
    assert reset.status_code == 403
    assert user_snapshot(cast.admin) == before


def test_the_user_admin_manages_everyday_users_and_the_change_is_recorded(cast, client_for, user_admin):
    target = cast.officer_b

    response = client_for(user_admin).post(
        f"/admin/accounts/user/{target.pk}/change/",
        change_form_data(target, name="陈新名", phone="13900001111", role=Role.DISTRICT_LEADER),
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.name, target.phone, target.role) == ("陈新名", "13900001111", Role.DISTRICT_LEADER)
    latest = target.history.first()
    assert latest.history_user == user_admin
    assert latest.history_type == "~"
    assert latest.prev_record.name == "陈网格"


def test_a_superuser_grants_staff_and_groups_and_the_membership_is_recorded(cast, client_for):
    target = cast.officer_b
    group = Group.objects.get(name=USER_ADMINS_GROUP)

    response = client_for(cast.admin).post(
        f"/admin/accounts/user/{target.pk}/change/",
        change_form_data(target, is_staff="on", groups=[group.pk]),
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.is_staff
    assert list(target.groups.all()) == [group]
    first, *changes = target.history.order_by("history_id")
    assert first.is_staff is False and not first.groups.exists()
    assert changes and {change.history_user for change in changes} == {cast.admin}
    assert changes[-1].is_staff is True
    assert [membership.group_id for membership in changes[-1].groups.all()] == [group.pk]


def test_signing_in_writes_no_history_row(cast, client):
    before = cast.officer_a.history.count()

    client.post("/accounts/login/", {"username": "officer-a", "password": PASSWORD})

    assert "_auth_user_id" in client.session
    assert cast.officer_a.history.count() == before


def test_changes_to_a_group_are_recorded(cast, client_for):
    group = Group.objects.get(name=USER_ADMINS_GROUP)
    permission = Permission.objects.get(codename="view_notification")

    client_for(cast.admin).post(
        f"/admin/auth/group/{group.pk}/change/",
        {"name": group.name, "permissions": [*group.permissions.values_list("pk", flat=True), permission.pk]},
    )

    assert group.history.first().history_user == cast.admin
    assert permission.pk in [row.permission_id for row in group.history.first().permissions.all()]


# --- The history page's "revert to this version" -------------------------------------------


@pytest.mark.parametrize("actor_fixture", ["user_admin", "change_user_staff"])
def test_reverting_a_former_superuser_to_an_old_version_does_not_make_it_superuser_again(
    cast, client_for, request, actor_fixture
):
    # A user who was superuser once (and staff, with an old password) and is an ordinary officer now.
    former = UserFactory(username="former-admin", role=Role.GRID_OFFICER, is_superuser=True, is_staff=True)
    privileged_version = former.history.latest()
    former.is_superuser = former.is_staff = False
    former.set_password("a-newer-password-42")
    former.save()
    before = user_snapshot(former)
    actor = request.getfixturevalue(actor_fixture)

    response = client_for(actor).post(
        f"/admin/accounts/user/{former.pk}/history/{privileged_version.history_id}/",
        change_form_data(former),
    )

    # ReadOnlyHistoryAdmin refuses every POST to a version page before looking anything up.
    assert response.status_code == 403
    assert user_snapshot(former) == before


def test_the_history_pages_are_read_only_even_to_a_superuser(cast, client_for):
    superuser = UserFactory(username="root", role=Role.ADMIN, is_superuser=True, is_staff=True)
    target = cast.officer_a
    version = target.history.latest()
    client = client_for(superuser)
    rows_before, snapshot_before = target.history.count(), user_snapshot(target)

    listing = client.get(f"/admin/accounts/user/{target.pk}/history/")
    past = client.get(f"/admin/accounts/user/{target.pk}/history/{version.history_id}/")
    revert = client.post(f"/admin/accounts/user/{target.pk}/history/{version.history_id}/", change_form_data(target))

    assert (listing.status_code, past.status_code, revert.status_code) == (200, 200, 403)
    assert 'name="_save"' not in past.content.decode()  # no revert button
    assert (target.history.count(), user_snapshot(target)) == (rows_before, snapshot_before)


def test_every_admin_with_history_shows_it_read_only_and_no_history_row_is_editable():
    with_history = {
        model.__name__: model_admin
        for model, model_admin in django_admin.site._registry.items()
        if isinstance(model_admin, SimpleHistoryAdmin)
    }

    assert {"User", "Group", "Enterprise", "SupplyLink"} <= set(with_history)
    revertible = [name for name, admin in with_history.items() if not isinstance(admin, ReadOnlyHistoryAdmin)]
    assert revertible == []
    assert [model for model in django_admin.site._registry if model.__name__.startswith("Historical")] == []


def test_every_record_that_keeps_a_history_shows_it_in_the_admin_read_only():
    """The audit trail is visible to administrators on each object's admin page (its 历史), for
    every registered model that simple-history records, and never revertible."""
    without = sorted(
        model.__name__
        for model, model_admin in django_admin.site._registry.items()
        if model in registered_models.values() and not isinstance(model_admin, ReadOnlyHistoryAdmin)
    )

    assert without == []
