"""Get help now pages: the form, the private conversation page, the board and every form's bad input."""

import re

import pytest
from django.test import Client
from django.utils.html import escape, strip_tags

from commons.limits import LIMITS
from helpnow import services, views
from helpnow.models import Duty, HelpRequest
from helpnow.permissions import NOT_A_CLAIMER, NOT_A_SUPPORTER, NOT_THE_REQUESTER, NOT_YOURS

pytestmark = pytest.mark.django_db


def client_for(peer) -> Client:
    client = Client()
    client.force_login(peer)
    return client


def text(response) -> str:
    return response.content.decode()


def test_header_shows_the_button_and_the_number_on_duty_on_every_page(client, supporter, on_duty, django_assert_max_num_queries):
    page = text(client.get("/"))
    assert 'href="/get-help/"' in page and "0 supporters on duty" in page
    on_duty(supporter)
    page = text(client.get("/alerts/"))
    assert "1 supporter on duty" in page
    assert "sup-lee" not in page  # a number only, never names
    client.get("/help/overdose/")
    with django_assert_max_num_queries(0):
        from helpnow.context_processors import on_duty as processor

        assert processor(None) == {"helpnow_on_duty": 1}


def test_anonymous_visitor_is_asked_to_log_in_and_cannot_post(client):
    page = text(client.get("/get-help/"))
    assert "Log in" in page and "<textarea" not in page
    assert client.post("/get-help/", {"happening": "x"}).status_code == 403
    assert not HelpRequest.objects.exists()


def test_asking_lands_in_the_private_room(auth_client, peer, supporter, on_duty):
    on_duty(supporter)
    page = text(auth_client.get("/get-help/"))
    assert "What is happening?" in page and "Is anyone in danger right now?" in page and "What would help?" in page
    assert "1 supporter is" in page
    response = auth_client.post("/get-help/", {"happening": "Alone and anxious", "danger": "no", "would_help": "Talk"})
    help_request = HelpRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/get-help/{help_request.pk}/"
    page = text(auth_client.get(response["Location"]))
    assert f'data-ws-path="/ws/rooms/{help_request.room.slug}/"' in page
    assert "Waiting for a supporter" in page
    assert "never calls emergency services" in page
    shown = re.sub(r"<template id=\"overdose-card-template\".*?</template>", "", page, flags=re.S)
    assert "overdose-card" not in shown  # nobody said danger (the chat keeps a hidden copy for live messages)
    # a second "Get help now" goes back to the open request
    assert auth_client.get("/get-help/")["Location"] == f"/get-help/{help_request.pk}/"
    assert auth_client.post("/get-help/", {})["Location"] == f"/get-help/{help_request.pk}/"
    assert HelpRequest.objects.count() == 1


def test_all_questions_are_optional(auth_client):
    assert auth_client.post("/get-help/", {}).status_code == 302
    assert HelpRequest.objects.get().danger == ""


@pytest.mark.parametrize("danger", ["yes", "not_sure"])
def test_possible_danger_shows_the_overdose_card_at_once(auth_client, danger):
    response = auth_client.post("/get-help/", {"danger": danger}, follow=True)
    page = text(response)
    assert 'class="overdose-card"' in page and "/help/overdose/" in page
    assert "Call 911 now" in strip_tags(page) and 'href="tel:911"' in page  # EMERGENCY_NUMBER, one tap to dial
    assert "never calls emergency services or anyone else" in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"happening": "x" * 1001}, services.ANSWER_TOO_LONG),
        ({"would_help": "y" * 1001}, services.ANSWER_TOO_LONG),
        ({"danger": "perhaps"}, services.BAD_DANGER),
    ],
)
def test_bad_input_on_the_request_form_is_refused_400(auth_client, data, message):
    response = auth_client.post("/get-help/", data)
    assert response.status_code == 400
    assert escape(message) in text(response)
    assert not HelpRequest.objects.exists()


