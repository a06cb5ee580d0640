"""Item 11 beyond the profile's edit form (whose threaded race of two editors is in
test_concurrency.py, on PostgreSQL): the admin's enterprise form opened before someone else
saved is refused with the same message and puts nothing back; an API PATCH writes only the
fields it names, onto the row as stored when it saves."""

import re

import pytest
from django.urls import reverse

from enterprises.models import Enterprise
from enterprises.registry.apis import EnterpriseViewSet
from enterprises.registry.services import enterprise_update
from tests.pages.test_admin import enterprise_form

pytestmark = pytest.mark.django_db

STALE = "该企业资料已被他人修改，请刷新页面后重新编辑。"


def opened_version(response) -> str:
    found = re.search(r'<input type="hidden" name="version" value="([^"]+)"', response.content.decode())
    assert found, "the admin's change form carries the version it was opened on"
    return found.group(1)


def test_an_admin_form_opened_before_an_officers_save_is_refused_and_overwrites_nothing(cast, client_for):
    enterprise = cast.enterprise_a
    url = reverse("admin:enterprises_enterprise_change", args=[enterprise.pk])
    admin = client_for(cast.admin)
    version = opened_version(admin.get(url))
    # The form shows the phone as it is; meanwhile the officer corrects it.
    shown_phone = enterprise.phone
    enterprise_update(enterprise=Enterprise.objects.get(pk=enterprise.pk), actor=cast.officer_a, phone="0571-88886666")

    stale = admin.post(
        url, enterprise_form(enterprise, cast.grid_a, phone=shown_phone, address="开发大道1号", version=version)
    )

    assert stale.status_code == 200
    assert STALE in stale.content.decode()
    enterprise.refresh_from_db()
    assert (enterprise.phone, enterprise.address) == ("0571-88886666", cast.enterprise_a.address)

    # Opened again, the form shows the officer's phone and saves.
    fresh = opened_version(admin.get(url))
    saved = admin.post(
        url, enterprise_form(enterprise, cast.grid_a, phone="0571-88886666", address="开发大道1号", version=fresh)
    )
    assert saved.status_code == 302
    enterprise.refresh_from_db()
    assert (enterprise.phone, enterprise.address) == ("0571-88886666", "开发大道1号")


def test_an_api_patch_writes_the_fields_it_names_onto_the_row_as_stored_now(cast, client_for, monkeypatch):
    # Someone saves the phone after the PATCH read the enterprise and before it saves.
    read = EnterpriseViewSet.get_object

    def read_then_someone_saves(view):
        enterprise = read(view)
        Enterprise.objects.filter(pk=enterprise.pk).update(phone="0571-88886666")
        return enterprise

    monkeypatch.setattr(EnterpriseViewSet, "get_object", read_then_someone_saves)

    response = client_for(cast.admin).patch(
        f"/api/enterprises/{cast.enterprise_a.pk}/", {"address": "开发大道1号"}, content_type="application/json"
    )

    assert response.status_code == 200, response.content
    stored = Enterprise.objects.get(pk=cast.enterprise_a.pk)
    assert (stored.address, stored.phone) == ("开发大道1号", "0571-88886666")
    assert response.json()["phone"] == "0571-88886666"
