"""Open sockets end with the session (issue 13, item 4): logout, password change, deletion, suspension.

Sockets here go through the real session and authentication middleware (config.asgi's stack, without the
Origin check), with a session cookie, as a browser's do."""

import asyncio
import contextlib

import pytest
from asgiref.sync import sync_to_async
from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.test import Client

from helpnow.routing import websocket_urlpatterns as help_routes
from moderation.models import Action
from peers import roles
from peers import services as peer_services
from rooms import services as room_services
from rooms.models import Presence, Room
from rooms.routing import websocket_urlpatterns as room_routes
from safety.routing import websocket_urlpatterns as safety_routes
from tests.conftest import PASSWORD, make_peer
from tests.rooms.live_servers import signed_in_session

pytestmark = [pytest.mark.django_db(transaction=True)]
db = sync_to_async
APP = AuthMiddlewareStack(URLRouter(room_routes + safety_routes + help_routes))
WITHIN = 1.0  # seconds: "within a second"


@pytest.fixture
async def room():
    host = await db(make_peer)(roles.ORGANISER)
    return await db(room_services.room_create)(slug="tied", title="Tied room", host=host, status=Room.Status.LIVE)


@pytest.fixture
async def opened():
    sockets: list[WebsocketCommunicator] = []

    async def _open(path: str, session_key: str, *, first_frame: str | None = "hello"):
        communicator = WebsocketCommunicator(APP, path, headers=[(b"cookie", f"sessionid={session_key}".encode())])
        sockets.append(communicator)
        connected, _ = await communicator.connect()
        assert connected
        if first_frame:
            frame = await communicator.receive_json_from(timeout=3)
            assert frame["type"] == first_frame, frame
        return communicator

    yield _open
    for communicator in sockets:
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await communicator.disconnect()


async def closed_with(communicator, code, within=WITHIN):
    """The next output is a close with `code`, within `within` seconds (frames before it are skipped)."""
    async with asyncio.timeout(within):
        while True:
            output = await communicator.receive_output(timeout=within)
            if output["type"] == "websocket.close":
                return output.get("code") == code
    return False


async def still_open(communicator):
    """A room socket that still answers a message (a receive time-out would end the app, so one is not waited for)."""
    client_id = f"still-{id(communicator)}-{asyncio.get_running_loop().time()}"
    await communicator.send_json_to({"type": "message", "body": "still here?", "client_id": client_id})
    async with asyncio.timeout(3):
        while True:
            output = await communicator.receive_output(timeout=3)
            if output["type"] == "websocket.close":
                return False
            if client_id in output.get("text", "") or '"error"' in output.get("text", ""):
                return True  # echoed, or answered (a muted person's message is refused, the socket stays)


def _logout(session_key: str) -> int:
    client = Client()
    client.cookies["sessionid"] = session_key
    return client.post("/accounts/logout/").status_code


async def test_logout_closes_every_socket_of_that_session_with_4401_and_no_other(room, opened):
    peer = await db(make_peer)(roles.SUPPORTER)
    here, elsewhere = await db(signed_in_session)(peer), await db(signed_in_session)(peer)
    room_socket = await opened("/ws/rooms/tied/", here)
    alerts = await opened("/ws/alerts/", here, first_frame=None)
    board = await opened("/ws/supporters/", here, first_frame="board")
    other_device = await opened("/ws/rooms/tied/", elsewhere)

    assert await db(_logout)(here) == 302
    assert await closed_with(room_socket, 4401)
    assert await closed_with(alerts, 4401)
    assert await closed_with(board, 4401)
    await asyncio.sleep(0.2)
    assert await db(Presence.objects.count)() == 1  # the closed socket's clean-up ran
    assert await still_open(other_device)


async def test_a_password_change_closes_every_socket_of_the_person(room, opened):
    peer = await db(make_peer)()
    here, elsewhere = await db(signed_in_session)(peer), await db(signed_in_session)(peer)
    first, second = await opened("/ws/rooms/tied/", here), await opened("/ws/rooms/tied/", elsewhere)

    def change_password() -> int:
        client = Client()
        client.cookies["sessionid"] = here
        return client.post("/accounts/password/change/", {
            "oldpassword": PASSWORD, "password1": "another-long-pass-77", "password2": "another-long-pass-77",
        }).status_code

    assert await db(change_password)() == 302
    assert await closed_with(first, 4401)
    assert await closed_with(second, 4401)


