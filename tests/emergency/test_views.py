"""The pages: declaring, the roll-call board (the issue's "done when"), the enterprise's own link."""

import datetime
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from emergency.models import AckMethod, AffectedEnterprise, Incident
from emergency.services import Report, response_entry_add
from tests.conftest import login
from tests.emergency.helpers import snapshot
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_done_when_the_manager_declares_a_flood_and_the_board_ends_with_83_evacuated(cast, settings):
    # Given three riverside enterprises in district A, one of them with an account
    grid = cast.grid_a
    names = ["东岸船舶有限公司", "安澜沥青有限公司", "帝江游艇有限公司"]
    for name in names:
        EnterpriseFactory(name=name, grid=grid)
    manager = login(cast.manager)

    # When the manager declares a flood for district A (the whole district)
    response = manager.post(
        reverse("emergency:declare"),
        {
            "district": cast.district_a.pk,
            "kind": "flood",
            "title": "8·19 洪峰",
            "description": "临江企业撤离",
            "whole_district": "on",
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("emergency:board", args=[incident.pk])

    # Then the board lists every affected enterprise, all unreached
    board = manager.get(reverse("emergency:board", args=[incident.pk]))
    rows = list(board.context["unreached"])
    assert sorted(row.enterprise.name for row in rows) == sorted(names + ["甲企业有限公司"])
    assert board.context["reached"] == []
    assert board.context["totals"].unreached == 4

    # When the enterprise acknowledges itself and the officer calls the others and logs the response
    enterprise_user = login(cast.enterprise_user_a)
    assert enterprise_user.post(reverse("emergency:acknowledge", args=[incident.pk])).status_code == 302
    officer = login(cast.officer_a)
    evacuated = {"甲企业有限公司": "20", "东岸船舶有限公司": "30", "安澜沥青有限公司": "25", "帝江游艇有限公司": "8"}
    for row in AffectedEnterprise.objects.filter(incident=incident).select_related("enterprise"):
        if row.enterprise_id != cast.enterprise_a.pk:
            officer.post(reverse("emergency:call", args=[incident.pk, row.pk]), {"outcome": "reached"})
        officer.post(reverse("emergency:row", args=[incident.pk, row.pk]), {"evacuated": "1", "on_site": "9"})
        officer.post(
            reverse("emergency:row", args=[incident.pk, row.pk]),
            {"evacuated": evacuated[row.enterprise.name], "on_site": "0", "goods_moved": "易损件已转移"},
        )

    # Then the board shows 83 evacuated and the unreached list empty
    board = manager.get(reverse("emergency:board", args=[incident.pk]))
    html = board.content.decode()
    assert board.context["totals"].evacuated == 83
    assert board.context["unreached"] == []
    assert 'id="unreached-empty"' in html
    assert '<div class="value" id="total-evacuated">83</div>' in html
    assert '<div class="value" id="total-acknowledged">4 / 4</div>' in html
    on_behalf = AffectedEnterprise.objects.filter(incident=incident, ack_method=AckMethod.ON_BEHALF).count()
    assert on_behalf == 3 and html.count("代为确认</span>") == 3


def test_the_unreached_come_first_oldest_notice_first(flood):
    from django.utils import timezone

    now = timezone.now()
    AffectedEnterprise.objects.filter(pk=flood.row_a.pk).update(notified_at=now)
    AffectedEnterprise.objects.filter(pk=flood.row_river.pk).update(notified_at=now - timezone.timedelta(minutes=5))
    board = login(flood.cast.leader_a).get(reverse("emergency:board", args=[flood.incident.pk]))
    assert [row.pk for row in board.context["unreached"]] == [flood.row_river.pk, flood.row_a.pk]


@pytest.mark.parametrize("role", ["officer_b", "leader_b", "bureau_user_x", "enterprise_user_a"])
def test_outsiders_get_404_on_the_board(flood, role):
    assert login(getattr(flood.cast, role)).get(reverse("emergency:board", args=[flood.incident.pk])).status_code == 404


def test_a_leader_outside_the_district_cannot_open_the_declare_form_for_another(cast):
    assert login(cast.officer_a).get(reverse("emergency:declare")).status_code == 404
    response = login(cast.leader_a).get(reverse("emergency:declare"), {"district": cast.district_b.pk})
    # The leader's own district, whatever the address says.
    assert response.status_code == 200 and response.context["district"] == cast.district_a


# --- The enterprise's own link ----------------------------------------------------------


def test_the_link_signed_out_shows_a_button_and_the_press_acknowledges(flood, client):
    url = reverse("emergency:ack", args=[flood.row_river.token])
    page = client.get(url)
    assert page.status_code == 200 and "确认收到" in page.content.decode()
    flood.row_river.refresh_from_db()
    assert flood.row_river.acknowledged_at is None  # opening the link alone changes nothing

    assert client.post(url).status_code == 302
    flood.row_river.refresh_from_db()
    assert flood.row_river.ack_method == AckMethod.LINK


def test_the_link_signed_in_as_its_user_records_the_user(flood):
    user = flood.riverside_users[1]
    login(user).post(reverse("emergency:ack", args=[flood.row_river.token]))
    flood.row_river.refresh_from_db()
    assert (flood.row_river.ack_method, flood.row_river.acknowledged_by) == (AckMethod.SELF, user)


def test_another_enterprises_user_or_a_wrong_token_gets_404_and_nothing_changes(flood, client):
    before = snapshot(flood.incident)
    url = reverse("emergency:ack", args=[flood.row_river.token])
    other = login(flood.cast.enterprise_user_a)
    assert other.get(url).status_code == 404
    assert other.post(url).status_code == 404
    assert client.post(reverse("emergency:ack", args=["not-the-token"])).status_code == 404
    assert client.get(reverse("emergency:ack", args=[flood.row_a.token[:-1] + "x"])).status_code == 404
    assert snapshot(flood.incident) == before


def test_the_session_acknowledges_only_the_users_own_row(flood):
    outsider = UserFactory(username="ent-dry", role="enterprise_user", enterprise=flood.cast.enterprise_b)
    before = snapshot(flood.incident)
    assert login(outsider).post(reverse("emergency:acknowledge", args=[flood.incident.pk])).status_code == 404
    assert snapshot(flood.incident) == before
    login(flood.cast.enterprise_user_a).post(reverse("emergency:acknowledge", args=[flood.incident.pk]))
    assert set(AffectedEnterprise.objects.filter(acknowledged_at__isnull=False).values_list("pk", flat=True)) == {
        flood.row_a.pk
    }


def test_the_report_form_shows_the_field_on_bad_input_and_saves_nothing(flood):
    before = snapshot(flood.incident)
    response = login(flood.cast.officer_a).post(
        reverse("emergency:row", args=[flood.incident.pk, flood.row_a.pk]),
        {"evacuated": "-2", "restored_on": "2020-01-01"},
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"evacuated"}
    response = login(flood.cast.officer_a).post(
        reverse("emergency:row", args=[flood.incident.pk, flood.row_a.pk]), {"restored_on": "2020-01-01"}
    )
    assert set(response.context["form"].errors) == {"restored_on"}
    assert snapshot(flood.incident) == before


def test_a_call_with_a_bad_outcome_is_a_400_naming_the_field_and_saves_nothing(flood):
    before = snapshot(flood.incident)
    url = reverse("emergency:call", args=[flood.incident.pk, flood.row_a.pk])
    officer = login(flood.cast.officer_a)

    missing = officer.post(url, {})
    unknown = officer.post(url, {"outcome": "maybe"})

    assert missing.status_code == 400 and "联系结果：请选择联系结果。" in missing.content.decode()
    assert unknown.status_code == 400 and "联系结果：" in unknown.content.decode()
    assert 'id="unreached-list"' in unknown.content.decode()  # the board again, to try once more
    assert snapshot(flood.incident) == before


def test_an_officer_of_another_grid_cannot_acknowledge_on_the_enterprises_behalf(flood):
    before = snapshot(flood.incident)

    answer = login(flood.cast.officer_b).post(
        reverse("emergency:call", args=[flood.incident.pk, flood.row_a.pk]), {"outcome": "reached"}
    )

    assert answer.status_code == 404
    assert snapshot(flood.incident) == before


def test_a_closed_incidents_board_is_read_only(flood):
    manager = login(flood.cast.manager)
    manager.post(reverse("emergency:close", args=[flood.incident.pk]), {"note": "结束"})
    before = snapshot(flood.incident)
    officer = login(flood.cast.officer_a)
    officer.post(reverse("emergency:row", args=[flood.incident.pk, flood.row_a.pk]), {"evacuated": "4"})
    officer.post(reverse("emergency:call", args=[flood.incident.pk, flood.row_a.pk]), {"outcome": "reached"})
    assert snapshot(flood.incident) == before
    html = manager.get(reverse("emergency:board", args=[flood.incident.pk])).content.decode()
    assert "已接通，代为确认" not in html and "/platforms/financing/" in html


def test_an_open_boards_roll_call_refreshes_itself_and_a_closed_one_does_not(flood):
    manager = login(flood.cast.manager)
    url = reverse("emergency:board", args=[flood.incident.pk])
    page = manager.get(url).content.decode()
    assert 'id="rollcall"' in page and f'hx-get="{url}"' in page and 'hx-trigger="every 10s"' in page

    # The poll gets the roll-call alone, with what changed since.
    response_entry_add(affected=flood.row_a, actor=flood.cast.officer_a, report=Report(evacuated=7))
    poll = manager.get(url, headers={"HX-Request": "true"})
    html = poll.content.decode()
    assert poll.status_code == 200 and "<html" not in html and html.lstrip().startswith('<div id="rollcall"')
    assert poll.context["totals"].evacuated == 7 and 'hx-trigger="every 10s"' in html

    manager.post(reverse("emergency:close", args=[flood.incident.pk]), {"note": "结束"})
    for html in (manager.get(url).content.decode(), manager.get(url, headers={"HX-Request": "true"}).content.decode()):
        assert 'id="rollcall"' in html and "hx-get" not in html and "hx-trigger" not in html


def test_a_board_whose_session_ended_sends_the_page_to_sign_in_instead_of_swapping_the_form_in(flood):
    manager = login(flood.cast.manager)
    url = reverse("emergency:board", args=[flood.incident.pk])
    manager.logout()

    poll = manager.get(url, headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{url}?tab=1"})
    assert poll.status_code == 204 and poll.content == b""
    assert poll["HX-Redirect"] == "/accounts/login/?" + urlencode({"next": f"{url}?tab=1"}, safe="/")

    # A current URL on another host is not trusted as the way back: the fragment's own path is.
    poll = manager.get(url, headers={"HX-Request": "true", "HX-Current-URL": "https://evil.example/x"})
    assert poll["HX-Redirect"] == "/accounts/login/?" + urlencode({"next": url}, safe="/")
    # A page (no htmx) still gets the ordinary redirect.
    page = manager.get(url)
    assert page.status_code == 302 and page["Location"] == "/accounts/login/?" + urlencode({"next": url}, safe="/")


# --- Panels --------------------------------------------------------------------------------


def test_the_officers_home_shows_his_call_tasks(flood):
    from emergency.services import escalate_unacknowledged

    escalate_unacknowledged(now=flood.incident.declared_at + datetime.timedelta(minutes=31))
    html = login(flood.cast.officer_a).get(reverse("fieldwork:officer_home")).content.decode()
    assert "应急电话催办" in html and "临江船舶有限公司" in html
    html = login(flood.cast.officer_b).get(reverse("fieldwork:officer_home")).content.decode()
    assert "应急电话催办" not in html


def test_the_enterprise_home_offers_the_acknowledge_button(flood):
    html = login(flood.cast.enterprise_user_a).get(reverse("enterprises:my_enterprise")).content.decode()
    assert reverse("emergency:acknowledge", args=[flood.incident.pk]) in html
    html = login(flood.cast.enterprise_user_b).get(reverse("enterprises:my_enterprise")).content.decode()
    assert reverse("emergency:acknowledge", args=[flood.incident.pk]) not in html


# --- Query counts ------------------------------------------------------------------------------


def _grow(flood, count: int) -> None:
    for number in range(count):
        enterprise = EnterpriseFactory(grid=flood.cast.grid_a)
        row = AffectedEnterprise.objects.create(incident=flood.incident, enterprise=enterprise, grid=flood.cast.grid_a)
        response_entry_add(affected=row, actor=flood.cast.officer_a, report=Report(evacuated=number, needs="沙袋"))
        if number % 2:
            from emergency.services import incident_acknowledge

            incident_acknowledge(affected=row, actor=flood.cast.officer_a)


@pytest.mark.parametrize("extra", [2, 30])
def test_the_board_keeps_a_constant_number_of_queries(flood, django_assert_max_num_queries, extra):
    _grow(flood, extra)
    client = login(flood.cast.manager)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("emergency:board", args=[flood.incident.pk]))
    assert len(response.context["unreached"]) + len(response.context["reached"]) == extra + 2


@pytest.mark.parametrize("extra", [2, 30])
def test_the_roll_call_api_keeps_a_constant_number_of_queries(flood, django_assert_max_num_queries, extra):
    _grow(flood, extra)
    client = login(flood.cast.manager)
    with django_assert_max_num_queries(8):
        response = client.get(f"/api/incidents/{flood.incident.pk}/enterprises/")
    assert response.json()["count"] == extra + 2
