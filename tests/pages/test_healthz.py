"""/healthz: 200 with the database and broker status, 503 when either is down."""

import pytest
from django.db import OperationalError
from django.test import override_settings

from jingkai_portal import views
from jingkai_portal.celery import app as celery_app


def test_healthy(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_needs_no_login(client, db):
    assert client.get("/healthz").status_code == 200


def test_broker_on_a_closed_port_is_503(client, db):
    # Nothing listens on port 1: the connection is refused. Celery reads its
    # configuration from the Django settings, so overriding them repoints it.
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0", CELERY_BROKER_TRANSPORT_OPTIONS={}):
        assert celery_app.conf.broker_write_url == "redis://127.0.0.1:1/0"
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == "ok"
    assert body["broker"] != "ok"


def test_filesystem_broker_without_its_folder_is_503(client, db, tmp_path):
    missing = str(tmp_path / "gone")
    with override_settings(
        CELERY_BROKER_URL="atomicfs://",
        CELERY_BROKER_TRANSPORT_OPTIONS={"data_folder_in": missing, "data_folder_out": missing},
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["broker"] == "BrokerFolderUnavailable"


class _DatabaseDown:
    def cursor(self):
        raise OperationalError("could not connect to server: Connection refused")


def test_database_down_is_503(client, db, monkeypatch):
    monkeypatch.setattr(views, "connection", _DatabaseDown())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "OperationalError", "broker": "ok"}


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_only_get(client, db, method):
    assert getattr(client, method)("/healthz").status_code == 405
