"""Moderation, live rooms and Get help now in Spanish and French (issue 17): each page is in the reader's language,
picked by the browser's Accept-Language or by the `lang` cookie, with no English sentence left on it; the room socket
words its errors in its person's language too."""

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from helpnow import services as help_services
from moderation import services as mod_services
from moderation.models import Action, QueueItem, ReportReason
from peers import roles
from rooms import services as room_services
from rooms.models import MESSAGE_MAX_LENGTH, Room
from rooms.routing import websocket_urlpatterns
from tests.conftest import make_peer

# (language, how it is picked): the browser's header on a first visit, or the cookie the header's menu sets.
WAYS = [("es", "accept"), ("fr", "accept"), ("es", "cookie"), ("fr", "cookie")]


def _in(client, language: str, how: str):
    if how == "cookie":
        client.cookies["lang"] = language
        return {}
    return {"headers": {"accept-language": {"es": "es-MX,es;q=0.9,en;q=0.5", "fr": "fr-CA,fr;q=0.8"}[language]}}


def _page(client, path, language, how, *, status=200, **post):
    options = _in(client, language, how)
    response = client.post(path, post, **options) if post else client.get(path, **options)
    assert response.status_code == status
    page = response.content.decode()
    assert f'<html lang="{language}"' in page
    return page


def _says(page: str, words: dict, language: str, english: list[str]) -> None:
    assert words[language] in page, words[language]
    for sentence in english:
        assert sentence not in page, sentence


@pytest.fixture
def decided(db, organiser, moderator):
    """A room message reported for harassment, hidden by a moderator: one entry in the public log."""
    room = room_services.room_create(slug="evening", title="Evening room", host=organiser, status=Room.Status.LIVE)
    writer = make_peer(username="willow")
    message = room_services.message_send(room=room, author=writer, body="you are all idiots", client_id="c1")
    mod_services.report_create(reporter=make_peer(), target_ref=f"message:{message.pk}", reason=ReportReason.HARASSMENT)
    return room, message


@pytest.mark.parametrize("language,how", WAYS)
def test_moderation_queue_in_the_moderators_language(client, moderator, decided, language, how):
    client.force_login(moderator)
    page = _page(client, "/mod/", language, how)
    _says(page, {"es": "Cola de moderación", "fr": "File de modération"}, language, ["Moderation queue", "Oldest first."])
    assert {"es": "reportado por acoso", "fr": "signalé pour harcèlement"}[language] in page  # the report's reason
    assert "reported for harassment" not in page


@pytest.mark.parametrize("language,how", WAYS)
def test_public_log_and_transparency_in_the_readers_language(client, moderator, decided, language, how):
    mod_services.item_decide(item=QueueItem.objects.get(status="open"), moderator=moderator, content_action=Action.HIDE,
                             reason="name-calling", category=ReportReason.HARASSMENT)
    log = _page(client, "/mod/log/", language, how)
    _says(log, {"es": "Registro de moderación", "fr": "Journal de modération"}, language,
          ["Every moderator decision, newest first", "room message", "Rule or reason"])
    # The entry itself: what was done, to what kind of content, under which reason, all in the reader's words.
    assert {"es": "mensaje de sala", "fr": "message de salon"}[language] in log
    assert {"es": "acoso", "fr": "harcèlement"}[language] in log and ">harassment<" not in log
    figures = _page(client, "/transparency/", language, how)
    _says(figures, {"es": "Tiempo del reporte a la decisión", "fr": "Temps du signalement à la décision"}, language,
          ["Time from report to decision", "How moderation went, month by month"])


@pytest.mark.parametrize("language,how", WAYS)
def test_room_list_in_the_readers_language(client, peer, organiser, language, how):
    room_services.room_create(slug="evening", title="Evening room", host=organiser, status=Room.Status.LIVE)
    client.force_login(peer)
    page = _page(client, "/rooms/", language, how)
    _says(page, {"es": "Salas de apoyo en directo", "fr": "Salons de soutien en direct"}, language,
          ["Live support rooms", "Drop-in group chats run by peers", "live now"])


@pytest.mark.parametrize("language,how", WAYS)
def test_new_room_form_says_what_is_wrong_in_the_readers_language(client, organiser, language, how):
    client.force_login(organiser)
    page = _page(client, "/rooms/new/", language, how, status=400, title="Sunday check-in", slug="sunday",
                 starts_at="2030-01-05T18:00", ends_at="2030-01-05T17:00", visibility="members", slow_mode_seconds="0",
                 retention_hours="72")
    _says(page, {"es": "La hora de fin tiene que ser posterior a la de inicio.",
                 "fr": "L’heure de fin doit être après l’heure de début."}, language,
          ["The end time needs to be after the start time.", "Save room", "Web address"])
    assert not Room.objects.filter(slug="sunday").exists()


