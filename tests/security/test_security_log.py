"""Sign-in events and refused accesses go to the ``jingkai.security`` log as
JSON lines with user, address and UTC time."""

import datetime
import json
import logging

import pytest
import time_machine

from accounts.lockout import PAIR_FAILURE_LIMIT
from common.jsonlog import JsonLinesFormatter
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ADDRESS = "192.0.2.44"
MOMENT = datetime.datetime(2026, 3, 2, 1, 30, tzinfo=datetime.UTC)  # 09:30 in Shanghai


@pytest.fixture
def security_log(caplog):
    """The security events written during the test, as the dicts of their JSON lines."""
    logger = logging.getLogger("jingkai.security")
    logger.addHandler(caplog.handler)  # the logger does not propagate to the root, where caplog listens
    caplog.set_level(logging.INFO, logger="jingkai.security")
    formatter = JsonLinesFormatter()
    yield lambda: [
        json.loads(formatter.format(record)) for record in caplog.records if record.name == "jingkai.security"
    ]
    logger.removeHandler(caplog.handler)


def test_a_sign_in_is_logged_with_user_address_and_utc_time(cast, client, security_log):
    with time_machine.travel(MOMENT, tick=False):
        client.post("/accounts/login/", {"username": "officer-a", "password": PASSWORD}, REMOTE_ADDR=ADDRESS)

    assert security_log() == [
        {
            "event": "sign_in",
            "user": "officer-a",
            "address": ADDRESS,
            "time": "2026-03-02T01:30:00Z",
            "path": "/accounts/login/",
        }
    ]


def test_failures_and_the_lockout_are_logged_without_the_password(cast, client, security_log):
    with time_machine.travel(MOMENT, tick=False):
        for _attempt in range(PAIR_FAILURE_LIMIT + 1):
            client.post("/api/auth/token/", {"username": "officer-a", "password": "secret-guess"}, REMOTE_ADDR=ADDRESS)

    events = security_log()
    # The lock is logged as the fifth failure sets it, then that failure, then a try refused unchecked.
    assert [event["event"] for event in events] == [
        *["sign_in_failed"] * (PAIR_FAILURE_LIMIT - 1),
        "lockout",
        "sign_in_failed",
        "sign_in_refused_locked",
    ]
    assert {(event["user"], event["username_tried"], event["address"], event["path"]) for event in events} == {
        (None, "officer-a", ADDRESS, "/api/auth/token/")
    }
    assert "secret-guess" not in json.dumps(events)


def test_an_out_of_scope_object_refused_with_404_is_logged(cast, client_for, security_log):
    client = client_for(cast.officer_a)
    path = f"/enterprises/{cast.enterprise_b.pk}/"

    with time_machine.travel(MOMENT, tick=False):
        assert client.get(path, REMOTE_ADDR=ADDRESS).status_code == 404
        assert client.get(f"/api/enterprises/{cast.enterprise_b.pk}/", REMOTE_ADDR=ADDRESS).status_code == 404

    assert [event for event in security_log() if event["event"] != "sign_in"] == [
        {
            "event": "access_refused",
            "user": "officer-a",
            "address": ADDRESS,
            "time": "2026-03-02T01:30:00Z",
            "path": path,
            "method": "GET",
            "status": 404,
        },
        {
            "event": "access_refused",
            "user": "officer-a",
            "address": ADDRESS,
            "time": "2026-03-02T01:30:00Z",
            "path": f"/api/enterprises/{cast.enterprise_b.pk}/",
            "method": "GET",
            "status": 404,
        },
    ]


def test_a_token_user_refused_is_logged_and_an_anonymous_404_is_not(cast, client, security_log):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=cast.enterprise_user_a)
    client.get(f"/api/enterprises/{cast.enterprise_b.pk}/", headers={"Authorization": f"Token {token.key}"})
    client.get("/no-such-page/")

    assert [(event["event"], event["user"], event["status"]) for event in security_log()] == [
        ("access_refused", "ent-a", 404)
    ]


def test_behind_a_trusted_proxy_the_address_is_the_one_the_proxy_saw(cast, client, settings, security_log):
    settings.TRUSTED_PROXY_COUNT = 1
    client.post(
        "/accounts/login/",
        {"username": "officer-a", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.20",
    )

    assert security_log()[0]["address"] == "198.51.100.20"
