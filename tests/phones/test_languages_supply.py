"""Spanish and French on the supply and safety side (issue 17): the services directory, the alerts and their
archive, the drug-checking results with their charts, a result's page, the rules, the proposals and the Spot me
consent page read in the reader's language, picked by Accept-Language or by the `lang` cookie; a Spanish-speaking
checker reads a refused CSV file's line errors in Spanish; a supporter's Spot me socket speaks their language."""

from datetime import date, timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from checking import services as checking_services
from commons.languages import language_for_scope
from peers import roles
from peers.models import Peer
from safety import services as safety_services
from safety.models import DrugAlert, ServiceEntry
from tests.checking.conftest import csv_of
from tests.conftest import make_peer

DAY = (date.today() - timedelta(days=3)).isoformat()

# Per page: a sentence of it in Spanish, the same in French, and the English one that must be gone.
PAGES = {
    "/services/": ("Directorio de servicios", "Annuaire des services", "Services directory"),
    "/alerts/archive/": ("Alertas que ya terminaron.", "Les alertes terminées.", "Alerts that have ended."),
    "/results/": ("Todas las muestras: qué tenían, por mes", "Tous les échantillons : ce qu’ils contenaient, par mois",
                  "All samples: what was in them, by month"),
    "/rules/": ("Las normas de la comunidad", "Les règles de la communauté", "The community's rules"),
    "/proposals/": ("Propuestas y votaciones", "Propositions et votes", "Proposals and votes"),
    "/get-help/spot/": ("Cómo funciona, en palabras sencillas", "Comment ça marche, en mots simples", "How it works, in plain words"),
}


@pytest.fixture
def supply(db, moderator):
    """One directory entry, one ended alert (for the archive), one result (for the charts and its page)."""
    ServiceEntry.objects.create(kind="naloxone", name="Harbour outreach", region="Downtown", contact="Walk in",
                                verified_at=timezone.now())
    alert = safety_services.alert_create(author=moderator, substance="Fentanyl", summary="Xylazine in down", region="Downtown",
                                         severity="danger", source="peer", days=7)
    DrugAlert.objects.filter(pk=alert.pk).update(expires_at=timezone.now() - timedelta(days=1))
    [result] = checking_services.results_import(by=None, data=csv_of(f"{DAY},Downtown,down,fentanyl:12%;xylazine:trace,ftir,Downtown checking,"))
    return result


def _page(client, path, **kwargs) -> str:
    response = client.get(path, **kwargs)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("path", list(PAGES))
@pytest.mark.parametrize("lang, column", [("es", 0), ("fr", 1)])
def test_the_pages_follow_accept_language(client, supply, path, lang, column):
    page = _page(client, path, headers={"accept-language": f"{lang};q=0.9,en;q=0.5"})
    assert f'<html lang="{lang}"' in page
    assert PAGES[path][column] in page
    assert PAGES[path][2] not in page


@pytest.mark.parametrize("path", list(PAGES))
@pytest.mark.parametrize("lang, column", [("es", 0), ("fr", 1)])
def test_the_pages_follow_the_language_cookie(client, supply, path, lang, column):
    client.cookies["lang"] = lang
    page = _page(client, path, headers={"accept-language": "en"})  # the menu's choice wins over the browser
    assert PAGES[path][column] in page and PAGES[path][2] not in page


def test_english_stays_english(client, supply):
    for path, (_es, _fr, english) in PAGES.items():
        assert english in _page(client, path)


@pytest.mark.parametrize("lang, words, english", [
    ("es", ["Vendido como", "Se encontró", "Analizado por", "trazas"], ["Sold as", "Checked by", "(trace)"]),
    ("fr", ["Vendu comme", "Trouvé", "Analysé par", "traces"], ["Sold as", "Checked by", "(trace)"]),
])
def test_a_result_page_and_the_chart_table_are_translated(client, supply, lang, words, english):
    page = _page(client, supply.get_absolute_url(), headers={"accept-language": lang})
    assert all(word in page for word in words), page
    assert not any(word in page for word in english)
    results = _page(client, "/results/", headers={"accept-language": lang})
    assert ("Muestras" if lang == "es" else "Échantillons") in results  # the charts' table header
    assert ">Samples<" not in results


