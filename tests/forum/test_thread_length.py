"""The thread page pages through a stored count of approved posts plus what the reader may see beyond
them; these tests hold that count to a recount after every kind of write, and check the pages."""

import re
from datetime import timedelta

import pytest
from django.test import Client

from forum import selectors, services
from forum.models import Post, Thread
from moderation.models import ModerationStatus
from moderation.screening import Screening

HELD = Screening(ModerationStatus.PENDING, ["contact details"])


def _stored_matches_recount(thread: Thread) -> None:
    thread.refresh_from_db()
    approved = Post.objects.filter(thread=thread, moderation_status=ModerationStatus.APPROVED).count()
    assert thread.approved_post_count == approved


def _hold_next_posts(monkeypatch, held: bool) -> None:
    monkeypatch.setattr(services, "screen", lambda **kw: HELD if held else Screening())


def _post_ids_on(client: Client, url: str) -> list[int]:
    return [int(found) for found in re.findall(r'<article class="card post[^"]*" id="p(\d+)"', client.get(url).content.decode())]


def test_the_stored_count_follows_every_write(monkeypatch, peer, other_peer, moderator, board):
    thread = services.thread_create(board=board, author=peer, title="Counting posts", body="First.")
    _stored_matches_recount(thread)
    reply = services.post_create(thread=thread, author=other_peer, body="A reply.")
    _stored_matches_recount(thread)
    _hold_next_posts(monkeypatch, True)
    held = services.post_create(thread=thread, author=other_peer, body="Call me.")
    _stored_matches_recount(thread)
    assert thread.approved_post_count == 2
    services.post_edit(post=reply, by=other_peer, body="Now with my number.")  # the edit waits; the approved text stays
    _stored_matches_recount(thread)
    assert thread.approved_post_count == 2
    services.post_moderate(post=reply, status=ModerationStatus.PENDING, by=None, reason="hidden after reports")
    _stored_matches_recount(thread)
    assert thread.approved_post_count == 1
    services.post_moderate(post=held, status=ModerationStatus.APPROVED, by=moderator)
    services.post_moderate(post=reply, status=ModerationStatus.REJECTED, by=moderator)
    _stored_matches_recount(thread)
    services.post_delete(post=held, by=other_peer)  # a placeholder stays, and is counted
    _stored_matches_recount(thread)
    assert thread.approved_post_count == 2


def test_a_thread_started_held_counts_nothing_until_approved(monkeypatch, peer, moderator, board):
    _hold_next_posts(monkeypatch, True)
    thread = services.thread_create(board=board, author=peer, title="Held from the start", body="Call me.")
    _stored_matches_recount(thread)
    assert thread.approved_post_count == 0
    services.post_moderate(post=thread.posts.get(), status=ModerationStatus.APPROVED, by=moderator)
    _stored_matches_recount(thread)
    assert thread.approved_post_count == 1


@pytest.mark.parametrize("who", ["visitor", "author", "someone else", "moderator"])
def test_each_reader_pages_through_what_they_may_see(monkeypatch, peer, other_peer, moderator, board, who):
    """65 approved posts and the author's 3 held ones, one every 20: every page holds the right posts in
    order, whether counted from the start (page 1) or from the end (pages 2 and 3)."""
    thread = services.thread_create(board=board, author=peer, title="A long thread", body="Post 0.")
    for n in range(1, 68):
        _hold_next_posts(monkeypatch, n % 20 == 0)
        services.post_create(thread=thread, author=peer, body=f"Post {n}.")
    readers = {"visitor": None, "author": peer, "someone else": other_peer, "moderator": moderator}
    reader = readers[who]
    client = Client()
    if reader is not None:
        client.force_login(reader)
    posts = Post.objects.filter(thread=thread)
    if who in ("visitor", "someone else"):
        posts = posts.filter(moderation_status=ModerationStatus.APPROVED)
    expected = list(posts.order_by("id").values_list("id", flat=True))
    assert len(expected) == (65 if who in ("visitor", "someone else") else 68)
    url = thread.get_absolute_url()
    pages = [_post_ids_on(client, f"{url}?page={number}") for number in (1, 2, 3)]
    assert pages == [expected[:30], expected[30:60], expected[60:]]
    assert "Page 3 of 3" in client.get(f"{url}?page=3").content.decode()
    assert _post_ids_on(client, f"{url}?page=99") == expected[60:]  # past the end: the last page


def test_a_thread_whose_only_post_is_held_is_no_such_thread_for_others(monkeypatch, peer, other_peer, board):
    """A thread whose first post is held shows its author the post and is "no such thread" to anyone else."""
    _hold_next_posts(monkeypatch, True)
    thread = services.thread_create(board=board, author=peer, title="Only held", body="Call me.")
    other = Client()
    other.force_login(other_peer)
    response = other.get(thread.get_absolute_url())
    assert response.status_code == 404 and "Only held" not in response.content.decode()
    author = Client()
    author.force_login(peer)
    assert _post_ids_on(author, thread.get_absolute_url()) == [thread.posts.get().id]


