"""Shared fixtures: accounts in each role, signed-in clients, forum factories."""

import itertools

import pytest
from channels.layers import channel_layers
from django.core.cache import cache

from forum import services as forum_services
from forum.models import Board
from peers import roles
from peers import services as peer_services
from peers.models import Peer

PASSWORD = "a-long-test-password-42"
_sequence = itertools.count(1)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    # Every test account is brand new; pre-moderation by trust is off unless a test turns it on
    # (tests/moderation does, with the moderation_trust fixture).
    settings.MODERATION_TRUST_MIN_POSTS = 0
    settings.MODERATION_TRUST_MIN_AGE_HOURS = 0
    # Factories write many posts and alerts through the services, which meet commons.limits; tests of a
    # limit set settings.RATE_LIMITS themselves (replacing this).
    settings.RATE_LIMITS = {"forum_post": (10_000, 600), "forum_post_new": (10_000, 600), "alert_post": (10_000, 3600)}


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """Each async test runs on its own event loop; a Redis layer keeps loop-bound state, so give each test a new one."""
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def make_peer(role: str = roles.MEMBER, username: str | None = None) -> Peer:
    peer = Peer.objects.create_user(username=username or f"peer{next(_sequence)}x", password=PASSWORD)
    peer_services.peer_onboard(peer=peer)
    if role != roles.MEMBER:
        peer_services.role_grant(peer=peer, role=role)
    return Peer.objects.get(pk=peer.pk)


@pytest.fixture
def peer_factory(db):
    return make_peer


@pytest.fixture
def peer(db) -> Peer:
    return make_peer(username="river")


@pytest.fixture
def other_peer(db) -> Peer:
    return make_peer(username="willow")


@pytest.fixture
def moderator(db) -> Peer:
    return make_peer(roles.MODERATOR, username="mod-ash")


@pytest.fixture
def organiser(db) -> Peer:
    return make_peer(roles.ORGANISER, username="host-sky")


@pytest.fixture
def auth_client(client, peer):
    client.force_login(peer)
    return client


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def board(db) -> Board:
    return Board.objects.create(slug="safer-use", title="Safer use", description="Peer to peer.")


@pytest.fixture
def members_board(db) -> Board:
    return Board.objects.create(slug="support", title="Support", visibility=Board.Visibility.MEMBERS)


@pytest.fixture
def thread_factory(db, board):
    def make(*, author, title: str = "A thread title", body: str = "First post.", in_board: Board | None = None):
        return forum_services.thread_create(board=in_board or board, author=author, title=title, body=body)

    return make
