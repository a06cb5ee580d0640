"""Visits sent from the phone's offline queue: each is stored once thanks to its idempotency
key (Visit.client_key), the queue gets JSON answers, and the service worker is at the root."""

import json
import re
import uuid

import pytest
from django.urls import reverse

from fieldwork import services
from fieldwork.models import Visit, VisitAttachment
from fieldwork.offline import OFFLINE_ASSETS, visit_queue_strings
from fieldwork.services import RaisedProblem, visit_create
from issues.models import Issue
from tests.fieldwork.conftest import jpeg, stored_files
from tests.fieldwork.test_views import visit_form_data

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def queued_visit(key: uuid.UUID, **overrides) -> dict:
    data = {
        "client_key": str(key),
        "problems-0-title": "二期用电负荷不足",
        "problems-0-description": "需增容 2000 千伏安。",
        **overrides,
    }
    return visit_form_data(**data)


def test_the_form_carries_a_fresh_idempotency_key(cast, client_for):
    client = client_for(cast.officer_a)
    url = reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk])
    pages = [client.get(url).content.decode() for _ in range(2)]
    keys = [re.search(r'<input type="hidden" name="client_key" value="([^"]+)"', page).group(1) for page in pages]
    assert [uuid.UUID(key).version for key in keys] == [4, 4]
    assert keys[0] != keys[1]


def test_a_queued_visit_sent_twice_is_stored_once(cast, client_for, media_root):
    client = client_for(cast.officer_a)
    url = reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk])
    key = uuid.uuid4()

    first = client.post(url, {**queued_visit(key), "attachments": [jpeg("门口.jpg")]}, **JSON)
    assert first.status_code == 201
    visit = Visit.objects.get()
    assert first.json() == {"visit": visit.pk, "url": visit.get_absolute_url(), "issues": 1, "replayed": False}
    assert visit.client_key == key

    # The answer was lost on the way: the phone sends the same visit again.
    again = client.post(url, {**queued_visit(key), "attachments": [jpeg("门口.jpg")]}, **JSON)
    assert again.status_code == 200
    assert again.json() == {"visit": visit.pk, "url": visit.get_absolute_url(), "issues": 1, "replayed": True}
    assert Visit.objects.count() == 1
    assert Issue.objects.count() == 1
    assert VisitAttachment.objects.count() == 1
    assert len(stored_files(media_root)) == 1


def test_the_same_key_from_the_form_page_redirects_to_the_stored_visit_without_a_second(cast, client_for):
    client = client_for(cast.officer_a)
    url = reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk])
    key = uuid.uuid4()
    client.post(url, queued_visit(key), follow=True)
    visit = Visit.objects.get()

    response = client.post(url, queued_visit(key), follow=True)

    assert response.redirect_chain == [(visit.get_absolute_url(), 302)]
    assert [str(message) for message in response.context["messages"]] == ["这次走访已登记过，未重复保存。"]
    assert Visit.objects.count() == 1
    assert Issue.objects.count() == 1


def test_visits_with_different_keys_are_different_visits(cast, client_for):
    client = client_for(cast.officer_a)
    url = reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk])
    assert client.post(url, queued_visit(uuid.uuid4()), **JSON).status_code == 201
    assert client.post(url, queued_visit(uuid.uuid4()), **JSON).status_code == 201
    assert Visit.objects.count() == 2


def test_a_visit_without_a_key_is_stored_each_time_as_before(cast, client_for):
    client = client_for(cast.officer_a)
    url = reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk])
    client.post(url, visit_form_data())
    client.post(url, visit_form_data())
    assert list(Visit.objects.values_list("client_key", flat=True)) == [None, None]


def test_a_key_used_for_another_enterprise_is_refused_on_client_key_and_nothing_changes(cast, client_for):
    from tests.factories import EnterpriseFactory

    other = EnterpriseFactory(name="甲网格另一家企业", grid=cast.grid_a)
    client = client_for(cast.officer_a)
    key = uuid.uuid4()
    client.post(reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk]), queued_visit(key), **JSON)

    response = client.post(reverse("fieldwork:visit_create", args=[other.pk]), queued_visit(key), **JSON)

    assert response.status_code == 400
    assert response.json() == {"errors": {"client_key": ["该提交标识已被另一条走访记录使用。"]}}
    assert Visit.objects.count() == 1
    assert Visit.objects.get().enterprise == cast.enterprise_a
    assert Issue.objects.count() == 1