def test_thread_for_reader_reads_the_reader_state(peer, other_peer, board):
    thread = services.thread_create(board=board, author=peer, title="State", body="First.")
    reply = services.post_create(thread=thread, author=other_peer, body="Second.")
    services.thread_mark_read(thread=thread, peer=other_peer, up_to_post_id=reply.id)
    mine = selectors.thread_for_reader(thread_id=thread.id, peer=other_peer)
    assert (mine.read_position, mine.subscribed, mine.visible_post_count) == (reply.id, True, 2)
    assert mine.board == board and mine.board.title == board.title
    assert mine.created == Thread.objects.get(pk=thread.pk).created and mine.created.tzinfo is not None
    assert mine.locked is False and mine.pinned is False
    visitor = selectors.thread_for_reader(thread_id=thread.id, peer=None)
    assert (visitor.read_position, visitor.subscribed, visitor.visible_post_count) == (None, False, 2)
    with pytest.raises(Thread.DoesNotExist):
        selectors.thread_for_reader(thread_id=thread.id + 1000, peer=peer)


def test_a_page_post_carries_what_the_page_shows(peer, other_peer, board):
    thread = services.thread_create(board=board, author=peer, title="Fields", body="**First**", content_warning="loss")
    services.bookmark_set(post=thread.posts.get(), peer=other_peer, on=True)
    services.reaction_add(post=thread.posts.get(), peer=other_peer, kind="support")
    thread = selectors.thread_for_reader(thread_id=thread.id, peer=other_peer)
    [post] = selectors.thread_posts(thread=thread, peer=other_peer)[0:30]
    stored = Post.objects.get(thread=thread)
    assert (post.id, post.author_id, post.author_name) == (stored.id, peer.id, "river")
    assert abs(post.created - stored.created) < timedelta(milliseconds=1) and post.created.tzinfo is not None
    assert post.is_edited is False
    assert post.body_html == stored.body_html and post.content_warning == "loss"
    assert post.bookmarked is True and post.mentions_overdose is False and not post.is_deleted and not post.is_pending
    assert post.reaction_rows == [("support", other_peer.id, "willow")]
    services.post_edit(post=stored, by=peer, body="**First**, edited")
    [post] = selectors.thread_posts(thread=thread, peer=other_peer)[0:30]
    assert post.is_edited is True


def test_reactions_come_oldest_first_with_their_givers(peer, peer_factory, board):
    thread = services.thread_create(board=board, author=peer, title="Reactions", body="First.")
    post = thread.posts.get()
    givers = [peer_factory(username=name) for name in ("zed", "amy", "mo")]
    for giver in givers:
        services.reaction_add(post=post, peer=giver, kind="helpful")
    services.reaction_add(post=post, peer=givers[1], kind="support")
    thread = selectors.thread_for_reader(thread_id=thread.id, peer=None)
    [shown] = selectors.thread_posts(thread=thread, peer=None)[0:30]
    assert shown.reaction_rows == [("helpful", g.id, g.username) for g in givers] + [("support", givers[1].id, "amy")]
    page = Client().get(thread.get_absolute_url()).content.decode()
    assert 'title="zed, amy, mo">Helpful <span class="reaction__count">3</span>' not in page  # visitors see no givers
    member = Client()
    member.force_login(peer)
    assert 'title="zed, amy, mo"' in member.get(thread.get_absolute_url()).content.decode()


def test_forum_recount_repairs_counts_that_drifted(monkeypatch, peer, other_peer, moderator, board):
    """A reply written by older code while migration 0009 ran never added one: the command puts every
    stored count back to what the posts say, and the thread's pages are whole again."""
    from django.core.management import call_command

    from forum.models import Board

    thread = services.thread_create(board=board, author=peer, title="Drifted", body="Post 0.")
    for n in range(1, 65):
        services.post_create(thread=thread, author=other_peer, body=f"Post {n}.")
    _hold_next_posts(monkeypatch, True)
    services.post_create(thread=thread, author=other_peer, body="Held.")
    services.post_delete(post=Post.objects.get(body="Post 5."), by=other_peer)
    expected = Thread.objects.filter(pk=thread.pk).values("approved_post_count", "reply_count", "last_activity").get()
    Thread.objects.filter(pk=thread.pk).update(approved_post_count=64, reply_count=3, last_activity=thread.created)
    Board.objects.filter(pk=board.pk).update(thread_count=7)
    call_command("forum_recount", verbosity=0)
    assert Thread.objects.filter(pk=thread.pk).values("approved_post_count", "reply_count", "last_activity").get() == expected
    assert expected["approved_post_count"] == 65 and expected["reply_count"] == 63
    board.refresh_from_db()
    assert board.thread_count == 1
    visitor = Client()
    shown = [_post_ids_on(visitor, f"{thread.get_absolute_url()}?page={number}") for number in (1, 2, 3)]
    assert sum(shown, []) == list(Post.objects.filter(thread=thread, moderation_status="approved").order_by("id").values_list("id", flat=True))


@pytest.mark.parametrize("micro", [0, 500, 999_000])
def test_a_post_made_on_the_minute_shows_that_minute(peer, board, micro):
    from datetime import datetime, UTC

    thread = services.thread_create(board=board, author=peer, title="On the minute", body="First.")
    Post.objects.filter(thread=thread).update(created=datetime(2026, 11, 25, 10, 0, 0, micro, tzinfo=UTC))
    thread = selectors.thread_for_reader(thread_id=thread.id, peer=None)
    [post] = selectors.posts_decorate(selectors.thread_posts(thread=thread, peer=None)[0:30], peer=None, thread=thread)
    assert post.created_text == "25 Nov 2026, 10:00"


def test_paged_rows_only_give_pages(peer, board):
    thread = selectors.thread_for_reader(thread_id=services.thread_create(board=board, author=peer, title="Pages", body="A.").id, peer=None)
    with pytest.raises(TypeError):
        selectors.thread_posts(thread=thread, peer=None)[0]
