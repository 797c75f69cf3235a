"""The per-process fan-out (rooms.fanout): one channel-layer subscription per room, written to every local socket."""

import asyncio
import itertools

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from rooms import consumers, fanout, services
from rooms.models import Message

pytestmark = [pytest.mark.django_db(transaction=True)]
_names = itertools.count(1)
db = sync_to_async


class FakeSocket:
    def __init__(self):
        self.channel_name = f"test.socket!{next(_names)}"
        self.events: list[dict] = []
        self.arrived = asyncio.Event()

    def deliver(self, event):
        self.events.append(event)
        self.arrived.set()


class BrokenSocket(FakeSocket):
    def deliver(self, event):
        raise RuntimeError("socket gone")


async def arrived(*sockets, timeout=2):
    for socket in sockets:
        await asyncio.wait_for(socket.arrived.wait(), timeout)
        socket.arrived.clear()


async def nothing_arrives(socket, wait=0.2):
    await asyncio.sleep(wait)
    return not socket.events


async def recv(communicator, timeout=2):
    return await communicator.receive_json_from(timeout=timeout)


async def next_message(communicator):
    while True:
        frame = await recv(communicator)
        if frame["type"] == "message":
            return frame


async def no_more_messages(communicator, wait=0.3):
    while True:
        try:
            frame = await recv(communicator, timeout=wait)
        except Exception:
            return True
        if frame["type"] == "message":
            return False


async def test_one_subscription_delivers_each_event_once_to_every_local_socket():
    layer = get_channel_layer()
    room = fanout.fanout_for("room.test.one", layer)
    first, second = FakeSocket(), FakeSocket()
    await room.subscribe(first)
    channel = room.channel
    await room.subscribe(second)
    assert room.channel == channel  # the second socket reuses the process's subscription
    await layer.group_send("room.test.one", {"type": "room.message", "id": 1, "text": "{}"})
    await arrived(first, second)
    await asyncio.sleep(0.1)
    assert first.events == second.events == [{"type": "room.message", "id": 1, "text": "{}"}]
    await room.unsubscribe(first)
    await room.unsubscribe(second)


async def test_a_socket_that_leaves_gets_nothing_more_and_the_last_one_ends_the_subscription():
    layer = get_channel_layer()
    room = fanout.fanout_for("room.test.leave", layer)
    staying, leaving = FakeSocket(), FakeSocket()
    await room.subscribe(staying)
    await room.subscribe(leaving)
    await room.unsubscribe(leaving)
    await layer.group_send("room.test.leave", {"type": "room.typing", "author": "x", "channel": "y"})
    await arrived(staying)
    assert await nothing_arrives(leaving)
    await room.unsubscribe(staying)
    staying.events.clear()
    assert room.channel is None
    assert fanout.fanout_for("room.test.leave", layer) is not room  # forgotten once empty
    await layer.group_send("room.test.leave", {"type": "room.typing", "author": "x", "channel": "y"})
    assert await nothing_arrives(staying)


async def test_subscribing_again_after_everyone_left_delivers_again():
    layer = get_channel_layer()
    socket = FakeSocket()
    room = fanout.fanout_for("room.test.again", layer)
    await room.subscribe(socket)
    await room.unsubscribe(socket)
    room = fanout.fanout_for("room.test.again", layer)
    await room.subscribe(socket)
    await layer.group_send("room.test.again", {"type": "room.presence", "online": 1, "names": []})
    await arrived(socket)
    await room.unsubscribe(socket)


async def test_an_event_for_one_of_the_rooms_other_groups_reaches_only_its_members_in_send_order():
    layer = get_channel_layer()
    room = fanout.fanout_for("room.test.groups", layer)
    host, member = FakeSocket(), FakeSocket()
    await room.subscribe(host, also=["room.test.groups.hosts"])
    await room.subscribe(member, also=["room.test.groups.peer.2"])
    await layer.group_send("room.test.groups.hosts", fanout.addressed("room.test.groups.hosts", {"type": "room.message", "id": 1}))
    await layer.group_send("room.test.groups", fanout.addressed("room.test.groups", {"type": "room.message", "id": 2}))
    await arrived(member)
    await asyncio.sleep(0.1)
    assert [event["id"] for event in host.events] == [1, 2]  # one channel: the order they were sent in
    assert [event["id"] for event in member.events] == [2]
    await room.unsubscribe(host)
    await layer.group_send("room.test.groups.hosts", fanout.addressed("room.test.groups.hosts", {"type": "room.message", "id": 3}))
    await layer.group_send("room.test.groups", fanout.addressed("room.test.groups", {"type": "room.message", "id": 4}))
    await arrived(member)
    assert [event["id"] for event in member.events] == [2, 4]
    await room.unsubscribe(member)


