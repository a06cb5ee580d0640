"""POST /api/auth/token/, token and session authentication."""

import pytest
from django.http import HttpRequest
from rest_framework.authtoken.models import Token

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/auth/token/"


def test_good_credentials_get_a_token_that_reads_the_api(cast, client):
    response = client.post(TOKEN_URL, {"username": "officer-a", "password": PASSWORD}, content_type="application/json")

    assert response.status_code == 200
    token = response.json()["token"]
    assert token == Token.objects.get(user=cast.officer_a).key
    listing = client.get("/api/enterprises/", headers={"Authorization": f"Token {token}"})
    assert listing.status_code == 200
    assert [row["id"] for row in listing.json()["results"]] == [cast.enterprise_a.pk]


def test_asking_again_returns_the_same_token(cast, client):
    first = client.post(TOKEN_URL, {"username": "manager", "password": PASSWORD}).json()["token"]
    second = client.post(TOKEN_URL, {"username": "manager", "password": PASSWORD}).json()["token"]

    assert first == second
    assert Token.objects.filter(user=cast.manager).count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"username": "officer-a", "password": "wrong-password"},
        {"username": "nobody", "password": PASSWORD},
        {"username": "officer-a"},
        {"password": PASSWORD},
        {},
    ],
)
def test_bad_or_missing_credentials_answer_400_and_create_no_token(cast, client, body):
    response = client.post(TOKEN_URL, body, content_type="application/json")

    assert response.status_code == 400
    assert "token" not in response.json()
    assert not Token.objects.exists()


def test_an_inactive_user_gets_no_token(cast, client):
    cast.officer_a.is_active = False
    cast.officer_a.save()

    response = client.post(TOKEN_URL, {"username": "officer-a", "password": PASSWORD})

    assert response.status_code == 400
    assert not Token.objects.exists()


def test_a_malformed_body_answers_400(cast, client):
    assert client.post(TOKEN_URL, "{not json", content_type="application/json").status_code == 400
    assert client.post(TOKEN_URL, '["officer-a"]', content_type="application/json").status_code == 400
    assert not Token.objects.exists()


# Repeated wrong passwords: tests/security/test_signin_lockout.py (shared with the login page).


def test_an_unknown_token_is_refused(cast, client):
    response = client.get("/api/enterprises/", headers={"Authorization": "Token not-a-real-token"})

    # 401 with the challenge: token authentication comes first and names its scheme.
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"
    assert "results" not in response.json()


def test_a_session_reads_the_api(cast, client):
    assert client.login(request=HttpRequest(), username="leader-b", password=PASSWORD)

    response = client.get("/api/enterprises/")

    assert [row["id"] for row in response.json()["results"]] == [cast.enterprise_b.pk]
