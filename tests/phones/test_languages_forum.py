"""The forum, the account pages, notices and error pages in Spanish and in French (issue 17), picked by the
browser's Accept-Language and by the `lang` cookie the header's menu sets: each page carries a sentence of the
reader's language and not the English one it replaces."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from commons.when import time_ago, when_text
from forum import services as forum_services
from forum.models import Board
from peers.models import Notification
from peers.services import notification_send
from tests.conftest import PASSWORD, make_peer

# How a reader picks a language: the browser's header, or the cookie of the header's menu.
HOW = [
    pytest.param(lambda client, lang: {"headers": {"accept-language": lang}}, id="accept-language"),
    pytest.param(lambda client, lang: client.cookies.load({"lang": lang}) or {}, id="cookie"),
]
SIGNUP, LOGIN = "/accounts/signup/", "/accounts/login/"


@pytest.fixture(autouse=True)
def _publish_without_screening(monkeypatch):
    """New accounts' posts would wait for a moderator; these tests are about the words around them."""
    from moderation.screening import Screening

    monkeypatch.setattr(forum_services, "screen", lambda **kwargs: Screening())


@pytest.fixture
def board(db):
    return Board.objects.create(slug="safer-use", title="Safer use", description="Peer to peer.")


@pytest.fixture
def thread(board, peer):
    return forum_services.thread_create(board=board, author=peer, title="Test strips and how to use them", body="Dilute the sample first.")


def _page(client, how, lang, url, **kwargs):
    extra = how(client, lang)
    response = client.get(url, **extra, **kwargs)
    return response, response.content.decode()


def _post(client, how, lang, url, data):
    extra = how(client, lang)
    response = client.post(url, data, **extra)
    return response, response.content.decode()


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("lang,words", [
    ("es", ["Abrir un hilo", "1 respuesta", "activo ahora mismo", "Foros"]),
    ("fr", ["Lancer un fil", "1 réponse", "actif à l’instant", "Forums"]),
])
def test_a_board_is_in_the_readers_language(client, peer, other_peer, thread, board, how, lang, words):
    forum_services.post_create(thread=thread, author=other_peer, body="Thanks!")
    client.force_login(peer)
    response, page = _page(client, how, lang, f"/b/{board.slug}/")
    assert response.status_code == 200 and f'<html lang="{lang}"' in page
    for said in words:
        assert said in page, said
    assert "Start a thread" not in page and "1 reply" not in page and "former member" not in page


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("lang,words,english", [
    ("es", ["Dejar de seguir", "Publicar respuesta", "Tu respuesta", "Puedes usar Markdown.", "Guardar", "Útil", "Citar"],
     ["Unsubscribe", "Post reply", "Your reply", "Markdown works.", ">Bookmark<", "Helpful", ">Quote<"]),
    ("fr", ["Ne plus suivre", "Publier la réponse", "Ta réponse", "Le Markdown marche.", "Favori", "Utile", "Citer"],
     ["Unsubscribe", "Post reply", "Your reply", "Markdown works.", ">Bookmark<", "Helpful", ">Quote<"]),
])
def test_a_thread_and_its_posts_are_in_the_readers_language(client, peer, other_peer, thread, how, lang, words, english):
    """The posts come from a Jinja2 partial: its words go through the same catalogues."""
    forum_services.post_create(thread=thread, author=other_peer, body="Thanks!")
    client.force_login(peer)
    response, page = _page(client, how, lang, thread.get_absolute_url())
    assert response.status_code == 200
    for said in words:
        assert said in page, said
    for said in english:
        assert said not in page, said


@pytest.mark.parametrize("lang,words", [("es", "Inicia sesión</a> para responder."), ("fr", "Connecte-toi</a> pour répondre.")])
def test_a_visitor_is_asked_to_log_in_in_their_language(client, thread, lang, words):
    page = client.get(thread.get_absolute_url(), headers={"accept-language": lang}).content.decode()
    assert words in page and "to reply." not in page


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("lang,words", [("es", "Escribe algo antes de publicar."), ("fr", "Écris quelque chose avant de publier.")])
def test_a_refused_reply_says_why_in_the_readers_language(client, peer, thread, how, lang, words):
    client.force_login(peer)
    for body in ("", "   ", "\u200b\u200b"):
        response, page = _post(client, how, lang, f"/t/{thread.id}/reply/", {"body": body})
        assert response.status_code == 400
        assert ("Escribe algo" in page or "Esto solo tiene espacios" in page) if lang == "es" else ("Écris quelque chose" in page or "des espaces" in page)
        assert "Please write something" not in page and "invisible characters in it" not in page
    response, page = _post(client, how, lang, f"/t/{thread.id}/reply/", {"body": ""})
    assert words in page and 'aria-invalid="true"' in page
    assert thread.posts.count() == 1  # nothing stored


@pytest.mark.parametrize("lang,words", [("es", "Una publicación puede tener como mucho 20.000 caracteres."),
                                        ("fr", "Un message peut faire au maximum 20\u202f000 caractères.")])
