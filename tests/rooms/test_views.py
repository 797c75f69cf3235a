"""Room pages and hosts' actions over HTTP."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from moderation.models import ModerationStatus
from rooms import permissions, services, views
from rooms.models import Message, Room, RoomMute, RoomRemoval

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(organiser):
    return services.room_create(slug="evening", title="Evening room", host=organiser, status=Room.Status.LIVE, topic="Check in")


def test_list_shows_live_and_upcoming_rooms_with_local_times(client, room, organiser, django_assert_max_num_queries):
    services.room_create(slug="later", title="Later room", host=organiser, starts_at=timezone.now() + timedelta(days=1))
    services.room_create(slug="done", title="Done room", host=organiser, status=Room.Status.CLOSED)
    client.cookies["tz"] = "Europe/Berlin"
    with django_assert_max_num_queries(8):
        page = client.get("/rooms/").content.decode()
    assert "Evening room" in page and "Later room" in page and "Done room" not in page
    assert page.index("Evening room") < page.index("Later room")  # live first
    from zoneinfo import ZoneInfo
    assert f"{room.starts_at.astimezone(ZoneInfo('Europe/Berlin')):%-d %b %Y, %H:%M}</time>" in page  # Berlin's time
    assert "js/rooms.js" in page


def test_invited_only_room_is_hidden_from_others(client, peer, other_peer, organiser):
    private = services.room_create(slug="private", title="Private room", host=organiser, status=Room.Status.LIVE, visibility=Room.Visibility.INVITED, invited=[other_peer])
    client.force_login(peer)
    assert "Private room" not in client.get("/rooms/").content.decode()
    assert client.get(private.get_absolute_url()).status_code == 404
    client.force_login(other_peer)
    assert "Private room" in client.get("/rooms/").content.decode()
    assert client.get(private.get_absolute_url()).status_code == 200


def test_room_page_has_the_chat_for_members_and_a_login_link_for_visitors(client, room, peer):
    page = client.get(room.get_absolute_url()).content.decode()
    assert 'id="chat"' not in page and "Log in" in page
    client.force_login(peer)
    page = client.get(room.get_absolute_url()).content.decode()
    assert 'data-ws-path="/ws/rooms/evening/"' in page and 'aria-live="polite"' in page
    assert "Host tools" not in page


def test_removed_person_sees_why(client, room, peer, organiser):
    services.person_remove(room=room, peer=peer, by=organiser)
    client.force_login(peer)
    page = client.get(room.get_absolute_url()).content.decode()
    assert escape(permissions.REMOVED_FROM_ROOM) in page and 'id="chat"' not in page


def test_organiser_creates_a_room_in_their_own_zone(client, organiser, peer):
    client.force_login(organiser)
    client.cookies["tz"] = "America/New_York"
    response = client.post("/rooms/new/", {
        "title": "Sunday check-in", "slug": "sunday", "topic": "", "starts_at": "2030-06-02T18:00", "ends_at": "2030-06-02T19:30",
        "visibility": "members", "slow_mode_seconds": "5", "retention_hours": "24", "rules": "Be gentle.", "cohost_names": "river",
        "invited_names": "",
    })
    assert response.status_code == 302
    room = Room.objects.get(slug="sunday")
    assert room.host == organiser and room.status == Room.Status.SCHEDULED
    assert room.starts_at.isoformat() == "2030-06-02T22:00:00+00:00"  # 18:00 in New York
    assert list(room.cohosts.all()) == [peer]
    assert room.slow_mode_seconds == 5 and room.retention_hours == 24


def test_unknown_cohost_is_refused_and_nothing_written(client, organiser):
    client.force_login(organiser)
    response = client.post("/rooms/new/", {"title": "X", "slug": "x", "starts_at": "2030-06-02T18:00", "visibility": "members",
                                           "slow_mode_seconds": "0", "retention_hours": "72", "cohost_names": "nobody-here"})
    assert response.status_code == 400
    assert escape("We couldn't find these pseudonyms: nobody-here.") in response.content.decode()
    assert not Room.objects.filter(slug="x").exists()


def test_members_cannot_create_rooms(client, peer):
    client.force_login(peer)
    response = client.get("/rooms/new/")
    assert response.status_code == 403
    assert escape(permissions.NOT_AN_ORGANISER) in response.content.decode()


def test_host_opens_and_closes_cohost_can_too(client, organiser, peer):
    room = services.room_create(slug="later", title="Later", host=organiser, cohosts=[peer])
    client.force_login(peer)
    assert client.post("/rooms/later/open/").status_code == 302
    room.refresh_from_db()
    assert room.status == Room.Status.LIVE
    assert client.post("/rooms/later/close/").status_code == 302
    room.refresh_from_db()
    assert room.status == Room.Status.CLOSED and room.ends_at is not None


def test_member_cannot_use_host_actions(client, room, peer, other_peer):
    message = services.message_store(room=room, author=other_peer, body="hi")
    client.force_login(peer)
    for url, data in [("/rooms/evening/close/", {}), ("/rooms/evening/mute/", {"pseudonym": "willow", "minutes": 5}),
                      ("/rooms/evening/remove-person/", {"pseudonym": "willow"}), (f"/rooms/evening/messages/{message.id}/remove/", {})]:
        response = client.post(url, data)
        assert response.status_code == 403
        assert escape(permissions.NOT_A_HOST) in response.content.decode()
    room.refresh_from_db()
    assert room.status == Room.Status.LIVE and not RoomMute.objects.exists() and not RoomRemoval.objects.exists()
    assert Message.objects.get().moderation_status == ModerationStatus.APPROVED


def test_host_mutes_removes_a_person_and_a_message(client, room, organiser, peer):
    message = services.message_store(room=room, author=peer, body="hi")
    client.force_login(organiser)
    assert client.post("/rooms/evening/mute/", {"pseudonym": "River", "minutes": 10, "reason": "cool off"}).status_code == 302
    assert services.active_room_mute(room=room, peer=peer).reason == "cool off"
    response = client.post(f"/rooms/evening/messages/{message.id}/remove/", HTTP_ACCEPT="application/json")
    assert response.json() == {"removed": True, "detail": views.MESSAGE_REMOVED}
    assert client.post(f"/rooms/evening/messages/{message.id}/remove/", HTTP_ACCEPT="application/json").json()["removed"] is False
    assert client.post("/rooms/evening/remove-person/", {"pseudonym": "river"}).status_code == 302
    assert RoomRemoval.objects.filter(room=room, peer=peer).exists()


def test_hosts_cannot_be_muted_from_the_room(client, room, organiser, moderator):
    client.force_login(organiser)
    response = client.post("/rooms/evening/mute/", {"pseudonym": moderator.username, "minutes": 10})
    assert response.status_code == 403 and escape(views.CANT_REMOVE_HOST) in response.content.decode()
    response = client.post("/rooms/evening/mute/", {"pseudonym": "ghost", "minutes": 10})
    assert response.status_code == 403 and escape(views.NO_SUCH_PERSON) in response.content.decode()


def test_export_includes_room_messages(room, peer):
    from django.apps import apps

    services.message_store(room=room, author=peer, body="mine")
    assert apps.get_app_config("rooms").export_peer_data(peer)["room_messages"][0]["body"] == "mine"


def test_host_sees_who_is_muted_and_unmutes_them(client, room, organiser, peer):
    client.force_login(organiser)
    client.post("/rooms/evening/mute/", {"pseudonym": "river", "minutes": 10})
    page = client.get("/rooms/evening/").content.decode()
    assert "Muted in this room now" in page and "<strong>river</strong>" in page
    response = client.post("/rooms/evening/unmute/", {"pseudonym": "river"}, follow=True)
    assert views.PERSON_UNMUTED.format(name="river") in response.content.decode()
    assert services.active_room_mute(room=room, peer=peer) is None
    assert "Muted in this room now" not in client.get("/rooms/evening/").content.decode()
    response = client.post("/rooms/evening/unmute/", {"pseudonym": "river"}, follow=True)
    assert escape(views.NOT_MUTED.format(name="river")) in response.content.decode()


def test_only_hosts_unmute_and_bad_input_changes_nothing(client, room, organiser, peer, other_peer):
    services.mute_in_room(room=room, peer=other_peer, by=organiser, minutes=10)
    client.force_login(peer)
    response = client.post("/rooms/evening/unmute/", {"pseudonym": "willow"})
    assert response.status_code == 403 and escape(permissions.NOT_A_HOST) in response.content.decode()
    assert "Muted in this room now" not in client.get("/rooms/evening/").content.decode()  # hosts only
    client.force_login(organiser)
    assert client.post("/rooms/evening/unmute/", {}).status_code == 400
    assert client.post("/rooms/evening/unmute/", {"pseudonym": "x" * 101}).status_code == 400
    assert client.post("/rooms/evening/unmute/", {"pseudonym": "ghost"}).status_code == 403
    assert client.get("/rooms/evening/unmute/").status_code == 405
    assert services.active_room_mute(room=room, peer=other_peer) is not None