def test_request_rate_limit(auth_client, peer, settings):
    settings.RATE_LIMITS = {"help_request": (1, 3600)}
    assert auth_client.post("/get-help/", {}).status_code == 302
    services.request_end(help_request=HelpRequest.objects.get(), by=peer)
    response = auth_client.post("/get-help/", {})
    assert response.status_code == 429 and escape(LIMITS["help_request"].message) in text(response)
    assert 0 < int(response["Retry-After"]) <= 3600


def test_nobody_on_duty_is_said_honestly_with_overdose_help_services_and_the_public_room(auth_client, peer):
    page = text(auth_client.get("/get-help/"))
    assert "Nobody is on duty right now" in page
    assert 'href="/help/overdose/"' in page and 'href="/services/"' in page and 'href="/rooms/support/"' in page
    response = auth_client.post("/get-help/", {"happening": "rough night"}, follow=True)
    page = text(response)
    assert "Nobody is on duty right now" in page and "keep this request open" in page
    help_request = HelpRequest.objects.get()
    # the person may leave it open (nothing to do) or go to the public support room instead
    response = auth_client.post(f"/get-help/{help_request.pk}/end/", {"then": "public_room"})
    assert response["Location"] == "/rooms/support/"
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.RESOLVED and help_request.ended_by == HelpRequest.EndedBy.WITHDRAWN


def test_private_page_visible_to_the_person_claimers_and_moderators_only(peer, other_peer, supporter, other_supporter, moderator, on_duty, ask):
    on_duty(supporter, other_supporter)
    help_request = ask(peer)
    url = f"/get-help/{help_request.pk}/"
    assert client_for(supporter).get(url).status_code == 403  # not before claiming
    services.request_claim(help_request=help_request, supporter=supporter)
    for who in (peer, supporter, moderator):
        assert client_for(who).get(url).status_code == 200
    for who in (other_peer, other_supporter):
        response = client_for(who).get(url)
        assert response.status_code == 403 and escape(NOT_YOURS) in text(response)
    assert Client().get(url).status_code == 302  # to log in
    # the room itself: rooms' page does not even confirm it exists to anyone else
    assert client_for(other_peer).get(f"/rooms/{help_request.room.slug}/").status_code in (403, 404)
    assert client_for(supporter).get(f"/rooms/{help_request.room.slug}/").status_code == 200


def test_private_rooms_are_not_listed_for_others(peer, other_peer, ask):
    help_request = ask(peer)
    assert help_request.room.slug not in text(client_for(other_peer).get("/rooms/"))
    assert help_request.room.slug not in text(Client().get("/rooms/"))


def test_claim_by_http_one_wins_the_other_gets_409(peer, supporter, other_supporter, on_duty, ask):
    on_duty(supporter, other_supporter)
    help_request = ask(peer)
    response = client_for(supporter).post(f"/get-help/{help_request.pk}/claim/")
    assert response.status_code == 302 and response["Location"] == f"/get-help/{help_request.pk}/"
    response = client_for(other_supporter).post(f"/get-help/{help_request.pk}/claim/")
    assert response.status_code == 409 and escape(services.ALREADY_TAKEN) in text(response)
    page = text(client_for(peer).get(f"/get-help/{help_request.pk}/"))
    assert "sup-lee" in page and "is here with you" in page


def test_claim_refusals(peer, other_peer, supporter, on_duty, ask):
    help_request = ask(peer)
    response = client_for(other_peer).post(f"/get-help/{help_request.pk}/claim/")
    assert response.status_code == 403 and escape(NOT_A_SUPPORTER) in text(response)
    response = client_for(supporter).post(f"/get-help/{help_request.pk}/claim/")
    assert response.status_code == 403 and escape(services.GO_ON_DUTY_FIRST) in text(response)
    assert client_for(supporter).get(f"/get-help/{help_request.pk}/claim/").status_code == 405
    assert client_for(supporter).post("/get-help/999999/claim/").status_code == 404
    assert HelpRequest.objects.get().status == HelpRequest.Status.WAITING


