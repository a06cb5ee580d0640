"""How an incident notice leaves the portal: one ``Channel`` interface, three implementations.

* ``InAppChannel`` — the bell and the email, through ``accounts.notifications.notify``
  (its ``dedupe_key`` makes a repeat a no-op);
* ``WeComRobot`` — a 企业微信 group robot: POST ``{"msgtype": "text", "text": {"content": …}}``
  to its webhook URL;
* ``DingTalkRobot`` — a 钉钉 group robot, the same body, optionally signed
  (``timestamp`` and ``sign`` = Base64(HMAC-SHA256(secret, "timestamp\\nsecret")) in the query).

Robot URLs come from settings (environment); an empty URL turns that robot off.
``send`` raises ``DeliveryFailed`` when the message certainly did not arrive
(refused connection, an HTTP error, the robot's own error code), so the caller
may release its claim and try again later.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

from accounts.models import User
from accounts.notifications import notify

ROBOT_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str = ""
    # Unique per (incident, recipient): the in-app channel's dedupe key.
    key: str = ""

    def as_text(self) -> str:
        return "\n".join(part for part in (self.title, self.body, self.url) if part)


class DeliveryFailed(Exception):
    """The message did not arrive (and may be sent again)."""


class Channel(Protocol):
    name: str

    def send(self, recipient: User | None, message: Message) -> None: ...


class InAppChannel:
    name = "in_app"

    def send(self, recipient: User | None, message: Message) -> None:
        if recipient is None:
            raise DeliveryFailed("in-app notices need a person")
        notify(
            recipient=recipient,
            kind="emergency",
            title=message.title,
            body=message.body,
            url=message.url,
            dedupe_key=message.key or None,
        )


def _post_json(url: str, payload: dict) -> dict:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise DeliveryFailed(f"not an http(s) robot URL: {url!r}")
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=ROBOT_TIMEOUT_SECONDS) as response:  # nosec B310  # scheme checked above
            raw = response.read()
    except OSError as error:  # URLError and HTTPError are OSErrors
        raise DeliveryFailed(str(error)[:300]) from error
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        answer = {}
    # Both robots answer 200 with {"errcode": 0, "errmsg": "ok"}; another code is a refusal.
    if isinstance(answer, dict) and answer.get("errcode", 0) != 0:
        raise DeliveryFailed(f"robot refused: {answer.get('errcode')} {answer.get('errmsg', '')}"[:300])
    return answer if isinstance(answer, dict) else {}


def text_payload(message: Message) -> dict:
    return {"msgtype": "text", "text": {"content": message.as_text()}}


class WeComRobot:
    name = "wecom"

    def __init__(self, url: str):
        self.url = url

    def send(self, recipient: User | None, message: Message) -> None:
        _post_json(self.url, text_payload(message))


class DingTalkRobot:
    name = "dingtalk"

    def __init__(self, url: str, secret: str = ""):
        self.url = url
        self.secret = secret

    def signed_url(self, timestamp_ms: int | None = None) -> str:
        if not self.secret:
            return self.url
        timestamp = str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))
        digest = hmac.new(self.secret.encode(), f"{timestamp}\n{self.secret}".encode(), hashlib.sha256).digest()
        sign = urllib.parse.quote_plus(base64.b64encode(digest))
        separator = "&" if "?" in self.url else "?"
        return f"{self.url}{separator}timestamp={timestamp}&sign={sign}"

    def send(self, recipient: User | None, message: Message) -> None:
        _post_json(self.signed_url(), text_payload(message))


def configured_robots() -> list[Channel]:
    """The group robots switched on in settings (an empty URL is off)."""
    robots: list[Channel] = []
    if settings.EMERGENCY_WECOM_ROBOT_URL:
        robots.append(WeComRobot(settings.EMERGENCY_WECOM_ROBOT_URL))
    if settings.EMERGENCY_DINGTALK_ROBOT_URL:
        robots.append(DingTalkRobot(settings.EMERGENCY_DINGTALK_ROBOT_URL, settings.EMERGENCY_DINGTALK_SECRET))
    return robots


def channel_named(name: str) -> Channel | None:
    if name == InAppChannel.name:
        return InAppChannel()
    return next((robot for robot in configured_robots() if robot.name == name), None)
