"""Who may open what: anonymous visitors, the nav per role, and the error pages."""

import pytest
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse


@pytest.fixture
def private_urls(cast):
    return [
        "/",
        reverse("enterprises:list"),
        reverse("enterprises:detail", args=[cast.enterprise_a.pk]),
        reverse("enterprises:my_enterprise"),
        reverse("grids:list"),
        reverse("grids:detail", args=[cast.grid_a.pk]),
    ]


def test_anonymous_visitors_are_sent_to_login(client, private_urls):
    for url in private_urls:
        response = client.get(url)

        assert response.status_code == 302, url
        assert response["Location"] == f"{reverse('login')}?next={url}", url


def test_anonymous_visitors_open_the_board_and_healthz(client, cast):
    assert client.get(cast.enterprise_a.get_board_url()).status_code == 200
    assert client.get("/healthz").status_code == 200


def test_signing_in_as_an_enterprise_user_lands_on_my_enterprise(client, cast):
    from tests.conftest import PASSWORD

    response = client.post(reverse("login"), {"username": "ent-a", "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == "/my/"
    assert response.status_code == 200
    assert "甲企业有限公司" in response.content.decode()


# --- The nav -----------------------------------------------------------------


def nav_links(client) -> str:
    body = client.get(reverse("enterprises:list")).content.decode()
    return body[body.index("<nav") : body.index("</nav>")]


def test_nav_for_staff_roles(cast, client_for):
    for persona in ("manager", "leader_a", "officer_a"):
        nav = nav_links(client_for(getattr(cast, persona)))
        assert 'href="/enterprises/"' in nav, persona
        assert 'href="/grids/"' in nav, persona
        assert 'href="/admin/"' not in nav, persona


def test_nav_for_bureau_staff_has_no_grids(cast, client_for):
    nav = nav_links(client_for(cast.bureau_user_x))

    assert 'href="/enterprises/"' in nav
    assert 'href="/grids/"' not in nav


def test_nav_for_the_enterprise_user_shows_its_own_enterprise_only(cast, client_for):
    client = client_for(cast.enterprise_user_a)
    body = client.get("/my/").content.decode()
    nav = body[body.index("<nav") : body.index("</nav>")]

    assert 'href="/my/"' in nav
    assert 'href="/enterprises/"' not in nav
    assert 'href="/grids/"' not in nav


def test_nav_for_the_admin_links_the_django_admin(cast, client_for):
    nav = nav_links(client_for(cast.admin))

    assert 'href="/admin/"' in nav


def test_nav_marks_the_current_section(cast, client_for):
    nav = nav_links(client_for(cast.manager))

    assert 'class="nav-link active" href="/enterprises/"' in nav


def test_nav_collapses_behind_a_toggler_on_small_screens(cast, client_for):
    nav = nav_links(client_for(cast.officer_a))

    assert 'class="navbar-toggler"' in nav
    assert 'class="collapse navbar-collapse" id="main-nav"' in nav


# --- Error pages -------------------------------------------------------------


@override_settings(DEBUG=False)
def test_404_page_is_in_chinese(cast, client_for):
    response = client_for(cast.officer_a).get("/no-such-page/")

    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body
    assert "返回首页" in body


def test_500_page_renders_without_a_request():
    body = render_to_string("500.html")

    assert "服务器出错了" in body
    assert "favicon.svg" in body


def test_favicon_is_served(client, db):
    from django.contrib.staticfiles import finders

    path = finders.find("favicon.svg")

    assert path is not None
    with open(path, encoding="utf-8") as svg:
        assert svg.read().lstrip().startswith("<svg")
