"""Deleting an account: keep my posts as "former member", or erase my words; either way the private help
conversations go and the pseudonym is kept from sign-up for a while, as a keyed hash only."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django.utils.html import escape

from forum import services as forum_services
from forum.models import Bookmark, Post, PostRevision, Reaction, Thread
from forum.views import _quote
from helpnow import services as helpnow_services
from helpnow.models import HelpRequest
from peers import deleted_pseudonyms, roles
from peers import services as peer_services
from peers.forms import MSG_CHOOSE_WORDS
from peers.models import DeletedPseudonym, Notification, Peer
from rooms import services as room_services
from rooms.models import Message, Room
from tests.conftest import PASSWORD, make_peer

DELETE = "/settings/delete/"


def delete(client, peer, words="keep", password=PASSWORD, confirm=None):
    data = {"password": password, "confirm": peer.username if confirm is None else confirm}
    if words is not None:
        data["words"] = words
    return client.post(DELETE, data)


@pytest.fixture
def room(organiser):
    return room_services.room_create(slug="evening", title="Evening room", host=organiser, status=Room.Status.LIVE)


@pytest.fixture
def words(peer, other_peer, thread_factory, room):
    """Things `peer` wrote: a thread (with an edit), a reply in someone else's thread that is quoted there, a
    room message; `other_peer`'s own words beside them."""
    own = thread_factory(author=peer, title="My own story of tapering", body="first words tapering slowly")
    post = own.posts.get()
    forum_services.post_edit(post=post, by=peer, body="tapering slowly, edited once")
    theirs = thread_factory(author=other_peer, title="Naloxone questions", body="where do you keep it?")
    reply = forum_services.post_create(thread=theirs, author=peer, body="keychain pouch works for me")
    quoting = forum_services.post_create(thread=theirs, author=other_peer, body=_quote(reply) + "great idea, thanks")
    forum_services.bookmark_set(post=reply, peer=other_peer, on=True)
    forum_services.reaction_add(post=reply, peer=other_peer, kind="helpful")
    message = room_services.message_store(room=room, author=peer, body="hello room from river")
    other_message = room_services.message_store(room=room, author=other_peer, body="hello from willow")
    return {"own": own, "post": post, "reply": reply, "quoting": quoting, "theirs": theirs, "message": message,
            "other_message": other_message}


# --- the page and its bad inputs ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_delete_page_offers_both_choices(auth_client):
    page = auth_client.get(DELETE).content.decode()
    assert 'value="keep"' in page and 'value="erase"' in page
    assert "download your data" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, message",
    [
        ({"words": None}, MSG_CHOOSE_WORDS),
        ({"words": ""}, MSG_CHOOSE_WORDS),
        ({"words": "burn-it-all"}, MSG_CHOOSE_WORDS),
        ({"words": "erase", "password": ""}, "This field is required."),
        ({"words": "erase", "password": "wrong-password-here"}, "That password isn't right."),
        ({"words": "erase", "confirm": "someone-else"}, "That isn't your pseudonym."),
        ({"words": "erase", "confirm": ""}, "This field is required."),
        ({"words": "erase", "confirm": "x" * 31}, "at most 30 characters"),
    ],
)
def test_a_refused_deletion_says_why_and_deletes_and_erases_nothing(auth_client, peer, words, data, message):
    response = delete(auth_client, peer, **data)
    assert response.status_code == 400
    assert escape(message) in response.content.decode()
    assert Peer.objects.filter(pk=peer.pk).exists()
    assert Post.objects.get(pk=words["reply"].pk).body == "keychain pouch works for me"
    assert Message.objects.filter(pk=words["message"].pk).exists()
    assert not DeletedPseudonym.objects.exists()