def test_a_key_used_by_another_officer_is_refused(cast):
    from django.core.exceptions import ValidationError

    key = uuid.uuid4()
    cast.grid_a.officers.add(cast.officer_b)
    visit_create(officer=cast.officer_a, enterprise=cast.enterprise_a, findings="甲", client_key=key)
    with pytest.raises(ValidationError) as refused:
        visit_create(officer=cast.officer_b, enterprise=cast.enterprise_a, findings="乙", client_key=key)
    assert refused.value.message_dict == {"client_key": ["该提交标识已被另一条走访记录使用。"]}
    assert Visit.objects.count() == 1


def test_a_twin_stored_between_the_check_and_the_insert_is_returned(cast, monkeypatch, media_root):
    key = uuid.uuid4()
    twin = visit_create(officer=cast.officer_a, enterprise=cast.enterprise_a, findings="先到的", client_key=key)
    looked_up = []
    real_lookup = services._visit_with_key

    def miss_once(client_key, *, officer, enterprise):
        # The first look finds nothing (the twin is not committed yet), the insert then collides.
        looked_up.append(client_key)
        return None if len(looked_up) == 1 else real_lookup(client_key, officer=officer, enterprise=enterprise)

    monkeypatch.setattr(services, "_visit_with_key", miss_once)
    visit = visit_create(
        officer=cast.officer_a,
        enterprise=cast.enterprise_a,
        findings="后到的",
        problems=[RaisedProblem(title="缺电", description="用电负荷不足")],
        attachments=[jpeg()],
        client_key=key,
    )

    assert (visit.pk, visit.replayed) == (twin.pk, True)
    assert Visit.objects.count() == 1
    assert Issue.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_queued_visit_with_errors_gets_them_by_field_and_nothing_is_stored(cast, client_for):
    client = client_for(cast.officer_a)
    url = reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk])
    data = queued_visit(uuid.uuid4(), capacity_use="140", **{"problems-0-description": ""})

    response = client.post(url, data, **JSON)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"capacity_use", "problems-0-description"}
    assert Visit.objects.count() == 0


def test_a_bad_key_is_refused_on_client_key(cast, client_for):
    url = reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk])
    response = client_for(cast.officer_a).post(url, queued_visit(uuid.uuid4(), client_key="not-a-key"), **JSON)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["client_key"]
    assert Visit.objects.count() == 0


def test_the_queue_of_another_grid_is_still_404(cast, client_for):
    url = reverse("fieldwork:visit_create", args=[cast.enterprise_b.pk])
    assert client_for(cast.officer_a).post(url, queued_visit(uuid.uuid4()), **JSON).status_code == 404
    assert Visit.objects.count() == 0


def test_the_page_renders_the_queue_and_its_words(cast, client_for):
    response = client_for(cast.officer_a).get(reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk]))
    page = response.content.decode()
    assert 'id="visit-queue"' in page
    assert f'data-user="{cast.officer_a.pk}"' in page
    assert 'data-worker="/sw.js"' in page
    assert 'data-utc-offset="480"' in page  # Asia/Shanghai: the script presets the visit's time there
    catalogue = page.split('<script id="visit-queue-strings" type="application/json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(catalogue) == visit_queue_strings()
    assert "<script>" not in page  # no inline script: the CSP allows none


def test_the_queue_speaks_english_on_an_english_page(cast, client_for):
    client = client_for(cast.officer_a)
    response = client.get(reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk]), HTTP_ACCEPT_LANGUAGE="en")
    catalogue = response.content.decode().split('type="application/json">', 1)[1].split("</script>", 1)[0]
    words = json.loads(catalogue)
    assert words["waiting"] == "Waiting to be sent"
    assert all(not any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in words.values())


def test_the_service_worker_is_served_from_the_root_with_the_forms_assets(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    for name in OFFLINE_ASSETS:
        assert f'"/static/{name}"' in script
    assert "fieldwork/visit-queue.js" in OFFLINE_ASSETS


def test_the_service_worker_answers_get_only(client):
    assert client.post("/sw.js").status_code == 405


def test_the_forms_own_submit_leaves_the_message_for_the_visit_page_and_the_queue_does_not(cast, client_for):
    client = client_for(cast.officer_a)
    url = reverse("fieldwork:visit_create", args=[cast.enterprise_a.pk])

    live = client.post(url, queued_visit(uuid.uuid4()), HTTP_X_VISIT_SUBMIT="form", **JSON)
    page = client.get(live.json()["url"])
    assert [str(message) for message in page.context["messages"]] == ["走访已登记。1 个问题已提交问题台账。"]

    queued = client.post(url, queued_visit(uuid.uuid4()), **JSON)
    page = client.get(queued.json()["url"])
    assert [str(message) for message in page.context["messages"]] == []