def test_a_too_long_reply_names_the_limit_in_the_readers_numbers(client, peer, thread, settings, lang, words):
    from forum.models import BODY_MAX_LENGTH

    client.force_login(peer)
    response = client.post(f"/t/{thread.id}/reply/", {"body": "x" * (BODY_MAX_LENGTH + 1)}, headers={"accept-language": lang})
    page = response.content.decode()
    assert response.status_code == 400
    with translation.override(lang):
        assert forum_services.body_too_long_message() in page
    assert "characters." not in page


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("lang,words,english", [
    ("es", ["Contraseña y recuperación", "Descargar mis datos", "Sobre ti"], ["Password and recovery", "Download my data"]),
    ("fr", ["Mot de passe et récupération", "Télécharger mes données", "Bio"], ["Password and recovery", "Download my data"]),
])
def test_settings_are_in_the_readers_language(client, peer, how, lang, words, english):
    client.force_login(peer)
    response, page = _page(client, how, lang, "/settings/")
    assert response.status_code == 200
    for said in words + ["(opcional)" if lang == "es" else "(facultatif)"]:
        assert said in page, said
    for said in english:
        assert said not in page, said


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("lang,notice,english", [
    ("es", "willow respondió en «Test strips and how to use them»", "replied in"),
    ("fr", "willow a répondu dans « Test strips and how to use them »", "replied in"),
])
def test_a_notice_is_said_in_the_language_of_whoever_reads_it(client, peer, other_peer, thread, how, lang, notice, english):
    """Stored as words and parameters when the reply is posted; said when read, in the reader's language."""
    forum_services.post_create(thread=thread, author=other_peer, body="Thanks!")
    client.force_login(peer)
    response, page = _page(client, how, lang, "/notifications/")
    assert notice in page and english not in page
    assert ("Marcar todo como leído" if lang == "es" else "Tout marquer comme lu") in page
    assert ("data-text-marked=\"Todo marcado como leído.\"" if lang == "es" else "data-text-marked=\"Tout est marqué comme lu.\"") in page
    assert "Mark all as read" not in page


