"""Services without sockets: idempotence, retention, presence across processes."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from commons.refusals import Refusal
from rooms import selectors, services
from rooms.models import Message, Presence, Room

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(organiser):
    return services.room_create(slug="evening", title="Evening room", host=organiser, status=Room.Status.LIVE)


def test_message_send_renders_markdown_once_and_keeps_client_id(room, peer):
    message = services.message_send(room=room, author=peer, body="**bold** <script>x</script>", client_id="abc")
    assert message.body_html == "<p><strong>bold</strong> &lt;script&gt;x&lt;/script&gt;</p>"
    assert services.message_frame(message)["client_id"] == "abc"


def test_resent_client_id_is_stored_once(room, peer):
    first = services.message_send(room=room, author=peer, body="hello", client_id="same")
    again = services.message_send(room=room, author=peer, body="hello", client_id="same")
    assert first.pk == again.pk and Message.objects.count() == 1


def test_scheduled_room_refuses_messages(organiser, peer):
    room = services.room_create(slug="later", title="Later", host=organiser)
    with pytest.raises(Refusal) as refused:
        services.message_send(room=room, author=peer, body="early")
    assert refused.value.code == "room_closed" and refused.value.detail == services.ROOM_NOT_OPEN
    assert not Message.objects.exists()


def test_open_and_close_are_idempotent(organiser):
    room = services.room_create(slug="later", title="Later", host=organiser, starts_at=timezone.now() + timedelta(hours=2))
    assert services.room_open(room=room, by=organiser)
    assert not services.room_open(room=room, by=organiser)
    assert room.starts_at <= timezone.now()
    assert services.room_close(room=room, by=organiser)
    assert not services.room_close(room=room, by=organiser)


def test_presence_is_shared_through_the_database_and_stale_rows_stop_counting(room, peer, other_peer, settings):
    # Two "processes" each record their sockets; any process counts the same.
    services.presence_join(room=room, peer=peer, channel_name="proc-a!1")
    services.presence_join(room=room, peer=other_peer, channel_name="proc-b!1")
    services.presence_join(room=room, peer=peer, channel_name="proc-b!2")
    assert selectors.presence_online(room=room) == (2, ["river", "willow"])
    # proc-b died without saying goodbye: its rows go stale after the TTL
    Presence.objects.filter(channel_name__startswith="proc-b").update(seen_at=timezone.now() - timedelta(seconds=settings.ROOMS_PRESENCE_TTL + 1))
    assert selectors.presence_online(room=room) == (1, ["river"])
    services.presence_leave(room=room, channel_name="proc-a!1")
    assert selectors.presence_online(room=room)[0] == 0


def test_purge_respects_each_rooms_retention(room, organiser, peer):
    short = services.room_create(slug="short", title="Short", host=organiser, status=Room.Status.LIVE, retention_hours=1)
    keep = services.message_store(room=room, author=peer, body="two hours old")
    gone = services.message_store(room=short, author=peer, body="two hours old")
    Message.objects.filter(pk__in=[keep.pk, gone.pk]).update(created=timezone.now() - timedelta(hours=2))
    call_command("purge_rooms", verbosity=0)
    assert list(Message.objects.values_list("pk", flat=True)) == [keep.pk]


def test_backlog_hides_removed_and_shows_held_only_to_author(room, peer, other_peer, moderator):
    removed = services.message_store(room=room, author=other_peer, body="gone")
    services.message_remove(message=removed, by=moderator, reason="x")
    held = services.message_store(room=room, author=peer, body="held")
    Message.objects.filter(pk=held.pk).update(moderation_status="pending")
    assert [m.pk for m in selectors.room_backlog(room=room, peer=peer)] == [held.pk]
    assert selectors.room_backlog(room=room, peer=other_peer) == []
    assert [m.pk for m in selectors.room_backlog(room=room, peer=moderator)] == [held.pk]


def test_seeded_support_room_is_live(db):
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    assert Room.objects.get(slug="support").status == Room.Status.LIVE
