"""企业报送: the enterprise reports its month's figures; nothing official changes until an officer
of its grid confirms them; a return needs a reason; outsiders get 404 and change nothing."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from enterprises.models import EmploymentRecord, FiguresSubmission, OperatingIndicator, SubmissionState

pytestmark = pytest.mark.django_db


def this_month() -> str:
    return f"{timezone.localdate():%Y-%m}"


REPORT = {
    "month": "",
    "headcount": "320",
    "vacancies": "12",
    "surplus": "0",
    "output_value": "1880.50",
    "orders_value": "2100",
    "capacity_use": "85",
    "energy_use": "",
    "note": "二期投产，新招 20 人。",
}


def report(**changes) -> dict:
    return {**REPORT, "month": this_month(), **changes}


def official_rows() -> tuple:
    return (
        list(EmploymentRecord.objects.values_list("enterprise", "month", "headcount", "vacancies")),
        list(OperatingIndicator.objects.values_list("enterprise", "month", "output_value", "capacity_use")),
    )


@pytest.fixture
def pending(cast, client_for):
    response = client_for(cast.enterprise_user_a).post(reverse("enterprises:figures_mine"), report())
    assert response.status_code == 302
    return FiguresSubmission.objects.get()


def test_a_report_waits_for_the_officer_and_changes_no_official_figure(cast, pending):
    assert (pending.enterprise, pending.state, pending.headcount, pending.output_value) == (
        cast.enterprise_a,
        SubmissionState.PENDING,
        320,
        Decimal("1880.50"),
    )
    assert official_rows() == ([], [])
    assert Notification.objects.filter(recipient=cast.officer_a, kind="figures_submitted").count() == 1


def test_the_officer_sees_it_in_the_queue_and_on_the_home(cast, client_for, pending):
    client = client_for(cast.officer_a)

    queue = client.get(reverse("enterprises:figures_queue")).content.decode()
    home = client.get(reverse("fieldwork:officer_home")).content.decode()

    assert f'id="report-{pending.pk}"' in queue and "1880.50" in queue
    assert "企业报送待确认（1）" in home


def test_confirming_writes_the_official_figures_as_the_officer(cast, client_for, pending):
    response = client_for(cast.officer_a).post(reverse("enterprises:figures_confirm", args=[pending.pk]))

    month = timezone.localdate().replace(day=1)
    assert response.status_code == 302
    assert official_rows() == (
        [(cast.enterprise_a.pk, month, 320, 12)],
        [(cast.enterprise_a.pk, month, Decimal("1880.50"), 85)],
    )
    pending.refresh_from_db()
    assert (pending.state, pending.decided_by) == (SubmissionState.CONFIRMED, cast.officer_a)
    assert EmploymentRecord.history.get().history_user == cast.officer_a
    assert Notification.objects.filter(recipient=cast.enterprise_user_a, kind="figures_decided").count() == 1


def test_a_second_report_for_the_month_replaces_the_pending_one(cast, client_for, pending):
    client_for(cast.enterprise_user_a).post(reverse("enterprises:figures_mine"), report(headcount="330"))

    assert list(FiguresSubmission.objects.values_list("pk", "headcount")) == [(pending.pk, 330)]


def test_returning_needs_a_reason_and_keeps_the_official_figures(cast, client_for, pending):
    client = client_for(cast.officer_a)

    blank = client.post(reverse("enterprises:figures_reject", args=[pending.pk]), {"reason": " "})
    pending.refresh_from_db()
    assert blank.status_code == 400
    assert blank.context["reject_form"].errors.keys() == {"reason"}
    assert pending.state == SubmissionState.PENDING

    returned = client.post(reverse("enterprises:figures_reject", args=[pending.pk]), {"reason": "人数与社保不符"})
    pending.refresh_from_db()
    assert returned.status_code == 302
    assert (pending.state, pending.reject_reason) == (SubmissionState.REJECTED, "人数与社保不符")
    assert official_rows() == ([], [])
    mine = client_for(cast.enterprise_user_a).get(reverse("enterprises:figures_mine")).content.decode()
    assert "人数与社保不符" in mine


def test_a_decided_report_cannot_be_decided_again(cast, client_for, pending):
    client = client_for(cast.officer_a)
    client.post(reverse("enterprises:figures_confirm", args=[pending.pk]))

    again = client.post(reverse("enterprises:figures_reject", args=[pending.pk]), {"reason": "重复"})

    assert again.status_code == 404
    assert FiguresSubmission.objects.get().state == SubmissionState.CONFIRMED


@pytest.mark.parametrize(
    "persona", ["officer_b", "leader_b", "enterprise_user_a", "enterprise_user_b", "bureau_user_x"]
)
def test_outsiders_and_the_enterprise_itself_cannot_confirm(cast, client_for, pending, persona):
    client = client_for(getattr(cast, persona))

    confirm = client.post(reverse("enterprises:figures_confirm", args=[pending.pk]))
    reject = client.post(reverse("enterprises:figures_reject", args=[pending.pk]), {"reason": "越权"})

    assert (confirm.status_code, reject.status_code) == (404, 404)
    assert FiguresSubmission.objects.get().state == SubmissionState.PENDING
    assert official_rows() == ([], [])


@pytest.mark.parametrize("persona", ["officer_b", "enterprise_user_b"])
def test_the_queue_of_another_grid_does_not_show_the_report(cast, client_for, pending, persona):
    response = client_for(getattr(cast, persona)).get(reverse("enterprises:figures_queue"))

    assert response.status_code == (200 if persona == "officer_b" else 404)
    assert f'id="report-{pending.pk}"' not in response.content.decode()


@pytest.mark.parametrize("persona", ["officer_a", "manager", "bureau_user_x"])
def test_only_enterprise_users_report(cast, client_for, persona):
    response = client_for(getattr(cast, persona)).post(reverse("enterprises:figures_mine"), report())

    assert response.status_code == 404
    assert not FiguresSubmission.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"capacity_use": "130"}, "capacity_use"),
        ({"headcount": "-3"}, "headcount"),
        ({"month": "2026-13"}, "month"),
        ({"month": f"{datetime.date.today().year + 1}-01"}, "month"),
        ({"output_value": "很多"}, "output_value"),
        (
            {key: "" for key in ("headcount", "vacancies", "surplus", "output_value", "orders_value", "capacity_use")},
            "headcount",
        ),
        ({"headcount": "", "vacancies": "5"}, "headcount"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_saves_nothing(cast, client_for, changes, field):
    response = client_for(cast.enterprise_user_a).post(reverse("enterprises:figures_mine"), report(**changes))

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert not FiguresSubmission.objects.exists()