def test_a_notice_from_a_former_member_and_an_old_notice_read_sensibly(client, peer, thread):
    notification_send(recipient=peer, kind="forum_reply", text=forum_services.NOTICE_REPLY, url="/", params={"name": "", "title": "Naloxone"})
    Notification.objects.create(recipient=peer, kind="forum_reply", text="willow replied in “Old words”", url="/")  # written before params
    client.force_login(peer)
    page = client.get("/notifications/", headers={"accept-language": "es"}).content.decode()
    assert "Un antiguo miembro respondió en «Naloxone»" in page
    assert "willow replied in “Old words”" in page  # kept as it was stored
    page = client.get("/notifications/", headers={"accept-language": "en"}).content.decode()
    assert "A former member replied in “Naloxone”" in page


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("lang,taken,differ", [
    ("es", "Ese seudónimo ya está en uso. Elige otro.", "Las dos contraseñas no coinciden."),
    ("fr", "Ce pseudo est déjà pris. Choisis-en un autre.", "Les deux mots de passe ne sont pas les mêmes."),
])
def test_sign_up_refusals_are_in_the_readers_language(client, peer, how, lang, taken, differ):
    response, page = _post(client, how, lang, SIGNUP, {"username": "river", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 400 and taken in page and "is taken" not in page
    response, page = _post(client, how, lang, SIGNUP, {"username": "quiet-fox", "password1": PASSWORD, "password2": PASSWORD + "x"})
    assert differ in page and "don&#x27;t match" not in page
    response, page = _post(client, how, lang, SIGNUP, {"username": "me@mail.com", "password1": PASSWORD, "password2": PASSWORD})
    assert ("parece una dirección de correo" if lang == "es" else "ressemble à une adresse e-mail") in page
    assert "looks like an email" not in page


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("lang,words", [
    ("es", "Ese seudónimo y esa contraseña no coinciden."),
    ("fr", "Ce pseudo et ce mot de passe ne correspondent pas."),
])
def test_a_wrong_password_is_said_in_the_readers_language(client, peer, how, lang, words):
    response, page = _post(client, how, lang, LOGIN, {"login": "river", "password": "not-the-password"})
    assert words in page and "don&#x27;t match" not in page


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("lang,words", [("es", "No lo hemos encontrado"), ("fr", "On n’a pas trouvé ça")])
def test_a_missing_page_is_in_the_readers_language(client, db, how, lang, words):
    response, page = _page(client, how, lang, "/no/such/page/")
    assert response.status_code == 404 and words in page and "We couldn&#x27;t find that" not in page


@pytest.mark.parametrize("lang,words", [("es", "Este foro es solo para miembros."), ("fr", "Ce forum est réservé aux membres.")])
def test_a_refusal_page_gives_its_reason_in_the_readers_language(client, db, lang, words):
    board = Board.objects.create(slug="support", title="Support", visibility=Board.Visibility.MEMBERS)
    response = client.get(f"/b/{board.slug}/", headers={"accept-language": lang})
    page = response.content.decode()
    assert response.status_code == 403 and words in page and "members only" not in page


@pytest.mark.parametrize("lang,ago,month", [("en", "5 minutes ago", "Sep"), ("es", "hace 5 minutos", "sept"), ("fr", "il y a 5 minutes", "sept.")])
def test_times_are_said_in_the_readers_language(lang, ago, month):
    """The same words as the browser's Intl.RelativeTimeFormat and short month (static/js/local-time.js)."""
    now = timezone.now()
    with translation.override(lang):
        assert time_ago(now - timedelta(minutes=5, seconds=3), now) == ago
        assert when_text(now.replace(month=9, day=3), timezone.get_fixed_timezone(0)).split()[1] == month
        assert time_ago(now - timedelta(days=1), now) == {"en": "1 day ago", "es": "hace 1 día", "fr": "il y a 1 jour"}[lang]


def test_the_body_limit_refusal_follows_the_cookie_and_the_header():
    from commons.asgi import handshake_language as scope_language

    assert scope_language({"headers": [(b"cookie", b"sessionid=x; lang=fr")]}) == "fr"
    assert scope_language({"headers": [(b"accept-language", b"es-MX,es;q=0.9")]}) == "es"
    assert scope_language({"headers": [(b"accept-language", b"de")]}) == "en"
    assert scope_language({"headers": [(b"cookie", b"lang=xx"), (b"accept-language", b"fr")]}) == "fr"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("locale,shown", [("es-ES", "30 nov 2026, 05:05"), ("fr-FR", "30 nov. 2026, 05:05")])
def test_the_browser_redraws_times_in_the_pages_language_as_the_server_prints_them(asgi_server, browser, organiser, locale, shown):
    """local-time.js takes the month's name from Intl in the page's <html lang>: the same words commons.when prints."""
    from datetime import datetime, timezone as dt_timezone

    from playwright.sync_api import expect
    from rooms import services as room_services
    from rooms.models import Room
    from tests.browser import open_page

    room_services.room_create(slug="evening", title="Evening room", host=organiser, status=Room.Status.LIVE,
                              starts_at=datetime(2026, 11, 29, 20, 5, tzinfo=dt_timezone.utc))
    page = open_page(browser, timezone_id="Asia/Tokyo", locale=locale, base_url=asgi_server)
    page.goto(asgi_server + "/rooms/")
    expect(page.locator("time[data-when]").first).to_have_text(shown)  # redrawn by the script on the first page
    with page.expect_response(lambda r: r.url.endswith("/rooms/")) as answer:
        page.reload()
    assert shown in answer.value.text()  # the server, now knowing the zone, prints the very same words
    assert page.problems == []


@pytest.mark.parametrize("lang,said,wait", [
    ("es", "Las cuentas nuevas pueden publicar 2 veces cada 10 minutos mientras se van asentando.", "Vuelve a intentarlo en"),
    ("fr", "Les nouveaux comptes peuvent publier 2 fois toutes les 10 minutes, le temps de s’installer.", "Réessaie dans"),
])
def test_a_rate_limit_says_what_happened_and_the_wait_in_the_readers_language(client, peer, thread, settings, lang, said, wait):
    settings.RATE_LIMITS = {"forum_post_new": (2, 600)}  # the thread was the first of the two
    client.force_login(peer)
    assert client.post(f"/t/{thread.id}/reply/", {"body": "One."}, headers={"accept-language": lang}).status_code == 302
    response = client.post(f"/t/{thread.id}/reply/", {"body": "Two."}, headers={"accept-language": lang})
    page = response.content.decode()
    assert response.status_code == 429 and said in page and wait in page
    assert "Please try again in" not in page and "New accounts can post" not in page
    assert thread.posts.count() == 2  # the second reply was not stored


@pytest.mark.parametrize("lang,said", [("es", "Inicia sesión para publicar."), ("fr", "Connecte-toi pour publier.")])
def test_a_visitors_refused_post_says_why_in_their_language(client, thread, lang, said):
    response = client.post(f"/t/{thread.id}/subscribe/", {"on": "1"}, headers={"accept-language": lang})
    page = response.content.decode()
    assert response.status_code == 403 and said in page and "Please log in to post" not in page


@pytest.mark.parametrize("lang,said", [("en", "willow replied in “Naloxone”"), ("es", "willow respondió en «Naloxone»")])
def test_my_data_holds_each_notice_as_words_not_placeholders(client, peer, lang, said):
    import json

    notification_send(recipient=peer, kind="forum_reply", text=forum_services.NOTICE_REPLY, url="/", params={"name": "willow", "title": "Naloxone"})
    client.force_login(peer)
    data = json.loads(client.get("/settings/export/", headers={"accept-language": lang}).content)
    assert [n["text"] for n in data["notifications"]] == [said]
