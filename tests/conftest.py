"""Shared fixtures: accounts in each role, signed-in clients, forum factories."""

import itertools
import socket
import threading
import time

import pytest
from channels.layers import channel_layers
from django.core.cache import cache
from django.test import Client

from forum import services as forum_services
from forum.models import Board
from peers import roles
from peers import services as peer_services
from peers.models import Peer
from tests import browser as browsers

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
    # Spot me's per-process timer only where a test wants it (tests/spotting/test_browser.py): otherwise it would keep
    # a database connection of its own in every test that serves config.asgi.
    settings.SPOTTING_TICK_SECONDS = 0
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


def client_for(peer=None) -> Client:
    """A test client, signed in as `peer` when one is given (a visitor's otherwise)."""
    client = Client()
    if peer is not None:
        client.force_login(peer)
    return client


def page_text(response) -> str:
    return response.content.decode()


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


@pytest.fixture
def browser(monkeypatch):
    """Headless Chromium (tests/browser.py: skips without it, fails under CI). Ask for it after the fixtures that
    write to the database. Playwright's sync API keeps an event loop in this thread while the test's own ORM calls
    stay synchronous, so Django's async-safety check is told so."""
    from playwright.sync_api import sync_playwright

    executable = browsers.require_chromium()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=browsers.ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def asgi_server(transactional_db):
    """uvicorn serving config.asgi (HTTP and WebSocket) in a thread of this process on a free port: it shares the
    test database and channel layer. Static files come from the finders. Yields the base URL."""
    import uvicorn
    from channels.routing import ProtocolTypeRouter
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from config.asgi import application as site

    application = ProtocolTypeRouter({"http": ASGIStaticFilesHandler(site.application_mapping["http"]),
                                      "websocket": site.application_mapping["websocket"]})
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(application, log_level="warning", access_log=False, lifespan="off", log_config=None))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    listener.close()
    close_server_connections()


def close_server_connections() -> None:
    """After an in-process server: its request threads' database connections, closed so that the test
    database can be dropped at the end of the run."""
    from django.db import connection

    if connection.vendor == "postgresql" and connection.settings_dict["OPTIONS"].get("pool"):
        # The request threads gave their connections back to the pool; close them all so the test database
        # can be dropped at the end of the run.
        connection.close_pool()
    elif connection.vendor == "postgresql":
        # Django's ASGI handler leaves its request threads' connections open; close them for the same reason.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")


def session_key_for(peer) -> str:
    """A new signed-in session for `peer`; its key goes into a browser context's cookie (browsers.open_page)."""
    from django.test import Client

    client = Client()
    client.force_login(peer)
    return client.cookies["sessionid"].value