@pytest.mark.django_db
def test_a_failure_half_way_deletes_nothing(auth_client, peer, words, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(room_services, "messages_erase_by", broken)
    with pytest.raises(RuntimeError):
        delete(auth_client, peer, words="erase")
    assert Peer.objects.filter(pk=peer.pk).exists()
    assert Post.objects.get(pk=words["reply"].pk).body == "keychain pouch works for me"
    assert PostRevision.objects.filter(post=words["post"]).exists()
    assert Thread.objects.get(pk=words["own"].pk).title == "My own story of tapering"
    assert not DeletedPseudonym.objects.exists()


# --- keep my posts -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_keeping_posts_shows_them_as_a_former_members(auth_client, peer, words):
    response = delete(auth_client, peer, words="keep")
    assert response.status_code == 302
    assert not Peer.objects.filter(pk=peer.pk).exists()
    reply = Post.objects.get(pk=words["reply"].pk)
    assert reply.author is None and reply.body == "keychain pouch works for me"
    assert Message.objects.get(pk=words["message"].pk).author is None
    page = auth_client.get(words["theirs"].get_absolute_url()).content.decode()
    assert "keychain pouch works for me" in page and "former member" in page
    assert 'href="/u/river/"' not in page


# --- erase my words ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_erasing_removes_post_text_revisions_titles_and_room_messages(auth_client, peer, other_peer, words):
    response = delete(auth_client, peer, words="erase")
    assert response.status_code == 302
    assert not Peer.objects.filter(pk=peer.pk).exists()
    for key in ("post", "reply"):
        post = Post.objects.get(pk=words[key].pk)
        assert (post.body, post.body_html, post.content_warning, post.author) == ("", "", "", None)
        assert post.deleted_at is not None
    assert not PostRevision.objects.filter(post__in=[words["post"], words["reply"]]).exists()
    assert not Bookmark.objects.filter(post=words["reply"]).exists() and not Reaction.objects.filter(post=words["reply"]).exists()
    assert Thread.objects.get(pk=words["own"].pk).title == forum_services.ERASED_TITLE
    assert not Message.objects.filter(pk=words["message"].pk).exists()
    assert Message.objects.filter(pk=words["other_message"].pk).exists()  # other people's words stay
    assert Post.objects.get(pk=words["theirs"].posts.order_by("id").first().pk).body == "where do you keep it?"


@pytest.mark.django_db
def test_an_erased_thread_stays_readable_with_placeholders(client, peer, other_peer, words):
    peer_services.account_delete(peer=peer, erase_words=True)
    page = client.get(words["theirs"].get_absolute_url()).content.decode()
    assert "This post was deleted by the person who wrote it." in page
    assert "where do you keep it?" in page  # the thread around it reads on
    own = client.get(Thread.objects.get(pk=words["own"].pk).get_absolute_url())
    assert own.status_code == 200
    own_page = own.content.decode()
    assert "tapering" not in own_page and forum_services.ERASED_TITLE in own_page


@pytest.mark.django_db
def test_quotes_of_erased_posts_in_other_peoples_posts_stay(peer, other_peer, words):
    """Our choice (docs/accounts.md): a quote inside someone else's post is part of their words, so it stays."""
    peer_services.account_delete(peer=peer, erase_words=True)
    quoting = Post.objects.get(pk=words["quoting"].pk)
    assert "keychain pouch works for me" in quoting.body and "great idea, thanks" in quoting.body
    assert quoting.author == other_peer and quoting.deleted_at is None


@pytest.mark.django_db
def test_erased_posts_leave_the_search_index(client, peer, words):
    assert "2 results" in client.get("/search/", {"q": "keychain"}).content.decode()  # river's reply, willow's quote
    peer_services.account_delete(peer=peer, erase_words=True)
    erased = [words["post"].pk, words["reply"].pk]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM forum_post_fts WHERE rowid IN ({erased[0]}, {erased[1]})")
            assert cursor.fetchone()[0] == 0
    else:
        assert not Post.objects.filter(pk__in=erased, search_vector__isnull=False).exists()
    assert "0 results" in client.get("/search/", {"q": "tapering"}).content.decode()
    page = client.get("/search/", {"q": "keychain"}).content.decode()
    assert "1 result " in page and f'href="/p/{words["quoting"].pk}/"' in page  # only willow's quote of it


@pytest.mark.django_db
def test_erasing_drops_notices_that_point_at_erased_words(peer, other_peer, words):
    """willow was told of river's reply in her thread; the notice goes with the reply."""
    reply_url = words["reply"].get_absolute_url()
    assert Notification.objects.filter(recipient=other_peer, url=reply_url).exists()
    peer_services.account_delete(peer=peer, erase_words=True)
    assert not Notification.objects.filter(url=reply_url).exists()
    assert not Notification.objects.filter(text__contains="tapering").exists()


@pytest.mark.django_db
def test_erasing_counts_threads_again(peer, other_peer, words):
    theirs = words["theirs"]
    before = Thread.objects.get(pk=theirs.pk).reply_count
    peer_services.account_delete(peer=peer, erase_words=True)
    assert Thread.objects.get(pk=theirs.pk).reply_count == before - 1


@pytest.mark.django_db(transaction=True)
async def test_open_sockets_drop_erased_room_messages(peer, other_peer, room):
    from asgiref.sync import sync_to_async
    from channels.routing import URLRouter
    from channels.testing import WebsocketCommunicator

    from rooms.routing import websocket_urlpatterns

    message = await sync_to_async(room_services.message_store)(room=room, author=peer, body="gone soon")
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/rooms/{room.slug}/")
    communicator.scope["user"] = other_peer
    try:
        assert (await communicator.connect())[0]
        assert (await communicator.receive_json_from())["type"] == "hello"
        assert (await communicator.receive_json_from())["id"] == message.pk  # the backlog
        await sync_to_async(peer_services.account_delete)(peer=peer, erase_words=True)
        assert await communicator.receive_json_from(timeout=3) == {"type": "message_removed", "id": message.pk}
    finally:
        await communicator.disconnect()


# --- private help conversations (issue 13, item 9) -----------------------------------------------


@pytest.fixture
def conversation(peer, db):
    supporter = make_peer(roles.SUPPORTER, username="sup-lee")
    helpnow_services.duty_set(supporter=supporter, on=True)
    help_request = helpnow_services.request_create(requester=peer, happening="a rough night")
    helpnow_services.request_claim(help_request=help_request, supporter=supporter)
    help_request.refresh_from_db()
    room_services.message_store(room=help_request.room, author=peer, body="I can't sleep")
    room_services.message_store(room=help_request.room, author=supporter, body="I'm here, tell me more")
    return help_request


@pytest.mark.django_db
@pytest.mark.parametrize("choice", ["keep", "erase"])
def test_deleting_the_account_removes_the_help_conversation_both_sides(auth_client, peer, conversation, choice):
    room_id = conversation.room_id
    assert delete(auth_client, peer, words=choice).status_code == 302
    assert not HelpRequest.objects.filter(pk=conversation.pk).exists()
    assert not Room.objects.filter(pk=room_id).exists()
    assert not Message.objects.filter(room_id=room_id).exists()  # the supporter's side too


@pytest.mark.django_db
def test_the_export_beforehand_holds_the_help_conversation(auth_client, conversation):
    data = auth_client.get("/settings/export/").json()
    (request,) = data["help_requests"]
    assert request["happening"] == "a rough night"
    assert request["conversation"] == [
        {"from": "you", "created": request["conversation"][0]["created"], "body": "I can't sleep"},
        {"from": "supporter", "created": request["conversation"][1]["created"], "body": "I'm here, tell me more"},
    ]
    assert "sup-lee" not in auth_client.get("/settings/export/").content.decode()


# --- the pseudonym is kept for a while, as a keyed hash ------------------------------------------


def _signup(client, username):
    return client.post("/accounts/signup/", {"username": username, "password1": PASSWORD, "password2": PASSWORD})


@pytest.mark.django_db
@pytest.mark.parametrize("attempt", ["river", "RIVER", "River", "rіver"])  # the last with a Cyrillic і: a look-alike
def test_a_deleted_pseudonym_cannot_sign_up_again_for_90_days(client, peer, attempt):
    peer_services.account_delete(peer=peer)
    response = _signup(client, attempt)
    assert response.status_code == 400
    assert escape(deleted_pseudonyms.MSG_PSEUDONYM_RECENTLY_DELETED) in response.content.decode()
    assert not Peer.objects.exists()


@pytest.mark.django_db
def test_a_deleted_pseudonym_is_free_again_after_90_days(client, peer):
    peer_services.account_delete(peer=peer)
    DeletedPseudonym.objects.update(deleted_at=timezone.now() - timedelta(days=91))
    assert _signup(client, "river").status_code == 302
    assert Peer.objects.filter(username="river").exists()


@pytest.mark.django_db
def test_the_reservation_keeps_only_a_keyed_hash(peer, settings):
    peer_services.account_delete(peer=peer)
    row = DeletedPseudonym.objects.get()
    assert "river" not in row.digest and len(row.digest) == 64
    assert row.digest == deleted_pseudonyms.deleted_pseudonym_digest("River")
    settings.SECRET_KEY = "another-secret-key-for-this-test-" + "x" * 20
    assert not deleted_pseudonyms.was_deleted_recently("river")  # keyed: without the key the table names nobody


@pytest.mark.django_db
def test_other_pseudonyms_are_not_affected(client, peer):
    peer_services.account_delete(peer=peer)
    assert _signup(client, "river2").status_code == 302


@pytest.mark.django_db
def test_purge_forgets_deleted_pseudonyms_past_90_days(peer, other_peer):
    peer_services.account_delete(peer=peer)
    peer_services.account_delete(peer=other_peer)
    DeletedPseudonym.objects.filter(digest=deleted_pseudonyms.deleted_pseudonym_digest("river")).update(
        deleted_at=timezone.now() - timedelta(days=91))
    from django.core.management import call_command

    call_command("purge_deleted_pseudonyms", verbosity=0)
    assert list(DeletedPseudonym.objects.values_list("digest", flat=True)) == [deleted_pseudonyms.deleted_pseudonym_digest("willow")]