@pytest.mark.parametrize("language,how", WAYS)
def test_supporters_board_in_the_supporters_language(client, peer, language, how):
    supporter = make_peer(roles.SUPPORTER, username="sup-lee")
    help_services.duty_set(supporter=supporter, on=True)
    help_services.request_create(requester=peer, happening="", danger="yes", would_help="")
    client.force_login(supporter)
    page = _page(client, "/supporters/", language, how)
    _says(page, {"es": "Tablero de acompañamiento", "fr": "Tableau des pairs aidants"}, language,
          ["Supporters' board", "You're on duty", "Nobody is waiting right now", "waiting too long", "Claim<"])
    assert {"es": "Tomar", "fr": "Prendre"}[language] in page
    # The script's words come with the page, in the same language (helpnow.templatetags.board_texts).
    assert {"es": "Ver la petición n.º {id}", "fr": "Voir la demande n° {id}"}[language] in page


@pytest.mark.parametrize("language,how", WAYS)
def test_help_request_page_in_the_persons_language(client, peer, language, how):
    help_request = help_services.request_create(requester=peer, happening="rough night", danger="", would_help="")
    client.force_login(peer)
    page = _page(client, f"/get-help/{help_request.pk}/", language, how)
    _says(page, {"es": "Tu conversación privada", "fr": "Ta conversation privée"}, language,
          ["Your private conversation", "Waiting for a supporter", "End the conversation", "What you told us"])
    # The status line (helpnow.selectors.status_line) and the chat's words, too.
    assert {"es": "Esperando a alguien que te acompañe.", "fr": "En attente d’un pair aidant."}[language] in page
    assert {"es": "Tu mensaje", "fr": "Ton message"}[language] in page


ROUTER = URLRouter(websocket_urlpatterns)


async def _too_long_message_error(peer, room, headers=()):
    communicator = WebsocketCommunicator(ROUTER, f"/ws/rooms/{room.slug}/", headers=list(headers))
    communicator.scope["user"] = peer
    try:
        connected, _ = await communicator.connect()
        assert connected
        assert (await communicator.receive_json_from())["type"] == "hello"
        await communicator.send_json_to({"type": "message", "body": "x" * (MESSAGE_MAX_LENGTH + 1), "client_id": "c1"})
        while True:
            frame = await communicator.receive_json_from(timeout=2)
            if frame["type"] == "error":
                return frame
    finally:
        await communicator.disconnect()


SPANISH_TOO_LONG = "Los mensajes pueden tener hasta 2\u00a0000 caracteres. Prueba a dividirlo en dos."


@pytest.mark.django_db(transaction=True)
async def test_a_chat_error_comes_in_spanish_to_a_spanish_browser(organiser):
    from asgiref.sync import sync_to_async

    room = await sync_to_async(room_services.room_create)(slug="tarde", title="Tarde", host=organiser, status=Room.Status.LIVE)
    reader = await sync_to_async(make_peer)(username="rio")
    frame = await _too_long_message_error(reader, room, [(b"accept-language", b"es-ES,es;q=0.9")])
    assert frame["code"] == room_services.TOO_LONG and frame["detail"] == SPANISH_TOO_LONG
    assert "Messages can be up to" not in frame["detail"]
    # Without a header, and with a language we don't offer, the same error stays in English.
    english = await _too_long_message_error(reader, room, [(b"accept-language", b"de-DE,de;q=0.9")])
    assert english["detail"] == "Messages can be up to 2,000 characters. Try splitting it in two."


@pytest.mark.django_db(transaction=True)
async def test_a_chat_error_follows_the_members_own_choice_over_the_browser(organiser):
    from asgiref.sync import sync_to_async

    room = await sync_to_async(room_services.room_create)(slug="soir", title="Soir", host=organiser, status=Room.Status.LIVE)
    reader = await sync_to_async(make_peer)(username="rio")
    reader.language = "es"
    await sync_to_async(reader.save)(update_fields=["language"])
    frame = await _too_long_message_error(reader, room, [(b"accept-language", b"fr-FR,fr;q=0.9"), (b"cookie", b"lang=fr")])
    assert frame["detail"] == SPANISH_TOO_LONG


