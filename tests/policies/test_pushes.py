"""Pushes: to a filtered set exactly once, receipts only from the enterprise's own users."""

import pytest

from accounts.models import Notification
from policies import services
from policies.errors import NotPermitted, StateConflict
from policies.models import PolicyPush, PushState
from tests.conftest import login
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_push_to_a_filtered_set_reaches_exactly_that_set_once(library, client_for):
    cast = library.cast
    struggling = [EnterpriseFactory(grid=cast.grid_a, tier="struggling") for _ in range(3)]
    EnterpriseFactory(grid=cast.grid_a, tier="leading")
    EnterpriseFactory(grid=cast.grid_b, tier="struggling")  # another district
    UserFactory(username="ent-s0", role="enterprise_user", enterprise=struggling[0])
    client = client_for(cast.leader_a)
    body = {"target": "filtered", "district": cast.district_a.pk, "tier": "struggling", "note": "重点解读第三条。"}

    first = client.post(f"/api/policies/{library.policy.pk}/push/", body, content_type="application/json")
    second = client.post(f"/api/policies/{library.policy.pk}/push/", body, content_type="application/json")

    assert first.status_code == 200, first.content
    assert first.json()["created"] == 3 and first.json()["already_told"] == 0
    assert second.json() == {"created": 0, "already_told": 3, "push_ids": []}
    assert set(PolicyPush.objects.values_list("enterprise", flat=True)) == {e.pk for e in struggling}
    assert set(PolicyPush.objects.values_list("note", flat=True)) == {"重点解读第三条。"}
    assert Notification.objects.filter(kind="policy_push").count() == 1  # the one enterprise user


def test_nobody_gets_the_same_policy_twice_even_through_the_service(library):
    cast = library.cast
    services.push_send(policy=library.policy, actor=cast.officer_a, enterprises=[cast.enterprise_a])
    outcome = services.push_send(policy=library.policy, actor=cast.officer_a, enterprises=[cast.enterprise_a])

    assert (outcome.created, outcome.already_told) == ([], 1)
    assert PolicyPush.objects.count() == 1


