"""Sanctions enforced everywhere: forum (post, reply, react, edit), reports, room sockets and frames."""

import asyncio
import contextlib
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.layers import channel_layers
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.html import escape

from forum import services as forum_services
from moderation import services
from moderation.models import Action, Sanction
from moderation.sanctions import active_restriction, check_can_connect, check_can_write
from rooms.routing import websocket_urlpatterns

ROUTER = URLRouter(websocket_urlpatterns)


def _sanction(peer, moderator, action, hours=None):
    return services.sanction_apply(peer=peer, action=action, moderator=moderator, reason="repeated harassment", hours=hours)


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def test_nobody_is_restricted_by_default(db, peer):
    assert active_restriction(peer) is None
    check_can_write(peer)
    check_can_connect(peer)


def test_a_warning_restricts_nothing(db, peer, moderator):
    _sanction(peer, moderator, Action.WARN)
    assert active_restriction(peer) is None


def test_mute_stops_writing_but_not_connecting(db, peer, moderator):
    _sanction(peer, moderator, Action.MUTE, hours=2)
    with pytest.raises(PermissionDenied) as refused:
        check_can_write(peer)
    assert "muted until" in str(refused.value) and "repeated harassment" in str(refused.value)
    check_can_connect(peer)


@pytest.mark.parametrize(("action", "hours", "word"), [(Action.SUSPEND, 24, "suspended until"), (Action.BAN, None, "banned")])
def test_suspension_and_ban_stop_connecting(db, peer, moderator, action, hours, word):
    _sanction(peer, moderator, action, hours=hours)
    with pytest.raises(PermissionDenied, match=word):
        check_can_connect(peer)


def test_expired_and_revoked_sanctions_lapse(db, peer, moderator):
    sanction = _sanction(peer, moderator, Action.MUTE, hours=1)
    Sanction.objects.filter(pk=sanction.pk).update(ends=timezone.now() - timedelta(seconds=1))
    assert active_restriction(peer) is None
    ban = _sanction(peer, moderator, Action.BAN)
    Sanction.objects.filter(pk=ban.pk).update(revoked_at=timezone.now())
    assert active_restriction(peer) is None


def test_strongest_restriction_wins(db, peer, moderator):
    _sanction(peer, moderator, Action.MUTE, hours=500)
    _sanction(peer, moderator, Action.SUSPEND, hours=2)
    assert active_restriction(peer).kind == "suspend"


# --- forum ---------------------------------------------------------------------------------------


def test_muted_member_cannot_start_a_thread(auth_client, peer, moderator, board):
    _sanction(peer, moderator, Action.MUTE, hours=3)
    response = auth_client.post(f"/b/{board.slug}/new/", {"title": "Hello there", "body": "hi"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "muted until" in page and escape("repeated harassment") in page
    assert not board.threads.exists()


def test_muted_member_cannot_reply(auth_client, peer, moderator, thread):
    _sanction(peer, moderator, Action.MUTE, hours=3)
    response = auth_client.post(f"/t/{thread.pk}/reply/", {"body": "a reply"})
    assert response.status_code == 403 and "muted until" in response.content.decode()
    assert thread.posts.count() == 1


def test_suspended_member_cannot_react(auth_client, peer, moderator, thread):
    _sanction(peer, moderator, Action.SUSPEND, hours=3)
    post = thread.posts.get()
    response = auth_client.post(f"/p/{post.pk}/react/", {"kind": "helpful"})
    assert response.status_code == 403 and "suspended until" in response.content.decode()
    assert not post.reactions.exists()


def test_muted_member_cannot_edit(db, peer, moderator, post_factory):
    post = post_factory(author=peer)
    _sanction(peer, moderator, Action.MUTE, hours=3)
    with pytest.raises(PermissionDenied, match="muted until"):
        forum_services.post_edit(post=post, by=peer, body="changed")


def test_muted_member_cannot_report_beyond_the_small_allowance(auth_client, peer, moderator, post_factory, settings):
    settings.RATE_LIMITS = {"report_restricted": (0, 86400)}
    _sanction(peer, moderator, Action.MUTE, hours=3)
    post = post_factory(author=moderator)
    response = auth_client.post("/report/", {"target": f"post:{post.pk}", "reason": "spam"})
    assert response.status_code == 429 and "While your account is restricted" in response.content.decode()


# --- rooms ---------------------------------------------------------------------------------------


async def _open(peer, room):
    communicator = WebsocketCommunicator(ROUTER, f"/ws/rooms/{room.slug}/")
    communicator.scope["user"] = peer
    connected, _ = await communicator.connect()
    return communicator, connected


@pytest.mark.django_db(transaction=True)
async def test_suspended_member_room_socket_is_closed_4403(peer, moderator, room, _roles):
    await database_sync_to_async(_sanction)(peer, moderator, Action.SUSPEND, 24)
    communicator, _ = await _open(peer, room)
    try:
        output = await communicator.receive_output(timeout=3)
        assert output["type"] == "websocket.close" and output["code"] == 4403
    finally:
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_muted_member_gets_muted_error_and_nothing_is_stored(peer, moderator, room, _roles):
    from rooms.models import Message

    await database_sync_to_async(_sanction)(peer, moderator, Action.MUTE, 1)
    communicator, connected = await _open(peer, room)
    try:
        assert connected
        hello = await communicator.receive_json_from(timeout=3)
        assert hello["type"] == "hello"
        await communicator.send_json_to({"type": "message", "body": "hi", "client_id": "c1"})
        for _ in range(5):
            frame = await communicator.receive_json_from(timeout=3)
            if frame["type"] == "error":
                break
        assert frame["code"] == "muted" and "muted until" in frame["detail"]
        assert await database_sync_to_async(Message.objects.count)() == 0
    finally:
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await communicator.disconnect()
