"""A thread's author adds a poll from the thread page; two members vote in their own browser contexts, one
changes their mind; the page shows how many voted, never the split; the end passes and the first look shows the
totals. Then a member rates a service. A real ASGI server in a thread of this process, Chromium at 390 px."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forum import services as forum_services
from moderation.screening import Screening
from safety.models import ServiceEntry
from tests.browser import open_page
from tests.conftest import make_peer, session_key_for
from voice.models import Poll, PollBallot, ServiceRating

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"voice-{name}.png"), full_page=True)


@pytest.fixture
def people(board, monkeypatch):
    monkeypatch.setattr(forum_services, "screen", lambda **kwargs: Screening())
    author, *voters = [make_peer(username=name) for name in ("juniper", "alder", "birch")]
    thread = forum_services.thread_create(board=board, author=author, title="Naloxone kits", body="Which do you carry?")
    return thread, author, voters


def test_a_poll_added_voted_changed_and_closed_in_the_browser(asgi_server, people, browser):
    server = asgi_server
    thread, author, voters = people
    page = open_page(browser, base_url=server, session_key=session_key_for(author))
    page.goto(f"{server}{thread.get_absolute_url()}")
    page.get_by_role("link", name="Add a poll to your thread").click()
    page.get_by_label("Question").fill("Which kit do you carry?")
    page.get_by_label("Option 1", exact=True).fill("Nasal spray")
    page.get_by_label("Option 2", exact=True).fill("Injectable")
    page.get_by_role("button", name="Add the poll").click()
    expect(page.locator("#poll")).to_contain_text("Which kit do you carry?")
    expect(page.locator("#poll")).to_contain_text("0 people have voted.")

    for voter, first, then in ((voters[0], "Nasal spray", "Injectable"), (voters[1], "Nasal spray", None)):
        ballot = open_page(browser, base_url=server, session_key=session_key_for(voter))
        ballot.goto(f"{server}{thread.get_absolute_url()}")
        ballot.locator("#poll").get_by_label(first).check()
        if voter is voters[0]:
            _shot(ballot, "poll-open")
        ballot.locator("#poll").get_by_role("button", name="Vote").click()
        expect(ballot.locator("main")).to_contain_text("Your vote is in")
        if then:
            ballot.locator("#poll").get_by_label(then).check()
            ballot.locator("#poll").get_by_role("button", name="Change my vote").click()
            expect(ballot.locator("main")).to_contain_text("Your vote is changed")
        assert ballot.problems == []
        ballot.context.close()
    page.reload()
    expect(page.locator("#poll")).to_contain_text("2 people have voted.")
    expect(page.locator("#poll table")).to_have_count(0)  # no split while open

    Poll.objects.update(closes_at=timezone.now() - timedelta(seconds=1))
    page.reload()
    expect(page.locator("#poll")).to_contain_text("2 people voted; the poll ended")
    _shot(page, "poll-closed")
    expect(page.locator("#poll tr", has_text="Nasal spray")).to_contain_text("1")
    expect(page.locator("#poll tr", has_text="Injectable")).to_contain_text("50%")
    assert not PollBallot.objects.exists()
    assert page.problems == []


def test_a_member_rates_a_service_in_the_browser(asgi_server, people, browser):
    server = asgi_server
    _thread, _author, voters = people
    entry = ServiceEntry.objects.create(kind="naloxone", name="Harbour Outreach", region="Downtown", contact="Drop-in")
    page = open_page(browser, base_url=server, session_key=session_key_for(voters[0]))
    page.goto(f"{server}/services/")
    page.locator(f"#service-{entry.pk}").get_by_role("link", name="Rate this service").click()
    _shot(page, "rate")
    page.locator("#id_respect_5").check()
    page.locator("#id_access_4").check()
    page.locator("#id_wait_2").check()
    page.get_by_label("A short comment").fill("Kind, but a long queue.")
    page.get_by_role("button", name="Send my rating").click()
    expect(page.locator("main")).to_contain_text("your rating is in, without your name")
    expect(page.locator(f"#service-{entry.pk}")).to_contain_text("You rated it.")
    _shot(page, "services-rated")
    assert ServiceRating.objects.count() == 1
    assert page.problems == []
