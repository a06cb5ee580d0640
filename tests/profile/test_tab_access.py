"""Who sees and who edits each profile tab: read in scope, edit by the grid's
officers, the district leader, managers and admins; 404 outside the scope."""

import pytest
from django.urls import reverse

from accounts.scoping import Scope
from enterprises.models import Enterprise, Product
from tests.factories import issue_at_bureau
from tests.profile.conftest import HTMX

pytestmark = pytest.mark.django_db

TABS = ["basic", "products", "supply", "employment", "indicators", "tier", "history"]
# 变更记录 is read by managers and administrators only (common.audit.may_see_change_history).
HISTORY_READERS = ["manager", "admin"]
EDIT_URLS = [
    ("enterprises:profile_basic_edit", "get"),
    ("enterprises:profile_product_add", "get"),
    ("enterprises:profile_supply_add", "get"),
    ("enterprises:profile_partner_search", "get"),
    ("enterprises:profile_employment_save", "get"),
    ("enterprises:profile_indicators_save", "get"),
    ("enterprises:profile_tier_change", "post"),
]
EDITORS = ["officer_a", "leader_a", "manager", "admin"]
# Bureau x sees enterprise A once an issue of A has been with it (see the fixture).
READERS = ["enterprise_user_a"]
OUTSIDERS = ["officer_b", "leader_b", "enterprise_user_b", "bureau_user_y"]


@pytest.fixture
def bureau_x_holds_an_issue_of_a(cast):
    return issue_at_bureau(cast.enterprise_a, cast.bureau_x, actor=cast.manager)


def tab_url(tab: str, enterprise: Enterprise) -> str:
    return reverse(f"enterprises:profile_{tab}", args=[enterprise.pk])


@pytest.mark.parametrize(
    ("persona", "tab"),
    [(persona, tab) for persona in EDITORS + READERS for tab in TABS if tab != "history" or persona in HISTORY_READERS],
)
def test_people_in_scope_read_every_tab(cast, client_for, persona, tab):
    client = client_for(getattr(cast, persona))

    partial = client.get(tab_url(tab, cast.enterprise_a), **HTMX)
    page = client.get(tab_url(tab, cast.enterprise_a))

    assert partial.status_code == 200
    assert f'id="profile-{tab}"' in partial.content.decode()
    assert "<html" not in partial.content.decode()
    assert page.status_code == 200
    assert "<html" in page.content.decode() and cast.enterprise_a.name in page.content.decode()


@pytest.mark.parametrize("tab", TABS)
@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_on_every_tab(cast, client_for, persona, tab, bureau_x_holds_an_issue_of_a):
    response = client_for(getattr(cast, persona)).get(tab_url(tab, cast.enterprise_a), **HTMX)

    assert response.status_code == 404


@pytest.mark.parametrize("tab", TABS)
def test_bureau_staff_see_the_basic_data_only(cast, client_for, tab, bureau_x_holds_an_issue_of_a):
    response = client_for(cast.bureau_user_x).get(tab_url(tab, cast.enterprise_a), **HTMX)

    assert response.status_code == (200 if tab == "basic" else 404)


@pytest.mark.parametrize("url_name", [url_name for url_name, method in EDIT_URLS if method == "get"])
@pytest.mark.parametrize("persona", EDITORS)
def test_editors_open_every_edit_form(cast, client_for, persona, url_name):
    response = client_for(getattr(cast, persona)).get(reverse(url_name, args=[cast.enterprise_a.pk]), **HTMX)

    assert response.status_code == 200


@pytest.mark.parametrize(("url_name", "method"), EDIT_URLS)
def test_readers_are_refused_edits_with_403_and_nothing_changes(
    cast, client_for, url_name, method, bureau_x_holds_an_issue_of_a
):
    before = Enterprise.history.count(), cast.enterprise_a.tier
    for persona in ("enterprise_user_a", "bureau_user_x"):
        client = client_for(getattr(cast, persona))
        url = reverse(url_name, args=[cast.enterprise_a.pk])
        response = client.post(url, {"tier": "leading", "reason": "试图调整"}) if method == "post" else client.get(url)

        # Bureau staff may not even see tabs beyond the basic data: 404 there.
        expected = 404 if persona == "bureau_user_x" and url_name != "enterprises:profile_basic_edit" else 403
        assert response.status_code == expected, persona
    cast.enterprise_a.refresh_from_db()
    assert (Enterprise.history.count(), cast.enterprise_a.tier) == before


@pytest.mark.parametrize(("url_name", "method"), EDIT_URLS)
@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_on_every_edit_url(cast, client_for, persona, url_name, method):
    before = Enterprise.history.count(), cast.enterprise_a.tier
    client = client_for(getattr(cast, persona))
    url = reverse(url_name, args=[cast.enterprise_a.pk])

    response = client.post(url, {"tier": "leading", "reason": "越权"}) if method == "post" else client.get(url)

    assert response.status_code == 404
    cast.enterprise_a.refresh_from_db()
    assert (Enterprise.history.count(), cast.enterprise_a.tier) == before


