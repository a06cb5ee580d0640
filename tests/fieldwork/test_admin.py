"""The Django admin for visits (attachments inline) and weekly tracking."""

from django.urls import reverse

from fieldwork.services import visit_create, weekly_tracking_record
from tests.fieldwork.conftest import jpeg


def test_the_visit_admin_lists_and_opens_a_visit_with_its_attachment(cast, client_for):
    visit = visit_create(
        officer=cast.officer_a, enterprise=cast.enterprise_a, findings="门口拍照", attachments=[jpeg("门口.jpg")]
    )
    client = client_for(cast.admin)

    listing = client.get(reverse("admin:fieldwork_visit_changelist"))
    change = client.get(reverse("admin:fieldwork_visit_change", args=[visit.pk]))

    assert listing.status_code == 200 and cast.enterprise_a.name in listing.content.decode()
    assert change.status_code == 200
    page = change.content.decode()
    assert "门口.jpg" in page
    assert reverse("fieldwork:attachment_download", args=[visit.attachments.get().pk]) in page


def test_the_tracking_admin_lists_weeks_but_adds_none(cast, client_for):
    tracking, _ = weekly_tracking_record(officer=cast.officer_a, enterprise=cast.enterprise_a)
    client = client_for(cast.admin)

    listing = client.get(reverse("admin:fieldwork_weeklytracking_changelist"))
    change = client.get(reverse("admin:fieldwork_weeklytracking_change", args=[tracking.pk]))
    add = client.get(reverse("admin:fieldwork_weeklytracking_add"))

    assert listing.status_code == 200 and tracking.week_code in listing.content.decode()
    assert change.status_code == 200
    assert add.status_code == 403
