"""The room socket, through WebsocketCommunicator: every rule of CONTRACTS.md's /ws/rooms/ section."""

import asyncio
import itertools
import re
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.core.management import call_command
from django.utils import timezone

from commons.channels import ALERTS_GROUP
from commons.limits import LIMITS
from moderation import sanctions
from moderation.sanctions import Restriction
from rooms import consumers, services
from rooms.models import MESSAGE_MAX_LENGTH, Message, Room

pytestmark = [pytest.mark.django_db(transaction=True)]
_client_ids = itertools.count(1)

db = sync_to_async


async def recv(communicator, timeout=2):
    return await communicator.receive_json_from(timeout=timeout)


async def assert_no_message(communicator, wait=0.2):
    """Drain what arrives within `wait` seconds; none of it may be a chat message."""
    while True:
        try:
            frame = await recv(communicator, timeout=wait)
        except Exception:
            return
        assert frame["type"] != "message", frame


async def send_and_echo(communicator, body, client_id=None):
    client_id = client_id or f"c{next(_client_ids)}"
    await communicator.send_json_to({"type": "message", "body": body, "client_id": client_id})
    while True:
        frame = await recv(communicator)
        if frame["type"] == "message":
            return frame
        assert frame["type"] in ("presence", "typing"), frame


async def assert_error(communicator, code):
    while True:
        frame = await recv(communicator)
        if frame["type"] == "presence":
            continue
        assert frame["type"] == "error", frame
        assert frame["code"] == code
        assert frame["detail"]
        return frame


async def test_anonymous_socket_is_closed_4401(live_room):
    from django.contrib.auth.models import AnonymousUser

    communicator = WebsocketCommunicator(consumers.RoomConsumer.as_asgi(), f"/ws/rooms/{live_room.slug}/")
    communicator.scope["user"] = AnonymousUser()
    communicator.scope["url_route"] = {"kwargs": {"slug": live_room.slug}}
    connected, _ = await communicator.connect()
    assert connected
    assert await communicator.receive_output() == {"type": "websocket.close", "code": 4401}