def test_the_database_refuses_a_second_row(library):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    cast = library.cast
    PolicyPush.objects.create(policy=library.policy, enterprise=cast.enterprise_a, pushed_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyPush.objects.create(policy=library.policy, enterprise=cast.enterprise_a, pushed_at=timezone.now())


def test_an_officer_cannot_push_outside_his_grid_or_a_draft(library):
    cast = library.cast
    with pytest.raises(NotPermitted):
        services.push_send(policy=library.policy, actor=cast.officer_a, enterprises=[cast.enterprise_b])
    with pytest.raises(StateConflict):
        services.push_send(policy=library.draft, actor=cast.manager, enterprises=[cast.enterprise_a])
    assert PolicyPush.objects.count() == 0
    assert Notification.objects.count() == 0


def test_push_to_the_eligible_not_yet_told(library):
    from django.utils import timezone

    from policies import eligibility
    from policies.models import EnterpriseFact

    cast = library.cast
    for enterprise in (cast.enterprise_a, cast.enterprise_b):
        EnterpriseFact.objects.create(
            enterprise=enterprise, key="informatization_investment", value=500, recorded_at=timezone.now()
        )
    eligibility.evaluate_enterprises()
    services.push_send(policy=library.policy, actor=cast.manager, enterprises=[cast.enterprise_b])

    targets = services.push_targets_eligible(policy=library.policy, actor=cast.manager)

    assert list(targets) == [cast.enterprise_a]
    assert list(services.push_targets_eligible(policy=library.policy, actor=cast.officer_b)) == []


@pytest.fixture
def push(library):
    cast = library.cast
    [push] = services.push_send(
        policy=library.policy, actor=cast.officer_a, enterprises=[cast.enterprise_a], note="解读"
    ).created
    return push


def test_a_receipt_only_from_the_enterprises_own_signed_in_user(library, push):
    cast = library.cast
    # The officer and the manager open it: nothing recorded.
    for user in (cast.officer_a, cast.manager):
        assert login(user).get(f"/policies/pushes/{push.pk}/").status_code == 200
    assert login(cast.officer_a).post(f"/api/policy-pushes/{push.pk}/open/").status_code == 403
    push.refresh_from_db()
    assert (push.state, push.opened_at) == (PushState.DELIVERED, None)
    # Another enterprise: not found, nothing recorded.
    assert login(cast.enterprise_user_b).get(f"/policies/pushes/{push.pk}/").status_code == 404
    assert login(cast.enterprise_user_b).post(f"/api/policy-pushes/{push.pk}/open/").status_code == 404
    push.refresh_from_db()
    assert push.opened_at is None

    # The enterprise's own user opens it: recorded once, the first time kept.
    assert login(cast.enterprise_user_a).get(f"/policies/pushes/{push.pk}/").status_code == 200
    push.refresh_from_db()
    first_open = push.opened_at
    assert (push.state, push.opened_by) == (PushState.OPENED, cast.enterprise_user_a)
    login(cast.enterprise_user_a).post(f"/api/policy-pushes/{push.pk}/open/")
    push.refresh_from_db()
    assert push.opened_at == first_open


def test_acknowledge_then_refused_a_second_time(library, push):
    client = login(library.cast.enterprise_user_a)

    first = client.post(f"/api/policy-pushes/{push.pk}/acknowledge/", {}, content_type="application/json")
    second = client.post(f"/api/policy-pushes/{push.pk}/acknowledge/", {}, content_type="application/json")

    assert first.status_code == 200 and first.json()["state"] == "acknowledged"
    assert first.json()["in_person"] is False
    assert second.status_code == 409
    push.refresh_from_db()
    assert push.acknowledged_by == library.cast.enterprise_user_a
    assert push.opened_at is not None


def test_in_person_explanation_is_marked_as_such(library, push):
    cast = library.cast
    before = PolicyPush.objects.values().get(pk=push.pk)
    refused = login(cast.officer_b).post(
        f"/api/policy-pushes/{push.pk}/explain/", {"note": "x"}, content_type="application/json"
    )
    assert refused.status_code == 404
    assert PolicyPush.objects.values().get(pk=push.pk) == before
    assert (
        login(cast.enterprise_user_a)
        .post(f"/api/policy-pushes/{push.pk}/explain/", {}, content_type="application/json")
        .status_code
        == 403
    )
    assert PolicyPush.objects.values().get(pk=push.pk) == before

    answer = login(cast.officer_a).post(
        f"/api/policy-pushes/{push.pk}/explain/", {"note": "走访时逐条讲解。"}, content_type="application/json"
    )

    assert answer.status_code == 200
    push.refresh_from_db()
    assert (push.state, push.in_person, push.acknowledged_by, push.opened_at) == (
        PushState.ACKNOWLEDGED,
        True,
        cast.officer_a,
        None,  # nobody of the enterprise opened it
    )


def test_the_policy_page_shows_the_funnel(library, push):
    services.push_acknowledge(push=push, actor=library.cast.enterprise_user_a)
    from policies.selectors import push_funnel, push_funnel_by_area

    assert push_funnel(user=library.cast.manager, policy=library.policy).__dict__ == {
        "pushed": 1,
        "opened": 1,
        "acknowledged": 1,
        "in_person": 0,
    }
    assert push_funnel(user=library.cast.officer_b, policy=library.policy).pushed == 0
    [row] = push_funnel_by_area(user=library.cast.manager)
    assert (row["district"], row["grid"], row["pushed"]) == ("甲片区", "甲网格", 1)
    page = login(library.cast.manager).get(f"/policies/{library.policy.pk}/")
    assert "推送成效" in page.content.decode()


def test_the_officer_explains_a_push_from_its_page(library, push):
    cast = library.cast
    page = login(cast.officer_a).get(f"/policies/pushes/{push.pk}/")
    assert "登记当面解读" in page.content.decode()

    answer = login(cast.officer_a).post(f"/policies/pushes/{push.pk}/explain/", {"note": "走访时逐条讲解。"})

    assert answer.status_code == 302 and answer["Location"] == f"/policies/pushes/{push.pk}/"
    push.refresh_from_db()
    assert (push.state, push.in_person, push.in_person_note, push.acknowledged_by) == (
        PushState.ACKNOWLEDGED,
        True,
        "走访时逐条讲解。",
        cast.officer_a,
    )
    assert "登记当面解读" not in login(cast.officer_a).get(f"/policies/pushes/{push.pk}/").content.decode()


def test_explaining_with_a_note_too_long_is_a_400_naming_the_field_and_changes_nothing(library, push):
    before = PolicyPush.objects.values().get(pk=push.pk)

    answer = login(library.cast.officer_a).post(f"/policies/pushes/{push.pk}/explain/", {"note": "讲" * 501})

    assert answer.status_code == 400
    body = answer.content.decode()
    assert "解读情况：" in body and "讲" * 501 in body  # the officer's text is kept to correct
    assert PolicyPush.objects.values().get(pk=push.pk) == before


def test_an_officer_of_another_grid_cannot_explain_the_push(library, push):
    before = PolicyPush.objects.values().get(pk=push.pk)

    answer = login(library.cast.officer_b).post(f"/policies/pushes/{push.pk}/explain/", {"note": "x"})

    assert answer.status_code == 404
    assert PolicyPush.objects.values().get(pk=push.pk) == before


def test_a_push_whose_pusher_account_is_gone_can_still_be_explained(library, push):
    cast = library.cast
    pusher = UserFactory(username="gone", role="grid_officer")
    PolicyPush.objects.filter(pk=push.pk).update(pushed_by=pusher)
    pusher.delete()  # SET_NULL: the receipts must still save
    push.refresh_from_db()
    assert push.pushed_by is None

    services.push_explain_in_person(push=push, actor=cast.officer_a, note="当面讲解。")

    push.refresh_from_db()
    assert (push.state, push.in_person) == (PushState.ACKNOWLEDGED, True)


def test_the_api_pushes_to_the_eligible_not_yet_told_once(library):
    """Given A and B eligible and B already told, a push "to the eligible" through the API reaches A only;
    asked again it reaches nobody and nothing is added."""
    from django.utils import timezone

    from policies import eligibility
    from policies.models import EnterpriseFact

    cast = library.cast
    ineligible = EnterpriseFactory(grid=cast.grid_a, industry="food")
    for enterprise in (cast.enterprise_a, cast.enterprise_b, ineligible):
        EnterpriseFact.objects.create(
            enterprise=enterprise, key="informatization_investment", value=500, recorded_at=timezone.now()
        )
    eligibility.evaluate_enterprises()
    services.push_send(policy=library.policy, actor=cast.manager, enterprises=[cast.enterprise_b])
    client = login(cast.manager)
    url = f"/api/policies/{library.policy.pk}/push/"

    first = client.post(url, {"target": "eligible", "note": "符合条件，请尽快申报。"}, content_type="application/json")

    assert first.status_code == 200, first.content
    assert (first.json()["created"], first.json()["already_told"]) == (1, 0)
    assert sorted(PolicyPush.objects.values_list("enterprise", flat=True)) == sorted(
        [cast.enterprise_a.pk, cast.enterprise_b.pk]
    )
    before = list(PolicyPush.objects.values())
    second = client.post(url, {"target": "eligible"}, content_type="application/json")
    page = client.post(f"/policies/{library.policy.pk}/push/", {"target": "eligible", "note": ""})

    assert (second.status_code, second.json()) == (400, {"target": ["没有符合条件的推送对象。"]})
    assert page.status_code == 400 and page.context["form"].errors["target"] == ["没有符合条件的推送对象。"]
    assert list(PolicyPush.objects.values()) == before
