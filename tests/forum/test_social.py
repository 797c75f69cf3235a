"""Reactions, mentions, reply notifications, subscriptions, bookmarks, reading position."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils.html import escape

from forum import permissions, services
from forum.models import Bookmark, Reaction, Subscription


@pytest.fixture
def post(thread):
    return thread.posts.get()


def test_reaction_given_once_per_kind_and_counted(other_client, other_peer, peer_factory, post, client):
    for _ in range(2):
        assert other_client.post(f"/p/{post.id}/react/", {"kind": "helpful"}).status_code == 302
    assert Reaction.objects.filter(post=post, kind="helpful").count() == 1
    services.reaction_add(post=post, peer=peer_factory(username="fern"), kind="helpful")
    services.reaction_add(post=post, peer=other_peer, kind="support")
    page = other_client.get(post.thread.get_absolute_url()).content.decode()
    assert 'title="willow, fern"' in page
    assert 'Helpful <span class="reaction__count">2</span>' in page
    assert 'Support <span class="reaction__count">1</span>' in page
    visitor_page = Client().get(post.thread.get_absolute_url()).content.decode()
    assert 'Helpful <span class="reaction__count">2</span>' in visitor_page
    assert "willow, fern" not in visitor_page  # givers are for members


def test_reaction_can_be_taken_back(other_client, other_peer, post):
    services.reaction_add(post=post, peer=other_peer, kind="support")
    other_client.post(f"/p/{post.id}/react/", {"kind": "support", "action": "remove"})
    assert not Reaction.objects.exists()
    assert services.reaction_remove(post=post, peer=other_peer, kind="support") is False


def test_bad_reactions_are_refused(auth_client, other_client, client, post):
    response = other_client.post(f"/p/{post.id}/react/", {"kind": "love"})
    assert response.status_code == 400
    assert escape(services.MSG_UNKNOWN_REACTION) in response.content.decode()
    response = auth_client.post(f"/p/{post.id}/react/", {"kind": "helpful"})
    assert response.status_code == 403
    assert escape(permissions.MSG_OWN_POST_REACTION) in response.content.decode()
    assert Client().post(f"/p/{post.id}/react/", {"kind": "helpful"}).status_code == 403
    assert not Reaction.objects.exists()


def test_muted_peer_cannot_react(other_peer, post, monkeypatch):
    def refuse(peer):
        raise PermissionDenied("muted")

    monkeypatch.setattr(permissions, "check_can_write", refuse)
    with pytest.raises(PermissionDenied):
        services.reaction_add(post=post, peer=other_peer, kind="helpful")


def test_mention_notifies_the_person_once(peer, other_peer, thread, reply_factory):
    reply_factory(thread=thread, author=other_peer, body="@river and @RIVER, also @nobody-here and email a@b.org")
    mentions = peer.notifications.filter(kind="forum_mention")
    assert mentions.count() == 1
    assert "willow mentioned you" in mentions.get().shown_text
    assert not peer.notifications.filter(kind="forum_reply").exists()  # no double notice


def test_an_edit_tells_only_the_people_it_newly_mentions(peer, other_peer, peer_factory, thread, reply_factory):
    moss = peer_factory(username="moss")
    reply = reply_factory(thread=thread, author=other_peer, body="Asking @river about this.")
    assert peer.notifications.filter(kind="forum_mention").count() == 1
    services.post_edit(post=reply, by=other_peer, body="Asking @river and @moss about this.")
    assert moss.notifications.filter(kind="forum_mention").count() == 1
    assert "willow mentioned you" in moss.notifications.get(kind="forum_mention").shown_text
    assert peer.notifications.filter(kind="forum_mention").count() == 1  # not told twice
    services.post_edit(post=reply, by=other_peer, body="Asking @river and @moss about this, thanks.")
    assert moss.notifications.filter(kind="forum_mention").count() == 1


def test_reply_notifies_subscribers_but_not_the_writer(peer, other_peer, peer_factory, thread, reply_factory):
    reply_factory(thread=thread, author=other_peer, body="Thanks!")
    notice = peer.notifications.get(kind="forum_reply")
    assert notice.shown_text == "willow replied in “Test strips and how to use them”"
    assert notice.url.startswith("/p/")
    assert not other_peer.notifications.exists()
    third = peer_factory(username="moss")
    reply_factory(thread=thread, author=third, body="me too")
    assert other_peer.notifications.filter(kind="forum_reply").count() == 1  # replying subscribed willow


def test_header_shows_unread_count(auth_client, other_peer, thread, reply_factory):
    reply_factory(thread=thread, author=other_peer, body="hello")
    page = auth_client.get("/").content.decode()
    assert 'aria-label="1 unread"' in page


def test_unsubscribe_stops_notifications(auth_client, peer, other_peer, thread, reply_factory):
    assert auth_client.post(f"/t/{thread.id}/subscribe/", {"on": "0"}).status_code == 302
    assert not Subscription.objects.filter(peer=peer).exists()
    reply_factory(thread=thread, author=other_peer, body="hello")
    assert not peer.notifications.exists()
    auth_client.post(f"/t/{thread.id}/subscribe/", {"on": "1"})
    assert Subscription.objects.filter(peer=peer, thread=thread).exists()


def test_visitor_cannot_subscribe_or_bookmark(thread, post):
    visitor = Client()
    assert visitor.post(f"/t/{thread.id}/subscribe/", {"on": "1"}).status_code == 403
    assert visitor.post(f"/p/{post.id}/bookmark/", {"on": "1"}).status_code == 403
    assert not Bookmark.objects.exists()


def test_bookmark_a_post_and_list_it(other_client, other_peer, post):
    other_client.post(f"/p/{post.id}/bookmark/", {"on": "1"})
    other_client.post(f"/p/{post.id}/bookmark/", {"on": "1"})
    assert Bookmark.objects.filter(peer=other_peer).count() == 1
    page = other_client.get("/bookmarks/").content.decode()
    assert "Test strips and how to use them" in page
    other_client.post(f"/p/{post.id}/bookmark/", {"on": "0", "next": "bookmarks"})
    assert not Bookmark.objects.exists()


def _read(client, thread, url: str) -> None:
    """Open a thread page and send its reading position, as the page's script does once shown."""
    import re

    page = client.get(url).content.decode()
    position = re.search(r'data-mark-read hidden>.*?name="post" value="(\d+)"', page, re.S)
    if position:
        client.post(f"/t/{thread.id}/read/", {"post": position.group(1)}, HTTP_ACCEPT="application/json")


