"""Users change their own password; an administrator resets one and the user
must choose a new one at the next sign-in; Django's validators apply (10+)."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.authtoken.models import Token

from accounts.models import PasswordChange, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

CHANGE_URL = "/accounts/password/"
NEW_PASSWORD = "Qingshui-river-2026"


def signed_in_client(username: str, password: str = PASSWORD) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content
    return client


def test_the_validators_require_ten_characters():
    with pytest.raises(ValidationError):
        validate_password("Ab3-xyz-9")  # 9
    validate_password("Ab3-xyz-90")  # 10


def test_a_user_changes_their_own_password_and_their_other_sessions_end(cast):
    phone, desktop = signed_in_client("officer-a"), signed_in_client("officer-a")
    Token.objects.create(user=cast.officer_a)

    response = desktop.post(
        CHANGE_URL, {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    cast.officer_a.refresh_from_db()
    assert cast.officer_a.check_password(NEW_PASSWORD)
    assert desktop.get("/enterprises/").status_code == 200  # this session stays
    assert phone.get("/enterprises/").status_code == 302  # the other one is signed out
    assert "/accounts/login/" in phone.get("/enterprises/")["Location"]
    assert not Token.objects.filter(user=cast.officer_a).exists()


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("wrong-old-password", NEW_PASSWORD, "old_password"),
        (PASSWORD, "short-9ch", "new_password2"),
        (PASSWORD, "1234567890123", "new_password2"),
        (PASSWORD, "password123", "new_password2"),
    ],
)
def test_a_wrong_old_password_or_a_weak_new_one_changes_nothing(cast, old, new, field):
    client = signed_in_client("officer-a")
    before = User.objects.filter(pk=cast.officer_a.pk).values("password", "session_epoch").get()

    response = client.post(CHANGE_URL, {"old_password": old, "new_password1": new, "new_password2": new})

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert User.objects.filter(pk=cast.officer_a.pk).values("password", "session_epoch").get() == before


def test_the_page_is_in_the_user_menu_in_both_languages(cast, client_for):
    client = client_for(cast.officer_a)
    home = client.get("/enterprises/").content.decode()
    assert f'href="{CHANGE_URL}"' in home
    assert "修改密码" in client.get(CHANGE_URL).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(CHANGE_URL).content.decode()
    assert "Change password" in english
    assert "Current password" in english


def test_an_admin_reset_forces_a_new_password_at_the_next_sign_in(cast, client_for):
    officer_session = signed_in_client("officer-a")

    response = client_for(cast.admin).post(
        f"/admin/accounts/user/{cast.officer_a.pk}/password/",
        {"password1": "Temporary-pass-77", "password2": "Temporary-pass-77", "usable_password": "true"},
    )

    assert response.status_code == 302
    cast.officer_a.refresh_from_db()
    assert cast.officer_a.must_change_password == PasswordChange.RESET
    assert officer_session.get("/enterprises/").status_code == 302  # the old session ended
    client = signed_in_client("officer-a", "Temporary-pass-77")
    for path in ("/", "/enterprises/", "/issues/"):
        answer = client.get(path)
        assert (answer.status_code, answer["Location"]) == (302, CHANGE_URL), path
    assert client.get("/api/enterprises/").status_code == 403
    assert client.get(CHANGE_URL).status_code == 200

    client.post(
        CHANGE_URL, {"old_password": "Temporary-pass-77", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    cast.officer_a.refresh_from_db()
    assert cast.officer_a.must_change_password == ""
    assert client.get("/enterprises/").status_code == 200


def test_a_user_who_must_change_gets_no_api_token(cast, client):
    User.objects.filter(pk=cast.officer_a.pk).update(must_change_password=PasswordChange.RESET)

    response = client.post("/api/auth/token/", {"username": "officer-a", "password": PASSWORD})

    assert response.status_code == 403
    assert not Token.objects.exists()


def test_demo_accounts_must_change_the_published_password_when_debug_is_off(cast, settings):
    settings.DEMO_ACCOUNTS_KEEP_PASSWORD = False
    User.objects.filter(pk=cast.officer_a.pk).update(must_change_password=PasswordChange.PUBLISHED)

    answer = signed_in_client("officer-a").get("/enterprises/")

    assert (answer.status_code, answer["Location"]) == (302, CHANGE_URL)


def test_demo_accounts_keep_the_published_password_while_debug_is_on(cast, settings):
    settings.DEMO_ACCOUNTS_KEEP_PASSWORD = True
    User.objects.filter(pk=cast.officer_a.pk).update(must_change_password=PasswordChange.PUBLISHED)

    assert signed_in_client("officer-a").get("/enterprises/").status_code == 200
