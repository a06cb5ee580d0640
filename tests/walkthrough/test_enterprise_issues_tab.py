"""The 问题 tab of the enterprise profile lists the enterprise's issues (in the viewer's scope),
and an issue raised during a visit links back to that visit for those who read field notes."""

import pytest
from django.urls import reverse

from fieldwork.services import RaisedProblem, visit_create
from issues.models import Issue, Source, State
from issues.services import issue_submit

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def issues_of_a(cast):
    visit = visit_create(
        officer=cast.officer_a,
        enterprise=cast.enterprise_a,
        findings="二期厂房已封顶。",
        problems=[RaisedProblem(title="二期用电负荷不足", description="需增容 2000 千伏安。")],
    )
    online = issue_submit(
        enterprise=cast.enterprise_a,
        actor=cast.enterprise_user_a,
        title="招工难",
        description="缺普工 30 人。",
        source=Source.ENTERPRISE,
    )
    issue_submit(
        enterprise=cast.enterprise_b,
        actor=cast.enterprise_user_b,
        title="乙企业的问题",
        description="不应出现在甲企业的问题页。",
        source=Source.ENTERPRISE,
    )
    return visit, visit.raised_issues.get(), online


def tab_url(enterprise) -> str:
    return reverse("issues:enterprise_issues", args=[enterprise.pk])


@pytest.mark.parametrize("persona", ["officer_a", "leader_a", "manager", "enterprise_user_a"])
def test_the_issues_tab_lists_the_enterprises_issues_and_no_other(cast, client_for, issues_of_a, persona):
    _visit, raised, online = issues_of_a

    response = client_for(getattr(cast, persona)).get(tab_url(cast.enterprise_a), **HTMX)

    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="profile-issues"' in body and "<html" not in body
    assert body.count('class="enterprise-issue"') == 2
    assert raised.get_absolute_url() in body and online.get_absolute_url() in body
    assert "乙企业的问题" not in body
    assert "办理中 2 件 · 待评价 0 件 · 已销号 0 件" in body


def test_opened_directly_the_tab_is_a_page_of_its_own(cast, client_for, issues_of_a):
    response = client_for(cast.officer_a).get(tab_url(cast.enterprise_a))

    assert response.status_code == 200
    assert "<html" in response.content.decode() and "二期用电负荷不足" in response.content.decode()


@pytest.mark.parametrize("persona", ["officer_b", "leader_b", "enterprise_user_b", "bureau_user_x"])
def test_outsiders_and_bureau_staff_get_404(cast, client_for, issues_of_a, persona):
    assert client_for(getattr(cast, persona)).get(tab_url(cast.enterprise_a), **HTMX).status_code == 404


def test_the_profile_page_offers_the_issues_tab(cast, client_for):
    body = client_for(cast.enterprise_user_a).get(reverse("enterprises:detail", args=[cast.enterprise_a.pk]))

    assert f'hx-get="{tab_url(cast.enterprise_a)}"' in body.content.decode()
    assert 'id="pane-issues"' in body.content.decode()


@pytest.mark.parametrize("persona", ["officer_a", "leader_a", "manager"])
def test_an_issue_raised_on_a_visit_links_back_to_the_visit(cast, client_for, issues_of_a, persona):
    visit, raised, _online = issues_of_a

    body = client_for(getattr(cast, persona)).get(raised.get_absolute_url()).content.decode()

    assert reverse("fieldwork:visit_detail", args=[visit.pk]) in body
    assert client_for(getattr(cast, persona)).get(reverse("fieldwork:visit_detail", args=[visit.pk])).status_code == 200


def test_the_enterprise_sees_its_issue_but_no_link_to_the_officers_notes(cast, client_for, issues_of_a):
    visit, raised, _online = issues_of_a

    body = client_for(cast.enterprise_user_a).get(raised.get_absolute_url()).content.decode()

    assert raised.title in body
    assert reverse("fieldwork:visit_detail", args=[visit.pk]) not in body
    assert Issue.objects.get(pk=raised.pk).state == State.SUBMITTED