def test_jump_to_first_unread(other_client, other_peer, peer, thread, reply_factory, settings):
    first = thread.posts.get()
    assert other_client.get("/t/%d/unread/" % thread.id)["Location"].endswith(f"#p{first.id}")
    _read(other_client, thread, thread.get_absolute_url())  # reads page 1
    new = [reply_factory(thread=thread, author=peer, body=f"new {n}") for n in range(31)]
    location = other_client.get(f"/t/{thread.id}/unread/")["Location"]
    assert location.endswith(f"#p{new[0].id}") and "?page=" not in location
    _read(other_client, thread, thread.get_absolute_url() + "?page=2")
    location = other_client.get(f"/t/{thread.id}/unread/")["Location"]
    assert location.endswith(f"?page=2#p{new[-1].id}")  # all read: the last post


def test_reading_position_moves_forward_only_and_rereading_writes_nothing(other_client, other_peer, peer, thread, reply_factory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from forum.models import ThreadRead

    first = thread.posts.get().id
    page = other_client.get(thread.get_absolute_url()).content.decode()
    assert not ThreadRead.objects.filter(peer=other_peer).exists()  # the page (a GET) writes nothing
    assert f'name="post" value="{first}"' in page and "mark-read.js" in page  # it sends its position once shown
    assert other_client.post(f"/t/{thread.id}/read/", {"post": first}, HTTP_ACCEPT="application/json").status_code == 204
    assert ThreadRead.objects.get(peer=other_peer, thread=thread).last_read_post_id == first
    with CaptureQueriesContext(connection) as queries:
        page = other_client.get(thread.get_absolute_url()).content.decode()
    writes = [q["sql"] for q in queries.captured_queries if "forum_threadread" in q["sql"] and not q["sql"].startswith("SELECT")]
    assert writes == [] and "mark-read.js" not in page  # read already: nothing to send
    newer = reply_factory(thread=thread, author=peer, body="one more")
    assert f'value="{newer.id}"' in other_client.get(thread.get_absolute_url()).content.decode()
    other_client.post(f"/t/{thread.id}/read/", {"post": newer.id})
    assert ThreadRead.objects.get(peer=other_peer, thread=thread).last_read_post_id == newer.id
    assert services.thread_mark_read(thread=thread, peer=other_peer, up_to_post_id=first) is False  # never back
    assert ThreadRead.objects.get(peer=other_peer, thread=thread).last_read_post_id == newer.id


def test_permalink_finds_the_right_page(client, peer, thread, reply_factory):
    posts = [reply_factory(thread=thread, author=peer, body=f"r{n}") for n in range(30)]
    response = client.get(f"/p/{posts[-1].id}/")
    assert response["Location"] == f"{thread.get_absolute_url()}?page=2#p{posts[-1].id}"
    assert client.get(f"/p/{posts[0].id}/")["Location"] == f"{thread.get_absolute_url()}#p{posts[0].id}"


def test_reading_position_bad_inputs(client, other_client, other_peer, peer, thread, board, reply_factory):
    from forum.models import ThreadRead

    other_thread = services.thread_create(board=board, author=peer, title="Another thread", body="Elsewhere")
    elsewhere = other_thread.posts.get().id
    assert other_client.get(f"/t/{thread.id}/read/").status_code == 405
    assert client.post(f"/t/{thread.id}/read/", {"post": thread.posts.get().id}).status_code == 403  # a visitor
    for bad in ("", "x", "-3", "99999999999999999999999", str(elsewhere)):
        assert other_client.post(f"/t/{thread.id}/read/", {"post": bad}).status_code == 400, bad
    assert other_client.post("/t/999999/read/", {"post": elsewhere}).status_code == 404
    assert not ThreadRead.objects.filter(peer=other_peer).exists()
