import pytest

from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_form_shows_a_chinese_error_on_bad_password(phone_page, live_server, cast):
    browser_login(phone_page, live_server, "officer-a", "wrong-password")

    assert "/accounts/login/" in phone_page.url
    assert "用户名或密码错误" in phone_page.content()
