"""Item 11, the admin's side: an enterprise's admin form opened before someone else saved the
enterprise is refused with the same message as the profile's edit form, and puts nothing back
(the threaded race of two editors is in test_concurrency.py, on PostgreSQL)."""

import re

import pytest
from django.urls import reverse

from enterprises.models import Enterprise
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
