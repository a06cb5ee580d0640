"""Sessions end after 8 idle hours and 7 days after the sign-in; signing out
ends the session on the server; an administrator ends all of a user's
sessions; deactivating a user ends them too."""

import datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PAGE = "/enterprises/"


def sign_in(username: str = "officer-a") -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def is_signed_out(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_seven_hours_fifty_nine_idle_keeps_the_session_and_eight_hours_one_end_it(cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = sign_in()
    with time_machine.travel(start + datetime.timedelta(hours=7, minutes=59), tick=False):
        assert client.get(PAGE).status_code == 200
    with time_machine.travel(start + datetime.timedelta(hours=15, minutes=58), tick=False):
        assert client.get(PAGE).status_code == 200  # idle counts from the last request
    with time_machine.travel(start + datetime.timedelta(hours=23, minutes=59), tick=False):
        response = client.get(PAGE)
    assert is_signed_out(response)
    assert response["Location"] == f"/accounts/login/?next={PAGE}"
    assert "_auth_user_id" not in client.session


def test_an_active_session_ends_seven_days_after_the_sign_in(cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = sign_in()
    for hours in range(6, 7 * 24, 6):  # a request every 6 hours: never idle
        with time_machine.travel(start + datetime.timedelta(hours=hours), tick=False):
            assert client.get(PAGE).status_code == 200, hours
    with time_machine.travel(start + datetime.timedelta(days=7, minutes=1), tick=False):
        assert is_signed_out(client.get(PAGE))


def test_an_api_call_on_an_expired_session_is_anonymous(cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = sign_in()
        assert client.get("/api/enterprises/").status_code == 200
    with time_machine.travel(start + datetime.timedelta(hours=8, minutes=1), tick=False):
        assert client.get("/api/enterprises/").status_code == 401


def test_signing_out_is_a_post_that_deletes_the_session_on_the_server(cast):
    client = sign_in()
    key = client.session.session_key
    stolen = Client()
    stolen.cookies["sessionid"] = key

    assert client.get("/accounts/logout/").status_code == 405
    assert stolen.get(PAGE).status_code == 200
    client.post("/accounts/logout/")

    assert not Session.objects.filter(session_key=key).exists()
    assert is_signed_out(stolen.get(PAGE))


def test_an_admin_ends_all_of_a_users_sessions_and_its_token(cast, client_for):
    phone, desktop = sign_in(), sign_in()
    other = sign_in("officer-b")
    Token.objects.create(user=cast.officer_a)

    response = client_for(cast.admin).post(
        "/admin/accounts/user/", {"action": "end_sessions", "_selected_action": [cast.officer_a.pk]}
    )

    assert response.status_code == 302
    assert is_signed_out(phone.get(PAGE))
    assert is_signed_out(desktop.get(PAGE))
    assert not Token.objects.filter(user=cast.officer_a).exists()
    assert other.get(PAGE).status_code == 200
    assert sign_in().get(PAGE).status_code == 200  # signing in again works


def test_deactivating_a_user_in_the_admin_ends_their_sessions(cast, client_for):
    session = sign_in()
    Token.objects.create(user=cast.officer_a)
    target = cast.officer_a
    data = {
        "username": target.username,
        "name": target.name,
        "phone": target.phone,
        "role": target.role,
        "date_joined_0": target.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": target.date_joined.strftime("%H:%M:%S"),
    }  # is_active left out: unticked

    response = client_for(cast.admin).post(f"/admin/accounts/user/{target.pk}/change/", data)

    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    assert is_signed_out(session.get(PAGE))
    assert not Token.objects.filter(user=target).exists()
