"""The declaration tells exactly the affected enterprises' users and their grid officers, once,
in-app and by the group robots, however often the task runs (and never again after a crash)."""

import base64
import hashlib
import hmac
import urllib.parse

import pytest

from accounts.models import Notification
from emergency.channels import DingTalkRobot, Message
from emergency.models import Channel, Notice
from emergency.tasks import send_incident_notices

pytestmark = pytest.mark.django_db


def notified_usernames(incident) -> list[str]:
    return sorted(
        Notification.objects.filter(dedupe_key__startswith=f"emergency:{incident.pk}:notice:").values_list(
            "recipient__username", flat=True
        )
    )


EXPECTED = ["ent-a", "ent-river-1", "ent-river-2", "officer-a"]


def test_the_notice_reaches_exactly_the_affected_users_and_officers_once(
    flood, django_capture_on_commit_callbacks, mailoutbox
):
    # When the task runs (twice, as after a redelivery)
    with django_capture_on_commit_callbacks(execute=True):
        send_incident_notices(flood.incident.pk)
        send_incident_notices(flood.incident.pk)

    # Then the users of the two grid-A enterprises and grid A's officer got one notice each; grid B nobody
    assert notified_usernames(flood.incident) == EXPECTED
    assert Notice.objects.filter(incident=flood.incident).count() == 4
    assert Notice.objects.filter(incident=flood.incident, sent_at__isnull=True).count() == 0
    # the one with an email address got one email, with the enterprise's own link
    assert [message.to for message in mailoutbox] == [["r1@example.com"]]
    assert f"/emergency/ack/{flood.row_river.token}/" in mailoutbox[0].body
    flood.row_river.refresh_from_db()
    assert flood.row_river.notified_at is not None


def test_the_task_declared_after_commit_is_queued_once(cast, django_capture_on_commit_callbacks, inline_tasks):
    from emergency.models import Kind
    from emergency.services import incident_declare

    queued = inline_tasks
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        incident = incident_declare(
            actor=cast.manager, kind=Kind.FIRE, title="火情", district=cast.district_a, whole_district=True
        )
    # Nothing is sent inside the transaction; the send is queued when it commits.
    assert queued == [] and Notification.objects.count() == 0
    for callback in callbacks:
        callback()
    assert queued == [incident.pk]


def test_a_crash_between_claim_and_send_never_sends_that_notice_again(flood):
    # Given a worker claimed officer-a's notice and died before sending it
    from emergency.notices import notices_prepare

    notices_prepare(flood.incident)
    address = f"user:{flood.cast.officer_a.pk}"
    Notice.objects.filter(incident=flood.incident, address=address).update(claimed_at="2026-08-19T10:00:00+08:00")

    # When the task runs again (twice)
    send_incident_notices(flood.incident.pk)
    send_incident_notices(flood.incident.pk)

    # Then the others are sent once, and the claimed one stays unsent (shown as in doubt), never resent
    assert notified_usernames(flood.incident) == ["ent-a", "ent-river-1", "ent-river-2"]
    stuck = Notice.objects.get(incident=flood.incident, address=address)
    assert stuck.sent_at is None and stuck.attempts == 0


def test_a_crash_inside_the_send_leaves_the_claim(flood, monkeypatch):
    from emergency import channels

    def crash(self, recipient, message):
        raise KeyboardInterrupt  # the worker is killed mid-send

    monkeypatch.setattr(channels.InAppChannel, "send", crash)
    with pytest.raises(KeyboardInterrupt):
        send_incident_notices(flood.incident.pk)
    monkeypatch.undo()

    send_incident_notices(flood.incident.pk)

    claimed_unsent = Notice.objects.filter(incident=flood.incident, claimed_at__isnull=False, sent_at__isnull=True)
    assert claimed_unsent.count() == 1
    assert len(notified_usernames(flood.incident)) == 3


def test_the_robots_receive_the_json_at_the_stand_in_server(flood, robot_server, settings):
    wecom = robot_server()
    dingtalk = robot_server()
    settings.EMERGENCY_WECOM_ROBOT_URL = wecom.url
    settings.EMERGENCY_DINGTALK_ROBOT_URL = dingtalk.url
    settings.EMERGENCY_DINGTALK_SECRET = "SECtest"

    send_incident_notices(flood.incident.pk)
    send_incident_notices(flood.incident.pk)

    for server in (wecom, dingtalk):
        assert len(server.received) == 1
        body = server.received[0]
        assert set(body) == {"msgtype", "text"} and body["msgtype"] == "text"
        assert body["text"]["content"].startswith("【应急通知】8·19 洪峰过境")
        assert "受影响企业 2 家" in body["text"]["content"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(dingtalk.paths[0]).query)
    assert set(query) == {"key", "timestamp", "sign"}
    expected = base64.b64encode(
        hmac.new(b"SECtest", f"{query['timestamp'][0]}\nSECtest".encode(), hashlib.sha256).digest()
    ).decode()
    assert query["sign"] == [expected]
    assert list(
        Notice.objects.filter(incident=flood.incident, channel=Channel.WECOM).values_list("sent_at", flat=True)
    )[0]


def test_a_robot_that_refuses_is_retried_and_then_sent_once(flood, robot_server, settings):
    from emergency.tasks import NoticesFailed

    refusing = robot_server(answer={"errcode": 93000, "errmsg": "invalid webhook url"})
    settings.EMERGENCY_WECOM_ROBOT_URL = refusing.url
    with pytest.raises(NoticesFailed):
        send_incident_notices(flood.incident.pk)
    notice = Notice.objects.get(incident=flood.incident, channel=Channel.WECOM)
    assert notice.claimed_at is None and notice.sent_at is None and "93000" in notice.last_error

    working = robot_server()
    settings.EMERGENCY_WECOM_ROBOT_URL = working.url
    send_incident_notices(flood.incident.pk)

    assert len(working.received) == 1
    notice.refresh_from_db()
    assert notice.sent_at is not None and notice.attempts == 2
    # The people were told once, not once per attempt.
    assert notified_usernames(flood.incident) == EXPECTED


def test_an_empty_robot_url_is_off(flood, settings):
    settings.EMERGENCY_WECOM_ROBOT_URL = ""
    settings.EMERGENCY_DINGTALK_ROBOT_URL = ""
    send_incident_notices(flood.incident.pk)
    assert set(Notice.objects.filter(incident=flood.incident).values_list("channel", flat=True)) == {Channel.IN_APP}


def test_the_dingtalk_signature_is_the_documented_one():
    robot = DingTalkRobot("https://oapi.dingtalk.com/robot/send?access_token=abc", "SEC123")
    url = robot.signed_url(timestamp_ms=1700000000000)
    digest = hmac.new(b"SEC123", b"1700000000000\nSEC123", hashlib.sha256).digest()
    assert url == (
        "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000&sign="
        + urllib.parse.quote_plus(base64.b64encode(digest))
    )
    assert Message(title="t", body="b", url="/u").as_text() == "t\nb\n/u"
