"""/healthz/live, /healthz/ready and /healthz: what a load balancer and an operator are told."""

import json

import pytest
from django.db.backends.base.base import BaseDatabaseWrapper

from config import health


@pytest.fixture(autouse=True)
def _no_reused_answer(monkeypatch):
    monkeypatch.setattr(health, "_db_answer", (0.0, False))


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/healthz/ready"])
def test_readiness_reports_ok(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "db": "ok", "channel_layer": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_liveness_answers_without_asking_the_database(client, monkeypatch):
    def unreachable(self, *args, **kwargs):
        raise ConnectionError("database unreachable")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", unreachable)
    response = client.get("/healthz/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/healthz/ready"])
def test_readiness_is_503_naming_the_database_when_it_is_unreachable(client, monkeypatch, path):
    def unreachable(self, *args, **kwargs):
        raise ConnectionError("database unreachable")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", unreachable)
    response = client.get(path)
    assert response.status_code == 503
    assert response.json() == {"status": "error", "db": "error", "channel_layer": "ok"}


@pytest.mark.django_db
def test_readiness_gives_up_on_a_database_that_hangs(client, monkeypatch):
    import time

    monkeypatch.setattr(health, "DB_TIMEOUT", 0.2)
    monkeypatch.setattr(health, "database_ok", lambda: time.sleep(1) or True)
    started = time.monotonic()
    response = client.get("/healthz/ready")
    assert response.status_code == 503 and response.json()["db"] == "error"
    assert time.monotonic() - started < 0.9


@pytest.mark.django_db
def test_readiness_is_503_naming_the_channel_layer_when_it_fails(client, monkeypatch):
    async def broken():
        return False

    monkeypatch.setattr(health, "channel_layer_ready", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "db": "ok", "channel_layer": "error"}


async def test_the_asgi_app_answers_health_before_django_even_for_an_unknown_host(monkeypatch):
    """A load balancer's probe over plain HTTP with an address for Host: not redirected, not refused."""
    from channels.testing import HttpCommunicator

    from config.asgi import application

    async def fine():
        return True

    monkeypatch.setattr(health, "database_ready", fine)
    for path, body in [("/healthz/live", {"status": "ok"}), ("/healthz/ready", {"status": "ok", "db": "ok", "channel_layer": "ok"})]:
        communicator = HttpCommunicator(application, "GET", path, headers=[(b"host", b"10.0.0.7:8000")])
        response = await communicator.get_response()
        assert response["status"] == 200
        assert json.loads(response["body"]) == body