def test_backup_resolve_and_rating_through_the_pages(peer, supporter, other_supporter, on_duty, ask):
    on_duty(supporter, other_supporter)
    help_request = ask(peer)
    lee, kai, person = client_for(supporter), client_for(other_supporter), client_for(peer)
    lee.post(f"/get-help/{help_request.pk}/claim/")
    assert kai.post(f"/get-help/{help_request.pk}/backup/").status_code == 403  # only the claimer asks
    assert lee.post(f"/get-help/{help_request.pk}/backup/").status_code == 302
    assert kai.post(f"/get-help/{help_request.pk}/join/").status_code == 302
    assert kai.get(f"/get-help/{help_request.pk}/").status_code == 200
    # bad input on the resolve form
    response = lee.post(f"/get-help/{help_request.pk}/resolve/", {"note": "n" * 501})
    assert response.status_code == 400 and escape(services.NOTE_TOO_LONG) in text(response)
    response = person.post(f"/get-help/{help_request.pk}/resolve/", {"note": ""})
    assert response.status_code == 403 and escape(NOT_A_CLAIMER) in text(response)
    # rating before the end is refused, and the rating form's bad input too
    response = person.post(f"/get-help/{help_request.pk}/rate/", {"helped": "yes"})
    assert response.status_code == 400 and escape(services.NOT_RESOLVED_YET) in text(response)
    assert kai.post(f"/get-help/{help_request.pk}/resolve/", {"note": "Found a drop-in for tomorrow."})["Location"] == "/supporters/"
    assert person.post(f"/get-help/{help_request.pk}/rate/", {"helped": "maybe"}).status_code == 400
    assert lee.post(f"/get-help/{help_request.pk}/rate/", {"helped": "yes"}).status_code == 403
    assert person.post(f"/get-help/{help_request.pk}/rate/", {"helped": "yes"}).status_code == 302
    help_request.refresh_from_db()
    assert help_request.helped is True and help_request.resolved_by == other_supporter
    page = text(person.get(f"/get-help/{help_request.pk}/"))
    assert "Found a drop-in" not in page  # the handover note is for supporters only
    assert "It helped" in page
    assert "Found a drop-in" in text(lee.get("/supporters/"))


def test_person_ends_the_conversation(peer, other_peer, supporter, on_duty, ask):
    on_duty(supporter)
    help_request = ask(peer)
    services.request_claim(help_request=help_request, supporter=supporter)
    response = client_for(other_peer).post(f"/get-help/{help_request.pk}/end/")
    assert response.status_code == 403 and escape(NOT_THE_REQUESTER) in text(response)
    assert client_for(peer).post(f"/get-help/{help_request.pk}/end/")["Location"] == f"/get-help/{help_request.pk}/"
    help_request.refresh_from_db()
    assert help_request.ended_by == HelpRequest.EndedBy.REQUESTER and help_request.room.status == "closed"
    assert "Did this help?" in text(client_for(peer).get(f"/get-help/{help_request.pk}/"))


def test_board_is_for_supporters_only(peer, supporter, organiser, moderator):
    assert client_for(peer).get("/supporters/").status_code == 403
    assert client_for(moderator).get("/supporters/").status_code == 403
    assert Client().get("/supporters/").status_code == 302
    assert client_for(organiser).get("/supporters/").status_code == 200  # organisers support too
    assert "Go on duty" in text(client_for(supporter).get("/supporters/"))


def test_board_lists_waiting_requests_with_few_queries(peer_factory, supporter, on_duty, ask, django_assert_max_num_queries):
    on_duty(supporter)
    for n in range(6):
        ask(peer_factory(), happening=f"request {n}", danger="yes" if n % 2 else "")
    client = client_for(supporter)
    client.get("/supporters/")
    with django_assert_max_num_queries(16):
        page = text(client.get("/supporters/"))
    assert page.count('class="card helpnow-item helpnow-item--waiting') == 6
    assert "request 5" in page and "danger: yes" in page