def test_the_charts_are_drawn_again_in_each_language(client, supply):
    """The charts are kept in a fragment cache: one per language, never an English one served to a French reader."""
    assert "All samples: what was in them, by month" in _page(client, "/results/")
    french = _page(client, "/results/", headers={"accept-language": "fr"})
    assert "Tous les échantillons" in french and " in 1 of 1 " not in french and " dans 1 sur 1 " in french


def test_an_alert_card_and_the_services_list_speak_spanish(client, supply, moderator):
    safety_services.alert_create(author=moderator, substance="Nitazene", summary="Pills", region="Downtown",
                                 severity="danger", source="peer", days=7)
    alerts = _page(client, "/alerts/", headers={"accept-language": "es"})
    assert "Alertas de drogas activas" in alerts and "Nadie ha dicho “yo también lo vi” todavía." in alerts
    assert "Active drug alerts" not in alerts and "Posted " not in alerts
    services = _page(client, "/services/", headers={"accept-language": "es"})
    assert "1 servicio." in services and "Verificado el" in services and "Verified on" not in services


def test_a_refused_alert_says_why_in_french(client, moderator):
    client.force_login(moderator)
    response = client.post("/alerts/new/", {"substance": "", "summary": "x", "region": "Downtown", "severity": "danger",
                                            "source": "peer", "days": "7"}, headers={"accept-language": "fr"})
    assert response.status_code == 400
    assert "Indique la substance" in response.content.decode()
    assert not DrugAlert.objects.exists()


def test_a_spanish_checker_reads_the_csv_errors_in_spanish(client, db):
    checker = make_peer(roles.CHECKER, username="check-lola")
    Peer.objects.filter(pk=checker.pk).update(language="es")
    client.force_login(checker)
    bad = SimpleUploadedFile("r.csv", csv_of(f"{DAY},Downtown,down,fentanyl,ftir,S,", f"{DAY},Atlantis,down,fentanyl,ftir,S,",
                                              f"{DAY},Downtown,down,fentanil,ftir,S,").encode())
    response = client.post("/results/upload/", {"file": bad}, headers={"accept-language": "en"})  # the account's choice wins
    page = response.content.decode()
    assert response.status_code == 400
    assert "No se guardó nada de este archivo." in page
    assert "Línea 3: la región “Atlantis” no es una de las regiones de este sitio" in page
    assert "Línea 4: la sustancia “fentanil” no está en la lista de sustancias" in page
    assert "Line 3:" not in page and "Nothing from this file was stored" not in page


@pytest.mark.parametrize("scope, peer_language, expected", [
    ({"cookies": {"lang": "fr"}, "headers": [(b"accept-language", b"es")]}, "", "fr"),
    ({"cookies": {}, "headers": [(b"accept-language", b"es-MX,es;q=0.9")]}, "", "es"),
    ({"cookies": {"lang": "de"}, "headers": [(b"accept-language", b"de-DE")]}, "", "en"),
    ({"cookies": {"lang": "fr"}, "headers": []}, "es", "es"),
    ({}, "", "en"),
])
def test_a_socket_speaks_the_language_a_page_would(scope, peer_language, expected):
    peer = Peer(language=peer_language)
    assert language_for_scope(scope, peer) == expected


@pytest.mark.django_db(transaction=True)
async def test_the_spotting_board_socket_speaks_the_supporters_language():
    from channels.routing import URLRouter

    from spotting.routing import websocket_urlpatterns

    supporter = await sync_to_async(make_peer)(roles.SUPPORTER, username="sup-rosa")
    await sync_to_async(Peer.objects.filter(pk=supporter.pk).update)(language="fr")
    supporter = await sync_to_async(Peer.objects.get)(pk=supporter.pk)
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), "/ws/spot/",
                                         headers=[(b"accept-language", b"es")])  # the account's choice wins
    communicator.scope["user"] = supporter
    connected, _ = await communicator.connect()
    try:
        assert connected
        frame = await communicator.receive_json_from(timeout=5)
        assert frame["type"] == "board"
        assert "Personne ne demande de veille pour l’instant." in frame["html"]
        assert "Nobody is asking to be spotted" not in frame["html"]
        await communicator.send_json_to({"type": "anything"})
        error = await communicator.receive_json_from(timeout=5)
        assert error["type"] == "error" and "lecture seule" in error["detail"], error
    finally:
        await communicator.disconnect()


