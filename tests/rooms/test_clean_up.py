"""The consumer's clean-up always runs, whatever a frame or the layer does (issue 13, item 5).

Frames are checked before anything else (depth, size, text that can be stored) and answered with the
contract's `invalid` error; a handler or the channel layer that fails closes the socket (1011) and the
clean-up still runs: no presence row kept fresh, no place kept in the room's fan-out."""

import asyncio
import contextlib
import gc
import json
import tracemalloc

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from commons import frames
from helpnow.routing import websocket_urlpatterns as help_routes
from rooms import consumers, fanout, services
from rooms.models import Message, Presence
from safety.routing import websocket_urlpatterns as safety_routes
from tests.rooms.conftest import ROUTER

pytestmark = [pytest.mark.django_db(transaction=True)]
db = sync_to_async

BAD_FRAMES = [
    ("[" * 1000 + "]" * 1000, frames.TOO_DEEP),
    ('{"a":' * 1000 + "1" + "}" * 1000, frames.TOO_DEEP),
    ('{"type": "message", "body": "hi \\ud800", "client_id": "s1"}', frames.BAD_CHARACTERS),
    ('{"type": "message", "body": "hi \\u0000 there", "client_id": "n1"}', frames.BAD_CHARACTERS),
    ('{"type": "message", "body": "x", "client_id": "\\u0000"}', frames.BAD_CHARACTERS),
    ('{"type\\u0000": "message"}', frames.BAD_CHARACTERS),
    (json.dumps({"type": "message", "body": "x" * 20_000}), frames.TOO_BIG),
    ('{"type": "message", "body": {"a": {"b": {"c": {"d": 1}}}}}', frames.TOO_DEEP),
]


async def recv(communicator, timeout=2):
    return await communicator.receive_json_from(timeout=timeout)


async def next_of(communicator, kind, timeout=2):
    while True:
        frame = await recv(communicator, timeout)
        if frame["type"] == kind:
            return frame


@pytest.mark.parametrize("raw, detail", BAD_FRAMES)
async def test_a_bad_frame_is_answered_invalid_and_the_socket_stays(live_room, peer, connect, raw, detail):
    communicator, _ = await connect(peer, live_room)
    await communicator.send_to(text_data=raw)
    error = await next_of(communicator, "error")
    assert error == {"type": "error", "code": "invalid", "detail": detail}
    echo = await _send(communicator, "still here", "after-bad")
    assert echo["client_id"] == "after-bad"
    assert await db(Message.objects.count)() == 1


async def _send(communicator, body, client_id):
    await communicator.send_json_to({"type": "message", "body": body, "client_id": client_id})
    return await next_of(communicator, "message")


async def test_two_hundred_bad_frames_leave_one_presence_row_and_no_memory_behind(live_room, peer, connect):
    communicator, _ = await connect(peer, live_room)

    async def bad_burst(n):
        for i in range(n):
            raw, _ = BAD_FRAMES[i % len(BAD_FRAMES)]
            await communicator.send_to(text_data=raw)
            assert (await next_of(communicator, "error"))["code"] == "invalid"

    await bad_burst(20)  # warm up caches and code paths
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        await bad_burst(200)
        gc.collect()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    grown = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    assert grown < 256 * 1024, f"grew {grown} bytes over 200 bad frames"
    assert await db(Presence.objects.count)() == 1
    assert await db(Message.objects.count)() == 0


async def _open(peer, room):
    communicator = WebsocketCommunicator(ROUTER, f"/ws/rooms/{room.slug}/")
    communicator.scope["user"] = peer
    connected, _ = await communicator.connect()
    assert connected
    assert (await recv(communicator))["type"] == "hello"
    return communicator


async def _closed_with(communicator, code, timeout=3):
    async with asyncio.timeout(timeout):
        while True:
            output = await communicator.receive_output(timeout=timeout)
            if output["type"] == "websocket.close":
                return output.get("code") == code


async def test_a_handler_that_fails_closes_the_socket_and_the_clean_up_runs_every_time(live_room, peer, monkeypatch):
    def crash(**kwargs):
        raise RuntimeError("anything a service might raise")

    monkeypatch.setattr(services, "message_send", crash)
    for n in range(200):
        communicator = await _open(peer, live_room)
        await communicator.send_json_to({"type": "message", "body": "boom", "client_id": f"b{n}"})
        assert await _closed_with(communicator, 1011)
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await communicator.wait(timeout=1)
    await asyncio.sleep(0.1)
    assert await db(Presence.objects.count)() == 0  # no row left to be kept fresh
    assert consumers._local_channels == set()  # the heartbeat touches nobody
    assert fanout._fanouts.get(live_room.group_name) is None or not fanout._fanouts[live_room.group_name].members


async def test_a_channel_layer_that_fails_while_receiving_still_lets_the_clean_up_run(live_room, peer, monkeypatch):
    communicator = await _open(peer, live_room)
    # The next event through the socket's own channel fails as a Redis read time-out would with a layer that raises.
    from channels.layers import get_channel_layer

    from commons.channels import ALERTS_GROUP

    async def broken_handler(self, event):
        raise TimeoutError("Timeout reading from socket")

    monkeypatch.setattr(consumers.RoomConsumer, "alert_published", broken_handler)
    await get_channel_layer().group_send(ALERTS_GROUP, {"type": "alert.published", "frame": {}})
    assert await _closed_with(communicator, 1011)
    await asyncio.sleep(0.1)
    assert await db(Presence.objects.count)() == 0
    assert consumers._local_channels == set()


async def test_a_message_from_an_account_deleted_a_moment_before_is_refused_and_nothing_is_stored(live_room, peer, monkeypatch):
    from peers import services as peer_services
    from rooms.models import Room

    communicator = await _open(peer, live_room)
    monkeypatch.setattr("commons.realtime.person_sockets_close", lambda **kwargs: None)  # the close is still on its way
    monkeypatch.setattr("peers.services.person_sockets_close", lambda **kwargs: None)
    from peers.models import Peer

    await db(lambda: peer_services.account_delete(peer=Peer.objects.get(pk=peer.pk)))()  # elsewhere: another instance
    await communicator.send_json_to({"type": "message", "body": "from beyond", "client_id": "gone-1"})
    error = await next_of(communicator, "error")
    assert error["code"] == "forbidden" and error["detail"] == services.ACCOUNT_GONE
    assert await _closed_with(communicator, 4401)
    assert await db(Message.objects.count)() == 0
    assert await db(Room.objects.filter(pk=live_room.pk).exists)()


@pytest.mark.parametrize("path", ["/ws/alerts/", "/ws/supporters/"])
async def test_other_sockets_answer_a_frame_nested_a_thousand_deep_and_stay_open(path, peer_factory):
    from channels.routing import URLRouter

    from peers import roles

    supporter = await db(peer_factory)(roles.SUPPORTER)
    communicator = WebsocketCommunicator(URLRouter(safety_routes + help_routes), path)
    communicator.scope["user"] = supporter
    connected, _ = await communicator.connect()
    assert connected
    try:
        if path == "/ws/supporters/":
            await next_of(communicator, "board")
        for raw, _ in BAD_FRAMES:
            await communicator.send_to(text_data=raw)
            assert (await next_of(communicator, "error"))["code"] == "invalid"
    finally:
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await communicator.disconnect()
