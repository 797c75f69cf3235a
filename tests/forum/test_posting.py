"""Threads and replies: the happy path and every refusal, which writes nothing."""

import pytest
from django.test import Client
from django.core.exceptions import PermissionDenied
from django.utils.html import escape

from commons import limits
from forum import permissions, services
from forum.models import BODY_MAX_LENGTH, Post, Thread
from moderation.models import ModerationStatus
from moderation.screening import Screening


def _counts():
    return Thread.objects.count(), Post.objects.count()


def test_new_thread_redirects_to_it(auth_client, board):
    response = auth_client.post(f"/b/{board.slug}/new/", {"title": "Carrying naloxone", "body": "Where do you keep it?"})
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == thread.get_absolute_url()
    assert thread.posts.get().body_html == "<p>Where do you keep it?</p>"


def test_reply_redirects_to_the_new_posts_anchor(auth_client, thread):
    response = auth_client.post(f"/t/{thread.id}/reply/", {"body": "Keychain pouch."})
    post = Post.objects.latest("id")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#p{post.id}")
    thread.refresh_from_db()
    assert thread.reply_count == 1
    assert thread.last_activity == post.created


def test_reply_on_a_later_page_points_at_that_page(auth_client, thread, peer, reply_factory, settings):
    settings.RATE_LIMITS = {"forum_post_new": (100, 600)}
    for n in range(30):
        reply_factory(thread=thread, author=peer, body=f"reply {n}")
    response = auth_client.post(f"/t/{thread.id}/reply/", {"body": "On page two."})
    assert "?page=2#p" in response["Location"]


@pytest.mark.parametrize(
    "title, body, message",
    [
        ("ab", "fine", services.MSG_TITLE_LENGTH),
        ("x" * 141, "fine", services.MSG_TITLE_LENGTH),
        ("   a   ", "fine", services.MSG_TITLE_LENGTH),
        ("A good title", "   ", services.MSG_BODY_EMPTY),
        ("A good title", "x" * (BODY_MAX_LENGTH + 1), services.MSG_BODY_TOO_LONG),
    ],
)
def test_bad_thread_input_is_refused_with_a_message(auth_client, board, title, body, message):
    before = _counts()
    response = auth_client.post(f"/b/{board.slug}/new/", {"title": title, "body": body})
    assert response.status_code == 400
    assert escape(message) in response.content.decode()
    assert _counts() == before


def test_limits_are_inclusive(peer, board):
    thread = services.thread_create(board=board, author=peer, title="abc", body="x" * BODY_MAX_LENGTH)
    assert len(thread.title) == 3
    assert services.thread_create(board=board, author=peer, title="t" * 140, body="y").title == "t" * 140


@pytest.mark.parametrize("body, message", [("", services.MSG_BODY_EMPTY), ("x" * (BODY_MAX_LENGTH + 1), services.MSG_BODY_TOO_LONG)])
def test_bad_reply_is_refused(auth_client, thread, body, message):
    before = _counts()
    response = auth_client.post(f"/t/{thread.id}/reply/", {"body": body})
    assert response.status_code == 400
    assert _counts() == before
    if body:
        assert escape(message) in response.content.decode()


def test_reply_to_locked_thread_is_refused(auth_client, thread, moderator):
    services.thread_lock(thread=thread, by=moderator)
    before = _counts()
    response = auth_client.post(f"/t/{thread.id}/reply/", {"body": "Hello?"})
    assert response.status_code == 403
    assert escape(permissions.MSG_THREAD_LOCKED) in response.content.decode()
    assert _counts() == before


def test_visitor_cannot_post_or_read_members_board(client, members_board, peer, thread_factory):
    thread = thread_factory(author=peer, in_board=members_board)
    before = _counts()
    response = client.post(f"/b/{members_board.slug}/new/", {"title": "Visitor post", "body": "hi"})
    assert response.status_code == 403
    assert escape(permissions.MSG_SIGN_IN_TO_POST) in response.content.decode()
    response = client.post(f"/t/{thread.id}/reply/", {"body": "hi"})
    assert response.status_code == 403
    assert _counts() == before
    response = client.get(f"/b/{members_board.slug}/")
    assert response.status_code == 403
    assert escape(permissions.MSG_MEMBERS_ONLY) in response.content.decode()
    assert client.get(thread.get_absolute_url()).status_code == 403


def test_members_board_is_open_to_members(auth_client, members_board):
    assert auth_client.get(f"/b/{members_board.slug}/").status_code == 200
    assert auth_client.post(f"/b/{members_board.slug}/new/", {"title": "Rough week", "body": "Thanks."}).status_code == 302


