"""Fixtures for Get help now: supporters on duty, help requests, board sockets."""

import asyncio
import contextlib

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from helpnow import services
from helpnow.routing import websocket_urlpatterns as board_routes
from peers import roles
from rooms.routing import websocket_urlpatterns as room_routes
from tests.conftest import make_peer

ROUTER = URLRouter(board_routes + room_routes)


@pytest.fixture
def supporter(db):
    return make_peer(roles.SUPPORTER, username="sup-lee")


@pytest.fixture
def other_supporter(db):
    return make_peer(roles.SUPPORTER, username="sup-kai")


@pytest.fixture
def on_duty():
    """on_duty(*supporters): put them on duty."""

    def _on(*supporters):
        for supporter in supporters:
            services.duty_set(supporter=supporter, on=True)

    return _on


@pytest.fixture
def ask():
    """ask(peer, **answers) -> a new help request."""

    def _ask(peer, **answers):
        return services.request_create(requester=peer, **answers)

    return _ask


@pytest.fixture
async def connect():
    """connect(peer, path) -> communicator; every socket is disconnected at the end."""
    opened: list[WebsocketCommunicator] = []

    async def _connect(peer, path="/ws/supporters/"):
        communicator = WebsocketCommunicator(ROUTER, path)
        communicator.scope["user"] = peer
        opened.append(communicator)
        connected, _ = await communicator.connect()
        assert connected
        return communicator

    yield _connect
    for communicator in opened:
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await communicator.disconnect()
