"""Board tokens rotate (old link 404, the reprint shows the new QR, a POST
with confirmation, audited), and /board/ is rate-limited per address."""

import pytest

from common.ratelimit import BOARD_RATE
from enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


# The rate limiter's counters start empty in each test: tests.conftest gives every test a cache of
# its own (never cache.clear(), which on Redis would empty the other parallel workers' caches too).


def rotate_url(enterprise) -> str:
    return f"/enterprises/{enterprise.pk}/board/rotate/"


@pytest.mark.parametrize("persona", ["officer_a", "admin"])
def test_the_grid_officer_or_an_admin_rotates_the_token_and_the_old_link_is_gone(cast, client_for, persona):
    enterprise = cast.enterprise_a
    old_url = enterprise.get_board_url()
    actor = getattr(cast, persona)
    client = client_for(actor)
    assert "更换公示牌二维码" in client.get(rotate_url(enterprise)).content.decode()

    response = client.post(rotate_url(enterprise), {"confirm": "on"})

    enterprise.refresh_from_db()
    new_url = enterprise.get_board_url()
    assert new_url != old_url
    assert response.status_code == 302
    assert response["Location"] == new_url
    assert client.get(old_url).status_code == 404
    reprint = client.get(new_url).content.decode()
    assert f"testserver{new_url}" in reprint  # the URL printed under the QR code, and encoded in it
    assert old_url not in reprint
    record = enterprise.history.first()
    assert (record.history_user, record.history_change_reason) == (actor, "更换公示牌二维码")


def test_without_the_confirmation_nothing_changes(cast, client_for):
    before = Enterprise.objects.values("board_token").get(pk=cast.enterprise_a.pk)

    response = client_for(cast.officer_a).post(rotate_url(cast.enterprise_a), {})

    assert response.status_code == 400
    assert "请勾选确认" in response.content.decode()
    assert Enterprise.objects.values("board_token").get(pk=cast.enterprise_a.pk) == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [("officer_b", 404), ("leader_b", 404), ("bureau_user_x", 404), ("enterprise_user_a", 403), ("leader_a", 403)],
)
def test_others_may_not_rotate_and_nothing_changes(cast, client_for, persona, status):
    before = Enterprise.objects.values("board_token").get(pk=cast.enterprise_a.pk)

    response = client_for(getattr(cast, persona)).post(rotate_url(cast.enterprise_a), {"confirm": "on"})

    assert response.status_code == status
    assert Enterprise.objects.values("board_token").get(pk=cast.enterprise_a.pk) == before


def test_rotating_needs_a_post(cast, client_for):
    client = client_for(cast.officer_a)
    before = cast.enterprise_a.board_token

    client.get(rotate_url(cast.enterprise_a), {"confirm": "on"})

    cast.enterprise_a.refresh_from_db()
    assert cast.enterprise_a.board_token == before


def test_the_board_is_rate_limited_per_address_with_a_chinese_page(cast, client):
    url = cast.enterprise_a.get_board_url()
    limit = BOARD_RATE[0]
    for _request in range(limit):
        assert client.get(url, REMOTE_ADDR="203.0.113.5").status_code == 200

    refused = client.get(url, REMOTE_ADDR="203.0.113.5")
    guess = client.get("/board/not-a-token/", REMOTE_ADDR="203.0.113.5")

    assert refused.status_code == 429
    assert "访问过于频繁" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert guess.status_code == 429  # guessing tokens counts too
    assert client.get(url, REMOTE_ADDR="198.51.100.8").status_code == 200  # another address is served