async def test_a_broken_socket_does_not_cost_the_others_the_event():
    layer = get_channel_layer()
    room = fanout.fanout_for("room.test.broken", layer)
    broken, fine = BrokenSocket(), FakeSocket()
    await room.subscribe(broken)
    await room.subscribe(fine)
    await layer.group_send("room.test.broken", {"type": "room.removed", "id": 7})
    await arrived(fine)
    await room.unsubscribe(broken)
    await room.unsubscribe(fine)


# --- through the room consumer ------------------------------------------------------------


async def test_sockets_of_one_room_share_one_subscription_and_each_get_a_message_once(live_room, peer, other_peer, connect):
    first, _ = await connect(peer, live_room)
    second, _ = await connect(other_peer, live_room)
    third, _ = await connect(other_peer, live_room)
    room = fanout.fanout_for(live_room.group_name, get_channel_layer())
    assert len(room.sockets) == 3 and room.channel is not None
    await first.send_json_to({"type": "message", "body": "hello all", "client_id": "f1"})
    frames = [await next_message(socket) for socket in (first, second, third)]
    assert {frame["body_html"] for frame in frames} == {"<p>hello all</p>"}
    assert len({frame["id"] for frame in frames}) == 1
    for socket in (first, second, third):
        assert await no_more_messages(socket)


async def test_a_socket_that_disconnects_leaves_the_fanout_and_the_others_still_receive(live_room, peer, other_peer, connect):
    staying, _ = await connect(peer, live_room)
    leaving, _ = await connect(other_peer, live_room)
    await leaving.disconnect()
    room = fanout.fanout_for(live_room.group_name, get_channel_layer())
    assert len(room.sockets) == 1
    await staying.send_json_to({"type": "message", "body": "still here", "client_id": "s1"})
    assert (await next_message(staying))["body_html"] == "<p>still here</p>"
    await staying.disconnect()
    assert room.channel is None


async def test_removed_person_gets_no_more_room_messages(live_room, peer, other_peer, organiser, connect):
    removed, _ = await connect(peer, live_room)
    other, _ = await connect(other_peer, live_room)
    assert await db(services.person_remove)(room=live_room, peer=peer, by=organiser, reason="harassment")
    frame = await recv(removed)
    while frame["type"] != "error":
        frame = await recv(removed)
    assert frame["code"] == "forbidden"
    assert (await removed.receive_output(1))["code"] == consumers.CLOSE_FORBIDDEN
    assert len(fanout.fanout_for(live_room.group_name, get_channel_layer()).sockets) == 1
    await other.send_json_to({"type": "message", "body": "after the removal", "client_id": "a1"})
    assert (await next_message(other))["body_html"] == "<p>after the removal</p>"


async def test_message_committed_while_a_socket_connects_comes_once_after_hello(live_room, peer, other_peer, connect, monkeypatch):
    """The fan-out holds live events until hello and backlog are sent; one already in the backlog is skipped."""
    enter = consumers.RoomConsumer._enter

    def enter_with_a_message_in_between(self, after):
        if self.user == peer:
            # committed (and broadcast) after this socket subscribed, before it reads the backlog
            services.message_send(room=self.room, author=other_peer, body="during the connect", client_id="mid")
        return enter(self, after)

    monkeypatch.setattr(consumers.RoomConsumer, "_enter", enter_with_a_message_in_between)
    communicator, hello = await connect(peer, live_room)
    assert hello["type"] == "hello"
    frame = await next_message(communicator)
    assert frame["client_id"] == "mid"
    assert await no_more_messages(communicator)
    assert await db(Message.objects.filter(client_id="mid").count)() == 1


async def test_event_arriving_before_hello_is_held_until_after_the_backlog(live_room, peer, other_peer, connect, monkeypatch):
    """A live message not in this socket's backlog (committed after the backlog read) still comes after hello."""
    enter = consumers.RoomConsumer._enter
    layer = get_channel_layer()

    def enter_then_broadcast(self, after):
        result = enter(self, after)
        from asgiref.sync import async_to_sync

        async_to_sync(layer.group_send)(
            self.room.group_name, {"type": "room.message", "id": 10**9, "text": '{"type": "message", "id": 1000000000}'}
        )
        return result

    monkeypatch.setattr(consumers.RoomConsumer, "_enter", enter_then_broadcast)
    communicator, hello = await connect(peer, live_room)  # connect() asserts hello is the first frame
    assert hello["type"] == "hello"
    assert (await next_message(communicator))["id"] == 10**9


class LayerThatHidesCancellation:
    """A layer whose blocking receive, when cancelled, raises another error (as a Redis client may)."""

    async def new_channel(self):
        return "fake.room!1"

    async def group_add(self, group, channel):
        pass

    async def group_discard(self, group, channel):
        pass

    async def receive(self, channel):
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            raise ConnectionError("connection closed while reading") from None


