"""Sign-in resists guessing without locking the owner out (django-axes).

The login page, the admin's login and ``POST /api/auth/token/`` share one
counter per (username, address): five wrong passwords lock that pair for 15
minutes. A separate address-wide limit stops one address trying many users.
The counters live in the database, so every process sees the same ones.
"""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.lockout import ADDRESS_FAILURE_LIMIT, PAIR_FAILURE_LIMIT
from tests.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
ADMIN_LOGIN_URL = "/admin/login/"
TOKEN_URL = "/api/auth/token/"
ATTACKER = "203.0.113.9"
OWNER = "198.51.100.7"


def page_login(client, username, password, address=ATTACKER):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)


def token_login(client, username, password, address=ATTACKER):
    return client.post(
        TOKEN_URL, {"username": username, "password": password}, content_type="application/json", REMOTE_ADDR=address
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_limits_are_the_ones_promised():
    assert PAIR_FAILURE_LIMIT == 5
    assert ADDRESS_FAILURE_LIMIT < 40


def test_thirty_wrong_passwords_then_the_right_one_does_not_sign_in_on_the_page(cast, client):
    for _attempt in range(30):
        page_login(client, "officer-a", "wrong-guess")

    response = page_login(client, "officer-a", PASSWORD)

    assert response.status_code == 429
    assert not signed_in(client)


def test_the_fifth_wrong_password_locks_the_pair(cast, client):
    for _attempt in range(PAIR_FAILURE_LIMIT - 1):
        assert page_login(client, "officer-a", "wrong-guess").status_code == 200

    assert page_login(client, "officer-a", "wrong-guess").status_code == 429
    assert page_login(client, "officer-a", PASSWORD).status_code == 429
    assert not signed_in(client)


def test_locked_on_the_token_endpoint_means_locked_on_the_page_and_the_admin(cast, client):
    for _attempt in range(PAIR_FAILURE_LIMIT):
        token_login(client, "admin", "wrong-guess")

    assert token_login(client, "admin", PASSWORD).status_code == 429
    assert not Token.objects.exists()
    assert page_login(client, "admin", PASSWORD).status_code == 429
    admin_page = client.post(ADMIN_LOGIN_URL, {"username": "admin", "password": PASSWORD}, REMOTE_ADDR=ATTACKER)
    assert admin_page.status_code == 429
    assert not signed_in(client)


def test_locked_on_the_page_means_locked_on_the_token_endpoint(cast, client):
    for _attempt in range(PAIR_FAILURE_LIMIT):
        page_login(client, "officer-a", "wrong-guess")

    response = token_login(client, "officer-a", PASSWORD)

    assert response.status_code == 429
    assert "token" not in response.json()
    assert int(response["Retry-After"]) > 0
    assert not Token.objects.exists()


def test_the_owner_from_another_address_is_not_locked_out_by_an_attackers_failures(cast, client):
    for _attempt in range(30):
        page_login(client, "officer-a", "wrong-guess", address=ATTACKER)

    owner = page_login(client, "officer-a", PASSWORD, address=OWNER)

    assert owner.status_code == 302
    assert signed_in(client)
    assert token_login(client.__class__(), "officer-a", PASSWORD, address=OWNER).status_code == 200


def test_one_wrong_try_on_each_of_forty_users_from_one_address_hits_the_address_limit(cast, client):
    users = [UserFactory(username=f"user-{number:02d}") for number in range(40)]
    answers = [page_login(client, user.username, "wrong-guess").status_code for user in users]

    assert answers[: ADDRESS_FAILURE_LIMIT - 1] == [200] * (ADDRESS_FAILURE_LIMIT - 1)
    assert set(answers[ADDRESS_FAILURE_LIMIT - 1 :]) == {429}
    # Even the right password of a user not tried yet is refused from that address …
    assert page_login(client, "manager", PASSWORD).status_code == 429
    assert token_login(client, "manager", PASSWORD).status_code == 429
    # … while the same user signs in from elsewhere.
    assert page_login(client, "manager", PASSWORD, address=OWNER).status_code == 302


def test_the_message_says_in_chinese_and_english_how_long_is_left(cast, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _attempt in range(PAIR_FAILURE_LIMIT):
            page_login(client, "officer-a", "wrong-guess")
    with time_machine.travel(start + datetime.timedelta(minutes=6), tick=False):
        chinese = page_login(client, "officer-a", PASSWORD)
        api = token_login(client, "officer-a", PASSWORD)
        client.cookies["django_language"] = "en"
        english = page_login(client, "officer-a", PASSWORD)

    assert chinese.status_code == 429
    text = chinese.content.decode()
    assert "登录失败次数过多" in text
    assert "9 分钟" in text
    assert "登录失败次数过多" in api.json()["detail"]
    assert api["Retry-After"] == str(9 * 60)
    assert "Too many failed sign-ins" in english.content.decode()
    assert "9 minutes" in english.content.decode()


def test_past_fifteen_minutes_the_pair_is_unlocked(cast, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _attempt in range(PAIR_FAILURE_LIMIT):
            page_login(client, "officer-a", "wrong-guess")
    with time_machine.travel(start + datetime.timedelta(minutes=14, seconds=59), tick=False):
        assert page_login(client, "officer-a", PASSWORD).status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=15, seconds=1), tick=False):
        assert page_login(client, "officer-a", PASSWORD).status_code == 302
        assert signed_in(client)


def test_the_counters_are_rows_in_the_database_shared_by_every_process(cast, client):
    for _attempt in range(3):
        page_login(client, "officer-a", "wrong-guess")

    attempt = AccessAttempt.objects.get(username="officer-a", ip_address=ATTACKER)
    assert attempt.failures_since_start == 3


def test_an_admin_unlocks_a_user_from_the_user_list(cast, client_for, client):
    for _attempt in range(PAIR_FAILURE_LIMIT):
        page_login(client, "officer-a", "wrong-guess")
    assert page_login(client, "officer-a", PASSWORD).status_code == 429

    admin = client_for(cast.admin)
    response = admin.post(
        "/admin/accounts/user/",
        {"action": "unlock_sign_in", "_selected_action": [cast.officer_a.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert not AccessAttempt.objects.filter(username="officer-a").exists()
    assert page_login(client, "officer-a", PASSWORD).status_code == 302


def test_a_right_password_before_the_limit_clears_the_pairs_failures(cast, client):
    for _attempt in range(PAIR_FAILURE_LIMIT - 1):
        page_login(client, "officer-a", "wrong-guess")
    assert page_login(client, "officer-a", PASSWORD).status_code == 302
    client.post("/accounts/logout/")

    for _attempt in range(PAIR_FAILURE_LIMIT - 1):
        assert page_login(client, "officer-a", "wrong-guess").status_code == 200
    assert page_login(client, "officer-a", PASSWORD).status_code == 302
