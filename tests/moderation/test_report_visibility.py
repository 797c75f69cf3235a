"""Reporting goes through the same visibility rules as reading, and an open report keeps nothing alive past
its purge but a copy for the moderators (issue 13, item 3)."""

import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from forum import services as forum_services
from helpnow import services as help_services
from moderation import services
from moderation import models as moderation_models
from moderation.models import Action, ModerationStatus, QueueItem, Report
from moderation.targets import MSG_BAD_TARGET
from peers import roles
from rooms import services as room_services
from rooms.models import Message, Room
from tests.conftest import make_peer

BAD = escape(MSG_BAD_TARGET)


def _client(peer) -> Client:
    client = Client()
    client.force_login(peer)
    return client


def _report(client, target: str, reason: str = "harassment"):
    return client.post("/report/", {"target": target, "reason": reason, "text": ""})


@pytest.fixture
def conversation(db, peer):
    """A private help conversation between `peer` and a supporter, with one message from the supporter."""
    supporter = make_peer(roles.SUPPORTER, username="sup-lee")
    help_services.duty_set(supporter=supporter, on=True)
    help_request = help_services.request_create(requester=peer)
    help_services.request_claim(help_request=help_request, supporter=supporter)
    message = room_services.message_store(room=help_request.room, author=supporter, body="something that felt off")
    return help_request, message


@pytest.mark.django_db
def test_nobody_outside_a_private_help_conversation_can_report_its_messages(conversation, other_peer):
    help_request, message = conversation
    outsider = _client(other_peer)
    page = outsider.get("/report/", {"target": f"message:{message.pk}"}).content.decode()
    assert help_request.room.title not in page.split("<h1>")[1] and BAD in page
    response = _report(outsider, f"message:{message.pk}")
    assert response.status_code == 400 and BAD in response.content.decode()
    assert not Report.objects.exists() and not QueueItem.objects.exists()


@pytest.mark.django_db
def test_the_person_in_the_conversation_can_report_its_messages(conversation, peer):
    _, message = conversation
    assert _report(_client(peer), f"message:{message.pk}").status_code == 302
    assert Report.objects.filter(target_id=message.pk).exists()


@pytest.mark.django_db
def test_an_invite_only_rooms_title_is_not_shown_to_someone_not_invited(organiser, peer, other_peer):
    room = room_services.room_create(slug="circle", title="Tuesday circle for mums", host=organiser,
                                     visibility=Room.Visibility.INVITED, status=Room.Status.LIVE, invited=[peer])
    message = room_services.message_store(room=room, author=peer, body="hello")
    page = _client(other_peer).get("/report/", {"target": f"message:{message.pk}"}).content.decode()
    assert "Tuesday circle" not in page and BAD in page
    assert _report(_client(other_peer), f"message:{message.pk}").status_code == 400
    assert "Tuesday circle" in _client(organiser).get("/report/", {"target": f"message:{message.pk}"}).content.decode()


@pytest.mark.django_db
def test_a_held_threads_title_is_not_shown_through_the_report_form(board, peer, other_peer, moderator):
    thread = forum_services.thread_create(board=board, author=peer, title="Selling bars cheap", body="dm me")
    first = thread.posts.get()
    forum_services.post_moderate(post=first, status=ModerationStatus.PENDING, by=None, reason="held")
    reply = forum_services.post_create(thread=thread, author=moderator, body="A reply nobody can reach yet")
    for target in (f"post:{first.pk}", f"post:{reply.pk}"):
        page = _client(other_peer).get("/report/", {"target": target}).content.decode()
        assert "Selling bars" not in page and BAD in page
        assert _report(_client(other_peer), target, reason="sourcing").status_code == 400
    assert "Selling bars" in _client(moderator).get("/report/", {"target": f"post:{reply.pk}"}).content.decode()
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_post_in_a_members_board_can_be_reported_by_members(members_board, peer, other_peer):
    thread = forum_services.thread_create(board=members_board, author=peer, title="Members only talk", body="hi")
    assert _report(_client(other_peer), f"post:{thread.posts.get().pk}", reason="spam").status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [Action.MUTE, Action.SUSPEND])
def test_a_restricted_member_reports_what_they_see_up_to_the_small_allowance(peer, other_peer, moderator, board, kind, settings):
    settings.RATE_LIMITS = {"report_restricted": (1, 86400)}
    services.sanction_apply(peer=peer, action=kind, moderator=moderator, reason="cool off", hours=24)
    first = forum_services.thread_create(board=board, author=other_peer, title="One", body="one").posts.get()
    second = forum_services.thread_create(board=board, author=other_peer, title="Two", body="two").posts.get()
    client = _client(peer)
    assert _report(client, f"post:{first.pk}").status_code == 302
    refused = _report(client, f"post:{second.pk}")
    assert refused.status_code == 429 and "While your account is restricted" in refused.content.decode()


# --- what an open report keeps ------------------------------------------------------------------


@pytest.fixture
def reported_message(db, organiser, peer, other_peer):
    room = room_services.room_create(slug="support", title="Support", host=organiser, status=Room.Status.LIVE, retention_hours=2)
    message = room_services.message_store(room=room, author=other_peer, body="nobody wants you here")
    Message.objects.filter(pk=message.pk).update(created=timezone.now() - timedelta(hours=3))
    services.report_create(reporter=peer, target_ref=f"message:{message.pk}", reason="personal_info")
    return message


