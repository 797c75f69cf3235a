"""Spot me's scripts speak the reader's language (issue 17): the words of spotting-session.js and
spotting-watch.js come from the page (data-text-*), so a Spanish member's countdown and a French supporter's
new-request note are in their languages, with no English left in the script's output."""

import pytest
from playwright.sync_api import expect

from helpnow import services as helpnow_services
from peers import roles
from peers.models import Peer
from spotting import services
from tests.browser import off_loop, open_page
from tests.conftest import make_peer, session_key_for
from tests.spotting.test_browser import short_clock  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _speaking(language: str, role: str, username: str) -> Peer:
    peer = make_peer(role, username=username)
    Peer.objects.filter(pk=peer.pk).update(language=language)
    return Peer.objects.get(pk=peer.pk)


def test_the_countdown_and_the_new_request_note_are_in_the_readers_language(short_clock, browser):  # noqa: F811
    server = short_clock
    member = _speaking("es", roles.MEMBER, "spot-marta")
    supporter = _speaking("fr", roles.SUPPORTER, "spot-lucie")
    off_loop(helpnow_services.duty_set, supporter=supporter, on=True)

    helper = open_page(browser, base_url=server, session_key=session_key_for(supporter))
    helper.goto(f"{server}/supporters/spot/")
    expect(helper.locator("#spot-waiting")).to_contain_text("Personne ne demande de veille")
    expect(helper.locator("#spot-watch[data-socket=live]")).to_have_count(1)  # pushes reach sockets that have joined

    session = off_loop(services.session_start, member=member, interval_minutes=2, length_minutes=30, note="Puerta 3.")
    push = helper.locator(".spot-push")
    expect(push).to_contain_text("Quelqu’un demande qu’on veille sur lui (vérifications toutes les 2 minutes).")
    expect(push.get_by_role("link")).to_have_text("Ouvrir le tableau de veille")

    off_loop(services.session_claim, session=session, supporter=supporter)
    person = open_page(browser, base_url=server, session_key=session_key_for(member))
    person.goto(f"{server}/get-help/spot/{session.pk}/")
    expect(person.locator("#spot-countdown")).to_contain_text("Próximo aviso en")
    expect(person.locator("#spot-ask")).to_have_text("Te están acompañando.")
    # The check-in falls due (2 "minutes" of 3 s): the page asks, in Spanish.
    expect(person.locator("#spot-ask")).to_have_text("¿Estás bien? Pulsa “Estoy bien”.", timeout=10000)
    expect(person.locator("#spot-countdown")).to_contain_text("Se avisará a quien te acompaña en")
    assert "Next check-in" not in person.locator("main").inner_text()
