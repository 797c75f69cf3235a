import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django.utils.html import escape

from moderation import services
from moderation.models import Action, LogEntry, ModerationStatus, QueueItem, Report, Sanction
from peers.models import Notification
from tests.conftest import make_peer

MOD_PAGES = ["/mod/", "/mod/dashboard/", "/mod/appeals/", "/mod/patterns/"]


@pytest.mark.parametrize("path", MOD_PAGES)
def test_mod_pages_are_403_for_members(auth_client, path):
    response = auth_client.get(path)
    assert response.status_code == 403
    assert escape(services.MSG_MODERATORS_ONLY) in response.content.decode()


@pytest.mark.parametrize("path", MOD_PAGES)
def test_mod_pages_are_403_for_visitors(client, db, path):
    assert client.get(path).status_code == 403


def test_member_cannot_act_on_an_item(auth_client, other_peer, post_factory):
    post = post_factory(author=other_peer, body="call 555-0134")
    item = QueueItem.objects.get()
    response = auth_client.post(f"/mod/item/{item.pk}/", {"content_action": "approve"})
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.moderation_status == ModerationStatus.PENDING and not LogEntry.objects.exists()


def test_queue_lists_held_and_reported_items_oldest_first(moderator_client, peer, other_peer, post_factory, message_factory):
    held = post_factory(author=peer, body="text me 555-0134")  # in the queue from the moment it is held
    reported = message_factory(author=other_peer)
    services.report_create(reporter=make_peer(), target_ref=f"message:{reported.pk}", reason="harassment")
    page = moderator_client.get("/mod/").content.decode()
    assert page.index(f"Post #{held.pk}") < page.index(f"Room message #{reported.pk}")
    assert "may contain contact details" in page and "reported for harassment" in page and "1 report" in page