def test_an_item_of_another_enterprise_is_404_even_for_an_editor(cast, client_for):
    product_of_b = Product.objects.create(enterprise=cast.enterprise_b, name="乙产品")
    client = client_for(cast.officer_a)

    edit = client.get(reverse("enterprises:profile_product_edit", args=[cast.enterprise_a.pk, product_of_b.pk]))
    delete = client.post(reverse("enterprises:profile_product_delete", args=[cast.enterprise_a.pk, product_of_b.pk]))

    assert (edit.status_code, delete.status_code) == (404, 404)
    assert Product.objects.filter(pk=product_of_b.pk).exists()


def test_edit_buttons_show_only_to_editors(cast, client_for):
    url = tab_url("products", cast.enterprise_a)

    as_officer = client_for(cast.officer_a).get(url, **HTMX).content.decode()
    as_enterprise = client_for(cast.enterprise_user_a).get(url, **HTMX).content.decode()

    assert "添加产品" in as_officer
    assert "添加产品" not in as_enterprise


def test_anonymous_visitors_are_sent_to_sign_in(client, cast):
    response = client.get(tab_url("products", cast.enterprise_a))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_detail_page_loads_the_profile_tabs_and_offers_editing_to_editors(cast, client_for):
    detail = reverse("enterprises:detail", args=[cast.enterprise_a.pk])

    as_officer = client_for(cast.officer_a).get(detail).content.decode()
    as_enterprise = client_for(cast.enterprise_user_a).get(detail).content.decode()

    for tab in TABS[1:-1]:
        assert f'id="tab-{tab}"' in as_officer
        assert f'hx-get="{tab_url(tab, cast.enterprise_a)}"' in as_officer
        assert f'id="pane-{tab}"' in as_officer
    assert "编辑基本信息" in as_officer
    assert 'id="tab-history"' not in as_officer
    assert 'id="tab-products"' in as_enterprise
    assert "编辑基本信息" not in as_enterprise


def test_the_detail_page_shows_bureau_staff_no_profile_tabs(cast, client_for, bureau_x_holds_an_issue_of_a):
    page = client_for(cast.bureau_user_x).get(reverse("enterprises:detail", args=[cast.enterprise_a.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="tab-products"' not in html
    assert "编辑基本信息" not in html


def test_bureau_staffs_basic_page_links_no_other_tab(cast, client_for, bureau_x_holds_an_issue_of_a):
    page = client_for(cast.bureau_user_x).get(tab_url("basic", cast.enterprise_a)).content.decode()

    assert tab_url("products", cast.enterprise_a) not in page


@pytest.mark.parametrize(
    ("persona", "sees_timeline"),
    [("officer_a", True), ("leader_a", True), ("manager", True), ("enterprise_user_a", False)],
)
def test_the_visit_timeline_tab_is_offered_only_to_those_who_read_field_notes(cast, client_for, persona, sees_timeline):
    timeline_url = reverse("fieldwork:enterprise_timeline", args=[cast.enterprise_a.pk])

    detail = client_for(getattr(cast, persona)).get(reverse("enterprises:detail", args=[cast.enterprise_a.pk]))
    tab_page = client_for(getattr(cast, persona)).get(tab_url("products", cast.enterprise_a))

    assert detail.status_code == 200
    assert (timeline_url in detail.content.decode()) is sees_timeline
    assert ('id="tab-timeline"' in detail.content.decode()) is sees_timeline
    assert ("#tab-timeline" in tab_page.content.decode()) is sees_timeline


@pytest.mark.parametrize("answer", [True, False])
def test_who_sees_the_full_profile_is_asked_of_the_scope_alone(
    cast, client_for, monkeypatch, answer, bureau_x_holds_an_issue_of_a
):
    """``Scope.sees_full_profile`` is the one answer: the detail page (registry), the
    profile tabs, the profile API and the enterprise's issues tab all follow it."""
    monkeypatch.setattr(Scope, "sees_full_profile", property(lambda scope: answer))
    enterprise = cast.enterprise_a
    expected = 200 if answer else 404

    for persona in ("bureau_user_x", "officer_a"):
        client = client_for(getattr(cast, persona))
        detail = client.get(reverse("enterprises:detail", args=[enterprise.pk]))
        assert detail.status_code == 200
        assert detail.context["full_profile"] is answer
        assert client.get(tab_url("products", enterprise), **HTMX).status_code == expected
        assert client.get(f"/api/enterprises/{enterprise.pk}/products/").status_code == expected
        assert client.get(reverse("issues:enterprise_issues", args=[enterprise.pk])).status_code == expected
