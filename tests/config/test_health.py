import pytest
from django.db.backends.base.base import BaseDatabaseWrapper

from config import health


@pytest.mark.django_db
def test_healthz_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "db": "ok", "channel_layer": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_naming_the_database_when_it_is_unreachable(client, monkeypatch):
    def unreachable(self, *args, **kwargs):
        raise ConnectionError("database unreachable")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "db": "error", "channel_layer": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_naming_the_channel_layer_when_it_fails(client, monkeypatch):
    async def broken():
        raise ConnectionError("layer down")

    monkeypatch.setattr(health, "_channel_round_trip", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["channel_layer"] == "error"
    assert response.json()["db"] == "ok"
