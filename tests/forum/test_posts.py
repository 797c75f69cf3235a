"""Editing with history, deleting with a placeholder, content warnings, quotes, moderation."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils.html import escape

from forum import permissions, services
from forum.models import Post, PostRevision
from moderation.models import ModerationStatus
from moderation.screening import Screening


@pytest.fixture
def post(thread):
    return thread.posts.get()


def test_author_edits_and_the_old_text_goes_to_history(auth_client, post):
    response = auth_client.post(f"/p/{post.id}/edit/", {"body": "Dilute **first**, then dip.", "content_warning": ""})
    assert response.status_code == 302 and response["Location"].endswith(f"#p{post.id}")
    post.refresh_from_db()
    assert post.body_html == "<p>Dilute <strong>first</strong>, then dip.</p>"
    assert post.edited_at is not None
    assert list(post.revisions.values_list("body", flat=True)) == ["Dilute the sample first."]
    history = auth_client.get(f"/p/{post.id}/history/").content.decode()
    assert "Dilute the sample first." in history


def test_saving_the_same_text_makes_no_revision(peer, post):
    assert services.post_edit(post=post, by=peer, body=post.body) is False
    assert not PostRevision.objects.exists()


def test_history_is_for_author_and_moderators_only(peer, other_client, moderator_client, post):
    services.post_edit(post=post, by=peer, body="changed")
    assert moderator_client.get(f"/p/{post.id}/history/").status_code == 200
    response = other_client.get(f"/p/{post.id}/history/")
    assert response.status_code == 403
    assert escape(permissions.MSG_HISTORY_PRIVATE) in response.content.decode()
    assert Client().get(f"/p/{post.id}/history/").status_code == 302  # visitors go to log in


def test_only_the_author_may_edit_or_delete(other_client, post):
    for path in (f"/p/{post.id}/edit/", f"/p/{post.id}/delete/"):
        response = other_client.post(path, {"body": "hijack"})
        assert response.status_code == 403
        assert escape(permissions.MSG_NOT_YOUR_POST) in response.content.decode()
    post.refresh_from_db()
    assert post.body == "Dilute the sample first." and post.deleted_at is None


def test_bad_edit_is_refused_and_changes_nothing(auth_client, post):
    response = auth_client.post(f"/p/{post.id}/edit/", {"body": "  "})
    assert response.status_code == 400
    assert escape(services.MSG_BODY_EMPTY) in response.content.decode()
    post.refresh_from_db()
    assert post.body == "Dilute the sample first." and not post.revisions.exists()


def test_delete_leaves_a_placeholder_and_forgets_the_text(auth_client, peer, thread, post, other_peer, reply_factory):
    reply = reply_factory(thread=thread, author=peer, body="secret detail")
    services.post_edit(post=reply, by=peer, body="secret detail, edited")
    services.reaction_add(post=reply, peer=other_peer, kind="support")
    response = auth_client.post(f"/p/{reply.id}/delete/")
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.deleted_at and reply.body == "" and reply.body_html == ""
    assert not reply.revisions.exists() and not reply.reactions.exists()
    page = Client().get(thread.get_absolute_url()).content.decode()
    assert f'id="p{reply.id}"' in page
    assert "This post was deleted by the person who wrote it." in page
    assert "secret detail" not in page
    thread.refresh_from_db()
    assert thread.reply_count == 0
    assert services.post_delete(post=reply, by=peer) is False
    assert auth_client.post(f"/p/{reply.id}/edit/", {"body": "back"}).status_code == 403


def test_content_warning_folds_the_post(auth_client, thread, client):
    auth_client.post(f"/t/{thread.id}/reply/", {"body": "It was a hard night.", "content_warning": "overdose"})
    post = Post.objects.latest("id")
    assert post.content_warning == "overdose"
    page = client.get(thread.get_absolute_url()).content.decode()
    assert '<details class="content-warning">' in page
    assert "Content warning: overdose" in page
    assert "<details class=\"content-warning\" open" not in page


def test_too_long_content_warning_is_refused(auth_client, thread):
    response = auth_client.post(f"/t/{thread.id}/reply/", {"body": "x", "content_warning": "w" * 101})
    assert response.status_code == 400
    assert escape(services.MSG_CONTENT_WARNING_TOO_LONG) in response.content.decode()
    assert thread.posts.count() == 1


def test_quote_prefills_the_reply_with_attribution(auth_client, post, thread):
    page = auth_client.get(f"/t/{thread.id}/reply/?quote={post.id}").content.decode()
    assert escape("> **@river** wrote:") in page
    assert escape("> Dilute the sample first.") in page


def test_quote_of_a_post_from_another_thread_is_404(auth_client, thread, thread_factory, peer):
    elsewhere = thread_factory(author=peer, title="Elsewhere").posts.get()
    assert auth_client.get(f"/t/{thread.id}/reply/?quote={elsewhere.id}").status_code == 404


def test_post_moderate_keeps_counters_right_and_is_idempotent(peer, moderator, thread, reply_factory):
    reply = reply_factory(thread=thread, author=peer, body="later")
    thread.refresh_from_db()
    assert thread.reply_count == 1
    assert services.post_moderate(post=reply, status=ModerationStatus.REJECTED, by=moderator, reason="off topic") is True
    assert services.post_moderate(post=reply, status=ModerationStatus.REJECTED, by=moderator, reason="again") is False
    thread.refresh_from_db()
    reply.refresh_from_db()
    assert thread.reply_count == 0 and thread.last_activity == thread.posts.get(pk=thread.posts.first().pk).created
    assert reply.moderated_by == moderator and reply.moderation_reason == "off topic"
    assert services.post_moderate(post=reply, status=ModerationStatus.APPROVED, by=moderator, reason="") is True
    thread.refresh_from_db()
    assert thread.reply_count == 1 and thread.last_activity == reply.created


def test_approving_a_held_post_publishes_and_notifies(peer, other_peer, moderator, thread, monkeypatch):
    monkeypatch.setattr(services, "screen", lambda **kw: Screening(ModerationStatus.PENDING, ["new account"]))
    held = services.post_create(thread=thread, author=other_peer, body="hello @river")
    assert not peer.notifications.exists()
    services.post_moderate(post=held, status=ModerationStatus.APPROVED, by=moderator)
    assert peer.notifications.filter(kind="forum_mention").count() == 1
    thread.refresh_from_db()
    assert thread.reply_count == 1


def test_removed_post_cannot_be_edited_by_its_author(peer, moderator, post):
    services.post_moderate(post=post, status=ModerationStatus.REJECTED, by=moderator, reason="sourcing")
    with pytest.raises(PermissionDenied, match=permissions.MSG_POST_REMOVED):
        services.post_edit(post=post, by=peer, body="sneaky")


def test_edit_that_screening_holds_waits_and_the_approved_text_stays(peer, thread, reply_factory, monkeypatch):
    reply = reply_factory(thread=thread, author=peer, body="fine")
    monkeypatch.setattr(services, "screen", lambda **kw: Screening(ModerationStatus.PENDING, ["contact details"]))
    services.post_edit(post=reply, by=peer, body="text me on 555-0134")
    reply.refresh_from_db()
    thread.refresh_from_db()
    assert not reply.is_pending and reply.body == "fine" and thread.reply_count == 1
    assert reply.pending_edit.body == "text me on 555-0134"


def test_moderators_lock_and_pin_others_cannot(moderator_client, other_client, thread):
    assert other_client.post(f"/t/{thread.id}/moderate/", {"action": "lock"}).status_code == 403
    assert moderator_client.post(f"/t/{thread.id}/moderate/", {"action": "lock"}).status_code == 302
    assert moderator_client.post(f"/t/{thread.id}/moderate/", {"action": "pin"}).status_code == 302
    assert moderator_client.post(f"/t/{thread.id}/moderate/", {"action": "explode"}).status_code == 400
    thread.refresh_from_db()
    assert thread.locked and thread.pinned


def test_export_includes_forum_data(peer, other_peer, thread, reply_factory):
    from django.apps import apps

    reply = reply_factory(thread=thread, author=other_peer)
    services.reaction_add(post=reply, peer=peer, kind="helpful")
    services.bookmark_set(post=reply, peer=peer, on=True)
    data = apps.get_app_config("forum").export_peer_data(peer)
    assert [p["body"] for p in data["posts"]] == ["Dilute the sample first."]
    assert data["reactions"][0]["kind"] == "helpful"
    assert data["bookmarks"][0]["post"] == reply.id
    assert data["subscriptions"][0]["thread"] == thread.id


def test_moderator_redacts_a_post_and_the_original_goes_to_history(peer, moderator, post):
    assert services.post_redact(post=post, body="Dilute the sample first. [phone number removed]", by=moderator, reason="phone") is True
    post.refresh_from_db()
    assert "[phone number removed]" in post.body_html
    assert post.revisions.get().body == "Dilute the sample first."
    assert services.post_redact(post=post, body=post.body, by=moderator) is False
    with pytest.raises(PermissionDenied):
        services.post_redact(post=post, body="x", by=peer)


def test_re_approving_an_auto_hidden_post_does_not_notify_again(peer, other_peer, moderator, thread, reply_factory):
    reply = reply_factory(thread=thread, author=other_peer, body="hi @river")
    assert peer.notifications.count() == 1
    services.post_moderate(post=reply, status=ModerationStatus.PENDING, by=None, reason="hidden after reports")
    thread.refresh_from_db()
    assert thread.reply_count == 0
    services.post_moderate(post=reply, status=ModerationStatus.APPROVED, by=moderator, reason="fine")
    assert peer.notifications.count() == 1


def test_posts_by_others_have_a_report_link(other_client, post):
    page = other_client.get(post.thread.get_absolute_url()).content.decode()
    assert f"?target=post:{post.id}" in page
