"""The signed-in person is read fresh on every request (Django's ModelBackend.get_user): a changed
password, a deactivated or a deleted account count at once, and the person read is the one stored."""

import pytest
from django.contrib.auth import get_user
from django.test import Client, RequestFactory

from peers import services
from peers.backends import CachedPermissionsBackend
from peers.models import Peer


@pytest.mark.django_db
def test_the_person_read_is_the_one_stored(peer):
    read = CachedPermissionsBackend().get_user(str(peer.pk))
    stored = Peer.objects.get(pk=peer.pk)
    assert read == stored and read.username == "river" and read.password == stored.password
    assert read.date_joined == stored.date_joined and read.date_joined.tzinfo is not None
    assert read.is_active is True and read.is_staff is False and read.is_superuser is False
    assert read._state.adding is False


@pytest.mark.django_db
@pytest.mark.parametrize("user_id", ["999999", None])
def test_an_unknown_id_is_nobody(user_id):
    assert CachedPermissionsBackend().get_user(user_id) is None


@pytest.mark.django_db
def test_a_deactivated_account_is_signed_out_at_the_next_request(auth_client, peer):
    assert auth_client.get("/settings/").status_code == 200
    Peer.objects.filter(pk=peer.pk).update(is_active=False)
    assert auth_client.get("/settings/").status_code == 302


@pytest.mark.django_db
def test_a_new_password_signs_out_the_other_sessions(peer):
    other_device = Client()
    other_device.force_login(peer)
    assert other_device.get("/settings/").status_code == 200
    peer.set_password("a-brand-new-passphrase-9")
    peer.save()
    assert other_device.get("/settings/").status_code == 302


@pytest.mark.django_db
def test_a_deleted_account_is_signed_out(auth_client, peer):
    services.account_delete(peer=peer)
    assert auth_client.get("/settings/").status_code == 302


@pytest.mark.django_db
def test_signing_up_signs_in_through_the_one_backend(client):
    response = client.post(
        "/accounts/signup/", {"username": "newcomer", "password1": "long-enough-passphrase-7", "password2": "long-enough-passphrase-7"}
    )
    assert response.status_code == 302
    request = RequestFactory().get("/")
    request.session = client.session
    assert get_user(request).username == "newcomer"
    assert client.session["_auth_user_backend"] == "peers.backends.CachedPermissionsBackend"


@pytest.mark.django_db
def test_a_session_started_under_allauths_backend_stays_signed_in(client, peer):
    """Sessions from a sign-up before the change named allauth's own backend; migration 0004 renames it."""
    import importlib

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import connection

    migration = importlib.import_module("peers.migrations.0004_sessions_one_backend")
    session = importlib.import_module(settings.SESSION_ENGINE).SessionStore()
    session.update({SESSION_KEY: str(peer.pk), BACKEND_SESSION_KEY: migration.OLD, HASH_SESSION_KEY: peer.get_session_auth_hash()})
    session.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    assert client.get("/settings/").status_code == 302  # the old name is no longer a backend

    from types import SimpleNamespace

    from django.apps import apps

    migration.name_the_one_backend(apps, SimpleNamespace(connection=connection))
    assert client.get("/settings/").status_code == 200
