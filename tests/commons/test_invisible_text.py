"""Text of only invisible characters is refused everywhere text is written, with one message (issue 13,
item 11): zero-width spaces and joiners, direction marks, the Hangul filler, the blank Braille pattern."""

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.utils.html import escape

from forum import services as forum_services
from forum.models import Post, Thread
from helpnow import services as help_services
from helpnow.models import HelpRequest
from moderation import services as mod_services
from moderation.models import Action, Appeal, Report, SourcingPattern
from peers import roles
from rooms import services as room_services
from rooms.models import Message, Room
from rooms.routing import websocket_urlpatterns
from safety.models import DrugAlert, ServiceSuggestion
from tests.conftest import make_peer

MSG_INVISIBLE_ONLY = "This has only spaces or invisible characters in it, so nobody could read it. Please write something visible."
INVISIBLE = ["\u200b", "\u200b\u200c\u200d\u2060\ufeff", "\u3164\u3164", "\u2800", "\u202e\u200f", " \u200b \u00a0", "\U000e0041"]
SHOWN = escape(MSG_INVISIBLE_ONLY)


def _client(peer) -> Client:
    client = Client()
    client.force_login(peer)
    return client


@pytest.mark.parametrize("text", INVISIBLE)
def test_nothing_visible_is_recognised(text):
    from commons.text import MSG_INVISIBLE_ONLY as message, has_visible_text

    assert message == MSG_INVISIBLE_ONLY  # the words these tests look for are the service's

    assert not has_visible_text(text)


@pytest.mark.parametrize("text", ["a", "\u200ba", "é", "🙂", "日本"])
def test_anything_visible_is_welcome(text):
    from commons.text import has_visible_text

    assert has_visible_text(text)


@pytest.fixture
def world(db, board, peer, other_peer, moderator, organiser):
    thread = forum_services.thread_create(board=board, author=peer, title="A fine title", body="A fine body")
    room = room_services.room_create(slug="support", title="Support", host=organiser, status=Room.Status.LIVE)
    return {"thread": thread, "post": thread.posts.get(), "room": room}


CASES = {
    # name: (who, path, data, how many rows must stay as they were)
    "thread body": ("peer", "/b/safer-use/new/", {"title": "Fine", "body": "{x}"}, lambda: Thread.objects.count()),
    "thread title": ("peer", "/b/safer-use/new/", {"title": "{x}", "body": "Fine"}, lambda: Thread.objects.count()),
    "content warning": ("peer", "/b/safer-use/new/", {"title": "Fine", "body": "Fine", "content_warning": "{x}"}, lambda: Thread.objects.count()),
    "reply": ("other_peer", "/t/{thread}/reply/", {"body": "{x}"}, lambda: Post.objects.count()),
    "edit": ("peer", "/p/{post}/edit/", {"body": "{x}"}, lambda: Post.objects.filter(body="A fine body").count()),
    "bio": ("peer", "/settings/", {"bio": "{x}"}, lambda: 0),
    "report text": ("other_peer", "/report/", {"target": "post:{post}", "reason": "other", "text": "{x}"}, lambda: Report.objects.count()),
    "room topic": ("organiser", "/rooms/support/edit/", {"title": "Support", "topic": "{x}", "starts_at": "2030-06-02T18:00",
                                                        "visibility": "members", "slow_mode_seconds": "0", "retention_hours": "72"},
                   lambda: Room.objects.filter(topic="").count()),
    "alert summary": ("moderator", "/alerts/new/", {"substance": "Fentanyl", "summary": "{x}", "region": "Downtown",
                                                    "severity": "danger", "source": "peer", "days": "7"}, lambda: DrugAlert.objects.count()),
    "service suggestion": ("other_peer", "/services/suggest/", {"kind": "naloxone", "name": "{x}", "region": "Downtown",
                                                                "contact": "12 Harbour Street"}, lambda: ServiceSuggestion.objects.count()),
    "help request": ("other_peer", "/get-help/", {"happening": "{x}", "danger": "no"}, lambda: HelpRequest.objects.count()),
    "hold pattern": ("moderator", "/mod/patterns/", {"pattern": "{x}", "kind": "phrase"}, lambda: SourcingPattern.objects.count()),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("text", INVISIBLE[:3])
def test_invisible_only_text_is_refused_and_nothing_is_stored(world, peer, other_peer, moderator, organiser, case, text):
    who, path, data, count = CASES[case]
    people = {"peer": peer, "other_peer": other_peer, "moderator": moderator, "organiser": organiser}
    ids = {"thread": world["thread"].pk, "post": world["post"].pk}
    before = count()
    response = _client(people[who]).post(path.format(**ids), {k: v.format(x=text, **ids) for k, v in data.items()})
    assert response.status_code == 400, (case, response.status_code)
    assert SHOWN in response.content.decode(), case
    assert count() == before
    peer.refresh_from_db()
    assert peer.bio == "" and peer.bio_pending == ""


@pytest.mark.django_db
def test_an_invisible_appeal_is_refused(peer, moderator):
    sanction = mod_services.sanction_apply(peer=peer, action=Action.WARN, moderator=moderator, reason="test")
    response = _client(peer).post(f"/appeal/{sanction.log_entry.pk}/", {"text": "\u200b\u200b"})
    assert response.status_code == 400 and SHOWN in response.content.decode()
    assert not Appeal.objects.exists()


@pytest.mark.django_db
def test_an_invisible_handover_note_is_refused(peer):
    supporter = make_peer(roles.SUPPORTER, username="sup-lee")
    help_services.duty_set(supporter=supporter, on=True)
    help_request = help_services.request_create(requester=peer)
    help_services.request_claim(help_request=help_request, supporter=supporter)
    response = _client(supporter).post(f"/get-help/{help_request.pk}/resolve/", {"note": "\u3164"})
    assert response.status_code == 400 and SHOWN in response.content.decode()
    help_request.refresh_from_db()
    assert help_request.is_open


@pytest.mark.django_db(transaction=True)
async def test_an_invisible_chat_message_is_refused_on_the_socket(organiser, peer):
    from asgiref.sync import sync_to_async

    room = await sync_to_async(room_services.room_create)(slug="support", title="Support", host=organiser, status=Room.Status.LIVE)
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/rooms/{room.slug}/")
    communicator.scope["user"] = peer
    connected, _ = await communicator.connect()
    assert connected
    while (await communicator.receive_json_from())["type"] != "hello":
        pass
    await communicator.send_json_to({"type": "message", "body": "\u200b\u200d\u2060", "client_id": "c1"})
    frame = await communicator.receive_json_from()
    while frame["type"] != "error":
        frame = await communicator.receive_json_from()
    assert frame == {"type": "error", "code": "invalid", "detail": MSG_INVISIBLE_ONLY}
    assert await sync_to_async(Message.objects.count)() == 0
    await communicator.disconnect()