async def test_recovery_with_a_code_closes_every_socket_of_the_person(room, opened):
    peer = await db(make_peer)()
    code = await db(peer_services.recovery_code_issue)(peer=peer)
    socket = await opened("/ws/rooms/tied/", await db(signed_in_session)(peer))
    await db(peer_services.account_recover)(pseudonym=peer.username, code=code, new_password="another-long-pass-77", address="192.0.2.1")
    assert await closed_with(socket, 4401)


async def test_deleting_the_account_closes_its_sockets_and_leaves_no_presence(room, opened):
    peer = await db(make_peer)()
    socket = await opened("/ws/rooms/tied/", await db(signed_in_session)(peer))
    alerts = await opened("/ws/alerts/", await db(signed_in_session)(peer), first_frame=None)
    await db(peer_services.account_delete)(peer=peer)
    assert await closed_with(socket, 4401)
    assert await closed_with(alerts, 4401)
    await asyncio.sleep(0.2)
    assert await db(Presence.objects.count)() == 0


@pytest.mark.parametrize("action", [Action.SUSPEND, Action.BAN])
async def test_a_suspension_or_ban_closes_every_socket_with_4403(room, opened, action):
    from moderation import services as moderation_services

    moderator = await db(make_peer)(roles.MODERATOR)
    peer = await db(make_peer)(roles.SUPPORTER)
    session = await db(signed_in_session)(peer)
    room_socket = await opened("/ws/rooms/tied/", session)
    board = await opened("/ws/supporters/", session, first_frame="board")

    def sanction():
        from django.db import transaction

        with transaction.atomic():
            moderation_services.sanction_apply(peer=peer, action=action, moderator=moderator, reason="test", hours=24)

    await db(sanction)()
    assert await closed_with(room_socket, 4403)
    assert await closed_with(board, 4403)


async def test_a_mute_leaves_the_socket_open(room, opened):
    from moderation import services as moderation_services

    moderator = await db(make_peer)(roles.MODERATOR)
    peer = await db(make_peer)()
    socket = await opened("/ws/rooms/tied/", await db(signed_in_session)(peer))

    def mute():
        from django.db import transaction

        with transaction.atomic():
            moderation_services.sanction_apply(peer=peer, action=Action.MUTE, moderator=moderator, reason="test", hours=1)

    await db(mute)()
    assert await still_open(socket)


async def test_a_socket_whose_session_ended_while_it_connected_is_closed_with_4401(room, opened, monkeypatch):
    """The session was read when the socket arrived; signed out before it joined its person's group: still closed."""
    from commons import consumers

    peer = await db(make_peer)()
    session = await db(signed_in_session)(peer)
    original = consumers.session_is_current

    def signed_out_meanwhile(session_key, user):
        _logout(session_key)
        return original(session_key, user)

    monkeypatch.setattr(consumers, "session_is_current", signed_out_meanwhile)
    communicator = await opened("/ws/rooms/tied/", session, first_frame=None)
    assert await closed_with(communicator, 4401, within=3)
    assert await db(Presence.objects.count)() == 0


async def test_after_redis_comes_back_a_socket_whose_logout_was_lost_is_closed(room, opened, monkeypatch):
    """The logout's close was sent while Redis was away (lost); the recovery hook checks every session again."""
    from channels.layers import get_channel_layer

    from commons import consumers

    peer = await db(make_peer)()
    session = await db(signed_in_session)(peer)
    socket = await opened("/ws/rooms/tied/", session)
    monkeypatch.setattr("peers.sockets.person_sockets_close", lambda **kwargs: None)  # lost on the way
    assert await db(_logout)(session) == 302
    assert await still_open(socket)
    await consumers._recheck_sessions(get_channel_layer())
    assert await closed_with(socket, 4401, within=3)
