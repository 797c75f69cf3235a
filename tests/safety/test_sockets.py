"""The live push: a published alert reaches every /ws/alerts/ socket and every room socket (CONTRACTS.md)."""

import importlib.util

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from moderation.models import ModerationStatus
from safety import services
from safety.consumers import READ_ONLY_DETAIL
from tests.safety.conftest import ALERT_FORM

pytestmark = [pytest.mark.django_db(transaction=True)]

ORIGIN = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
FIELDS = {key: value for key, value in ALERT_FORM.items() if key != "days"}
FRAME_KEYS = {"type", "id", "substance", "summary", "region", "severity", "expires", "source", "source_label", "evidence"}


async def open_alerts_socket(sockets, headers=ORIGIN):
    from config.asgi import application

    communicator = WebsocketCommunicator(application, "/ws/alerts/", headers=headers)
    sockets.append(communicator)
    connected, _ = await communicator.connect()
    return communicator, connected


async def test_anyone_may_open_the_alerts_socket_and_hears_a_new_alert(sockets, moderator):
    communicator, connected = await open_alerts_socket(sockets)
    assert connected
    alert = await sync_to_async(services.alert_create)(author=moderator, **FIELDS)
    frame = await communicator.receive_json_from(timeout=3)
    assert set(frame) == FRAME_KEYS
    assert frame["type"] == "alert" and frame["id"] == alert.pk
    assert (frame["substance"], frame["severity"], frame["region"]) == ("Fentanyl", "danger", "Downtown")
    assert frame["expires"] == alert.expires_at.isoformat()


async def test_every_open_alerts_socket_hears_it(sockets, organiser):
    first, _ = await open_alerts_socket(sockets)
    second, _ = await open_alerts_socket(sockets)
    alert = await sync_to_async(services.alert_create)(author=organiser, **FIELDS)
    assert (await first.receive_json_from(timeout=3))["id"] == alert.pk
    assert (await second.receive_json_from(timeout=3))["id"] == alert.pk


async def test_the_alerts_socket_is_read_only(sockets):
    communicator, _ = await open_alerts_socket(sockets)
    await communicator.send_json_to({"type": "message", "body": "hello"})
    assert await communicator.receive_json_from(timeout=2) == {"type": "error", "code": "invalid", "detail": READ_ONLY_DETAIL}
    await communicator.send_to(text_data="not json at all")
    assert (await communicator.receive_json_from(timeout=2))["code"] == "invalid"
    assert await communicator.receive_nothing(timeout=0.1)


async def test_a_bad_origin_is_refused(sockets):
    communicator, connected = await open_alerts_socket(sockets, headers=[(b"origin", b"https://evil.example"), (b"host", b"127.0.0.1")])
    assert not connected


async def test_a_held_alert_is_not_pushed_until_approved(sockets, established_peer, moderator):
    communicator, _ = await open_alerts_socket(sockets)
    alert = await sync_to_async(services.alert_create)(author=established_peer, **FIELDS)
    assert alert.moderation_status == ModerationStatus.PENDING
    assert await communicator.receive_nothing(timeout=0.3)
    assert await sync_to_async(services.alert_approve)(alert=alert, by=moderator)
    assert (await communicator.receive_json_from(timeout=3))["id"] == alert.pk


@pytest.mark.skipif(importlib.util.find_spec("rooms.consumers") is None, reason="rooms.consumers arrives with the rooms issue")
async def test_a_new_alert_reaches_an_open_room_socket(sockets, organiser, peer, moderator):
    from rooms import services as room_services
    from rooms.models import Room
    from rooms.routing import websocket_urlpatterns
    from channels.routing import URLRouter

    room = await sync_to_async(room_services.room_create)(slug="evening", title="Evening room", host=organiser, status=Room.Status.LIVE, rules="Be kind.")
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/rooms/{room.slug}/")
    communicator.scope["user"] = peer
    sockets.append(communicator)
    connected, _ = await communicator.connect()
    assert connected
    # The room socket accepts first and joins its groups before "hello": wait for it, or the alert could go out before it joined.
    assert (await communicator.receive_json_from(timeout=3))["type"] == "hello"
    alert = await sync_to_async(services.alert_create)(author=moderator, **FIELDS)
    while True:  # backlog and presence frames may come first
        frame = await communicator.receive_json_from(timeout=3)
        if frame["type"] == "alert":
            break
    assert set(frame) == FRAME_KEYS and frame["id"] == alert.pk


async def test_anonymous_scope_is_fine_for_alerts(sockets):
    from safety.consumers import AlertsConsumer

    communicator = WebsocketCommunicator(AlertsConsumer.as_asgi(), "/ws/alerts/")
    communicator.scope["user"] = AnonymousUser()
    sockets.append(communicator)
    connected, _ = await communicator.connect()
    assert connected