@pytest.fixture
def spot_session(db):
    from helpnow import services as helpnow_services
    from spotting import services as spotting_services

    member = make_peer(roles.MEMBER, username="spot-nuria")
    spotter = make_peer(roles.SUPPORTER, username="spot-remy")
    helpnow_services.duty_set(supporter=spotter, on=True)
    session = spotting_services.session_start(member=member, interval_minutes=5, length_minutes=60, note="Door code 1234.")
    return spotting_services.session_claim(session=session, supporter=spotter), member, spotter


def test_the_spot_me_countdown_words_come_from_the_page_in_spanish(client, spot_session):
    session, member, _spotter = spot_session
    client.force_login(member)
    page = _page(client, session.get_absolute_url(), headers={"accept-language": "es"})
    assert 'data-text-next="Próximo aviso en {time}."' in page
    assert 'data-text-ask="¿Estás bien? Pulsa “Estoy bien”."' in page
    assert "Te están acompañando." in page and "being spotted" not in page


def test_the_alarm_banner_on_a_supporters_other_pages_is_in_their_language(spot_session, monkeypatch):
    from spotting import services as spotting_services

    session, _member, spotter = spot_session
    Peer.objects.filter(pk=spotter.pk).update(language="fr")
    sent = []
    monkeypatch.setattr(spotting_services, "person_notice_on_commit", lambda *, peer_id, frame: sent.append((peer_id, frame)))
    assert spotting_services.alarm_raise(session_id=session.pk, now=session.alarm_due_at)
    [(peer_id, frame)] = sent
    assert peer_id == spotter.pk and frame["type"] == "spot_alarm"
    assert "Vérification manquée : pas de réponse" in frame["html"] and "Missed check-in" not in frame["html"]


def test_an_alert_authors_notice_is_in_their_language_not_the_moderators(db, moderator, settings, peer_factory, thread_factory):
    from moderation.models import ModerationStatus
    from peers.models import Notification

    settings.SAFETY_ESTABLISHED_DAYS, settings.SAFETY_ESTABLISHED_POSTS = 0, 0
    author = peer_factory(username="alba-es")
    Peer.objects.filter(pk=author.pk).update(language="es")
    Peer.objects.filter(pk=moderator.pk).update(language="fr")
    author, moderator = Peer.objects.get(pk=author.pk), Peer.objects.get(pk=moderator.pk)
    alert = safety_services.alert_create(author=author, substance="Fentanyl", summary="Strong batch", region="Downtown",
                                         severity="danger", source="peer", days=7)
    assert alert.is_pending
    held = Notification.objects.get(recipient=moderator, kind="alert_held")
    assert held.text == "Une alerte sur Fentanyl à Downtown attend la modération."
    assert safety_services.alert_moderate(alert=alert, status=ModerationStatus.APPROVED, by=moderator)
    notice = Notification.objects.get(recipient=author, kind="moderation")
    assert notice.text == "Tu alerta sobre Fentanyl se aprobó y se envió a todo el mundo conectado. Gracias."


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("headers, words", [
    ([(b"accept-language", b"fr-FR,fr;q=0.9")], "Cette connexion n’envoie que des alertes"),
    ([(b"accept-language", b"en"), (b"cookie", b"lang=es")], "Esta conexión solo envía alertas"),
])
async def test_the_alerts_socket_refuses_a_message_in_the_visitors_language(headers, words):
    from config.asgi import application

    communicator = WebsocketCommunicator(application, "/ws/alerts/",
                                         headers=[(b"origin", b"http://testserver"), (b"host", b"testserver"), *headers])
    connected, _ = await communicator.connect()
    try:
        assert connected
        await communicator.send_json_to({"type": "message", "body": "hola"})
        error = await communicator.receive_json_from(timeout=3)
        assert error["code"] == "invalid" and words in error["detail"], error
    finally:
        await communicator.disconnect()
