"""Every text a person writes that another person can see is screened (issue 13, item 2): bios, rooms'
titles, topics and rules, the answers of a help request, service suggestions. Held text is seen only by its
author and moderators, and enters the queue the way posts do."""

import pytest
from django.utils.html import escape

from helpnow import services as help_services
from helpnow.models import HelpRequest
from moderation.models import QueueItem, Target
from peers import roles
from peers.models import Peer
from rooms import services as room_services
from rooms.models import Room
from safety import services as safety_services
from safety.models import ServiceKind, ServiceSuggestion
from tests.conftest import client_for, make_peer

PHONE_BIO = "Ring me on 07700 900123 for anything."
CASHTAG_BIO = "Tips welcome: $riverbuys"
LINK_BIO = "Find me at t.me/riverstuff"


def _decide(moderator, kind: str, target_id: int, action: str):
    item = QueueItem.objects.get(target_kind=kind, target_id=target_id, status=QueueItem.Status.OPEN)
    page = client_for(moderator).get(f"/mod/item/{item.pk}/")
    assert page.status_code == 200
    response = client_for(moderator).post(f"/mod/item/{item.pk}/", {"content_action": action, "reason": "checked"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return item


# --- bios --------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("bio", [PHONE_BIO, CASHTAG_BIO, LINK_BIO])
def test_a_held_bio_is_seen_only_by_its_author_and_moderators_until_approved(auth_client, peer, other_peer, moderator, bio):
    auth_client.post("/settings/", {"bio": "Peer worker, ask me about test strips."})
    response = auth_client.post("/settings/", {"bio": bio})
    assert response.status_code == 302
    peer.refresh_from_db()
    assert peer.bio == "Peer worker, ask me about test strips."  # the approved bio stays public
    shown = escape(bio.split()[-1])
    for viewer in (None, other_peer):
        page = client_for(viewer).get(f"/u/{peer.username}/").content.decode()
        assert "ask me about test strips" in page and shown not in page
    assert shown in auth_client.get(f"/u/{peer.username}/").content.decode()
    assert shown in client_for(moderator).get(f"/u/{peer.username}/").content.decode()
    assert QueueItem.objects.filter(target_kind=Target.BIO, target_id=peer.pk, held=True, status="open").exists()
    assert "waiting for a moderator" in peer.notifications.first().text
    _decide(moderator, Target.BIO, peer.pk, "approve")
    assert shown in client_for().get(f"/u/{peer.username}/").content.decode()


@pytest.mark.django_db
def test_a_first_bio_held_shows_nothing_until_approved_and_a_rejected_one_never(auth_client, peer, moderator):
    auth_client.post("/settings/", {"bio": PHONE_BIO})
    page = client_for().get(f"/u/{peer.username}/").content.decode()
    assert "07700" not in page and "No bio yet" in page
    _decide(moderator, Target.BIO, peer.pk, "hide")
    peer.refresh_from_db()
    assert peer.bio == "" and peer.bio_pending == ""
    assert "07700" not in auth_client.get(f"/u/{peer.username}/").content.decode()


@pytest.mark.django_db
def test_a_bio_that_passes_replaces_a_held_one_and_closes_its_queue_item(auth_client, peer):
    auth_client.post("/settings/", {"bio": PHONE_BIO})
    auth_client.post("/settings/", {"bio": "Just here to listen."})
    peer.refresh_from_db()
    assert peer.bio == "Just here to listen." and peer.bio_pending == ""
    assert not QueueItem.objects.filter(target_kind=Target.BIO, status="open").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("bio", ["\u200b\u200b", "x" * 2001])
def test_a_bad_bio_is_refused_and_nothing_stored(auth_client, peer, bio):
    assert auth_client.post("/settings/", {"bio": bio}).status_code == 400
    peer.refresh_from_db()
    assert peer.bio == "" and peer.bio_pending == "" and not QueueItem.objects.exists()


# --- rooms -------------------------------------------------------------------------------------

ROOM_FORM = {"title": "Sunday check-in", "slug": "sunday", "topic": "", "starts_at": "2030-06-02T18:00", "ends_at": "",
             "visibility": "members", "slow_mode_seconds": "0", "retention_hours": "72", "rules": "", "cohost_names": "",
             "invited_names": ""}


@pytest.mark.django_db
def test_a_new_room_with_a_held_title_is_seen_only_by_its_hosts_and_moderators(organiser, peer, moderator):
    response = client_for(organiser).post("/rooms/new/", {**ROOM_FORM, "title": "Text 07700 900123 to join"})
    assert response.status_code == 302
    room = Room.objects.get(slug="sunday")
    assert room.moderation_status == "pending"
    for viewer in (None, peer):
        assert client_for(viewer).get("/rooms/sunday/").status_code in (302, 404)
        assert "07700" not in client_for(viewer).get("/rooms/").content.decode()
        assert "07700" not in client_for(viewer).get("/").content.decode()
    assert "07700" in client_for(organiser).get("/rooms/sunday/").content.decode()
    assert "07700" in client_for(moderator).get("/rooms/").content.decode()
    _decide(moderator, Target.ROOM, room.pk, "approve")
    assert "07700" in client_for(peer).get("/rooms/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["title", "topic", "rules"])
def test_a_held_edit_of_a_public_room_keeps_the_approved_text(organiser, peer, moderator, field):
    room = room_services.room_create(slug="sunday", title="Sunday check-in", host=organiser, topic="Open chat", rules="Be kind")
    value = {"title": "Sunday: $cashbuys", "topic": "Sourcing? ask $cashbuys", "rules": "Pay $cashbuys first"}[field]
    form = {**ROOM_FORM, "title": room.title, "topic": room.topic, "rules": room.rules, field: value}
    form.pop("slug")
    assert client_for(organiser).post("/rooms/sunday/edit/", form).status_code == 302
    room.refresh_from_db()
    assert getattr(room, field) != value and room.pending_texts[field] == value
    assert "cashbuys" not in client_for(peer).get("/rooms/sunday/").content.decode()
    assert "cashbuys" in client_for(organiser).get("/rooms/sunday/").content.decode()
    _decide(moderator, Target.ROOM, room.pk, "approve")
    room.refresh_from_db()
    assert getattr(room, field) == value and room.pending_texts == {}


@pytest.mark.django_db
@pytest.mark.parametrize("change, message", [
    ({"retention_hours": "2000000000"}, "8760"),
    ({"retention_hours": "0"}, "1"),
    ({"retention_hours": "-5"}, ""),
    ({"retention_hours": "seven"}, ""),
    ({"slow_mode_seconds": "99999999999"}, "3600"),
    ({"title": "\u200b\u3164"}, ""),
    ({"title": ""}, ""),
    ({"topic": "x" * 301}, ""),
    ({"starts_at": "9999-12-31T23:59"}, ""),
])
def test_bad_room_settings_are_refused_and_nothing_stored(organiser, change, message):
    response = client_for(organiser).post("/rooms/new/", {**ROOM_FORM, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Room.objects.exists()


# --- help requests -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_held_help_answers_reach_supporters_as_a_note_only(auth_client, peer, moderator):
    supporter = make_peer(roles.SUPPORTER, username="sup-lee")
    help_services.duty_set(supporter=supporter, on=True)
    response = auth_client.post("/get-help/", {"happening": "Call me on 07700 900123", "danger": "no", "would_help": "talk"})
    assert response.status_code == 302
    help_request = HelpRequest.objects.get()
    assert help_request.answers_status == "pending"
    board = client_for(supporter).get("/supporters/").content.decode()
    assert "07700" not in board and escape(help_services.ANSWERS_HELD) in board
    help_services.request_claim(help_request=help_request, supporter=supporter)
    assert "07700" not in client_for(supporter).get(help_request.get_absolute_url()).content.decode()
    assert "07700" in auth_client.get(help_request.get_absolute_url()).content.decode()
    assert "07700" in client_for(moderator).get(help_request.get_absolute_url()).content.decode()
    _decide(moderator, Target.HELP, help_request.pk, "approve")
    assert "07700" in client_for(supporter).get(help_request.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_purged_help_request_closes_its_held_queue_item(peer):
    from datetime import timedelta

    from django.utils import timezone

    help_request = help_services.request_create(requester=peer, happening="my number is 07700 900123")
    help_services.request_end(help_request=help_request, by=peer)
    help_services.requests_purge(now=timezone.now() + timedelta(days=3))
    assert not HelpRequest.objects.exists()
    assert not QueueItem.objects.filter(status="open").exists()


# --- service suggestions and appeals -----------------------------------------------------------


@pytest.mark.django_db
def test_a_service_suggestion_is_flagged_for_the_reviewing_moderator(peer, moderator):
    safety_services.service_suggest(author=peer, kind=ServiceKind.NALOXONE, name="Corner shop", region="Leeds",
                                    contact="0113 496 0000", notes="ask for Jay, venmo @jaysells")
    suggestion = ServiceSuggestion.objects.get()
    assert "payment" in suggestion.screening_reason or "contact" in suggestion.screening_reason
    page = client_for(moderator).get("/services/review/").content.decode()
    assert "Screening:" in page
    assert "Directory suggestions waiting: 1" in client_for(moderator).get("/mod/").content.decode()


@pytest.mark.django_db
def test_a_service_suggestion_with_only_the_services_own_contact_is_not_flagged(peer):
    safety_services.service_suggest(author=peer, kind=ServiceKind.NALOXONE, name="Harm reduction hub", region="Leeds",
                                    contact="0113 496 0000, 12 Park Road")
    assert ServiceSuggestion.objects.get().screening_reason == ""


@pytest.mark.django_db
def test_appeal_texts_are_not_screened_because_only_moderators_read_them(peer, moderator):
    from moderation import services as mod_services
    from moderation.models import Action, Appeal

    sanction = mod_services.sanction_apply(peer=peer, action=Action.WARN, moderator=moderator, reason="test")
    mod_services.appeal_create(appellant=peer, log_entry=sanction.log_entry, text="Call me: 07700 900123")
    assert Appeal.objects.get().text == "Call me: 07700 900123"
    assert not QueueItem.objects.filter(held=True).exists()
    assert not Peer.objects.get(pk=peer.pk).notifications.filter(text__contains="waiting for a moderator").exists()