def test_visitor_get_of_a_form_goes_to_login(client, board):
    response = client.get(f"/b/{board.slug}/new/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", ["/b/nope/", "/b/nope/new/", "/t/999999/", "/t/999999/reply/", "/p/999999/", "/p/999999/edit/"])
def test_unknown_board_thread_or_post_is_404(auth_client, path):
    assert auth_client.get(path).status_code == 404


def test_unknown_thread_post_is_404_and_writes_nothing(auth_client, board):
    before = _counts()
    assert auth_client.post("/t/999999/reply/", {"body": "hi"}).status_code == 404
    assert auth_client.post("/b/nope/new/", {"title": "Hello there", "body": "hi"}).status_code == 404
    assert _counts() == before


def test_thread_url_redirects_to_slug_and_keeps_page(client, thread):
    response = client.get(f"/t/{thread.id}/?page=2")
    assert response.status_code == 302
    assert response["Location"] == f"{thread.get_absolute_url()}?page=2"


@pytest.mark.parametrize("title", ["Reply", "Read", "Unread", "Subscribe", "Moderate", "Poll"])
def test_a_thread_titled_like_one_of_its_pages_opens_at_its_own_address(client, thread_factory, peer, title):
    thread = thread_factory(author=peer, title=title, body="The words of this thread.")
    assert thread.slug == f"{title.lower()}-thread"
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200 and "The words of this thread." in response.content.decode()
    board_page = client.get(thread.board.get_absolute_url()).content.decode()
    assert f'href="{thread.get_absolute_url()}"' in board_page  # the board's rows link the same address


def test_muted_peer_cannot_post(auth_client, thread, monkeypatch):
    monkeypatch.setattr(permissions, "check_can_write", _refuse)
    before = _counts()
    response = auth_client.post(f"/t/{thread.id}/reply/", {"body": "hi"})
    assert response.status_code == 403
    assert "muted" in response.content.decode()
    assert _counts() == before


def _refuse(peer):
    raise PermissionDenied("Your account is muted until tomorrow.")


def test_new_account_hits_the_stricter_limit_with_429_and_retry_time(auth_client, thread, settings):
    settings.RATE_LIMITS = {"forum_post_new": (3, 600), "forum_post": (50, 600)}  # the thread's first post counts too
    for n in range(2):
        assert auth_client.post(f"/t/{thread.id}/reply/", {"body": f"reply {n}"}).status_code == 302
    before = _counts()
    response = auth_client.post(f"/t/{thread.id}/reply/", {"body": "one too many"})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    assert "New accounts can post 3 times every 10 minutes" in response.content.decode()
    assert "Please try again in" in response.content.decode()
    assert _counts() == before
    assert auth_client.post(f"/b/{thread.board.slug}/new/", {"title": "Another", "body": "x"}).status_code == 429


def test_established_account_gets_the_higher_limit(auth_client, peer, thread, settings):
    from datetime import timedelta

    from django.utils import timezone

    peer.date_joined = timezone.now() - timedelta(days=settings.FORUM_NEW_ACCOUNT_DAYS + 1)
    peer.save(update_fields=["date_joined"])
    settings.RATE_LIMITS = {"forum_post_new": (1, 600), "forum_post": (3, 600)}
    statuses = [auth_client.post(f"/t/{thread.id}/reply/", {"body": f"r{n}"}).status_code for n in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert escape(limits.LIMITS["forum_post"].message) in auth_client.post(f"/t/{thread.id}/reply/", {"body": "x"}).content.decode()


def test_refused_input_does_not_use_up_the_limit(auth_client, thread, settings):
    settings.RATE_LIMITS = {"forum_post_new": (2, 600)}  # the thread's first post, then one reply
    for _ in range(3):
        assert auth_client.post(f"/t/{thread.id}/reply/", {"body": ""}).status_code == 400
    assert auth_client.post(f"/t/{thread.id}/reply/", {"body": "now"}).status_code == 302


def test_held_post_is_stored_pending_and_does_not_move_the_thread(auth_client, thread, monkeypatch):
    monkeypatch.setattr(services, "screen", lambda **kw: Screening(ModerationStatus.PENDING, ["contact details"]))
    auth_client.post(f"/t/{thread.id}/reply/", {"body": "call me"})
    post = Post.objects.latest("id")
    thread.refresh_from_db()
    assert post.is_pending and thread.reply_count == 0
    assert "waiting for a moderator" in auth_client.get(thread.get_absolute_url()).content.decode()
    assert "call me" not in Client().get(thread.get_absolute_url()).content.decode()
