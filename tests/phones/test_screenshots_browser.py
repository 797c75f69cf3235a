"""The five pages a person on a phone reaches first (home, a thread, a live room, get help, the overdose steps),
at 390 px in each language, as a signed-in member with two drug alerts up: each page says it is in the language
asked for, nothing runs off the side, and a screenshot goes to screenshots/ to be looked at."""

import re
from pathlib import Path

import pytest

from rooms import services as room_services
from rooms.models import Room
from safety import services as safety_services
from tests.browser import off_loop, open_page
from tests.conftest import session_key_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parent.parent.parent / "screenshots"


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_the_first_pages_at_390(asgi_server, browser, peer, other_peer, organiser, moderator, thread_factory, language):
    from playwright.sync_api import expect

    thread = thread_factory(author=other_peer, title="Strips for every batch", body="Where do you get yours?\n\nI ask at the pharmacy.")
    room_services.room_create(slug="evening", title="Evening check-in", host=organiser, status=Room.Status.LIVE,
                              topic="How is everyone doing tonight?")
    for substance, level in (("Pressed pills", "danger"), ("Blue powder", "warning")):
        off_loop(safety_services.alert_create, author=moderator, substance=substance, severity=level, source="drug_checking",
                 region="Eastside", summary=f"{substance} tested positive for nitazenes: go slow, use with someone.")
    page = open_page(browser, base_url=asgi_server, session_key=session_key_for(peer), locale=language)
    SHOTS.mkdir(exist_ok=True)
    for name, path in (("home", "/"), ("thread", thread.get_absolute_url()), ("room", "/rooms/evening/"),
                       ("get-help", "/get-help/"), ("overdose", "/help/overdose/")):
        page.goto(asgi_server + path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        if name == "room":
            expect(page.locator("#chat-online")).to_contain_text(re.compile("online|conectada|en ligne"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, (name, "wider than the screen")
        page.screenshot(path=str(SHOTS / f"{name}-390-{language}.png"))
    assert page.problems == []