async def test_anonymous_through_the_real_stack_is_closed_4401(live_room):
    from config.asgi import application

    communicator = WebsocketCommunicator(application, f"/ws/rooms/{live_room.slug}/", headers=[(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")])
    connected, _ = await communicator.connect()
    assert connected
    assert (await communicator.receive_output())["code"] == 4401


async def test_bad_origin_is_refused(live_room):
    from config.asgi import application

    communicator = WebsocketCommunicator(application, f"/ws/rooms/{live_room.slug}/", headers=[(b"origin", b"https://evil.example"), (b"host", b"127.0.0.1")])
    connected, _ = await communicator.connect()
    assert not connected


async def test_suspended_peer_is_closed_4403(live_room, peer, connect, monkeypatch):
    monkeypatch.setattr(sanctions, "active_restriction", lambda p: Restriction(kind="suspend", until=None, reason="test"))
    communicator, _ = await connect(peer, live_room, expect_hello=False)
    assert await communicator.receive_output() == {"type": "websocket.close", "code": 4403}


async def test_not_invited_is_closed_4403(organiser, peer, connect):
    room = await db(services.room_create)(slug="private", title="Private", host=organiser, status=Room.Status.LIVE, visibility=Room.Visibility.INVITED)
    communicator, _ = await connect(peer, room, expect_hello=False)
    assert (await communicator.receive_output())["code"] == 4403


async def test_hello_then_last_50_oldest_first(live_room, peer, other_peer, connect):
    for n in range(55):
        await db(services.message_store)(room=live_room, author=other_peer, body=f"m{n}")
    communicator, hello = await connect(peer, live_room)
    assert hello == {"type": "hello", "room": "evening", "me": "river", "online": 1}
    frames = [await recv(communicator) for _ in range(50)]
    assert [f["body_html"] for f in frames] == [f"<p>m{n}</p>" for n in range(5, 55)]
    assert [f["id"] for f in frames] == sorted(f["id"] for f in frames)
    assert set(frames[0]) >= {"type", "id", "client_id", "author", "body_html", "created"}
    await assert_no_message(communicator)


async def test_after_replays_only_newer_messages(live_room, peer, other_peer, connect):
    ids = [(await db(services.message_store)(room=live_room, author=other_peer, body=f"m{n}")).id for n in range(5)]
    communicator, _ = await connect(peer, live_room, after=ids[1])
    frames = [await recv(communicator) for _ in range(3)]
    assert [f["id"] for f in frames] == ids[2:]
    await assert_no_message(communicator)


async def test_message_is_stored_then_broadcast_with_client_id_and_order(live_room, peer, other_peer, connect):
    alice, _ = await connect(peer, live_room)
    bob, _ = await connect(other_peer, live_room)
    for n in range(3):
        echo = await send_and_echo(alice, f"**hi** {n}", client_id=f"a{n}")
        assert echo["client_id"] == f"a{n}" and echo["author"] == "river"
        assert echo["body_html"] == f"<p><strong>hi</strong> {n}</p>"
    seen = []
    while len(seen) < 3:
        frame = await recv(bob)
        if frame["type"] == "message":
            seen.append(frame["id"])
    stored = await db(lambda: list(Message.objects.filter(room=live_room).order_by("id").values_list("id", flat=True)))()
    assert seen == stored


@pytest.mark.parametrize(
    "raw, code",
    [
        ("not json", "invalid"),
        ('["a list"]', "invalid"),
        ('{"type": "shout"}', "invalid"),
        ('{"type": "message", "body": ""}', "invalid"),
        ('{"type": "message", "body": "   "}', "invalid"),
        ('{"type": "message", "body": 42}', "invalid"),
        ('{"type": "message", "body": "ok", "client_id": {"x": 1}}', "invalid"),
        ('{"type": "message", "body": "' + "x" * (MESSAGE_MAX_LENGTH + 1) + '"}', "too_long"),
    ],
)
async def test_bad_frames_answer_an_error_and_store_nothing(live_room, peer, connect, raw, code):
    communicator, _ = await connect(peer, live_room)
    await communicator.send_to(text_data=raw)
    await assert_error(communicator, code)
    assert await db(Message.objects.count)() == 0
    # the socket stays open
    assert (await send_and_echo(communicator, "still here"))["type"] == "message"


async def test_binary_frame_is_invalid(live_room, peer, connect):
    communicator, _ = await connect(peer, live_room)
    await communicator.send_to(bytes_data=b"\x00\x01")
    await assert_error(communicator, "invalid")


async def test_exactly_2000_characters_is_accepted(live_room, peer, connect):
    communicator, _ = await connect(peer, live_room)
    await send_and_echo(communicator, "y" * MESSAGE_MAX_LENGTH)
    assert await db(Message.objects.count)() == 1


async def test_slow_mode_answers_rate_limited(live_room, peer, connect):
    live_room.slow_mode_seconds = 30
    await db(live_room.save)()
    communicator, _ = await connect(peer, live_room)
    await send_and_echo(communicator, "first")
    await communicator.send_json_to({"type": "message", "body": "second", "client_id": "c2"})
    frame = await assert_error(communicator, "rate_limited")
    assert frame["detail"].startswith(LIMITS["room_slow_mode"].message)
    assert "Please try again in" in frame["detail"] and re.search(r"in \d+ seconds?", frame["detail"])  # "1 second" near the end of the window
    assert await db(Message.objects.count)() == 1


async def test_flood_limit_answers_rate_limited(live_room, peer, connect, settings):
    settings.RATE_LIMITS = {"room_message": (3, 60)}
    communicator, _ = await connect(peer, live_room)
    for n in range(3):
        await send_and_echo(communicator, f"m{n}")
    await communicator.send_json_to({"type": "message", "body": "one too many"})
    assert (await assert_error(communicator, "rate_limited"))["detail"].startswith(LIMITS["room_message"].message)
    assert await db(Message.objects.count)() == 3


async def test_muted_in_room_answers_muted(live_room, peer, organiser, connect):
    communicator, _ = await connect(peer, live_room)
    await db(services.mute_in_room)(room=live_room, peer=peer, by=organiser, minutes=10)
    await assert_error(communicator, "muted")  # told at once
    await communicator.send_json_to({"type": "message", "body": "hello?"})
    await assert_error(communicator, "muted")
    assert await db(Message.objects.count)() == 0


async def test_sitewide_mute_answers_muted(live_room, peer, connect, monkeypatch):
    communicator, _ = await connect(peer, live_room)
    monkeypatch.setattr(sanctions, "active_restriction", lambda p: Restriction(kind="mute", until=None, reason="cool-off"))
    await communicator.send_json_to({"type": "message", "body": "hello?"})
    await assert_error(communicator, "muted")
    assert await db(Message.objects.count)() == 0


async def test_closed_room_is_read_only(live_room, peer, organiser, connect):
    await db(services.message_store)(room=live_room, author=organiser, body="before closing")
    communicator, _ = await connect(peer, live_room)
    assert (await recv(communicator))["type"] == "message"  # backlog is still served
    assert await db(services.room_close)(room=live_room, by=organiser)
    frame = await recv(communicator)
    while frame["type"] != "room_status":
        frame = await recv(communicator)
    assert frame == {"type": "room_status", "status": "closed"}
    await communicator.send_json_to({"type": "message", "body": "hello?"})
    assert (await assert_error(communicator, "room_closed"))["detail"] == services.ROOM_IS_CLOSED
    assert await db(Message.objects.count)() == 1


async def test_removal_is_broadcast_to_everyone(live_room, peer, other_peer, moderator, connect):
    alice, _ = await connect(peer, live_room)
    bob, _ = await connect(other_peer, live_room)
    echo = await send_and_echo(alice, "remove me")
    message = await db(Message.objects.get)(pk=echo["id"])
    assert await db(services.message_remove)(message=message, by=moderator, reason="sourcing")
    assert not await db(services.message_remove)(message=message, by=moderator, reason="again")
    for communicator in (alice, bob):
        frame = await recv(communicator)
        while frame["type"] != "message_removed":
            frame = await recv(communicator)
        assert frame == {"type": "message_removed", "id": echo["id"]}
    # and a fresh socket never gets it again
    carol, _ = await connect(moderator, live_room)
    await assert_no_message(carol)


async def test_removed_person_sockets_close_and_cannot_return(live_room, peer, organiser, connect):
    communicator, _ = await connect(peer, live_room)
    assert await db(services.person_remove)(room=live_room, peer=peer, by=organiser, reason="harassment")
    await assert_error(communicator, "forbidden")
    assert (await communicator.receive_output(1))["code"] == 4403
    again, _ = await connect(peer, live_room, expect_hello=False)
    assert (await again.receive_output(1))["code"] == 4403


async def test_presence_counts_people_not_sockets(live_room, peer, other_peer, connect):
    first, hello = await connect(peer, live_room)
    assert hello["online"] == 1 and "names" not in hello
    second, hello = await connect(peer, live_room)
    assert hello["online"] == 1
    third, hello = await connect(other_peer, live_room)
    assert hello["online"] == 2
    await third.disconnect()
    frame = await recv(first)
    while not (frame["type"] == "presence" and frame["online"] == 1):
        frame = await recv(first)
    assert "names" not in frame


async def test_presence_names_only_when_the_room_allows(live_room, peer, connect):
    live_room.show_names = True
    await db(live_room.save)()
    _, hello = await connect(peer, live_room)
    assert hello["names"] == ["river"]


async def test_typing_goes_to_others_and_is_throttled(live_room, peer, other_peer, connect):
    alice, _ = await connect(peer, live_room)
    bob, _ = await connect(other_peer, live_room)
    await alice.send_json_to({"type": "typing"})
    await alice.send_json_to({"type": "typing"})
    frames = []
    while True:
        try:
            frames.append(await recv(bob, timeout=0.3))
        except Exception:
            break
    assert [f for f in frames if f["type"] == "typing"] == [{"type": "typing", "author": "river"}]


async def test_held_message_reaches_only_author_and_hosts_until_approved(live_room, peer, other_peer, organiser, moderator, connect, monkeypatch):
    from moderation import screening

    def hold_phone_numbers(*, author, text, kind):
        return screening.Screening(status="pending", reasons=["contact details"]) if "call me" in text else screening.Screening()

    monkeypatch.setattr(services, "screen", hold_phone_numbers)
    alice, _ = await connect(peer, live_room)
    bob, _ = await connect(other_peer, live_room)
    host, _ = await connect(organiser, live_room)
    echo = await send_and_echo(alice, "call me")
    assert echo["pending"] is True
    assert (await send_and_echo(host, "host sees", client_id="h1"))["id"] == echo["id"]  # hosts see held ones
    assert (await send_and_echo(host, "host sees", client_id="h2"))["client_id"] == "h1"
    # bob sees the host's two messages but never the held one
    seen_by_bob = []
    while len(seen_by_bob) < 2:
        frame = await recv(bob)
        if frame["type"] == "message":
            seen_by_bob.append(frame)
    assert [f["body_html"] for f in seen_by_bob] == ["<p>host sees</p>"] * 2
    message = await db(Message.objects.get)(pk=echo["id"])
    assert await db(services.message_approve)(message=message, by=moderator)
    assert not await db(services.message_approve)(message=message, by=moderator)
    frame = await recv(bob)
    while frame["type"] != "message":
        frame = await recv(bob)
    assert frame["id"] == echo["id"] and "pending" not in frame


async def test_alert_published_reaches_room_sockets(live_room, peer, connect):
    communicator, _ = await connect(peer, live_room)
    alert = {"type": "alert", "id": 1, "substance": "Fentanyl", "summary": "s", "region": "r", "severity": "danger", "expires": "2030-01-01T00:00:00+00:00"}
    await get_channel_layer().group_send(ALERTS_GROUP, {"type": "alert.published", "frame": alert})
    frame = await recv(communicator)
    while frame["type"] != "alert":
        frame = await recv(communicator)
    assert frame == alert


async def test_retention_purge_deletes_and_never_serves_old_messages(live_room, peer, other_peer, connect):
    old = await db(services.message_store)(room=live_room, author=other_peer, body="old")
    old.created = timezone.now() - timedelta(hours=73)
    await db(old.save)()
    await db(services.message_store)(room=live_room, author=other_peer, body="new")
    communicator, _ = await connect(peer, live_room)
    assert (await recv(communicator))["body_html"] == "<p>new</p>"  # the old one is never served
    await assert_no_message(communicator)
    await db(call_command)("purge_rooms", verbosity=0)
    assert await db(lambda: list(Message.objects.values_list("body", flat=True)))() == ["new"]


async def test_heartbeat_keeps_presence_fresh(live_room, peer, connect, settings):
    from rooms.models import Presence

    settings.ROOMS_PRESENCE_HEARTBEAT = 0.1
    communicator, _ = await connect(peer, live_room)
    stale = timezone.now() - timedelta(hours=1)
    await db(Presence.objects.update)(seen_at=stale)
    await asyncio.sleep(0.4)
    assert await db(lambda: Presence.objects.get().seen_at)() > stale