@pytest.mark.django_db
def test_room_retention_deletes_a_reported_message_and_moderators_keep_a_copy(reported_message, moderator, peer):
    call_command("purge_rooms", verbosity=0)
    assert not Message.objects.filter(pk=reported_message.pk).exists()
    item = QueueItem.objects.get(target_id=reported_message.pk)
    copy = moderation_models.ReportedCopy.objects.get(item=item)
    assert copy.body == "nobody wants you here"
    page = _client(moderator).get(f"/mod/item/{item.pk}/").content.decode()
    assert "nobody wants you here" in page and "copy is for moderators only" in page
    assert _client(peer).get(f"/mod/item/{item.pk}/").status_code == 403


@pytest.mark.django_db
def test_the_purge_of_the_report_takes_the_copy_with_it(reported_message, moderator, settings):
    call_command("purge_rooms", verbosity=0)
    item = QueueItem.objects.get(target_id=reported_message.pk)
    services.item_decide(item=item, moderator=moderator, content_action=Action.DISMISS)
    call_command("purge_reports", verbosity=0)
    assert moderation_models.ReportedCopy.objects.exists()  # resolved today: kept for MODERATION_REPORT_RETENTION_DAYS
    QueueItem.objects.filter(pk=item.pk).update(resolved_at=timezone.now() - timedelta(days=settings.MODERATION_REPORT_RETENTION_DAYS + 1))
    call_command("purge_reports", verbosity=0)
    assert not moderation_models.ReportedCopy.objects.exists() and not Report.objects.exists()
    assert QueueItem.objects.filter(pk=item.pk).exists()  # counted in the monthly figures, without content


@pytest.mark.django_db
def test_an_unreported_message_past_retention_leaves_no_copy(organiser, other_peer):
    room = room_services.room_create(slug="support", title="Support", host=organiser, status=Room.Status.LIVE, retention_hours=1)
    message = room_services.message_store(room=room, author=other_peer, body="bye")
    Message.objects.filter(pk=message.pk).update(created=timezone.now() - timedelta(hours=2))
    assert room_services.messages_purge().deleted == 1
    assert not moderation_models.ReportedCopy.objects.exists()


# --- purges: one bad row does not stop the others (issue 13, item 6) ----------------------------


@pytest.mark.django_db
def test_purge_rooms_goes_on_past_a_room_that_fails(organiser, other_peer, monkeypatch, caplog, capsys):
    rooms = [room_services.room_create(slug=f"room-{n}", title=f"Room {n}", host=organiser, retention_hours=1) for n in range(3)]
    for room in rooms:
        message = room_services.message_store(room=room, author=other_peer, body="old")
        Message.objects.filter(pk=message.pk).update(created=timezone.now() - timedelta(hours=2))
    real = room_services._copy_reported
    broken = rooms[1].pk

    def copy_or_fail(messages):
        if messages.filter(room_id=broken).exists():
            raise OverflowError("Python int too large to convert to SQLite INTEGER")
        return real(messages)

    monkeypatch.setattr(room_services, "_copy_reported", copy_or_fail)
    with caplog.at_level(logging.ERROR):
        call_command("purge_rooms")
    assert set(Message.objects.values_list("room_id", flat=True)) == {broken}
    assert "1 room(s) could not be purged" in capsys.readouterr().err
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "OverflowError" in logged and "room-1" not in logged and str(broken) not in logged.replace("OverflowError", "")


@pytest.mark.django_db
def test_purge_help_requests_goes_on_past_a_conversation_that_fails(peer, other_peer, monkeypatch):
    requests = []
    for person in (peer, other_peer, make_peer()):
        help_request = help_services.request_create(requester=person)
        help_services.request_end(help_request=help_request, by=person)
        requests.append(help_request)
    from helpnow.models import HelpRequest

    HelpRequest.objects.update(resolved_at=timezone.now() - timedelta(days=2))
    real = room_services.room_delete
    monkeypatch.setattr(help_services.room_services, "room_delete",
                        lambda *, room: (_ for _ in ()).throw(ValueError("bad row")) if room.pk == requests[0].room_id else real(room=room))
    assert help_services.requests_purge() == (2, 0)
    assert list(HelpRequest.objects.values_list("pk", flat=True)) == [requests[0].pk]


@pytest.mark.django_db
def test_a_retention_beyond_the_bounds_cannot_be_stored(organiser):
    from django.db import IntegrityError, transaction

    room = room_services.room_create(slug="support", title="Support", host=organiser)
    for hours in (2_000_000_000, 0):
        with pytest.raises(IntegrityError), transaction.atomic():
            Room.objects.filter(pk=room.pk).update(retention_hours=hours)
    with pytest.raises(IntegrityError), transaction.atomic():
        Room.objects.filter(pk=room.pk).update(slow_mode_seconds=10**9)


def test_a_rooms_cutoff_never_overflows_whatever_the_row_says():
    room = Room(retention_hours=2_000_000_000)
    assert room.retention_cutoff < timezone.now()
    assert Room(retention_hours=0).kept_for == timedelta(hours=1)
