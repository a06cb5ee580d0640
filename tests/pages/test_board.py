"""The public notice board (公示牌): anonymous, by token, and nothing more than who to call."""

import re

import pytest
import segno
from django.test import Client

from enterprises.models import EnterpriseContact
from enterprises.registry.board import board_qr_svg
from grids.models import Zone
from tests.factories import UserFactory


@pytest.fixture
def board(cast):
    chief = UserFactory(username="chief", name="孙总", phone="023-61000001")
    Zone.objects.create(name="重庆经开区", grid_chief=chief)
    EnterpriseContact.objects.create(enterprise=cast.enterprise_a, name="刘经理", phone="13912345678")
    return cast.enterprise_a.get_board_url()


def test_board_opens_without_login_and_names_the_three_roles_with_phones(cast, client, board):
    response = client.get(board)

    assert response.status_code == 200
    body = response.content.decode()
    assert "甲企业有限公司" in body
    assert "重庆经开区" in body
    assert "网格总负责人" in body and "孙总" in body and 'href="tel:02361000001"' in body
    assert "片区负责人" in body and "李片长" in body and f'href="tel:{cast.leader_a.phone}"' in body
    assert "网格员" in body and "张网格" in body and f'href="tel:{cast.officer_a.phone}"' in body


def test_board_carries_an_inline_svg_qr_code_of_its_own_absolute_url(cast, client, board):
    response = client.get(board)

    body = response.content.decode()
    assert "<svg" in body and 'class="board-qr"' in body
    assert f"http://testserver{board}" in body
    assert response.context["board_url"] == f"http://testserver{board}"


def test_the_qr_code_encodes_the_board_url(cast, board):
    url = f"http://testserver{board}"
    modules = segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True, svgclass="board-qr")

    # The same dark modules as a QR code made of the board's URL, so a phone scanning it opens the board.
    def dark_modules(svg: str) -> str:
        return re.search(r'class="qrline"[^>]* d="([^"]+)"', svg).group(1)

    assert dark_modules(board_qr_svg(url=url, title="t")) == dark_modules(modules)


def test_board_leaks_nothing_else(cast, client, board):
    body = client.get(board).content.decode()

    assert cast.enterprise_a.uscc not in body
    assert "刘经理" not in body and "13912345678" not in body
    assert "乙企业有限公司" not in body
    assert "/enterprises/" not in body


def test_board_is_not_indexed_and_prints(cast, client, board):
    response = client.get(board)

    body = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "data-jk-print" in body  # static/js/portal.js prints (no inline handler under the CSP)
    assert "d-print-none" in body


@pytest.mark.parametrize("token", ["not-a-real-token", "x", "AAAAAAAAAAAAAAAAAAAAAAAA"])
def test_a_bad_token_answers_404(cast, client, token):
    response = client.get(f"/board/{token}/")

    assert response.status_code == 404
    assert "甲企业有限公司" not in response.content.decode()


def test_a_token_with_other_characters_answers_404(cast, client):
    assert client.get("/board/%E4%BD%A0%E5%A5%BD/").status_code == 404


def test_board_works_without_a_zone_row_and_without_people(cast, client):
    cast.grid_a.officers.clear()
    cast.grid_a.leader = None
    cast.grid_a.save()

    response = client.get(cast.enterprise_a.get_board_url())

    assert response.status_code == 200
    assert "暂未配备" in response.content.decode()


def test_signed_in_users_see_the_same_board(cast, client_for, board):
    response = client_for(cast.enterprise_user_b).get(board)

    assert response.status_code == 200
    assert "甲企业有限公司" in response.content.decode()


def test_board_queries_are_bounded(cast, client, board, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get(board)


def test_the_board_offers_the_grids_own_officer_a_visit_form_and_nobody_else(cast, client_for):
    board = f"/board/{cast.enterprise_a.board_token}/"
    visit_url = f"/fieldwork/visit/by-token/{cast.enterprise_a.board_token}/"

    assert visit_url in client_for(cast.officer_a).get(board).content.decode()
    assert visit_url not in client_for(cast.officer_b).get(board).content.decode()
    assert visit_url not in client_for(cast.manager).get(board).content.decode()
    assert visit_url not in Client().get(board).content.decode()
