"""Fixtures for live rooms: a live room and connected sockets."""

import asyncio
import contextlib

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from rooms import services
from rooms.models import Room
from rooms.routing import websocket_urlpatterns

ROUTER = URLRouter(websocket_urlpatterns)


@pytest.fixture
def live_room(organiser) -> Room:
    return services.room_create(slug="evening", title="Evening room", host=organiser, status=Room.Status.LIVE, rules="Be kind.")


@pytest.fixture
async def connect():
    """connect(peer, room, after=None) -> (communicator, hello); every socket is disconnected at the end."""
    opened: list[WebsocketCommunicator] = []

    async def _connect(peer, room, *, after=None, expect_hello=True):
        path = f"/ws/rooms/{room.slug}/" + (f"?after={after}" if after is not None else "")
        communicator = WebsocketCommunicator(ROUTER, path)
        communicator.scope["user"] = peer
        opened.append(communicator)
        connected, _ = await communicator.connect()
        assert connected
        hello = await communicator.receive_json_from() if expect_hello else None
        return communicator, hello

    yield _connect
    for communicator in opened:
        with contextlib.suppress(Exception, asyncio.CancelledError):  # a receive timeout already ended the app
            await communicator.disconnect()