def test_queue_query_count_does_not_grow_per_item(moderator_client, django_assert_max_num_queries, other_peer, post_factory, message_factory):
    from django.test.utils import CaptureQueriesContext

    def add_items(count):
        for index in range(count):
            post_factory(author=make_peer(), body=f"call 555-01{index:02d}")
            message = message_factory(author=other_peer)
            services.report_create(reporter=make_peer(), target_ref=f"message:{message.pk}", reason="spam")

    add_items(1)
    with CaptureQueriesContext(connection) as few:
        moderator_client.get("/mod/")
    add_items(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert moderator_client.get("/mod/").status_code == 200


def test_item_page_shows_context_reasons_and_history(moderator_client, moderator, peer, other_peer, thread, post_factory):
    post = post_factory(author=other_peer, body="ask me privately for more")
    services.sanction_apply(peer=other_peer, action=Action.WARN, moderator=moderator, reason="be kind")
    services.report_create(reporter=peer, target_ref=f"post:{post.pk}", reason="sourcing", text="selling in replies")
    item = QueueItem.objects.get()
    page = moderator_client.get(f"/mod/item/{item.pk}/").content.decode()
    assert "How do you use them?" in page  # the post before it
    assert "ask me privately for more" in page and "selling in replies" in page and "sourcing or selling" in page
    assert "1 warning" in page


def _held_item(author, post_factory, body="call 555-0134"):
    post = post_factory(author=author, body=body)
    return post, QueueItem.objects.get(target_kind="post", target_id=post.pk)


def test_approve_a_held_post(moderator_client, moderator, peer, post_factory):
    post, item = _held_item(peer, post_factory)
    response = moderator_client.post(f"/mod/item/{item.pk}/", {"content_action": "approve"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.moderation_status == ModerationStatus.APPROVED and post.moderated_by == moderator
    entry = LogEntry.objects.get()
    assert (entry.action, entry.actor, entry.target_id, entry.subject) == (Action.APPROVE, moderator, post.pk, peer)
    assert Notification.objects.filter(recipient=peer, text__contains="approved").exists()
    item.refresh_from_db()
    assert item.status == QueueItem.Status.RESOLVED and item.first_reviewed_at is not None


@pytest.mark.parametrize(("action", "word"), [(Action.HIDE, "hidden"), (Action.DELETE, "removed")])
def test_hide_or_delete_a_reported_post(db, moderator, peer, other_peer, post_factory, action, word):
    post = post_factory(author=other_peer)
    services.report_create(reporter=peer, target_ref=f"post:{post.pk}", reason="dangerous_advice")
    services.item_decide(item=QueueItem.objects.get(), moderator=moderator, content_action=action, reason="unsafe dosing advice")
    post.refresh_from_db()
    assert post.moderation_status == ModerationStatus.REJECTED
    assert LogEntry.objects.get().action == action
    notice = Notification.objects.filter(recipient=other_peer, text__contains=word).get()
    assert "unsafe dosing advice" in notice.text
    assert Report.objects.get().closed_at is not None


def test_hide_a_room_message(db, moderator, peer, other_peer, message_factory):
    message = message_factory(author=other_peer)
    services.report_create(reporter=peer, target_ref=f"message:{message.pk}", reason="harassment")
    services.item_decide(item=QueueItem.objects.get(), moderator=moderator, content_action=Action.HIDE, reason="harassment")
    message.refresh_from_db()
    assert message.moderation_status == ModerationStatus.REJECTED and message.moderated_by == moderator


def test_approve_a_held_room_message(db, moderator, peer, message_factory):
    message = message_factory(author=peer, body="my number 555-0134 if anyone wants to talk")
    services.item_decide(item=QueueItem.objects.get(), moderator=moderator, content_action=Action.APPROVE)
    message.refresh_from_db()
    assert message.moderation_status == ModerationStatus.APPROVED


def test_dismissing_reports_keeps_the_post(db, moderator, peer, other_peer, post_factory):
    post = post_factory(author=other_peer)
    services.report_create(reporter=peer, target_ref=f"post:{post.pk}", reason="spam")
    services.item_decide(item=QueueItem.objects.get(), moderator=moderator, content_action=Action.APPROVE)
    post.refresh_from_db()
    assert post.moderation_status == ModerationStatus.APPROVED
    assert LogEntry.objects.get().action == Action.DISMISS


def test_redact_edits_out_personal_information_from_a_post(db, moderator, peer, post_factory):
    post, item = _held_item(peer, post_factory, body="I can help, call 555-0134")
    assert services.redact_suggestion(post.body) == f"I can help, call {services.REDACTED}"
    services.item_decide(item=item, moderator=moderator, content_action=Action.REDACT, reason="phone number",
                         redacted_body=services.redact_suggestion(post.body))
    post.refresh_from_db()
    assert "555-0134" not in post.body and "555-0134" not in post.body_html
    assert post.moderation_status == ModerationStatus.APPROVED
    assert LogEntry.objects.get().action == Action.REDACT


def test_redact_edits_out_personal_information_from_a_room_message(db, moderator, peer, message_factory):
    message = message_factory(author=peer, body="text me on 555-0134 if you want to talk")
    item = QueueItem.objects.get(target_kind="message", target_id=message.pk)
    services.item_decide(item=item, moderator=moderator, content_action=Action.REDACT, reason="phone number",
                         redacted_body=services.redact_suggestion(message.body))
    message.refresh_from_db()
    assert "555-0134" not in message.body and "555-0134" not in message.body_html
    assert message.moderation_status == ModerationStatus.APPROVED
    assert LogEntry.objects.get().action == Action.REDACT


@pytest.mark.parametrize(("sanction", "hours", "kind", "blocks"), [
    (Action.WARN, None, "warn", False), (Action.MUTE, 24, "mute", True), (Action.SUSPEND, 72, "suspend", True), (Action.BAN, None, "ban", True),
])
def test_sanctions_from_the_queue(moderator_client, moderator, peer, other_peer, post_factory, sanction, hours, kind, blocks):
    post = post_factory(author=other_peer)
    services.report_create(reporter=peer, target_ref=f"post:{post.pk}", reason="harassment")
    item = QueueItem.objects.get()
    data = {"content_action": "hide", "sanction": sanction, "reason": "harassing a member"}
    if hours:
        data["hours"] = str(hours)
    assert moderator_client.post(f"/mod/item/{item.pk}/", data).status_code == 302
    record = Sanction.objects.get(peer=other_peer)
    assert record.kind == kind
    if hours:
        assert abs((record.ends - timezone.now()) - timedelta(hours=hours)) < timedelta(minutes=1)
    assert list(LogEntry.objects.order_by("id").values_list("action", flat=True)) == [Action.HIDE, sanction]
    from moderation.sanctions import active_restriction

    assert (active_restriction(other_peer) is not None) is blocks
    assert Notification.objects.filter(recipient=other_peer, text__contains="harassing a member").count() == 2


def test_sanction_on_a_reported_member(db, moderator, peer, other_peer):
    services.report_create(reporter=peer, target_ref=f"user:{other_peer.username}", reason="harassment")
    services.item_decide(item=QueueItem.objects.get(), moderator=moderator, sanction=Action.SUSPEND, hours=24, reason="threats")
    entry = LogEntry.objects.get()
    assert (entry.action, entry.target_kind, entry.subject) == (Action.SUSPEND, "user", other_peer)


@pytest.mark.parametrize(("data", "message"), [
    ({}, services.MSG_UNKNOWN_ACTION),
    ({"content_action": "hide"}, services.MSG_REASON_REQUIRED),
    ({"content_action": "hide", "sanction": "mute", "reason": "spam"}, services.MSG_DURATION_REQUIRED),
    ({"content_action": "redact", "reason": "phone"}, services.MSG_REDACT_NEEDS_TEXT),
])
def test_bad_decisions_are_refused_and_write_nothing(moderator_client, peer, post_factory, data, message):
    post, item = _held_item(peer, post_factory)
    response = moderator_client.post(f"/mod/item/{item.pk}/", data)
    assert response.status_code == 400
    assert escape(message) in response.content.decode()
    item.refresh_from_db()
    assert item.is_open and not LogEntry.objects.exists() and not Sanction.objects.exists()


def test_moderator_cannot_act_on_their_own_content(moderator_client, moderator, peer, post_factory):
    post = post_factory(author=moderator)
    services.report_create(reporter=peer, target_ref=f"post:{post.pk}", reason="spam")
    item = QueueItem.objects.get()
    response = moderator_client.post(f"/mod/item/{item.pk}/", {"content_action": "hide", "reason": "x"})
    assert response.status_code == 403 and escape(services.MSG_SELF_SANCTION) in response.content.decode()


def test_second_moderator_gets_already_resolved(client, moderator, second_moderator, peer, post_factory):
    post, item = _held_item(peer, post_factory)
    services.item_decide(item=item, moderator=moderator, content_action=Action.APPROVE)
    client.force_login(second_moderator)
    response = client.post(f"/mod/item/{item.pk}/", {"content_action": "hide", "sanction": "ban", "reason": "no"})
    assert response.status_code == 409
    assert escape(services.MSG_ALREADY_RESOLVED) in response.content.decode()
    post.refresh_from_db()
    assert post.moderation_status == ModerationStatus.APPROVED
    assert LogEntry.objects.count() == 1 and not Sanction.objects.exists()


def test_stale_item_object_is_refused(db, moderator, second_moderator, peer, post_factory):
    post, item = _held_item(peer, post_factory)
    stale = QueueItem.objects.get(pk=item.pk)
    services.item_decide(item=item, moderator=moderator, content_action=Action.HIDE, reason="contact details")
    with pytest.raises(services.AlreadyResolved):
        services.item_decide(item=stale, moderator=second_moderator, content_action=Action.APPROVE)
    assert LogEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_moderators_at_once_one_action_one_already_resolved(moderator, second_moderator, peer, post_factory):
    post, item = _held_item(peer, post_factory)
    barrier, outcomes = threading.Barrier(2), []

    def act(mod, action):
        try:
            barrier.wait(timeout=5)
            services.item_decide(item=QueueItem.objects.get(pk=item.pk), moderator=mod, content_action=action, reason="r")
            outcomes.append("done")
        except services.AlreadyResolved:
            outcomes.append("already")
        except Exception as error:  # SQLite may refuse a concurrent writer outright: also "nothing changed"
            outcomes.append(f"refused:{type(error).__name__}")
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(moderator, Action.APPROVE)), threading.Thread(target=act, args=(second_moderator, Action.HIDE))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert outcomes.count("done") == 1, outcomes
    assert LogEntry.objects.count() == 1
    item.refresh_from_db()
    assert item.status == QueueItem.Status.RESOLVED


def test_every_decision_writes_an_audit_row(db, moderator, peer, other_peer, post_factory, message_factory):
    actions = [(Action.APPROVE, ""), (Action.HIDE, ""), (Action.DELETE, ""), (Action.DISMISS, "")]
    for content_action, _ in actions:
        post = post_factory(author=other_peer)
        services.report_create(reporter=peer, target_ref=f"post:{post.pk}", reason="spam")
        item = QueueItem.objects.get(status="open")
        services.item_decide(item=item, moderator=moderator, content_action=content_action, reason="r")
    logged = set(LogEntry.objects.values_list("action", flat=True))
    assert logged == {Action.DISMISS, Action.HIDE, Action.DELETE}  # approving a public post is a dismissal
    assert all(e.actor == moderator and e.reason for e in LogEntry.objects.all())


def test_queue_links_to_drug_alerts_waiting_for_review(moderator_client, peer, settings):
    from safety import services as safety_services

    settings.SAFETY_ESTABLISHED_DAYS = settings.SAFETY_ESTABLISHED_POSTS = 0

    alert = safety_services.alert_create(author=peer, substance="Ketamine", summary="Strong batch reported, go slow.",
                                         region="Northside", severity="warning", source="peer")
    assert alert.moderation_status == ModerationStatus.PENDING
    page = moderator_client.get("/mod/").content.decode()
    assert f"/alerts/{alert.pk}/review/" in page and "Ketamine" in page


def test_held_item_decided_elsewhere_leaves_the_queue(db, organiser, peer, message_factory):
    from rooms import services as room_services

    message = message_factory(author=peer, body="call 555-0134")
    assert QueueItem.objects.get().is_open
    room_services.message_approve(message=message, by=organiser)  # a host approved it in the room
    item = QueueItem.objects.get()
    assert not item.is_open and item.resolution == "elsewhere"


WRITES = ("INSERT", "UPDATE", "DELETE")


def test_held_content_is_in_the_queue_the_moment_it_is_held(db, peer, other_peer, post_factory, message_factory):
    post = post_factory(author=peer, body="text me on 555-0134")
    message = message_factory(author=other_peer, body="my number is 555-0199")
    held = {(i.target_kind, i.target_id): i for i in QueueItem.objects.filter(status=QueueItem.Status.OPEN, held=True)}
    assert set(held) == {("post", post.pk), ("message", message.pk)}
    assert "may contain contact details" in held[("post", post.pk)].hold_reason and held[("post", post.pk)].subject == peer


def test_a_held_post_is_not_queued_when_its_write_rolls_back(db, peer, thread):
    from django.db import transaction

    from forum import services as forum_services

    with pytest.raises(RuntimeError), transaction.atomic():
        forum_services.post_create(thread=thread, author=peer, body="text me on 555-0134")
        raise RuntimeError("the request failed after the post was written")
    assert not QueueItem.objects.exists()


def test_moderation_pages_write_nothing_when_read(moderator_client, moderator, peer, other_peer, post_factory, message_factory, settings):
    """Opening the queue, an item, the dashboard, appeals, patterns, the log and the transparency page issues no
    INSERT, UPDATE or DELETE: held content reached the queue when it was held (there is no sync on read)."""
    from django.test.utils import CaptureQueriesContext

    from safety import services as safety_services

    settings.SAFETY_ESTABLISHED_DAYS = settings.SAFETY_ESTABLISHED_POSTS = 0
    held_post = post_factory(author=peer, body="text me on 555-0134")
    held_message = message_factory(author=other_peer, body="call me 555-0199")
    reported = message_factory(author=other_peer)
    services.report_create(reporter=peer, target_ref=f"message:{reported.pk}", reason="harassment")
    alert = safety_services.alert_create(author=peer, substance="Ketamine", summary="Strong batch, go slow.",
                                         region="Northside", severity="warning", source="peer")
    entry = services.sanction_apply(peer=other_peer, action=Action.WARN, moderator=moderator, reason="be kind").log_entry
    services.appeal_create(appellant=other_peer, log_entry=entry, text="I was quoting someone else.")
    moderator_client.get("/appeal/")  # the session and the role cache warmed: what is left is each page's own
    pages = [*MOD_PAGES, "item", "/mod/log/", "/transparency/", "/appeal/"]
    for path in pages:
        if path == "item":  # the held post's item, looked up once the queue has been read
            item = QueueItem.objects.filter(target_kind="post", target_id=held_post.pk).first()
            path = f"/mod/item/{item.pk}/"
        with CaptureQueriesContext(connection) as queries:
            response = moderator_client.get(path)
        assert response.status_code == 200, path
        writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]
        assert writes == [], path
    queue = moderator_client.get("/mod/").content.decode()
    assert f"Post #{held_post.pk}" in queue and f"Room message #{held_message.pk}" in queue
    assert f"/alerts/{alert.pk}/review/" in queue


def test_held_message_deleted_with_its_room_leaves_the_queue_unless_reported(db, peer, other_peer, room, message_factory):
    from rooms import services as room_services

    held = message_factory(author=peer, body="call 555-0134")
    reported = message_factory(author=other_peer, body="you are all idiots")
    services.report_create(reporter=make_peer(), target_ref=f"message:{reported.pk}", reason="harassment")
    room_services.room_delete(room=room)
    held_item = QueueItem.objects.get(target_kind="message", target_id=held.pk)
    assert not held_item.is_open and held_item.resolution == "elsewhere"
    assert QueueItem.objects.get(target_kind="message", target_id=reported.pk).is_open  # a report keeps it, with a copy


def test_held_content_from_before_is_queued_by_the_migration(db, peer, post_factory, message_factory):
    """Data migrations forum 0010 and rooms 0006: held posts and messages that no queue item points at yet
    (the queue page used to open them) get one; running it again adds nothing."""
    from django.apps import apps

    from moderation.queue import held_items_backfill

    post = post_factory(author=peer, body="text me 555-0134")
    message = message_factory(author=peer, body="call 555-0199")
    QueueItem.objects.all().delete()  # as they were before issue 15
    assert held_items_backfill(apps, model="forum.Post", kind="post") == 1
    assert held_items_backfill(apps, model="rooms.Message", kind="message") == 1
    assert held_items_backfill(apps, model="forum.Post", kind="post") == 0
    items = {(i.target_kind, i.target_id): i for i in QueueItem.objects.all()}
    assert set(items) == {("post", post.pk), ("message", message.pk)}
    assert items[("post", post.pk)].held and items[("post", post.pk)].subject == peer and items[("post", post.pk)].created == post.created
