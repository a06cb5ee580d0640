"""Item 11: data safety under concurrency, on PostgreSQL with real threads.

Each test sends two requests (or jobs) at the same moment from two threads, each with its
own database connection, and shows that exactly one wins and the other is told, with
nothing written twice and nothing silently overwritten. SQLite serialises every write of
the whole database, so the races cannot happen there: the tests skip on it; CI's second
pass runs them on PostgreSQL.
"""

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from enterprises.models import Enterprise, RosterImport
from enterprises.roster import imports as roster_import
from fieldwork.models import Visit
from issues.models import Issue
from tests.concurrency import at_once, postgres_only
from tests.factories import EnterpriseFactory
from tests.fieldwork.test_views import visit_form_data
from tests.profile.conftest import HTMX, roster_row, roster_upload
from tests.profile.test_basic_and_history import basic_form, edit_url
from tests.profile.test_roster_import import snapshot as roster_snapshot
from tests.profile.test_roster_import import upload

pytestmark = [pytest.mark.django_db(transaction=True), postgres_only]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- The same visit form sent twice ---------------------------------------------------------


def test_the_same_visit_form_sent_twice_at_once_makes_one_visit(cast):
    form_page = signed_in(cast.officer_a).get(reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk]))
    key = form_page.context["form"]["client_key"].value()
    assert f'name="client_key" value="{key}"' in form_page.content.decode()
    data = visit_form_data(
        client_key=str(key), **{"problems-0-title": "订单不足", "problems-0-description": "四季度订单下降"}
    )
    url = reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk])
    # A double tap: the phone sends the form twice over two connections.
    first, second = signed_in(cast.officer_a), signed_in(cast.officer_a)

    responses = at_once(lambda: first.post(url, data), lambda: second.post(url, data))

    visit = Visit.objects.get()
    assert [response.status_code for response in responses] == [302, 302]
    assert {response["Location"] for response in responses} == {visit.get_absolute_url()}
    assert visit.client_key == uuid.UUID(str(key))
    # The problem raised with it went into the ledger once.
    assert Issue.objects.count() == 1
    assert list(visit.raised_issues.all()) == list(Issue.objects.all())


def test_two_blank_forms_are_two_visits(cast):
    url = reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk])
    client = signed_in(cast.officer_a)
    keys = [client.get(url).context["form"]["client_key"].value() for _ in range(2)]
    assert keys[0] != keys[1]

    for key in keys:
        assert client.post(url, visit_form_data(client_key=str(key))).status_code == 302

    assert Visit.objects.count() == 2


def test_the_api_takes_the_same_key(cast):
    client = signed_in(cast.officer_a)
    body = {"enterprise": cast.enterprise_a.pk, "findings": "生产正常。", "client_key": str(uuid.uuid4())}

    responses = at_once(
        lambda: client.post("/api/visits/", body, content_type="application/json"),
        lambda: client.post("/api/visits/", body, content_type="application/json"),
    )

    assert [response.status_code for response in responses] == [201, 201]
    assert responses[0].json()["id"] == responses[1].json()["id"] == Visit.objects.get().pk


# --- Two people editing one enterprise --------------------------------------------------------


def test_two_editors_saving_one_enterprise_at_once_one_wins_and_the_other_is_told(cast):
    enterprise = cast.enterprise_a
    history_before = enterprise.history.count()
    # Both opened the edit form on the same version.
    officer_form = basic_form(enterprise, address="网格员填写的地址")
    manager_form = basic_form(enterprise, address="领导填写的地址")
    officer, manager = signed_in(cast.officer_a), signed_in(cast.manager)

    responses = at_once(
        lambda: officer.post(edit_url(enterprise), officer_form, **HTMX),
        lambda: manager.post(edit_url(enterprise), manager_form, **HTMX),
    )

    told = ["已被他人修改" in response.content.decode() for response in responses]
    saved = [response.get("HX-Refresh") == "true" for response in responses]
    assert sorted(told) == [False, True] and sorted(saved) == [False, True]
    assert told == [not flag for flag in saved]
    winner = "网格员填写的地址" if saved[0] else "领导填写的地址"
    enterprise.refresh_from_db()
    assert enterprise.address == winner
    assert enterprise.history.count() == history_before + 1


# --- Imports: all or nothing --------------------------------------------------------------------


def test_an_import_that_loses_a_race_to_another_writer_writes_nothing(cast, monkeypatch):
    """Between the import's uniqueness check and its insert, another user adds an enterprise
    with a USCC of the file's third row (a real commit on another connection): the unique
    index refuses the import's insert and the rows already written go back with it."""
    rows = [roster_row(), roster_row(), roster_row()]
    contested = rows[2]["统一社会信用代码"]
    checked = roster_import._existing_by_uscc

    def check_then_let_the_other_writer_in(usccs):
        existing = checked(usccs)
        other = threading.Thread(target=add_contested)
        other.start()
        other.join(timeout=30)
        return existing

    def add_contested():
        try:
            EnterpriseFactory(name="抢先建档的企业", uscc=contested, grid=cast.grid_a)
        finally:
            connection.close()

    monkeypatch.setattr(roster_import, "_existing_by_uscc", check_then_let_the_other_writer_in)
    before = roster_snapshot()

    upload(signed_in(cast.manager), roster_upload(rows), mode="create")

    job = RosterImport.objects.get()
    assert job.status == RosterImport.Status.FAILED
    assert "未导入任何数据" in job.message
    (sorted_rows, tier_changes, history) = roster_snapshot()
    assert [uscc for uscc, *_rest in sorted_rows if uscc != contested] == [uscc for uscc, *_rest in before[0]]
    assert Enterprise.objects.filter(uscc__in=[row["统一社会信用代码"] for row in rows]).count() == 1
    assert Enterprise.objects.get(uscc=contested).name == "抢先建档的企业"
