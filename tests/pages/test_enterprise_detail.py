"""The enterprise profile page and the enterprise user's home: scoped, 404 outside."""

import pytest
from django.urls import reverse

from enterprises.models import EnterpriseContact
from grids.models import Zone
from tests.factories import UserFactory


def detail_url(enterprise) -> str:
    return reverse("enterprises:detail", args=[enterprise.pk])


@pytest.fixture
def zone(cast):
    chief = UserFactory(username="chief", name="孙总", phone="023-6100 0001", title="网格总负责人")
    return Zone.objects.create(name="重庆经开区", grid_chief=chief)


@pytest.fixture
def contact_a(cast):
    return EnterpriseContact.objects.create(
        enterprise=cast.enterprise_a, name="刘经理", title="行政经理", phone="13912345678", is_primary=True
    )


# --- Scope ---------------------------------------------------------------


@pytest.mark.parametrize("persona", ["manager", "admin", "leader_a", "officer_a", "enterprise_user_a"])
def test_the_profile_opens_inside_the_scope(cast, client_for, persona):
    response = client_for(getattr(cast, persona)).get(detail_url(cast.enterprise_a))

    assert response.status_code == 200
    assert response.context["enterprise"] == cast.enterprise_a


@pytest.mark.parametrize("persona", ["leader_a", "officer_a", "enterprise_user_a", "bureau_user_x"])
def test_another_scopes_profile_answers_404(cast, client_for, hand_to_bureau, persona):
    hand_to_bureau(cast.enterprise_a, cast.bureau_x)

    response = client_for(getattr(cast, persona)).get(detail_url(cast.enterprise_b))

    assert response.status_code == 404
    assert "乙企业有限公司" not in response.content.decode()


def test_an_unknown_id_answers_404(cast, client_for):
    assert client_for(cast.manager).get("/enterprises/999999/").status_code == 404


def test_bureau_sees_the_basic_profile_of_an_enterprise_whose_issue_it_holds(cast, client_for, hand_to_bureau):
    client = client_for(cast.bureau_user_x)
    assert client.get(detail_url(cast.enterprise_a)).status_code == 404

    hand_to_bureau(cast.enterprise_a, cast.bureau_x)
    response = client.get(detail_url(cast.enterprise_a))

    assert response.status_code == 200
    assert response.context["full_profile"] is False
    assert cast.enterprise_a.uscc in response.content.decode()


def test_staff_see_the_full_profile(cast, client_for):
    response = client_for(cast.officer_a).get(detail_url(cast.enterprise_a))

    assert response.context["full_profile"] is True


# --- Content ---------------------------------------------------------------


def test_profile_shows_the_basic_data_with_chinese_labels(cast, client_for):
    enterprise = cast.enterprise_a
    enterprise.address = "经开区开发大道88号"
    enterprise.legal_representative = "钱董"
    enterprise.employees = 320
    enterprise.above_scale = True
    enterprise.save()

    body = client_for(cast.officer_a).get(detail_url(enterprise)).content.decode()

    for text in (
        "基本信息",
        "统一社会信用代码",
        enterprise.uscc,
        "成长型企业",
        "规上",
        "民营",
        "装备制造",
        "经开区开发大道88号",
        "钱董",
        "320 人",
        "甲片区 · 甲网格",
    ):
        assert text in body, text


def test_profile_shows_contacts_and_the_grid_people_with_phones(cast, client_for, zone, contact_a):
    body = client_for(cast.officer_a).get(detail_url(cast.enterprise_a)).content.decode()

    assert "刘经理" in body and 'href="tel:13912345678"' in body
    assert "孙总" in body and 'href="tel:02361000001"' in body
    assert cast.leader_a.name in body and f'href="tel:{cast.leader_a.phone}"' in body
    assert cast.officer_a.name in body and f'href="tel:{cast.officer_a.phone}"' in body
    assert cast.enterprise_a.get_board_url() in body


def test_bureau_staff_see_the_contacts_too(cast, client_for, hand_to_bureau, contact_a):
    hand_to_bureau(cast.enterprise_a, cast.bureau_x)

    body = client_for(cast.bureau_user_x).get(detail_url(cast.enterprise_a)).content.decode()

    assert "刘经理" in body


def test_profile_links_the_grid_only_for_those_who_may_open_it(cast, client_for, hand_to_bureau):
    hand_to_bureau(cast.enterprise_a, cast.bureau_x)
    grid_url = reverse("grids:detail", args=[cast.grid_a.pk])

    assert grid_url in client_for(cast.officer_a).get(detail_url(cast.enterprise_a)).content.decode()
    assert grid_url not in client_for(cast.bureau_user_x).get(detail_url(cast.enterprise_a)).content.decode()
    assert grid_url not in client_for(cast.enterprise_user_a).get(detail_url(cast.enterprise_a)).content.decode()


def test_profile_queries_are_bounded(cast, client_for, zone, contact_a, django_assert_max_num_queries):
    client = client_for(cast.officer_a)

    with django_assert_max_num_queries(12):
        response = client.get(detail_url(cast.enterprise_a))

    assert response.status_code == 200


# --- The enterprise user's home (/my/) ---------------------------------------


def test_home_sends_the_enterprise_user_to_my_enterprise(cast, client_for):
    response = client_for(cast.enterprise_user_a).get("/")

    assert response.status_code == 302
    assert response["Location"] == "/my/"


def test_my_enterprise_shows_its_profile_and_whom_to_call(cast, client_for, zone, contact_a):
    response = client_for(cast.enterprise_user_a).get("/my/")

    assert response.status_code == 200
    assert response.context["enterprise"] == cast.enterprise_a
    body = response.content.decode()
    assert "甲企业有限公司" in body and "乙企业有限公司" not in body
    assert "网格总负责人" in body and 'href="tel:02361000001"' in body
    assert "片区负责人" in body and f'href="tel:{cast.leader_a.phone}"' in body
    assert "网格员" in body and f'href="tel:{cast.officer_a.phone}"' in body
    assert "刘经理" in body


def test_my_enterprise_lists_every_officer_of_the_grid_with_the_leader_first(cast, client_for):
    second = UserFactory(username="officer-a2", name="艾网格", phone="13700000002")
    cast.grid_a.officers.add(second)

    people = client_for(cast.enterprise_user_a).get("/my/").context["people"]

    assert people.officers == [cast.officer_a, second]
    assert people.grid_leader == cast.officer_a


def test_inactive_people_are_not_offered_to_call(cast, client_for):
    cast.leader_a.is_active = False
    cast.leader_a.save()

    response = client_for(cast.enterprise_user_a).get("/my/")

    assert response.context["people"].district_leader is None
    assert cast.leader_a.phone not in response.content.decode()
    assert "暂未配备" in response.content.decode()


@pytest.mark.parametrize("persona", ["manager", "admin", "leader_a", "officer_a", "bureau_user_x"])
def test_my_enterprise_is_only_for_enterprise_users(cast, client_for, persona):
    assert client_for(getattr(cast, persona)).get("/my/").status_code == 404


def test_an_enterprise_user_without_an_enterprise_gets_404(cast, client_for):
    orphan = UserFactory(username="ent-orphan", role="enterprise_user", enterprise=None)

    assert client_for(orphan).get("/my/").status_code == 404
