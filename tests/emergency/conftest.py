"""The flood of the emergency tests: declared by the manager for district A (grid A's enterprises)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

from accounts.models import Role
from emergency.models import Kind
from emergency.services import incident_declare
from tests.factories import EnterpriseFactory, UserFactory


@pytest.fixture(autouse=True)
def inline_tasks(monkeypatch):
    """Queued tasks run in-process (never on the broker); ``inline_tasks`` lists the incident sends."""
    from accounts.tasks import send_notification_email
    from emergency.tasks import send_incident_notices

    monkeypatch.setattr(send_notification_email, "delay", lambda pk: send_notification_email(pk))
    queued: list[int] = []
    monkeypatch.setattr(send_incident_notices, "delay", lambda incident_id: queued.append(incident_id))
    return queued


@pytest.fixture
def flood(cast):
    """Grid A has two enterprises (A and a riverside one with two users); grid B is dry."""
    riverside = EnterpriseFactory(name="临江船舶有限公司", grid=cast.grid_a, phone="023-6000001")
    riverside_users = [
        UserFactory(username="ent-river-1", role=Role.ENTERPRISE_USER, enterprise=riverside, email="r1@example.com"),
        UserFactory(username="ent-river-2", role=Role.ENTERPRISE_USER, enterprise=riverside),
    ]
    incident = incident_declare(
        actor=cast.manager,
        kind=Kind.FLOOD,
        title="8·19 洪峰过境",
        description="长江洪峰过境，临江企业立即组织人员撤离。",
        district=cast.district_a,
        grids=[cast.grid_a],
    )
    rows = {row.enterprise_id: row for row in incident.affected.all()}
    return SimpleNamespace(
        cast=cast,
        incident=incident,
        riverside=riverside,
        riverside_users=riverside_users,
        row_a=rows[cast.enterprise_a.pk],
        row_river=rows[riverside.pk],
    )


class RobotStandIn(ThreadingHTTPServer):
    """A group robot on 127.0.0.1: records every JSON body (and path) it receives."""

    def __init__(self, answer: dict | None = None, status: int = 200):
        self.received: list[dict] = []
        self.paths: list[str] = []
        self.answer = answer or {"errcode": 0, "errmsg": "ok"}
        self.status = status
        super().__init__(("127.0.0.1", 0), _RobotHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/robot/send?key=test"


class _RobotHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        length = int(self.headers.get("Content-Length", 0))
        self.server.received.append(json.loads(self.rfile.read(length)))
        self.server.paths.append(self.path)
        body = json.dumps(self.server.answer).encode()
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def robot_server():
    """``robot_server()`` starts a stand-in robot on a free port; all are stopped after the test."""
    servers = []

    def start(**kwargs) -> RobotStandIn:
        server = RobotStandIn(**kwargs)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
