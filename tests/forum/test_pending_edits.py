"""Edits keep what was approved: an edit that screening would hold waits for a moderator as a PendingEdit,
and the approved text stays public until a moderator approves the edit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from forum import permissions, services
from forum.models import PendingEdit, Post
from moderation import services as moderation_services
from moderation.models import QueueItem, Target

APPROVED_TEXT = "Dilute the sample first, then dip the strip."
HELD_TEXT = "Dilute first. Or text me on 555-0134 for strips."


@pytest.fixture(autouse=True)
def _publish_without_screening():
    """Screening as in production (tests/forum/conftest.py turns it off for the other forum tests)."""


@pytest.fixture
def post(peer, thread_factory) -> Post:
    return thread_factory(author=peer, title="Strips, step by step", body=APPROVED_TEXT).posts.get()


def _item(pending: PendingEdit) -> QueueItem:
    return QueueItem.objects.get(target_kind=Target.EDIT, target_id=pending.pk, status=QueueItem.Status.OPEN)


def _public_text(post: Post) -> str:
    return Client().get(post.thread.get_absolute_url()).content.decode()


def test_an_edit_that_would_be_held_waits_and_the_approved_text_stays_public(peer, post, other_peer):
    assert services.post_edit(post=post, by=peer, body=HELD_TEXT) is True
    post.refresh_from_db()
    assert post.body == APPROVED_TEXT and post.moderation_status == "approved" and post.edited_at is None
    pending = post.pending_edit
    assert pending.body == HELD_TEXT and "contact details" in pending.reason
    assert _item(pending).held
    page = _public_text(post)
    assert "then dip the strip" in page and "555-0134" not in page
    other = Client()
    other.force_login(other_peer)
    assert "555-0134" not in other.get(post.thread.get_absolute_url()).content.decode()
    assert "waiting for a moderator" in peer.notifications.first().text


def test_the_author_sees_the_edit_waiting_and_can_withdraw_it(auth_client, peer, post):
    services.post_edit(post=post, by=peer, body=HELD_TEXT)
    thread_page = auth_client.get(post.thread.get_absolute_url()).content.decode()
    assert "Your edit is waiting for a moderator" in thread_page and "555-0134" not in thread_page
    edit_page = auth_client.get(f"/p/{post.pk}/edit/").content.decode()
    assert "Your edit is waiting for a moderator" in edit_page and "555-0134" in edit_page
    pending = post.pending_edit
    response = auth_client.post(f"/p/{post.pk}/edit/withdraw/")
    assert response.status_code == 302
    assert not PendingEdit.objects.exists()
    assert not QueueItem.objects.filter(target_kind=Target.EDIT, target_id=pending.pk, status="open").exists()
    post.refresh_from_db()
    assert post.body == APPROVED_TEXT
    assert services.pending_edit_withdraw(post=post, by=peer) is False  # nothing left to withdraw


def test_someone_else_can_neither_edit_nor_withdraw(peer, other_peer, post, other_client):
    services.post_edit(post=post, by=peer, body=HELD_TEXT)
    with pytest.raises(PermissionDenied, match=permissions.MSG_NOT_YOUR_POST):
        services.post_edit(post=post, by=other_peer, body="Mine now")
    assert other_client.post(f"/p/{post.pk}/edit/", {"body": "Mine now"}).status_code == 403
    assert other_client.post(f"/p/{post.pk}/edit/withdraw/").status_code == 403
    assert Client().post(f"/p/{post.pk}/edit/withdraw/").status_code == 403
    assert PendingEdit.objects.get().body == HELD_TEXT


@pytest.mark.parametrize(
    "body, message",
    [("", services.MSG_BODY_EMPTY), ("   \n ", services.MSG_BODY_EMPTY), ("x" * 20_001, services.MSG_BODY_TOO_LONG),
     ("\u200b\u200b\u2060", None)],
    ids=["empty", "blank", "too long", "invisible only"],
)
def test_a_bad_edit_is_refused_and_writes_nothing(auth_client, peer, post, body, message):
    response = auth_client.post(f"/p/{post.pk}/edit/", {"body": body})
    assert response.status_code == 400
    if message:
        assert message.replace("'", "&#x27;") in response.content.decode()
    with pytest.raises(ValidationError):
        services.post_edit(post=post, by=peer, body=body)
    post.refresh_from_db()
    assert post.body == APPROVED_TEXT and not PendingEdit.objects.exists() and not post.revisions.exists()


def test_a_second_held_edit_replaces_the_waiting_one(peer, post):
    services.post_edit(post=post, by=peer, body=HELD_TEXT)
    first = post.pending_edit
    first_item = _item(first)
    services.post_edit(post=post, by=peer, body="Now call 555-0199 instead.")
    second = PendingEdit.objects.get()
    assert second.body == "Now call 555-0199 instead." and second.pk != first.pk
    first_item.refresh_from_db()
    assert first_item.status == "resolved" and _item(second).held  # one waiting edit, one open item


def test_an_edit_that_passes_replaces_the_text_and_drops_the_waiting_one(peer, post):
    services.post_edit(post=post, by=peer, body=HELD_TEXT)
    services.post_edit(post=post, by=peer, body="Dilute first, always.")
    post.refresh_from_db()
    assert post.body == "Dilute first, always." and post.edited_at is not None
    assert not PendingEdit.objects.exists()
    assert list(post.revisions.values_list("body", flat=True)) == [APPROVED_TEXT]


def test_a_moderator_approves_the_edit_from_the_queue_with_a_word_diff(peer, post, moderator, moderator_client):
    services.post_edit(post=post, by=peer, body=HELD_TEXT + " <script>")
    item = _item(post.pending_edit)
    page = moderator_client.get(f"/mod/item/{item.pk}/").content.decode()
    assert "<del>" in page and "<ins>" in page and "&lt;script&gt;" in page and "<script>" not in page.split("<main")[-1]
    assert moderator_client.get("/mod/").status_code == 200
    response = moderator_client.post(f"/mod/item/{item.pk}/", {"content_action": "approve"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body == HELD_TEXT + " <script>" and post.edited_at is not None and not PendingEdit.objects.exists()
    assert list(post.revisions.values_list("body", flat=True)) == [APPROVED_TEXT]
    assert "555-0134" in _public_text(post)
    assert "approved" in peer.notifications.first().text


def test_a_moderator_rejects_the_edit_and_the_approved_text_stays(peer, post, moderator):
    services.post_edit(post=post, by=peer, body=HELD_TEXT)
    item = _item(post.pending_edit)
    moderation_services.item_decide(item=item, moderator=moderator, content_action="hide", reason="contact details",
                                    category="personal_info")
    post.refresh_from_db()
    assert post.body == APPROVED_TEXT and post.moderation_status == "approved" and not PendingEdit.objects.exists()
    assert "then dip the strip" in _public_text(post)
    item.refresh_from_db()
    assert not item.is_open


def test_a_held_title_edit_waits_and_the_approved_title_stays(auth_client, peer, post):
    response = auth_client.post(f"/p/{post.pk}/edit/", {"title": "Strips: text 555-0134", "body": APPROVED_TEXT})
    assert response.status_code == 302
    post.thread.refresh_from_db()
    assert post.thread.title == "Strips, step by step"
    assert PendingEdit.objects.get().title == "Strips: text 555-0134"
    assert "555-0134" not in Client().get(post.thread.board.get_absolute_url()).content.decode()


def test_a_title_only_goes_with_the_first_post(peer, post, other_peer):
    reply = services.post_create(thread=post.thread, author=peer, body="A reply.")
    with pytest.raises(ValidationError, match=services.MSG_TITLE_FIRST_POST_ONLY):
        services.post_edit(post=reply, by=peer, body="A reply.", title="New title")


def test_the_edit_page_says_what_saving_will_do(auth_client, post, peer, settings):
    assert "your edit waits for a moderator" in auth_client.get(f"/p/{post.pk}/edit/").content.decode()
    settings.MODERATION_TRUST_MIN_POSTS = 3  # the author is now a new account: every edit waits
    settings.MODERATION_TRUST_MIN_AGE_HOURS = 24
    assert "so your edit will wait for a moderator" in auth_client.get(f"/p/{post.pk}/edit/").content.decode()


def test_an_edit_of_a_post_still_held_replaces_what_waits(peer, thread_factory):
    held = thread_factory(author=peer, title="Meet up", body="call 555-0134").posts.get()
    assert held.is_pending
    services.post_edit(post=held, by=peer, body="Meet up at the drop-in instead.")
    held.refresh_from_db()
    assert held.is_pending and held.body == "Meet up at the drop-in instead." and not PendingEdit.objects.exists()


def test_deleting_the_post_drops_its_waiting_edit(peer, post):
    services.post_edit(post=post, by=peer, body=HELD_TEXT)
    pending = post.pending_edit
    services.post_delete(post=post, by=peer)
    assert not PendingEdit.objects.exists()
    assert not QueueItem.objects.filter(target_kind=Target.EDIT, target_id=pending.pk, status="open").exists()


@pytest.mark.parametrize("title", ["", "ab", "x" * 141], ids=["empty", "too short", "too long"])
def test_a_bad_title_edit_is_refused_and_writes_nothing(auth_client, post, title):
    response = auth_client.post(f"/p/{post.pk}/edit/", {"title": title, "body": "A new body."})
    assert response.status_code == 400 and services.MSG_TITLE_LENGTH in response.content.decode()
    post.refresh_from_db()
    post.thread.refresh_from_db()
    assert post.body == APPROVED_TEXT and post.thread.title == "Strips, step by step" and not PendingEdit.objects.exists()


def test_a_title_edit_that_passes_renames_the_thread(auth_client, post):
    assert auth_client.post(f"/p/{post.pk}/edit/", {"title": "Strips, one step at a time", "body": APPROVED_TEXT}).status_code == 302
    post.thread.refresh_from_db()
    assert post.thread.title == "Strips, one step at a time" and not PendingEdit.objects.exists()