async def test_a_cancelled_receiver_ends_even_if_the_layer_hides_the_cancellation():
    room_fanout = fanout.RoomFanout("room.hides", LayerThatHidesCancellation())
    await room_fanout.subscribe(FakeSocket())
    receiver = room_fanout._receiver
    await asyncio.sleep(0.05)
    receiver.cancel()  # what an event loop shutting down does to every task left
    try:
        for _ in range(40):  # polled, not awaited: awaiting a task that swallows its cancel never returns
            if receiver.done():
                break
            await asyncio.sleep(0.05)
        assert receiver.done()
    finally:
        room_fanout.channel = None  # had it swallowed the cancel, this lets it end at teardown


# --- new messages in order, each once, whatever the layer lost (docs/reliability.md) -------


class StoredMessages:
    """A fan-out's CatchUp over a list of events standing for the database."""

    def __init__(self, *ids):
        self.events = {}
        prev = 0
        for message_id in ids:
            self.events[message_id] = {"type": "room.message", "id": message_id, "seq": True, "prev": prev, "to": ["room.test.seq"]}
            prev = message_id
        self.reads = 0

    async def latest_id(self):
        return 0

    async def events_after(self, after, upto):
        self.reads += 1
        return [e for i, e in sorted(self.events.items()) if i > after and (upto is None or i <= upto)][:2]


async def test_a_message_whose_broadcast_was_lost_is_read_back_before_the_next_one():
    layer = get_channel_layer()
    stored = StoredMessages(3, 5, 8, 9)
    room = fanout.RoomFanout("room.test.seq", layer, stored)
    socket = FakeSocket()
    await room.subscribe(socket)
    await room.handle(stored.events[3])
    await room.handle(stored.events[8])  # 5 never came through the layer
    assert [e["id"] for e in socket.events] == [3, 5, 8]
    await room.handle(stored.events[5])  # late, already handed on
    await room.handle(stored.events[8])  # the writer's process and the layer both hand it on
    assert [e["id"] for e in socket.events] == [3, 5, 8]
    await room.unsubscribe(socket)


async def test_catching_up_hands_on_what_was_stored_after_the_last_one_in_pages():
    layer = get_channel_layer()
    stored = StoredMessages(3, 5, 8, 9, 12)
    room = fanout.RoomFanout("room.test.seq", layer, stored)
    socket = FakeSocket()
    await room.subscribe(socket)
    await room.handle(stored.events[3])
    assert await room.catch_up() == 4  # nothing came after 3 (Redis was away); read two at a time
    assert [e["id"] for e in socket.events] == [3, 5, 8, 9, 12]
    assert await room.catch_up() == 0
    await room.unsubscribe(socket)


async def test_a_message_sent_while_the_channel_layer_is_down_is_stored_and_echoed_to_the_local_sockets(
    live_room, peer, other_peer, connect, monkeypatch
):
    writer, _ = await connect(peer, live_room)
    reader, _ = await connect(other_peer, live_room)
    layer = get_channel_layer()

    async def down(group, message):
        raise ConnectionError("Redis is restarting")

    monkeypatch.setattr(layer, "group_send", down)
    await writer.send_json_to({"type": "message", "body": "while Redis is away", "client_id": "away-1"})
    echo = await next_message(writer)
    assert echo["client_id"] == "away-1"
    assert (await next_message(reader))["id"] == echo["id"]  # same process: handed on without the layer
    assert await db(Message.objects.filter(client_id="away-1").count)() == 1


async def test_a_resent_client_id_already_stored_is_answered_with_the_stored_message(live_room, peer, connect):
    first, _ = await connect(peer, live_room)
    await first.send_json_to({"type": "message", "body": "once", "client_id": "again-1"})
    stored = await next_message(first)
    await first.disconnect()
    # The echo was lost with the socket; the client reconnects past it (it saw a later id) and resends.
    later = await db(services.message_store)(room=live_room, author=peer, body="later")
    second, _ = await connect(peer, live_room, after=later.id)
    await second.send_json_to({"type": "message", "body": "once", "client_id": "again-1"})
    echo = await next_message(second)
    assert (echo["id"], echo["client_id"]) == (stored["id"], "again-1")
    assert await db(Message.objects.filter(client_id="again-1").count)() == 1


async def test_a_message_the_database_could_not_store_is_refused_with_retry_and_nothing_is_stored(live_room, peer, connect, monkeypatch):
    from django.db import OperationalError

    communicator, _ = await connect(peer, live_room)

    def refused(**kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(services, "message_send", refused)
    await communicator.send_json_to({"type": "message", "body": "not now", "client_id": "db-1"})
    frame = await recv(communicator)
    while frame["type"] != "error":
        frame = await recv(communicator)
    assert frame == {"type": "error", "code": "rate_limited", "detail": services.NOT_SAVED, "retry": True}
    assert await db(Message.objects.count)() == 0
