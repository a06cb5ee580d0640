"""当面解读 names the visit it was explained at: the officer's own, to the pushed enterprise, from the
push's day on; optional; anything else is a 400 naming 走访记录 and changes nothing."""

import datetime

import pytest
from django.utils import timezone

from fieldwork.models import Visit
from policies import services
from policies.errors import InvalidInput
from policies.models import PolicyPush, PushState
from tests.conftest import login
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def push(library):
    cast = library.cast
    [push] = services.push_send(policy=library.policy, actor=cast.manager, enterprises=[cast.enterprise_a]).created
    return push


def visit_to(enterprise, officer, *, days_ago=0):
    return Visit.objects.create(
        enterprise=enterprise, officer=officer, visited_at=timezone.now() - datetime.timedelta(days=days_ago)
    )


def explain(user, push, visit):
    return login(user).post(f"/policies/pushes/{push.pk}/explain/", {"note": "当面讲解。", "visit": visit.pk})


def assert_refused_naming_the_visit(answer, push, before):
    assert answer.status_code == 400
    assert "走访记录：" in answer.content.decode()
    assert PolicyPush.objects.values().get(pk=push.pk) == before


def test_the_officer_picks_his_visit_and_the_push_page_shows_it(library, push):
    cast = library.cast
    visit = visit_to(cast.enterprise_a, cast.officer_a)

    answer = explain(cast.officer_a, push, visit)

    assert answer.status_code == 302
    push.refresh_from_db()
    assert (push.state, push.in_person, push.visit) == (PushState.ACKNOWLEDGED, True, visit)
    officer_page = login(cast.officer_a).get(f"/policies/pushes/{push.pk}/").content.decode()
    assert "解读时的走访" in officer_page and f'href="{visit.get_absolute_url()}"' in officer_page
    # The enterprise sees when it was explained, without a link to the officer's field notes.
    enterprise_page = login(cast.enterprise_user_a).get(f"/policies/pushes/{push.pk}/").content.decode()
    assert "解读时的走访" in enterprise_page and visit.get_absolute_url() not in enterprise_page


def test_the_visit_is_optional(library, push):
    answer = login(library.cast.officer_a).post(f"/policies/pushes/{push.pk}/explain/", {"note": "", "visit": ""})

    assert answer.status_code == 302
    push.refresh_from_db()
    assert (push.in_person, push.visit) == (True, None)


def test_the_page_offers_only_his_visits_to_that_enterprise_from_the_push_day_on(library, push):
    cast = library.cast
    colleague = UserFactory(username="officer-a2", role="grid_officer")
    cast.grid_a.officers.add(colleague)
    neighbour = EnterpriseFactory(grid=cast.grid_a)
    offered = visit_to(cast.enterprise_a, cast.officer_a)
    others = [
        visit_to(cast.enterprise_a, colleague),
        visit_to(neighbour, cast.officer_a),
        visit_to(cast.enterprise_a, cast.officer_a, days_ago=3),
    ]
    PolicyPush.objects.filter(pk=push.pk).update(pushed_at=timezone.now() - datetime.timedelta(days=1))

    form = login(cast.officer_a).get(f"/policies/pushes/{push.pk}/").context["explain_form"]

    assert [value for value, _ in form.fields["visit"].choices if value] == [offered.pk]
    assert all(other.pk not in dict(form.fields["visit"].choices) for other in others)


def test_a_visit_to_another_enterprise_is_refused_by_the_service(library, push):
    cast = library.cast
    before = PolicyPush.objects.values().get(pk=push.pk)
    elsewhere = visit_to(EnterpriseFactory(grid=cast.grid_a), cast.officer_a)

    with pytest.raises(InvalidInput) as refusal:
        services.push_explain_in_person(push=push, actor=cast.officer_a, visit=elsewhere)

    assert refusal.value.field == "visit"
    assert PolicyPush.objects.values().get(pk=push.pk) == before
    assert_refused_naming_the_visit(explain(cast.officer_a, push, elsewhere), push, before)


def test_another_officers_visit_is_refused(library, push):
    cast = library.cast
    colleague = UserFactory(username="officer-a2", role="grid_officer")
    cast.grid_a.officers.add(colleague)
    before = PolicyPush.objects.values().get(pk=push.pk)
    theirs = visit_to(cast.enterprise_a, colleague)

    with pytest.raises(InvalidInput) as refusal:
        services.push_explain_in_person(push=push, actor=cast.officer_a, visit=theirs)

    assert refusal.value.field == "visit"
    assert_refused_naming_the_visit(explain(cast.officer_a, push, theirs), push, before)


def test_a_visit_before_the_push_day_is_refused(library, push):
    cast = library.cast
    before = PolicyPush.objects.values().get(pk=push.pk)
    earlier = visit_to(cast.enterprise_a, cast.officer_a, days_ago=2)

    with pytest.raises(InvalidInput) as refusal:
        services.push_explain_in_person(push=push, actor=cast.officer_a, visit=earlier)

    assert refusal.value.field == "visit"
    assert_refused_naming_the_visit(explain(cast.officer_a, push, earlier), push, before)


def test_a_visit_outside_the_officers_scope_is_a_400_that_reveals_nothing(library, push):
    cast = library.cast
    before = PolicyPush.objects.values().get(pk=push.pk)
    outside = visit_to(cast.enterprise_b, cast.officer_b)

    answer = explain(cast.officer_a, push, outside)

    assert_refused_naming_the_visit(answer, push, before)
    assert cast.enterprise_b.name not in answer.content.decode()


def api_explain(user, push, visit_id):
    body = {"note": "当面讲解。", "visit": visit_id}
    return login(user).post(f"/api/policy-pushes/{push.pk}/explain/", body, content_type="application/json")


def test_the_api_names_the_visit_and_refuses_the_same_visits(library, push):
    cast = library.cast
    before = PolicyPush.objects.values().get(pk=push.pk)
    elsewhere = visit_to(EnterpriseFactory(grid=cast.grid_a), cast.officer_a)
    outside = visit_to(cast.enterprise_b, cast.officer_b)

    for refused in (api_explain(cast.officer_a, push, elsewhere.pk), api_explain(cast.officer_a, push, outside.pk)):
        assert refused.status_code == 400 and "visit" in refused.json(), refused.content
        assert PolicyPush.objects.values().get(pk=push.pk) == before
    assert cast.enterprise_b.name not in api_explain(cast.officer_a, push, outside.pk).content.decode()

    mine = visit_to(cast.enterprise_a, cast.officer_a)
    answer = api_explain(cast.officer_a, push, mine.pk)

    assert answer.status_code == 200, answer.content
    assert (answer.json()["in_person"], answer.json()["visit"]) == (True, mine.pk)
