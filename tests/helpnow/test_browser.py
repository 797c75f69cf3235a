"""A peer asks for help; a supporter in another browser context sees it appear without reload, claims it,
they exchange messages, and the supporter resolves it. A real ASGI server (uvicorn, in a thread of this
process, on a free port) serves HTTP and WebSocket; two Chromium contexts are the two people.

Set HELPNOW_SCREENSHOTS=<folder> to also save screenshots of the form, the board and the private room.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from helpnow import services
from helpnow.models import HelpRequest
from tests.browser import DESKTOP, off_loop, open_page
from tests.conftest import session_key_for

SHOTS = os.environ.get("HELPNOW_SCREENSHOTS")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"helpnow-{name}.png"), full_page=True)


def test_ask_claim_talk_resolve(asgi_server, peer, supporter, on_duty, browser):
    server = asgi_server
    off_loop(on_duty, supporter)  # sends a real-time event
    person = open_page(browser, base_url=server, session_key=session_key_for(peer))
    helper = open_page(browser, base_url=server, session_key=session_key_for(supporter), viewport=DESKTOP)
    # The supporter's board is open and live before the request exists.
    helper.goto(f"{server}/supporters/")
    expect(helper.locator("#list-waiting")).to_contain_text("Nobody is waiting")
    helper.evaluate("window.__sameDocument = true")

    # The person asks for help on a phone.
    person.goto(f"{server}/get-help/")
    expect(person.get_by_text("1 supporter is on duty right now")).to_be_visible()
    person.get_by_label("What is happening?").fill("Feeling really anxious after using alone.")
    person.get_by_label("Yes, someone may be in danger").check()
    expect(person.locator("#danger-card")).to_contain_text("Call 911 now")  # at once, before sending
    person.get_by_label("No", exact=True).check()
    expect(person.locator("#danger-card")).to_be_hidden()
    person.get_by_label("What would help?").fill("Someone to talk to for a bit.")
    _shot(person, "request-form-phone")
    person.get_by_role("button", name="Start a private conversation").click()
    person.wait_for_url(f"{server}/get-help/*/")
    expect(person.locator("#help-status")).to_contain_text("Waiting for a supporter")
    help_request = HelpRequest.objects.get()

    # It appears on the supporter's board without a reload.
    item = helper.locator(f"#req-{help_request.pk}")
    expect(item).to_contain_text("Feeling really anxious")
    assert helper.evaluate("window.__sameDocument") is True
    _shot(helper, "board")
    item.get_by_role("button", name="Claim").click()
    helper.wait_for_url(f"{server}/get-help/{help_request.pk}/")
    expect(person.locator("#help-status")).to_contain_text("sup-lee, a peer supporter, is here with you")

    # They talk in the private room.
    expect(helper.locator("#chat-online")).not_to_contain_text("Connecting")
    helper.locator("#chat-input").fill("Hi, I'm here with you. Want to tell me what's going on?")
    helper.locator("#chat-input").press("Enter")
    expect(person.locator("#chat-log")).to_contain_text("I'm here with you", timeout=10_000)
    person.locator("#chat-input").fill("Thank you. My heart is racing.")
    person.get_by_role("button", name="Send").click()
    expect(helper.locator("#chat-log")).to_contain_text("My heart is racing")
    _shot(person, "private-room-phone")
    _shot(helper, "private-room-supporter")

    # The supporter resolves it; the person's chat turns read-only at once.
    helper.get_by_label("Handover note (supporters only)").fill("Anxiety after using alone; breathing helped.")
    helper.get_by_role("button", name="Resolve").click()
    helper.wait_for_url(f"{server}/supporters/")
    expect(person.locator("#chat-banner")).to_contain_text("closed")
    expect(person.locator("#help-status")).to_contain_text("This conversation has ended")
    person.get_by_role("button", name="It helped").click()  # the page reloaded to offer the rating
    expect(person.get_by_text("Thank you for telling us.")).to_be_visible()
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.RESOLVED
    assert help_request.note.startswith("Anxiety after") and help_request.helped is True
    assert services.open_claims(supporter=supporter) == 0