def test_duty_and_break_toggles_and_their_bad_input(supporter, peer):
    client = client_for(supporter)
    assert client.post("/supporters/duty/", {"on": "1"})["Location"] == "/supporters/"
    assert Duty.objects.get(supporter=supporter).on_duty
    assert client.post("/supporters/break/", {"on": "1"}).status_code == 302
    assert Duty.objects.get(supporter=supporter).on_break
    assert "I'm back from my break" in text(client.get("/supporters/"))
    for url, data in [("/supporters/duty/", {}), ("/supporters/duty/", {"on": "yes"}), ("/supporters/break/", {"on": "2"})]:
        assert client.post(url, data).status_code == 400
    assert client.post("/supporters/duty/", {"on": "0"}).status_code == 302
    response = client.post("/supporters/break/", {"on": "1"})
    assert response.status_code == 400 and escape(services.GO_ON_DUTY_FIRST) in text(response)
    assert client_for(peer).post("/supporters/duty/", {"on": "1"}).status_code == 403
    assert not Duty.objects.filter(supporter=peer).exists()


def test_a_message_can_be_reported_from_the_conversation_and_a_copy_outlives_it_for_moderators(peer, supporter, on_duty, ask):
    from datetime import timedelta

    from django.utils import timezone

    from moderation.models import ReportedCopy
    from rooms import services as room_services
    from rooms.models import Message

    on_duty(supporter)
    help_request = ask(peer)
    services.request_claim(help_request=help_request, supporter=supporter)
    message = room_services.message_store(room=help_request.room, author=supporter, body="something that felt off")
    room_services.message_store(room=help_request.room, author=peer, body="my own words")
    person = client_for(peer)
    page = text(person.get(f"/get-help/{help_request.pk}/"))
    assert f'value="message:{message.pk}"' in page and "my own words" not in page
    assert person.get("/report/", {"target": f"message:{message.pk}", "next": f"/get-help/{help_request.pk}/"}).status_code == 200
    response = person.post("/report/", {"target": f"message:{message.pk}", "reason": "harassment", "text": "", "next": f"/get-help/{help_request.pk}/"})
    assert response.status_code == 302
    services.request_end(help_request=help_request, by=peer)
    HelpRequest.objects.filter(pk=help_request.pk).update(resolved_at=timezone.now() - timedelta(hours=25))
    assert services.requests_purge() == (1, 1)
    assert not Message.objects.filter(pk=message.pk).exists()
    assert ReportedCopy.objects.get().body == "something that felt off"


def test_each_action_says_what_happened_and_a_repeat_says_so(peer, supporter, on_duty, ask):
    """The views share one handler (helpnow.views._act): each keeps its own words, and its own answer to a repeat."""
    lee, person = client_for(supporter), client_for(peer)
    assert escape(views.MSG_ON_DUTY) in text(lee.post("/supporters/duty/", {"on": "1"}, follow=True))
    assert escape(views.MSG_NOTHING_CHANGED) in text(lee.post("/supporters/duty/", {"on": "1"}, follow=True))
    help_request = ask(peer)
    assert escape(views.MSG_CLAIMED) in text(lee.post(f"/get-help/{help_request.pk}/claim/", follow=True))
    assert escape(views.MSG_BACKUP_ASKED) in text(lee.post(f"/get-help/{help_request.pk}/backup/", follow=True))
    assert escape(views.MSG_NOTHING_CHANGED) in text(lee.post(f"/get-help/{help_request.pk}/backup/", follow=True))
    assert escape(views.MSG_RESOLVED) in text(lee.post(f"/get-help/{help_request.pk}/resolve/", {"note": ""}, follow=True))
    assert escape(services.ALREADY_ENDED) in text(lee.post(f"/get-help/{help_request.pk}/resolve/", {"note": ""}, follow=True))
    for _ in range(2):  # rating the same way again is thanked again, not "nothing to change"
        assert escape(views.MSG_RATED) in text(person.post(f"/get-help/{help_request.pk}/rate/", {"helped": "yes"}, follow=True))
    assert escape(views.MSG_OFF_DUTY) in text(lee.post("/supporters/duty/", {"on": "0"}, follow=True))