def test_a_moderation_notice_is_worded_in_the_members_own_language(db, organiser, moderator):
    from peers.models import Notification

    room = room_services.room_create(slug="evening", title="Evening room", host=organiser, status=Room.Status.LIVE)
    writer = make_peer(username="willow")
    writer.language = "fr"
    writer.save(update_fields=["language"])
    message = room_services.message_send(room=room, author=writer, body="you are all idiots", client_id="c1")
    mod_services.report_create(reporter=make_peer(), target_ref=f"message:{message.pk}", reason=ReportReason.HARASSMENT)
    # The moderator reads the site in English; the notice is for willow, who reads it in French.
    mod_services.item_decide(item=QueueItem.objects.get(status="open"), moderator=moderator, content_action=Action.HIDE,
                             reason="name-calling", category=ReportReason.HARASSMENT)
    notice = Notification.objects.get(recipient=writer, kind="moderation").text
    assert notice == "Un modérateur a masqué ce que tu as écrit (message de salon). Raison\u00a0: name-calling"
    assert "was hidden" not in notice


def test_a_held_message_notice_is_worded_in_the_authors_language(db, organiser):
    from peers.models import Notification

    room = room_services.room_create(slug="evening", title="Evening room", host=organiser, status=Room.Status.LIVE)
    writer = make_peer(username="willow")
    writer.language = "es"
    writer.save(update_fields=["language"])
    message = room_services.message_send(room=room, author=writer, body="text me on 07700 900123", client_id="c1")
    assert message.moderation_status == "pending"
    assert message.moderation_reason == "Held because it may contain contact details; a moderator will look soon."  # stored
    assert Notification.objects.get(recipient=writer, kind="moderation").text == (
        "Tu mensaje en la sala espera al equipo de moderación. "
        "Retenido porque puede contener datos de contacto; el equipo de moderación lo mirará pronto.")


@pytest.mark.parametrize("language", ["es", "fr"])
def test_every_moderation_page_renders_in_the_moderators_language(client, moderator, decided, language):
    room, message = decided
    item = QueueItem.objects.get(status="open")
    client.force_login(moderator)
    client.cookies["lang"] = language
    english = ["Moderation dashboard", "No open appeals.", "Add a pattern", "Why it is here", "Decisions about you",
               "What is wrong?", "Send report", "Host tools", "Live rooms"]
    for path in ("/mod/dashboard/", "/mod/appeals/", "/mod/patterns/", f"/mod/item/{item.pk}/", "/appeal/",
                 f"/report/?target=message:{message.pk}", f"/rooms/{room.slug}/", f"/rooms/{room.slug}/edit/"):
        page = _page(client, path, language, "cookie")
        for sentence in english:
            assert sentence not in page, (path, sentence)


@pytest.mark.django_db(transaction=True)
async def test_a_mute_reaches_a_french_reader_in_french(organiser):
    from asgiref.sync import sync_to_async

    room = await sync_to_async(room_services.room_create)(slug="nuit", title="Nuit", host=organiser, status=Room.Status.LIVE)
    reader = await sync_to_async(make_peer)(username="rio")
    communicator = WebsocketCommunicator(ROUTER, f"/ws/rooms/{room.slug}/", headers=[(b"accept-language", b"fr-FR,fr;q=0.9")])
    communicator.scope["user"] = reader
    try:
        connected, _ = await communicator.connect()
        assert connected and (await communicator.receive_json_from())["type"] == "hello"
        # The host reads the site in English; the frame is worded by the reader's own socket.
        await sync_to_async(room_services.mute_in_room)(room=room, peer=reader, by=organiser, minutes=15)
        while (frame := await communicator.receive_json_from(timeout=2))["type"] != "error":
            pass
        assert frame["code"] == room_services.MUTED
        assert frame["detail"].startswith("Un hôte t’a mis·e en sourdine dans ce salon jusqu’au ")
        assert "Tu peux continuer à lire." in frame["detail"] and "muted" not in frame["detail"]
    finally:
        await communicator.disconnect()


def test_a_hosts_message_removal_answers_json_in_the_hosts_language(client, organiser):
    room = room_services.room_create(slug="evening", title="Evening room", host=organiser, status=Room.Status.LIVE)
    message = room_services.message_send(room=room, author=make_peer(username="willow"), body="hello", client_id="c1")
    client.force_login(organiser)
    answer = client.post(f"/rooms/{room.slug}/messages/{message.pk}/remove/", headers={"accept": "application/json",
                                                                                      "accept-language": "es"})
    assert answer.status_code == 200 and answer.json() == {"removed": True, "detail": "Mensaje quitado."}
