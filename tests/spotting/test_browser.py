"""Spot me in two phone-sized browsers against a real server (uvicorn in a thread of this process): a member
reads the consent page and starts, a supporter claims, the member closes the tab; within the interval plus the
grace (shortened by settings) the supporter's open page shows the alarm with the rescue note; the supporter
records the outcome; after the purge nothing of the session remains.

Set SPOTTING_SCREENSHOTS=<folder> to save a screenshot of each step (390 px wide).
"""

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from helpnow import services as helpnow_services
from rooms.models import Message, Room
from spotting import services, ticker
from spotting.models import SpotMonth, SpotSession
from tests.browser import off_loop, open_page
from tests.conftest import session_key_for

SHOTS = os.environ.get("SPOTTING_SCREENSHOTS")
NOTE = "I'm at 14 Elm Road, flat 3. The key is under the mat. Call my friend Sam first."

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"spotting-{name}.png"), full_page=True)


@pytest.fixture
def short_clock(settings, asgi_server):
    """One "minute" of the interval is 3 s, the grace 2 s, and the server's timer looks every 0.3 s. Afterwards the
    timer is stopped before the server goes (it holds a database connection of its own)."""
    settings.SPOTTING_MINUTE_SECONDS, settings.SPOTTING_GRACE_SECONDS, settings.SPOTTING_TICK_SECONDS = 3, 2, 0.3
    yield asgi_server
    settings.SPOTTING_TICK_SECONDS = 0
    deadline = time.monotonic() + 5
    while ticker._task is not None and not ticker._task.done() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_start_claim_closed_tab_alarm_record_purge(short_clock, member, browser):
    server = short_clock
    from tests.conftest import make_peer
    from peers import roles

    supporter = make_peer(roles.SUPPORTER, username="spot-lee")
    off_loop(helpnow_services.duty_set, supporter=supporter, on=True)
    person = open_page(browser, base_url=server, session_key=session_key_for(member))
    helper = open_page(browser, base_url=server, session_key=session_key_for(supporter))

    # The member reads the plain-words page; nothing is stored yet.
    person.goto(f"{server}/get-help/spot/")
    expect(person.get_by_text("This site itself never calls anyone.")).to_be_visible()
    assert not SpotSession.objects.exists()
    person.get_by_label("Check on me every … minutes").fill("2")
    person.get_by_label("The session may last up to … minutes").fill("30")
    person.get_by_label("Rescue note").fill(NOTE)
    _shot(person, "1-start-phone")
    person.get_by_role("button", name="Start: find me a spotter").click()
    person.wait_for_url(f"{server}/get-help/spot/*/")
    expect(person.locator(".spot-status")).to_contain_text("Looking for a spotter")
    session = SpotSession.objects.get()
    _shot(person, "2-waiting-phone")

    # The supporter's spotting board shows the request without the note, and claims it.
    helper.goto(f"{server}/supporters/spot/")
    expect(helper.locator("#spot-waiting")).to_contain_text("Check-ins every 2 minutes")
    expect(helper.locator("body")).not_to_contain_text("Elm Road")
    _shot(helper, "3-board-supporter")
    helper.get_by_role("button", name="Spot them").click()
    helper.wait_for_url(f"{server}/get-help/spot/{session.pk}/")
    expect(helper.locator(".spot-status")).to_contain_text("Next check-in")
    expect(helper.locator("body")).not_to_contain_text("Elm Road")

    # The member's page turns into the countdown with its big button; they answer once, then close the tab.
    expect(person.get_by_role("button", name="I'm OK")).to_be_visible()
    expect(person.locator("#spot-countdown")).to_contain_text("Next check-in in")
    _shot(person, "4-spotted-phone")
    person.get_by_role("button", name="I'm OK").click()
    person.context.close()

    # Within the interval (6 s) plus the grace (2 s), the supporter's open page shows the alarm with the note.
    expect(helper.locator(".spot-alarm").first).to_contain_text("Missed check-in", timeout=20_000)
    expect(helper.locator(".spot-alarm").first).to_contain_text("Elm Road")
    expect(helper.locator(".spot-alarm").first).to_contain_text("Last answer at")
    _shot(helper, "5-alarm-supporter")
    session.refresh_from_db()
    assert session.status == SpotSession.Status.ALARM

    # The supporter records what they did and how it ended.
    helper.get_by_label("I called the contact in their note").check()
    helper.get_by_label("How did it end?").fill("Sam went round; they were asleep and OK.")
    helper.get_by_role("button", name="Record").click()
    expect(helper.get_by_text("Recorded. Thank you for being there.")).to_be_visible()
    expect(helper.locator(".spot-status")).to_contain_text("has ended")
    _shot(helper, "6-recorded-supporter")
    session.refresh_from_db()
    assert session.status == SpotSession.Status.ENDED and session.action == "called_contact"
    assert helper.problems == []

    # 24 hours after the end the purge leaves nothing of it but the month's anonymous counts.
    assert off_loop(services.sessions_purge, now=session.ended_at + timedelta(hours=24)) == 1
    assert not SpotSession.objects.exists() and not Room.objects.filter(pk=session.room_id).exists()
    assert not Message.objects.exists()
    month = SpotMonth.objects.get()
    assert (month.sessions, month.spotted, month.alarms, month.called_contact) == (1, 1, 1, 1)
    helper.goto(f"{server}/get-help/spot/{session.pk}/")
    expect(helper.locator("body")).not_to_contain_text("Elm Road")
    _shot(helper, "7-after-purge-supporter")


def test_alarm_shows_live_on_any_open_page_of_the_spotter(asgi_server, member, browser):
    """The spotter is reading the forum (no spotting page open): the alarm arrives over /ws/alerts/ and shows
    at the top of that page, with the note and the link to the session."""
    from tests.conftest import make_peer
    from peers import roles

    supporter = make_peer(roles.SUPPORTER, username="spot-lee")
    off_loop(helpnow_services.duty_set, supporter=supporter, on=True)
    session = off_loop(services.session_start, member=member, interval_minutes=5, length_minutes=60, note=NOTE)
    session = off_loop(services.session_claim, session=session, supporter=supporter)
    helper = open_page(browser, base_url=asgi_server, session_key=session_key_for(supporter))
    helper.goto(f"{asgi_server}/")
    expect(helper.locator("#alert-banner[data-socket=open]")).to_have_count(1)
    expect(helper.locator("#spot-page-alarm .spot-alarm")).to_have_count(0)
    assert off_loop(services.alarms_raise, now=session.alarm_due_at) == 1
    alarm = helper.locator("#spot-page-alarm .spot-alarm")
    expect(alarm).to_be_visible()
    expect(alarm).to_contain_text(NOTE)
    expect(alarm.locator(f'a[href="/get-help/spot/{session.pk}/"]')).to_have_count(1)
    assert helper.title().startswith("(!) ")
    _shot(helper, "any-page-alarm")
